"""Where ReviewDesk keeps its data and which database it opens (platformdirs, env, flags)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "ReviewDesk"
APP_AUTHOR = "ReviewDesk"
ENV_DB = "REVIEWDESK_DB"
ENV_DATA = "REVIEWDESK_DATA"
ENV_CENTRAL = "REVIEWDESK_CENTRAL"
ENV_PASSWORD = "REVIEWDESK_PASSWORD"


def data_dir() -> Path:
    """The per-user data directory (``REVIEWDESK_DATA`` overrides it)."""
    override = os.environ.get(ENV_DATA)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    """Where crash logs go (the platform's user log directory)."""
    override = os.environ.get(ENV_DATA)
    if override:
        return Path(override).expanduser() / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    return data_dir() / "reviewdesk.db"


def default_db_url() -> str:
    return f"sqlite:///{default_db_path()}"


@dataclass(frozen=True)
class Settings:
    """Resolved location of the store: ``--db`` beats ``REVIEWDESK_DB`` beats the default."""

    db_url: str
    is_default: bool
    blob_dir: Path | None
    central_url: str | None


def resolve(db: str | None = None, central: str | None = None) -> Settings:
    url = db or os.environ.get(ENV_DB)
    is_default = url is None
    if url is None:
        url = default_db_url()
    blob_dir = None
    if not url.startswith("sqlite"):
        # A workstation pointed straight at PostgreSQL keeps its image cache locally.
        blob_dir = data_dir() / "blobs"
    return Settings(
        db_url=url,
        is_default=is_default,
        blob_dir=blob_dir,
        central_url=central or os.environ.get(ENV_CENTRAL),
    )


def workstation_id() -> str:
    """A stable id for this computer's installation, made once and kept in the data dir."""
    path = data_dir() / "workstation-id"
    try:
        value = path.read_text(encoding="ascii").strip()
        if value:
            return value
    except OSError:
        pass
    value = f"ws-{uuid.uuid4().hex[:12]}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value, encoding="ascii")
    except OSError:
        pass
    return value
