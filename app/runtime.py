"""Putting a workstation together once, at start-up: local store, arbiter, optional sync.

Every front-end — the window and each command — opens the workstation here and then acts
through :class:`app.workbench.Workbench`. Which arbiter the workstation has (the local
store alone, or a central store) is decided here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import auth, backups
from app.auth import Actor, UserInfo
from app.config import Settings
from app.review.arbitration import Arbitration, CentralArbitration, StandaloneArbitration
from app.review.workflow import Workflow
from app.store import open_store
from app.sync.engine import SyncEngine, central_store, skewed_clock
from reviewdb.engine import Store, StoreError


@dataclass(frozen=True)
class Workstation:
    """One computer's road to the store: what the window and the commands work with."""

    store: Store
    workflow: Workflow
    sync: SyncEngine | None = None

    @property
    def arbitration(self) -> Arbitration:
        return self.workflow.arbitration

    @property
    def description(self) -> str:
        """The local store, as people read it."""
        return self.store.description

    @property
    def central_description(self) -> str | None:
        """The central store, as people read it; None when this store decides alone."""
        return self.sync.central.description if self.sync is not None else None

    def login(self, username: str, password: str, workstation_name: str) -> Actor:
        """Log a person in: the central store judges the password when it can be reached
        (and gives this workstation the person's token); offline, this computer's own
        verifier of a person who logged in here before."""
        central = self.sync.prove if self.sync is not None else None
        return auth.login(self.store, username, password, workstation_name, central=central)

    def login_cli(self, username: str) -> Actor:
        """A command's login: ``REVIEWDESK_PASSWORD`` or a prompt, judged as :meth:`login`."""
        central = self.sync.prove if self.sync is not None else None
        return auth.authenticate_cli(self.store, username, central=central)

    def users(self) -> list[UserInfo]:
        return auth.list_users(self.store)

    def sync_quietly(self) -> bool:
        """One sync round if there is a central store (offline shows in the status);
        True when this computer's copy is now current with the central store."""
        if self.sync is None:
            return False
        try:
            self.sync.sync_once()
        except StoreError:
            return False
        return True


def standalone(store: Store) -> Workstation:
    """A workstation whose local store is its own arbiter (the embedded default)."""
    return Workstation(store, Workflow(store, StandaloneArbitration(store)))


def connected(store: Store, sync: SyncEngine) -> Workstation:
    """A workstation whose arbiter is the central store behind ``sync``."""
    return Workstation(store, Workflow(store, CentralArbitration(store, sync)), sync)


def open_workstation(settings: Settings, *, require_schema: bool = True) -> Workstation:
    """The workstation the settings describe: ``central_url`` set means a central arbiter."""
    store = open_store(settings, require_schema=require_schema)
    backups.daily_backup_hook(store)  # the first start of the day backs up a local SQLite store
    if not settings.central_url:
        return standalone(store)
    sync = SyncEngine(store, central_store(settings.central_url), clock=skewed_clock)
    return connected(store, sync)
