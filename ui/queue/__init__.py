"""The queue of cases: a model over ids, paged, with tabs and filters."""
