"""Putting a workstation together: local store, optional central store, sync and workflow."""

from __future__ import annotations

from dataclasses import dataclass

from app.config import Settings
from app.store import open_store
from app.sync import SyncEngine, central_store, skewed_clock
from app.workflow import Workflow
from reviewdb.engine import Store


@dataclass
class Workstation:
    """What the CLI and the GUI work with."""

    store: Store
    sync: SyncEngine | None
    workflow: Workflow


def open_workstation(settings: Settings, *, require_schema: bool = True) -> Workstation:
    store = open_store(settings, require_schema=require_schema)
    sync = None
    if settings.central_url:
        sync = SyncEngine(store, central_store(settings.central_url), clock=skewed_clock)
    return Workstation(store, sync, Workflow(store, sync))
