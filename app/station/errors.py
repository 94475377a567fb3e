"""The station's refusals: what the clerk or whoever sets the station up can fix."""

from __future__ import annotations

from app.errors import Refusal


class StationRefusal(Refusal):
    """A station setting, key file or request refused, said in one line (English, for the
    command line); ``code`` names the kind, for the window to say it in its language:
    ``empty``, ``too_long``, ``control`` (a name), ``unreadable``, ``not_key``,
    ``no_district`` (a key file), ``format``, ``folder`` (an export file)."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code
