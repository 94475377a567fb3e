"""Printing notices: preview and batch printing."""
