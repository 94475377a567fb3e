"""The case statuses as the window shows them: one table, translated where shown.

The wording is :data:`app.domain.STATUS_LABELS` (a test keeps the two equal); the
markers here let lupdate collect the strings for the English translation.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = "QueueModel"  # where the English translations of these strings live


def _noop(text: str) -> str:
    """Marks ``text`` for lupdate; translated by :func:`status_title`."""
    return text


STATUS_TITLES = {
    "pending": _noop("待审核"),
    "confirming": _noop("待复核"),
    "approved": _noop("已通过"),
    "rejected": _noop("未通过"),
    "returned": _noop("已退回"),
}


def status_title(status: str) -> str:
    """A case status in the interface language (unknown ones as they are)."""
    text = STATUS_TITLES.get(status)
    return QCoreApplication.translate(CONTEXT, text) if text else status
