"""Fast synthetic rows for tests and benchmarks that need many cases without images.

Realistic cases go through intake (`reviewdesk demo`); this module exists for sizes like
100,000 where the point is the queue's SQL, not the documents.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from reviewdb.engine import Store
from reviewdb.models import (
    Application,
    Case,
    CaseRound,
    Claim,
    Decision,
    District,
    NoticePrint,
    School,
    Student,
    User,
)

DISTRICTS = [
    ("360102", "东湖区"),
    ("360103", "西湖区"),
    ("360104", "青云谱区"),
    ("360111", "青山湖区"),
    ("360113", "红谷滩区"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "子涵浩宇欣怡梓轩一诺雨桐思远嘉怡俊杰诗涵宇轩若曦明轩佳琪晨阳"
KINDS = ["guardianship"] * 5 + ["rural_house"] * 3 + ["kinship"] * 2
STATUSES = ["pending"] * 6 + ["approved", "rejected", "returned", "confirming"]


def seed_districts(store: Store, schools_per_district: int = 4) -> dict[str, list[int]]:
    """Districts and schools; returns school ids by district code."""
    out: dict[str, list[int]] = {}
    with store.write() as s:
        for code, name in DISTRICTS:
            s.add(
                District(
                    code=code,
                    name=name,
                    city="南昌市",
                    letterhead=f"南昌市{name}教育体育局",
                    office=f"南昌市{name}教育体育局招生办公室",
                    seal_text=f"南昌市{name}教育体育局",
                )
            )
        s.flush()
        school_id = 1
        for code, name in DISTRICTS:
            ids = []
            for i in range(schools_per_district):
                s.add(School(id=school_id, district_code=code, name=f"{name}第{i + 1}小学"))
                ids.append(school_id)
                school_id += 1
            out[code] = ids
    return out


def bulk_cases(store: Store, n: int, *, seed: int = 1, batch: int = 5000) -> list[str]:
    """Insert ``n`` cases (with student, application, round and claim rows); returns case ids."""
    rng = random.Random(seed)
    schools = seed_districts(store)
    codes = list(schools)
    start = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)
    now = dt.datetime.now(dt.UTC)
    case_ids: list[str] = []
    for offset in range(0, n, batch):
        students: list[dict[str, Any]] = []
        apps: list[dict[str, Any]] = []
        cases: list[dict[str, Any]] = []
        rounds: list[dict[str, Any]] = []
        claims: list[dict[str, Any]] = []
        for i in range(offset, min(n, offset + batch)):
            code = rng.choice(codes)
            sid, aid, cid = (
                str(uuid.UUID(int=rng.getrandbits(128))),
                str(uuid.UUID(int=rng.getrandbits(128))),
                str(uuid.UUID(int=rng.getrandbits(128))),
            )
            id_number = f"{code}2019{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{i % 1000:03d}{rng.choice('0123456789X')}"
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
            )
            submitted = start + dt.timedelta(seconds=i * 37 + rng.randint(0, 30))
            status = rng.choice(STATUSES)
            students.append(
                {"id": sid, "id_number": f"{id_number}-{i}", "name": name, "hukou_address": None}
            )
            apps.append(
                {
                    "id": aid,
                    "student_id": sid,
                    "city": "南昌市",
                    "admission_year": 2026,
                    "stage": "primary",
                    "residence_basis": "父母房产",
                }
            )
            cases.append(
                {
                    "id": cid,
                    "case_no": f"2026{code[-2:]}{i:07d}",
                    "application_id": aid,
                    "kind": rng.choice(KINDS),
                    "district_code": code,
                    "school_id": rng.choice(schools[code]),
                    "status": status,
                    "current_round": 1,
                    "submitted_at": submitted,
                    "admission_year": 2026,
                    "student_name": name,
                    "student_id_number": id_number,
                    "worst_severity": rng.choice((0, 0, 1, 2, 3)),
                    "finding_count": rng.randint(0, 4),
                    "decided_at": submitted + dt.timedelta(days=1) if status != "pending" else None,
                    "updated_at": now,
                }
            )
            rounds.append(
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "case_id": cid,
                    "round_no": 1,
                    "submission_id": f"SYN-{seed}-{i}",
                    "content_hash": "0" * 64,
                    "submitted_at": submitted,
                    "imported_at": now,
                    "manifest": {"synthetic": True},
                }
            )
            claims.append({"case_id": cid, "owner_id": None, "token": 0, "leased_until": None})
            case_ids.append(cid)
        with store.write() as s:
            s.execute(insert(Student), students)
            s.execute(insert(Application), apps)
            s.execute(insert(Case), cases)
            s.execute(insert(CaseRound), rounds)
            s.execute(insert(Claim), claims)
    return case_ids


_OUTCOME_OF = {
    "approved": ("approve", "accepted"),
    "rejected": ("reject", "accepted"),
    "returned": ("return", "accepted"),
    "confirming": ("reject", "pending_confirmation"),
}
_REJECT_CODES = ("NOT_DIVORCED", "PHOTO_UNCLEAR", "DOC_MISMATCH", "WRONG_DOCUMENT")


def bulk_desk_decisions(
    store: Store, n: int, *, reviewers: int = 20, seed: int = 1, batch: int = 20_000
) -> int:
    """Decisions for the cases already in ``store`` (made by :func:`bulk_cases`): one that
    stands for every decided case (its status's outcome, by one of ``reviewers`` synthetic
    reviewers, within the last 30 days, its claim taken minutes before), and superseded
    ones on random cases up to ``n`` in all. Returns the number of standing decisions."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    users = [
        {
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
            "username": f"bulk{seed}r{i:03d}",
            "display_name": f"审核员{i:03d}",
            "role": "reviewer",
            "reviewer_code": f"B{seed}{i:04d}",
            "password_hash": "!",  # no login: these reviewers exist for their numbers
            "disabled": False,
            "failed_logins": 0,
            "created_at": now,
        }
        for i in range(reviewers)
    ]
    with store.write() as s:
        s.execute(insert(User), users)
        cases = s.execute(select(Case.id, Case.status)).all()
    ids = [u["id"] for u in users]
    decided = [(cid, status) for cid, status in cases if status in _OUTCOME_OF]
    rows: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    written = 0

    def flush() -> None:
        nonlocal rows, claims
        with store.write() as s:
            if rows:
                s.execute(insert(Decision), rows)
            if claims:
                table = Claim.__table__
                s.connection().execute(
                    update(table)
                    .where(table.c.case_id == bindparam("b_case"))
                    .values(claimed_at=bindparam("b_at")),
                    claims,
                )
        rows, claims = [], []

    def decision(case_id: str, outcome: str, state: str, at: dt.datetime) -> dict[str, Any]:
        codes = [rng.choice(_REJECT_CODES)] if outcome != "approve" else []
        missing = ["divorce_certificate"] if outcome == "return" else []
        return {
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
            "case_id": case_id,
            "round_no": 1,
            "outcome": outcome,
            "reasons": {"codes": codes, "missing": missing},
            "comment": None,
            "reviewer_id": rng.choice(ids),
            "claim_token": 1,
            "device_time": at,
            "store_time": at,
            "state": state,
            "effective": state != "superseded",
            "workstation": "bulk",
        }

    for case_id, status in decided:
        outcome, state = _OUTCOME_OF[status]
        at = now - dt.timedelta(seconds=rng.randrange(30 * 86400))
        rows.append(decision(case_id, outcome, state, at))
        claims.append({"b_case": case_id, "b_at": at - dt.timedelta(minutes=rng.randint(1, 90))})
        written += 1
        if len(rows) >= batch:
            flush()
    for _ in range(max(0, n - len(decided))):
        case_id, _status = rng.choice(cases)
        at = now - dt.timedelta(seconds=rng.randrange(30 * 86400))
        rows.append(
            decision(case_id, rng.choice(("approve", "reject", "return")), "superseded", at)
        )
        if len(rows) >= batch:
            flush()
    flush()
    return written


