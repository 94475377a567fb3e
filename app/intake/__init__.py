"""Intake: submission packages, their checks on arrival, and image probing/preparation."""
