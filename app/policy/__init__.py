"""Policy: city/year rules as data, the automatic checks, ID numbers and districts."""
