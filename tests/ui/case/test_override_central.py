"""An approval past error findings reaches the central store as it is: the decision in the
shape the published rules accept, the override in its journal entry (rd_append_journal
takes any payload) — on a central PostgreSQL server and on a central SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.review.workflow import DecisionInput
from reviewdb.central_pg import install, uninstall
from reviewdb.engine import Store
from reviewdb.migrate import upgrade
from reviewdb.models import CentralJournalEntry, Decision
from tests.integration.sync_fixtures import workstation
from tests.integration.test_central_rules import publish
from tests.workflow_fixtures import build_world


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"])
def central_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return f"sqlite:///{tmp_path / 'central.db'}"


def test_an_override_is_accepted_and_journaled_centrally(central_url: str, tmp_path: Path) -> None:
    central = Store(central_url, tmp_path / "central-blobs", shared_file=True)
    upgrade(central)
    if not central.is_sqlite:
        install(central.engine)
    try:
        world = build_world(central, tmp_path / "pkgs", n_cases=2)
        publish(central)
        desk = workstation(central, tmp_path)
        overridden = (("ID_INVALID", "guardians[0].id_number"), ("MISSING_DOCUMENT", "checklist"))
        desk.workflow.claim(world.alice, world.cases[0])
        result = desk.workflow.decide(
            world.alice,
            world.cases[0],
            DecisionInput("approve", overridden_findings=overridden),
        )
        assert result.state == "accepted"
        assert desk.sync is not None
        pushed, _ = desk.sync.sync_once()
        assert pushed.quarantined == 0
        with central.read() as s:
            decision = s.get(Decision, result.decision_id)
            assert decision is not None and decision.state == "accepted"
            assert "overrode_findings" not in decision.reasons
            entries = s.scalars(
                select(CentralJournalEntry.payload).where(CentralJournalEntry.action == "decide")
            ).all()
        payloads = [p for p in entries if p.get("decision_id") == result.decision_id]
        assert payloads, "the decide entry did not reach the central journal"
        assert payloads[0]["overrode_findings"] == [
            {"code": code, "fact": fact} for code, fact in overridden
        ]
    finally:
        if not central.is_sqlite:
            uninstall(central.engine)
        central.dispose()
