"""The review workflow's refusal: one class, a ``code`` the GUI chooses its wording by."""

from __future__ import annotations

from typing import Any

from reviewdb.arbiter import ArbiterRefusal
from reviewdb.errors import Refusal


class WorkflowError(Refusal):
    """A refusal the user can understand; ``code`` lets the GUI choose its wording."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


def refused(exc: ArbiterRefusal) -> WorkflowError:
    """The arbiter's no, as the workflow says it (same code and details)."""
    return WorkflowError(exc.code, str(exc), **exc.details)
