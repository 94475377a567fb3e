"""A season at scale (issue 16): ``python -m benchmarks.season`` (not in CI, not in
``python -m benchmarks``).

1. ``--packages`` demo submission packages (default 50,000) are written to disk by the demo
   generator and its package writer (small real JPEGs from a pool of 4, as bench_intake),
   in a child process: not counted in the season's time, not in its peak memory.
2. All of them are imported into the central store as ``reviewdesk --db CENTRAL import``
   does (``import_package``, one package after the other). The central store is made as
   ``reviewdesk central init`` makes it: a PostgreSQL database of its own (created here and
   dropped at the end) or a SQLite file (``--central sqlite``).
3. A fresh workstation (a new local SQLite store) pulls every case: ``SyncEngine.pull``.
4. A reviewer logs in on that workstation and, through the facade (``Workbench``), claims
   and decides ``--decisions`` cases (default 5,000) from the pending queue. Each decision
   goes up at once, as in the window (``Workflow.decide`` → ``settle`` → ``SyncEngine.push``);
   a last ``push()`` sends anything left. The central store is then counted in SQL: every
   decision made arrived, once.

Printed: each step's time and rate, the process's memory (VmRSS) at the end of each step,
at each quarter of the intake, the pull and the decisions, and the highest sampled during
the step; at the end the season's wall time (steps 2-4) and the peak RSS
(``getrusage`` ``ru_maxrss``). Memory that stays flat while the count grows is what shows
that no step holds a whole result in memory.

``--keep DIR`` works in DIR (missing or empty) and leaves the packages and the SQLite files
there; a PostgreSQL central database is dropped all the same.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from app import runtime
from app.auth import create_user
from app.cli.demo import PackageWriter
from app.cli.sync import publish_policy
from app.config import Settings
from app.demo.generator import generate
from app.intake.intake import import_package
from app.review.reasons import reasons_for
from app.review.workflow import DecisionInput
from app.store import init_store
from app.sync.engine import SyncEngine, central_store, skewed_clock
from app.workbench import Workbench
from benchmarks.pg import temp_database
from reviewdb.engine import Store
from reviewdb.models import Decision, District, OutboxItem

SEED = 16
IMAGE_POOL = 4
IMAGE_SIZE = (800, 600)
INTAKE_WORKSTATION = "season-intake"
REVIEWER = "season.reviewer"
REVIEWER_PASSWORD = "season-reviewer-2026"  # noqa: S105 - a throwaway benchmark account
ADMIN_PASSWORD = "season-admin-2026"  # noqa: S105
PACKAGE_LIST = "packages.txt"


# --- memory -------------------------------------------------------------------------------


def rss_mb() -> float:
    """This process's resident memory now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    """The highest resident memory this process has had (``ru_maxrss``: kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RssSampler:
    """Reads VmRSS every ``interval`` seconds in a thread; :meth:`step_max` gives the
    highest value seen since the previous call."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self._high = rss_mb()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            now = rss_mb()
            with self._lock:
                self._high = max(self._high, now)

    def step_max(self) -> float:
        now = rss_mb()
        with self._lock:
            high, self._high = max(self._high, now), now
        return high


def memory(sampler: RssSampler) -> str:
    return f"RSS {rss_mb():.1f} MB (max during step {sampler.step_max():.1f} MB)"


class Quarters:
    """Says when a count passes 1/4, 1/2 and 3/4 of ``total`` (each once)."""

    def __init__(self, total: int) -> None:
        self.marks = [total * k // 4 for k in (1, 2, 3) if total * k // 4 > 0]

    def passed(self, done: int) -> bool:
        hit = False
        while self.marks and done >= self.marks[0]:
            self.marks.pop(0)
            hit = True
        return hit


def say(line: str) -> None:
    print(line, flush=True)


# --- step 1: packages on disk (child process) ------------------------------------------------


def _write_packages(root: Path, n: int) -> None:
    """Generate ``n`` demo packages into ``root/packages`` and list their folders, in
    import order, in ``root/packages.txt`` (read line by line by the intake)."""
    out = root / "packages"
    writer = PackageWriter(out, as_zip=False)
    with open(root / PACKAGE_LIST, "w", encoding="utf-8") as listing:
        for pkg in generate(n, seed=SEED, image_pool=IMAGE_POOL, image_size=IMAGE_SIZE):
            listing.write(writer.write(pkg).name + "\n")
    writer.cleanup_pool()  # the pool images stay, hard-linked into the packages


def generate_packages(root: Path, n: int) -> float:
    """Step 1 in a child process (its memory is not this process's); seconds taken."""
    t0 = time.perf_counter()
    child = multiprocessing.get_context("fork").Process(
        target=_write_packages, args=(root, n), name="season-packages"
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"writing the packages failed (exit code {child.exitcode})")
    return time.perf_counter() - t0


def package_paths(root: Path) -> Iterator[Path]:
    with open(root / PACKAGE_LIST, encoding="utf-8") as listing:
        for line in listing:
            yield root / "packages" / line.rstrip("\n")


# --- the stores -------------------------------------------------------------------------------


@contextlib.contextmanager
def central_url(kind: str, work: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{work / 'central.db'}"
        return
    with temp_database("rd_season") as url:
        yield url


def init_central(url: str) -> Store:
    """What ``reviewdesk central init URL`` does; then an admin and one reviewer for every
    district, added at the central store (``reviewdesk --db CENTRAL users add``)."""
    store, _ = init_store(
        Settings(db_url=url, is_default=False, blob_dir=None, central_url=None), shared_file=True
    )
    if not store.is_sqlite:
        from reviewdb import central_pg

        central_pg.install(store.engine)
    say(f"# central store ready: {store.description}; {publish_policy(store)}")
    with store.read() as s:
        codes = list(s.scalars(select(District.code).order_by(District.code)))
    admin = create_user(
        store, by=None, username="admin", role="admin", districts=[], password=ADMIN_PASSWORD
    )
    create_user(
        store,
        by=admin,
        username=REVIEWER,
        role="reviewer",
        districts=codes,
        password=REVIEWER_PASSWORD,
    )
    return store


@dataclass
class Season:
    intake_s: float = 0.0
    pull_s: float = 0.0
    decide_s: float = 0.0
    ok: bool = True


# --- step 2: intake -------------------------------------------------------------------------


def intake(central: Store, root: Path, n: int, sampler: RssSampler, season: Season) -> int:
    statuses: Counter[str] = Counter()
    rejected: list[str] = []
    quarters = Quarters(n)
    t0 = time.perf_counter()
    for done, path in enumerate(package_paths(root), start=1):
        outcome = import_package(central, path, actor=None, workstation=INTAKE_WORKSTATION)
        statuses[outcome.status] += 1
        if outcome.status == "rejected" and len(rejected) < 3:
            rejected.append(outcome.line)
        if quarters.passed(done):
            took = time.perf_counter() - t0
            say(
                f"intake: {done}/{n} packages, {took:.1f} s ({done / took:.1f} packages/s), "
                f"RSS {rss_mb():.1f} MB"
            )
    season.intake_s = took = time.perf_counter() - t0
    total = sum(statuses.values())
    say(
        f"intake: {total} packages in {took:.1f} s ({total / took:.1f} packages/s): "
        f"{statuses['imported']} imported, {statuses['already']} already, "
        f"{statuses['rejected']} rejected; {memory(sampler)}"
    )
    for line in rejected:
        say(f"  {line}")
    if statuses["rejected"] or total != n:
        season.ok = False
    return statuses["imported"]


# --- step 3: a workstation's first pull ----------------------------------------------------


def new_workstation(work: Path, url: str) -> runtime.Workstation:
    """A fresh workstation of the central store, as ``app.runtime.open_workstation`` puts it
    together (without the daily backup of its still empty local store)."""
    local, _ = init_store(
        Settings(
            db_url=f"sqlite:///{work / 'workstation.db'}",
            is_default=False,
            blob_dir=work / "workstation-blobs",
            central_url=url,
        )
    )
    return runtime.connected(local, SyncEngine(local, central_store(url), clock=skewed_clock))


def sync_of(ws: runtime.Workstation) -> SyncEngine:
    assert ws.sync is not None  # a workstation of a central store
    return ws.sync


def first_pull(ws: runtime.Workstation, cases: int, sampler: RssSampler, season: Season) -> None:
    quarters = Quarters(cases)

    def progress(done: int) -> None:
        if quarters.passed(done):
            say(f"first pull: {done}/{cases} cases, RSS {rss_mb():.1f} MB")

    t0 = time.perf_counter()
    sync_of(ws).check_version()
    pulled = sync_of(ws).pull(progress)
    season.pull_s = took = time.perf_counter() - t0
    say(
        f"first pull: {pulled.cases} cases in {took:.1f} s ({pulled.cases / took:.1f} cases/s), "
        f"{pulled.users} users; {memory(sampler)}"
    )
    if pulled.cases != cases:
        say(f"first pull: expected {cases} cases")
        season.ok = False


# --- step 4: decisions through the facade, pushed ----------------------------------------


def decide(ws: runtime.Workstation, wanted: int, sampler: RssSampler, season: Season) -> list[str]:
    """Claim and decide ``wanted`` pending cases as the reviewer; the decision ids."""
    rng = random.Random(SEED)
    desk = Workbench(ws, ws.login(REVIEWER, REVIEWER_PASSWORD, "season-ws"))
    made: list[str] = []
    states: Counter[str] = Counter()
    quarters = Quarters(wanted)
    claim_s = 0.0
    t0 = time.perf_counter()
    after = None
    while len(made) < wanted:
        page = desk.queue_page("pending", after=after, limit=100)
        if not page:
            break
        after = page[-1].cursor()
        for row in page[: wanted - len(made)]:
            c0 = time.perf_counter()
            desk.claim(row.case_no)
            claim_s += time.perf_counter() - c0
            roll = rng.random()
            if roll < 0.7:
                choice = DecisionInput("approve")
            elif roll < 0.85:
                code = next(r.code for r in reasons_for(row.kind) if not r.comment_required)
                choice = DecisionInput("reject", reasons=(code,), note_to_parent="材料不符合要求")
            else:
                missing = desk.checklist(row.case_no)[0][0]
                choice = DecisionInput("return", missing=(missing,), note_to_parent="请补交材料")
            result = desk.decide(row.case_no, choice)
            made.append(result.decision_id)
            states[result.state] += 1
            if quarters.passed(len(made)):
                took = time.perf_counter() - t0
                say(
                    f"decisions: {len(made)}/{wanted}, {took:.1f} s "
                    f"({len(made) / took:.1f} decisions/s), RSS {rss_mb():.1f} MB"
                )
    last = sync_of(ws).push()
    season.decide_s = took = time.perf_counter() - t0
    shown = ", ".join(f"{k} {v}" for k, v in sorted(states.items()))
    say(
        f"decisions: {len(made)} claimed, decided and pushed in {took:.1f} s "
        f"({len(made) / took:.1f} decisions/s; claims {claim_s:.1f} s, decide + push "
        f"{took - claim_s:.1f} s); states {shown}; last push sent {last.sent}; {memory(sampler)}"
    )
    if len(made) != wanted:
        say(f"decisions: only {len(made)} pending cases to decide")
        season.ok = False
    return made


def check_central(ws: runtime.Workstation, made: list[str], season: Season) -> None:
    """Count at the central store: each decision made arrived, and no case got two."""
    with sync_of(ws).central.read() as cs:
        arrived = int(cs.scalar(select(func.count()).select_from(Decision)) or 0)
        cases = int(cs.scalar(select(func.count(func.distinct(Decision.case_id)))) or 0)
        found = 0
        for start in range(0, len(made), 500):
            found += int(
                cs.scalar(
                    select(func.count())
                    .select_from(Decision)
                    .where(Decision.id.in_(made[start : start + 500]))
                )
                or 0
            )
        by_state = {
            str(state): int(count)
            for state, count in cs.execute(
                select(Decision.state, func.count()).group_by(Decision.state)
            )
        }
    with ws.store.read() as s:
        waiting = int(
            s.scalar(
                select(func.count()).select_from(OutboxItem).where(OutboxItem.sent_at.is_(None))
            )
            or 0
        )
    lost = len(made) - found
    duplicated = arrived - cases
    ok = lost == 0 and duplicated == 0 and arrived == len(made) and waiting == 0
    states = ", ".join(f"{k} {v}" for k, v in sorted(by_state.items()))
    say(
        f"check: {len(made)} decisions made, {arrived} at the central store ({states}), "
        f"{cases} distinct cases, {found} of the ids made found, {waiting} unsent here: "
        f"{lost} lost, {duplicated} duplicated - {'OK' if ok else 'FAILED'}"
    )
    season.ok = season.ok and ok


# --- the run -------------------------------------------------------------------------------


def run(args: argparse.Namespace, work: Path) -> int:
    os.environ.setdefault("REVIEWDESK_FAST_HASH", "1")  # argon2 at test cost: logins only
    os.environ["REVIEWDESK_DATA"] = str(work / "data")  # nothing written to the user's dirs
    gen_s = generate_packages(work, args.packages)
    say(
        f"generate: {args.packages} packages in {gen_s:.1f} s "
        f"({args.packages / gen_s:.1f} packages/s) [child process; not in the season time]"
    )
    season = Season()
    with central_url(args.central, work) as url, RssSampler() as sampler:
        say(f"# start: RSS {rss_mb():.1f} MB")
        central = init_central(url)
        imported = intake(central, work, args.packages, sampler, season)
        ws = new_workstation(work, url)
        first_pull(ws, imported, sampler, season)
        made = decide(ws, min(args.decisions, imported), sampler, season)
        check_central(ws, made, season)
        wall = season.intake_s + season.pull_s + season.decide_s
        say(
            f"season: {wall:.1f} s wall (intake {season.intake_s:.1f} + first pull "
            f"{season.pull_s:.1f} + decisions {season.decide_s:.1f}); peak RSS "
            f"{peak_mb():.1f} MB (ru_maxrss); RSS now {rss_mb():.1f} MB"
        )
        ws.store.dispose()
        sync_of(ws).central.dispose()
        central.dispose()
    return 0 if season.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.season", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--packages", type=int, default=50_000, metavar="N")
    parser.add_argument("--decisions", type=int, default=5_000, metavar="N")
    parser.add_argument("--central", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="work in DIR (missing or empty) and leave packages and SQLite files there",
    )
    args = parser.parse_args(argv)
    if args.packages < 1 or args.decisions < 0:
        parser.error("--packages must be at least 1, --decisions at least 0")
    say(
        f"# season: {args.packages} packages, {args.decisions} decisions, "
        f"central {args.central}, pid {os.getpid()}"
    )
    if args.keep is not None:
        work = args.keep.resolve()
        if work.exists() and any(work.iterdir()):
            parser.error(f"--keep {work}: not empty")
        work.mkdir(parents=True, exist_ok=True)
        say(f"# work dir {work} (kept)")
        return run(args, work)
    with tempfile.TemporaryDirectory(prefix="rd-season-") as tmp:
        say(f"# work dir {tmp} (removed at the end)")
        return run(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
