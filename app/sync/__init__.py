"""Sync with a central store: outbox push, commit-ordered pull, central claims and checkout."""
