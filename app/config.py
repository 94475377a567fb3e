"""Where ReviewDesk keeps its data and which database it opens (platformdirs, env, flags)."""

from __future__ import annotations

import json
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


def settings_path() -> Path:
    """The workstation's own settings (the central store URL), shared by window and commands."""
    return data_dir() / "settings.json"


def stored_central_url() -> str | None:
    """The central store chosen in 设置/Settings, if any (an unreadable file counts as none)."""
    try:
        value = json.loads(settings_path().read_text(encoding="utf-8")).get("central_url")
    except (OSError, ValueError, AttributeError):
        return None
    return value.strip() or None if isinstance(value, str) else None


def save_central_url(url: str | None) -> None:
    """Keep the central store URL for the next start (written atomically)."""
    path = settings_path()
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(current, dict):
            current = {}
    except (OSError, ValueError):
        current = {}
    current["central_url"] = (url or "").strip() or None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(current, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def resolve(db: str | None = None, central: str | None = None) -> Settings:
    """``--db`` beats REVIEWDESK_DB beats the default store; ``--central`` beats
    REVIEWDESK_CENTRAL beats the saved setting. A central store equal to the store itself
    (commands run against the central store directly) is no central store."""
    url = db or os.environ.get(ENV_DB)
    is_default = url is None
    if url is None:
        url = default_db_url()
    central_url = central or os.environ.get(ENV_CENTRAL) or stored_central_url()
    blob_dir = None
    if not url.startswith("sqlite"):
        # A workstation pointed straight at PostgreSQL keeps its image cache locally.
        blob_dir = data_dir() / "blobs"
    return Settings(
        db_url=url,
        is_default=is_default,
        blob_dir=blob_dir,
        central_url=None if central_url == url else central_url,
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


def describe(url: str) -> str:
    """A database URL as people read it, without its password."""
    from reviewdb.engine import describe_url, normalize_url

    return describe_url(normalize_url(url))
