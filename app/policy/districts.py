"""The districts a store knows, seeded from resources/districts.json at `reviewdesk init`."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from resources import RESOURCES_DIR
from reviewdb.models import District

DISTRICTS_FILE = RESOURCES_DIR / "districts.json"


def default_districts() -> list[dict[str, Any]]:
    data = json.loads(DISTRICTS_FILE.read_text(encoding="utf-8"))
    out = []
    for d in data["districts"]:
        bureau = d.get("letterhead") or f"{d['city']}{d['name']}教育体育局"
        out.append(
            {
                "code": d["code"],
                "name": d["name"],
                "city": d["city"],
                "letterhead": bureau,
                "office": d.get("office") or f"{bureau}招生办公室",
                "seal_text": d.get("seal_text") or bureau,
                "phone": d.get("phone"),
            }
        )
    return out


def ensure_districts(session: Session) -> int:
    """Add the default districts that are missing; never changes an existing one."""
    have = set(session.scalars(select(District.code)))
    added = 0
    for d in default_districts():
        if d["code"] in have:
            continue
        session.add(District(**d))
        added += 1
    return added
