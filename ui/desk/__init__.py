"""The supervisor desk (督导台)."""
