"""Sync status, on-site checkout and conflicts."""
