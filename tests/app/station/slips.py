"""Real slips for the station tests: printed by the project, rasterised by poppler, read
back by zbar — the text a scanner gun would type. The tools are required (no skip)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.notices.printing import export_public_key, init_district_key
from app.review.workflow import DecisionInput, Workflow
from app.station.keyring import StationKey, station_key
from app.workbench import Workbench
from reviewdb.engine import Store
from tests.workflow_fixtures import World

SCHOOL = "南昌市东湖区育新学校"  # the school of every case build_world imports


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"required tool {name!r} is not installed (poppler-utils / zbar-tools)")
    return path


def qr_texts(pdf: bytes) -> list[str]:
    """The QR text of every page, as zbarimg reads it from a 150-dpi rendering."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "slips.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [_tool("pdftoppm"), "-r", "150", "-png", str(path), str(Path(tmp) / "p")],
            check=True,
            capture_output=True,
            timeout=120,
        )
        out: list[str] = []
        for png in sorted(Path(tmp).glob("p*.png")):
            done = subprocess.run(
                [_tool("zbarimg"), "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert done.returncode == 0, f"zbarimg found no QR code on {png.name}: {done.stderr}"
            out += [line for line in done.stdout.splitlines() if line]
    return out


@dataclass
class Slips:
    """A store with printed slips: an approval, a rejection, and the district's key file."""

    store: Store
    world: World
    approval: str  # the QR text of an approval slip (case world.cases[0])
    rejection: str  # a rejection notice's (world.cases[1], confirmed by the supervisor)
    key_file: bytes  # 东湖区's public key file, as reviewdesk keys export writes it

    @property
    def key(self) -> StationKey:
        return station_key(self.key_file)


def print_slips(world: World) -> Slips:
    """Key 1 for 东湖区, an approval and a (confirmed) rejection, printed and read back."""
    store = world.store
    init_district_key(store, "东湖区")
    wf = Workflow(store)
    first, second = world.cases[0], world.cases[1]
    wf.claim(world.alice, first)
    wf.decide(world.alice, first, DecisionInput("approve"))
    wf.claim(world.alice, second)
    wf.decide(world.alice, second, DecisionInput("reject", reasons=("NOT_DIVORCED",)))
    wf.confirm(world.sup, second)
    from app.runtime import standalone

    desk = Workbench(standalone(store), world.alice)
    approval, rejection = qr_texts(desk.print_cases([first, second]).pdf)
    return Slips(store, world, approval, rejection, export_public_key(store, "东湖区")[1])


def altered(slip: str) -> list[str]:
    """The slip with one thing changed: the outcome, a digit of the serial, the signature."""
    fields = slip.split("*")
    outcome = [*fields]
    outcome[3] = "J" if fields[3] == "A" else "A"
    serial = [*fields]
    serial[6] = serial[6][:-1] + ("2" if serial[6][-1] != "2" else "3")
    sig = slip[:-2] + ("B" if slip[-2] == "A" else "A") + slip[-1]
    return ["*".join(outcome), "*".join(serial), sig]


def make_master(base: Path) -> Slips:
    """A world with printed slips under ``base`` (its own data dir for the private key),
    built once per test module: :func:`clone` gives each test its own copy."""
    from reviewdb import migrate
    from tests.workflow_fixtures import build_world

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REVIEWDESK_DATA", str(base / "data"))
        mp.setenv("REVIEWDESK_FAST_HASH", "1")
        store = Store(f"sqlite:///{base / 'store.db'}", base / "blobs")
        migrate.upgrade(store)
        world = build_world(store, base / "pkgs", n_cases=3)
        return print_slips(world)


def clone(master: Slips, tmp_path: Path) -> Slips:
    """The master's store (SQLite's backup: the WAL included), blobs and private key files
    copied for one test; the test's data dir (REVIEWDESK_DATA) gets the keys."""
    import os
    import sqlite3

    from app import config

    source = master.store.url.database
    assert source is not None
    tmp_path.mkdir(parents=True, exist_ok=True)
    target = tmp_path / "store.db"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    shutil.copytree(Path(source).parent / "blobs", tmp_path / "blobs")
    keys = Path(source).parent / "data" / "keys"
    data = config.data_dir()
    assert os.environ.get("REVIEWDESK_DATA") and data != keys.parent
    shutil.copytree(keys, data / "keys", dirs_exist_ok=True)
    store = Store(f"sqlite:///{target}", tmp_path / "blobs")
    world = World(store, **{f: getattr(master.world, f) for f in _PEOPLE}, cases=master.world.cases)
    return Slips(store, world, master.approval, master.rejection, master.key_file)


_PEOPLE = ("admin", "alice", "bob", "carol", "sup", "sup2")
