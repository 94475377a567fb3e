"""The three kinds of failure, rooted here so that every layer can raise its own.

- :class:`Refusal`: the user asked for something the rules or the data do not allow; they
  can fix it (another case, a reason, a password). Nothing was changed.
- :class:`EnvironmentProblem`: the world got in the way (a store down, busy, corrupt or of a
  newer schema; a full disk; a file that cannot be read). Nothing was changed, or what was
  kept is said in the message; trying again later or fixing the environment helps.
- Anything else is a bug, for the crash handler (``app.errors``).

``app/errors.py`` re-exports these with the application's own kinds; front-ends catch the
root, :class:`ReviewDeskError`, once.
"""

from __future__ import annotations


class ReviewDeskError(Exception):
    """A failure we expected and can explain in one line (``str(error)``)."""

    kind = "problem"


class Refusal(ReviewDeskError):
    """The user can fix it: the rules, the data or the input say no."""

    kind = "refusal"


class EnvironmentProblem(ReviewDeskError):
    """The environment got in the way: store, network, disk, a file."""

    kind = "environment"