# (outcome, decision state, case status): what a decided case looks like once final.
DECIDED = [
    ("approve", "accepted", "approved"),
    ("approve", "accepted", "approved"),
    ("reject", "confirmed", "rejected"),  # four-eyes: a supervisor confirmed it
    ("return", "accepted", "returned"),
]


def bulk_decisions(
    store: Store,
    case_ids: list[str],
    *,
    seed: int = 1,
    start: dt.datetime = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC),
    printed_every: int = 3,
    batch: int = 5000,
) -> tuple[str, str]:
    """One final decision for each of ``case_ids`` (round 1), by a reviewer and, for
    rejections, confirmed by a supervisor; every ``printed_every``-th has a printed notice.
    Cases get the status their decision gives. Returns (reviewer id, supervisor id).

    Decision times run from ``start`` one every 20 seconds (100,000 span 23 days)."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    reviewer, supervisor = (str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(2))
    with store.write() as s:
        s.execute(
            insert(User),
            [
                {
                    "id": uid,
                    "username": f"bulk-{role}-{seed}",
                    "display_name": name,
                    "role": role,
                    "reviewer_code": f"B{seed}{role[0].upper()}",
                    "password_hash": "-",  # never logs in
                    "disabled": False,
                    "failed_logins": 0,
                    "created_at": now,
                }
                for uid, role, name in (
                    (reviewer, "reviewer", "批量审核员"),
                    (supervisor, "supervisor", "批量复核员"),
                )
            ],
        )
    status_of = update(Case).where(Case.id == bindparam("b_id"))
    for offset in range(0, len(case_ids), batch):
        decisions: list[dict[str, Any]] = []
        prints: list[dict[str, Any]] = []
        statuses: list[dict[str, Any]] = []
        for i in range(offset, min(len(case_ids), offset + batch)):
            case_id = case_ids[i]
            outcome, state, status = rng.choice(DECIDED)
            decided = start + dt.timedelta(seconds=20 * i)
            confirmed = decided + dt.timedelta(minutes=30) if state == "confirmed" else None
            decision_id = str(uuid.UUID(int=rng.getrandbits(128)))
            decisions.append(
                {
                    "id": decision_id,
                    "case_id": case_id,
                    "round_no": 1,
                    "outcome": outcome,
                    "reasons": {
                        "codes": ["PHOTO_UNCLEAR", "DOC_MISMATCH"] if outcome == "reject" else [],
                        "missing": ["hukou_home"] if outcome == "return" else [],
                        "note_to_parent": None,
                        "verdicts": {},
                    },
                    "comment": None,
                    "reviewer_id": reviewer,
                    "claim_token": 1,
                    "device_time": decided,
                    "store_time": decided,
                    "state": state,
                    "effective": True,
                    "confirmed_by": supervisor if confirmed else None,
                    "confirmed_at": confirmed,
                    "workstation": "ws-bulk",
                }
            )
            if printed_every and i % printed_every == 0:
                prints.append(
                    {
                        "id": str(uuid.UUID(int=rng.getrandbits(128))),
                        "serial": f"BULK-{seed}-{i:07d}",
                        "case_id": case_id,
                        "round_no": 1,
                        "decision_id": decision_id,
                        "template": "approval",
                        "template_version": "bulk",
                        "copy_no": 1,
                        "printed_by": reviewer,
                        "device_time": confirmed or decided,
                        "store_time": confirmed or decided,
                        "workstation": "ws-bulk",
                    }
                )
            statuses.append({"b_id": case_id, "status": status, "decided_at": confirmed or decided})
        with store.write() as s:
            s.execute(insert(Decision), decisions)
            if prints:
                s.execute(insert(NoticePrint), prints)
            s.connection().execute(status_of, statuses)
    return reviewer, supervisor
