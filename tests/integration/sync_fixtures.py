"""A central store with a world in it, and workstations that sync with it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app import runtime
from app.auth import Actor
from app.review.arbitration import CentralArbitration
from app.review.workflow import Workflow
from app.sync.engine import SyncEngine
from reviewdb import migrate
from reviewdb.engine import Store
from tests.workflow_fixtures import World, build_world

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/nowhere"


@dataclass
class Workstation:
    local: Store
    sync: SyncEngine
    workflow: Workflow

    @property
    def desk(self) -> runtime.Workstation:
        """The same workstation as the application puts it together."""
        return runtime.Workstation(self.local, self.workflow, self.sync)

    def as_local(self, actor: Actor) -> Actor:
        """The same user acting on this workstation."""
        return actor


def central_world(url: str, tmp_path: Path, n_cases: int = 3) -> tuple[Store, World]:
    central = Store(
        url, tmp_path / "central-blobs", shared_file=True
    )  # as central_store() opens it
    migrate.upgrade(central)
    if not central.is_sqlite:
        from reviewdb import central_pg

        central_pg.install(central.engine)
    return central, build_world(central, tmp_path / "pkgs", n_cases=n_cases)


def workstation(central: Store, tmp_path: Path, name: str = "ws1", **kw: object) -> Workstation:
    local = Store(f"sqlite:///{tmp_path / (name + '.db')}", tmp_path / f"{name}-blobs")
    migrate.upgrade(local)
    engine = SyncEngine(local, central, **kw)  # type: ignore[arg-type]
    engine.sync_once()
    return Workstation(local, engine, Workflow(local, CentralArbitration(local, engine)))


@contextlib.contextmanager
def offline(ws: Workstation) -> Iterator[None]:
    """Cut the workstation off the central store (a real unreachable server)."""
    real = ws.sync.central
    ws.sync.central = Store(UNREACHABLE)
    try:
        yield
    finally:
        ws.sync.central = real
