"""Helpers shared by workflow tests: a store with districts, users and imported cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.auth import Actor, create_user
from app.intake.intake import import_package
from app.intake.package import write_package
from app.policy.districts import ensure_districts
from app.policy.idnumbers import make_id
from reviewdb.engine import Store
from tests.integration.test_intake import files, manifest


@dataclass
class World:
    store: Store
    admin: Actor
    alice: Actor  # reviewer, 东湖区
    bob: Actor  # reviewer, 东湖区
    carol: Actor  # reviewer, 西湖区 only
    sup: Actor  # supervisor, 东湖区
    sup2: Actor  # supervisor, 东湖区
    cases: list[str]  # case numbers in 东湖区


def case_manifest(
    i: int, kind: str = "guardianship", submission_id: str | None = None
) -> dict[str, Any]:
    """The manifest of :func:`build_world`'s case ``i``; another ``submission_id`` makes
    the same family's resubmission (the case's next round, once it was returned)."""
    day = dt.timedelta(days=i % 300)
    child = make_id("360102", dt.date(2019, 10, 1) - day, (100 + i) % 1000)
    dad = make_id("360102", dt.date(1988, 3, 1) + day, (200 + i) % 1000)
    mum = make_id("360102", dt.date(1990, 6, 1) + day, (300 + i) % 1000)
    m = manifest(
        submission_id or f"W-{i}",
        student=child,
        guardians=(dad, mum),
        cert=f"赣(2020)南昌市不动产权第{i:07d}号",
    )
    m["kind"] = kind
    if kind == "kinship":
        del m["custody"]
        m["grandparents"] = [
            {
                "name": "王建国",
                "id_number": make_id("360102", dt.date(1958, 1, 1), 33),
                "relation": "祖父",
            }
        ]
    return m


def build_world(
    store: Store, tmp_path: Path, n_cases: int = 3, kind: str = "guardianship"
) -> World:
    with store.write() as s:
        ensure_districts(s)
    admin = create_user(
        store, by=None, username="admin", role="admin", districts=[], password="admin-pass-1"
    )
    users = {}
    for name, role, districts in (
        ("alice", "reviewer", ["东湖区"]),
        ("bob", "reviewer", ["东湖区"]),
        ("carol", "reviewer", ["西湖区"]),
        ("sup", "supervisor", ["东湖区"]),
        ("sup2", "supervisor", ["东湖区", "西湖区"]),
    ):
        users[name] = create_user(
            store,
            by=admin,
            username=name,
            role=role,
            districts=districts,
            password=f"{name}-pass-1",
        )
    cases = []
    for i in range(n_cases):
        m = case_manifest(i, kind)
        out = import_package(
            store,
            write_package(tmp_path / f"pkg{i}", m, files(), as_zip=False),
            actor=None,
            workstation="ws-test",
        )
        assert out.status == "imported", out.line
        cases.append(out.case_no)
    return World(
        store,
        admin,
        users["alice"],
        users["bob"],
        users["carol"],
        users["sup"],
        users["sup2"],
        cases,
    )
