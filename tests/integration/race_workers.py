"""Worker processes for the claim race tests (module-level so spawn can import them)."""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

from sqlalchemy import select, update

from reviewdb import arbiter
from reviewdb.arbiter import ArbiterRefusal
from reviewdb.engine import Store
from reviewdb.models import Claim

LEASE = dt.timedelta(hours=1)


def guarded_worker(
    url: str, blob_dir: str, user_id: str, case_ids: list[str], seed: int, barrier: object
) -> list[str]:
    """Claim every case with the real arbiter operation; return the ones this worker won."""
    store = Store(url, Path(blob_dir))
    order = list(case_ids)
    random.Random(seed).shuffle(order)
    barrier.wait()  # type: ignore[attr-defined]
    won = []
    for case_id in order:
        try:
            with store.write() as s:
                info = arbiter.claim(s, case_id, user_id, f"ws-{seed}", LEASE)
            if info.owner_id == user_id:
                won.append(case_id)
        except ArbiterRefusal:
            pass
    store.dispose()
    return won


def naive_worker(
    url: str, blob_dir: str, user_id: str, case_ids: list[str], seed: int, barrier: object
) -> list[str]:
    """The classic bug kept as a negative control: read the claim, then write it."""
    store = Store(url, Path(blob_dir))
    order = list(case_ids)
    random.Random(seed).shuffle(order)
    barrier.wait()  # type: ignore[attr-defined]
    won = []
    for case_id in order:
        with store.read() as s:
            owner = s.execute(select(Claim.owner_id).where(Claim.case_id == case_id)).scalar_one()
        if owner is not None:
            continue
        # The window between the read and the write is where the bug lives; a reviewer's
        # think-time makes it wide in real life, a millisecond makes it reliable here.
        time.sleep(0.001)
        with store.write() as s:
            s.execute(
                update(Claim)
                .where(Claim.case_id == case_id)
                .values(owner_id=user_id, token=Claim.token + 1)
            )
        won.append(case_id)
    store.dispose()
    return won
