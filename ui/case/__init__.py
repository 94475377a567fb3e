"""One case: facts and findings, the decision panel."""
