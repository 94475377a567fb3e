"""`reviewdesk demo`: generate demo submission packages, or fill a store with them.

With ``--packages DIR`` the packages are only written (folders, or zips with ``--zip``)
and no database is touched. Otherwise the store is initialised, the packages are written
to a temporary folder in batches and imported through :func:`app.intake.intake.import_paths`
(demo data always takes the real intake path), and demo accounts are created when the
store has no users yet; their passwords are printed once, at the end.

``REVIEWDESK_DEMO_IMAGE_SIZE=WxH`` (e.g. ``800x600``) shrinks the photos: it exists for
tests, which need the pipeline but not 12-megapixel images.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app import config
from app.cli import CommandError, command, local_only
from app.config import Settings
from app.demo.generator import (
    DEFAULT_IMAGE_SIZE,
    PERSONAL_CASES,
    DemoPackage,
    generate,
    pool_size,
)
from app.intake.package import write_package
from app.policy.districts import default_districts
from reviewdb.engine import Store

ENV_IMAGE_SIZE = "REVIEWDESK_DEMO_IMAGE_SIZE"
DEFAULT_CASES = 200
DEFAULT_SEED = 1
BATCH = 24
"""Packages written to the temporary folder, imported and removed together."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    districts: tuple[str, ...]  # district names; () for the admin
    password: str


def _nanchang() -> tuple[str, ...]:
    return tuple(d["name"] for d in default_districts() if d["city"] == "南昌市")


def demo_accounts() -> tuple[DemoAccount, ...]:
    """The demo users: an admin, a supervisor for all of Nanchang, three reviewers."""
    return (
        DemoAccount("admin", "admin", "系统管理员", (), "demo-admin-2026"),
        DemoAccount("zhang.jian", "supervisor", "张健", _nanchang(), "demo-zhang.jian-2026"),
        DemoAccount("li.na", "reviewer", "李娜", ("东湖区", "西湖区"), "demo-li.na-2026"),
        DemoAccount("wang.lei", "reviewer", "王磊", ("青山湖区", "青云谱区"), "demo-wang.lei-2026"),
        DemoAccount("chen.jing", "reviewer", "陈静", ("红谷滩区", "经开区"), "demo-chen.jing-2026"),
    )


def image_size_from_env() -> tuple[int, int]:
    """``REVIEWDESK_DEMO_IMAGE_SIZE`` (``WxH``, for tests) or the 12-MP default."""
    raw = os.environ.get(ENV_IMAGE_SIZE, "").strip().lower()
    if not raw:
        return DEFAULT_IMAGE_SIZE
    try:
        w, h = (int(x) for x in raw.split("x"))
    except ValueError:
        raise CommandError(
            f"{ENV_IMAGE_SIZE}={raw!r}: expected WIDTHxHEIGHT, e.g. 800x600", 2
        ) from None
    if not (16 <= w <= 10000 and 16 <= h <= 10000):
        raise CommandError(f"{ENV_IMAGE_SIZE}={raw!r}: sides must be 16..10000 pixels", 2)
    return w, h


# --------------------------------------------------------------------------- writing


class PackageWriter:
    """Writes packages; pool images shared by many packages are written once and hard-linked.

    Hard links keep a 10^5-case folder export (or the temporary import folder) from
    writing the same 12-MP photo tens of thousands of times. The intake reads a hard
    link like any regular file.
    """

    def __init__(self, root: Path, *, as_zip: bool) -> None:
        self.root = root
        self.as_zip = as_zip
        self._pool_dir = root / ".demo-image-pool"
        self._linked: dict[int, tuple[bytes, Path]] = {}
        self._can_link = not as_zip

    def write(self, pkg: DemoPackage) -> Path:
        if self.as_zip:
            return write_package(
                self.root / f"{pkg.name}.zip", pkg.manifest, pkg.files, as_zip=True
            )
        plain = {
            p: d for p, d in pkg.files.items() if p not in pkg.shared_files or not self._can_link
        }
        dest = write_package(self.root / pkg.name, pkg.manifest, plain, as_zip=False)
        for rel in sorted(set(pkg.files) - set(plain)):
            self._link(pkg.files[rel], dest / PurePosixPath(rel))
        return dest

    def _link(self, data: bytes, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()
        entry = self._linked.get(id(data))
        if entry is None:
            self._pool_dir.mkdir(parents=True, exist_ok=True)
            source = self._pool_dir / f"{len(self._linked):05d}.bin"
            source.write_bytes(data)
            entry = (data, source)  # keeps ``data`` alive, so its id stays unique
            self._linked[id(data)] = entry
        try:
            os.link(entry[1], target)
        except OSError:
            target.write_bytes(data)

    def cleanup_pool(self) -> None:
        shutil.rmtree(self._pool_dir, ignore_errors=True)
        self._linked.clear()


# --------------------------------------------------------------------------- importing


@dataclass
class DemoResult:
    imported: int = 0
    already: int = 0
    rejected: list[str] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    accounts: tuple[DemoAccount, ...] = ()

    @property
    def summary(self) -> str:
        line = (
            f"demo: {self.imported} cases imported ({len(self.kinds)} kinds), "
            f"{len(self.rejected)} rejected"
        )
        if self.already:
            line += f", {self.already} already imported"
        return line


def _batches(packages: Iterable[DemoPackage], size: int) -> Iterator[list[DemoPackage]]:
    batch: list[DemoPackage] = []
    for pkg in packages:
        batch.append(pkg)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_demo(
    store: Store,
    *,
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    image_pool: int | None = None,
    image_size: tuple[int, int] = DEFAULT_IMAGE_SIZE,
    progress: Progress | None = None,
    first: int = 0,
    stop: int | None = None,
) -> DemoResult:
    """Generate cases ``first``..``stop``-1 (of a run of ``cases``) and import them through
    the real intake; ``progress(done, cases)``."""
    from app.intake.intake import import_paths

    result = DemoResult()
    workstation = config.workstation_id()
    done = first
    with tempfile.TemporaryDirectory(prefix="reviewdesk-demo-") as tmp:
        writer = PackageWriter(Path(tmp), as_zip=False)
        packages = generate(
            cases, seed, image_pool=image_pool, image_size=image_size, first=first, stop=stop
        )
        for batch in _batches(packages, BATCH):
            paths = [writer.write(pkg) for pkg in batch]
            outcomes = import_paths(store, paths, actor=None, workstation=workstation)
            for pkg, outcome, path in zip(batch, outcomes, paths, strict=True):
                if outcome.status == "imported":
                    result.imported += 1
                    result.kinds[pkg.kind] += 1
                elif outcome.status == "already":
                    result.already += 1
                else:
                    result.rejected.append(outcome.line)
                shutil.rmtree(path, ignore_errors=True)
            done += len(batch)
            if progress is not None:
                progress(done, cases)
        writer.cleanup_pool()
    return result


def create_demo_accounts(store: Store) -> tuple[DemoAccount, ...]:
    """Create the demo users in a store that has none; returns those created (or ())."""
    from app.auth import create_user, user_count

    if user_count(store) > 0:
        return ()
    accounts = demo_accounts()
    admin = accounts[0]
    actor = create_user(
        store,
        by=None,
        username=admin.username,
        role=admin.role,
        districts=list(admin.districts),
        password=admin.password,
        display_name=admin.display_name,
    )
    for acc in accounts[1:]:
        create_user(
            store,
            by=actor,
            username=acc.username,
            role=acc.role,
            districts=list(acc.districts),
            password=acc.password,
            display_name=acc.display_name,
        )
    return accounts


def _store_is_empty(store: Store) -> bool:
    from sqlalchemy import func, select

    from reviewdb.models import Case, User

    with store.read() as session:
        cases = session.execute(select(func.count()).select_from(Case)).scalar_one()
        users = session.execute(select(func.count()).select_from(User)).scalar_one()
    return int(cases) == 0 and int(users) == 0


FIRST_BATCH = 12
"""Cases the window's first start imports before the login (the rest fill in afterwards)."""
FIRST_IMAGE_SIZE = (1600, 1200)
"""Their photos: small enough to render in a few seconds on a slow PC."""
_FILL_TO = "demo.fill_to"  # store setting: the demo run still to be completed, as "cases|seed"


def ensure_demo(
    store_settings: Settings,
    *,
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    image_pool: int | None = None,
    progress: Progress | None = None,
    first_batch: int | None = None,
) -> bool:
    """Fill an empty store with demo cases and accounts (the GUI's first run).

    Initialises the schema if needed. Does nothing and returns False when the store
    already has any case or any user (never mixes demo data into a store in use).
    The accounts are :func:`demo_accounts`. With ``first_batch``, only that many cases are
    imported now (with smaller photos, :data:`FIRST_IMAGE_SIZE`, so a newcomer waits
    seconds, not minutes); :func:`continue_demo` imports the rest, the same cases a whole
    run would make.
    """
    from app.store import init_store

    store, _backup = init_store(store_settings)
    if not _store_is_empty(store):
        return False
    create_demo_accounts(store)
    if first_batch is None or first_batch >= cases:
        import_demo(
            store,
            cases=cases,
            seed=seed,
            image_pool=image_pool,
            image_size=image_size_from_env(),
            progress=progress,
        )
        return True
    _set_setting(store, _FILL_TO, f"{cases}|{seed}")
    small = min(FIRST_IMAGE_SIZE, image_size_from_env(), key=lambda s: s[0] * s[1])
    import_demo(
        store,
        cases=cases,
        seed=seed,
        image_pool=image_pool,
        image_size=small,
        progress=(lambda done, _total: progress(done, first_batch)) if progress else None,
        stop=first_batch,
    )
    return True


def demo_pending(store: Store) -> bool:
    """A first start left demo cases still to be imported."""
    return _get_setting(store, _FILL_TO) is not None


def continue_demo(store: Store, progress: Progress | None = None) -> int:
    """Import the demo cases a first start left for later; returns how many were imported.

    Safe to stop at any point (each package is imported atomically, in order): the next
    call goes on from the cases already there.
    """
    from sqlalchemy import func, select

    from reviewdb.models import Case

    wanted = _get_setting(store, _FILL_TO)
    if wanted is None:
        return 0
    cases, seed = (int(x) for x in wanted.split("|"))
    with store.read() as s:
        have = int(s.execute(select(func.count()).select_from(Case)).scalar_one())
    result = import_demo(
        store,
        cases=cases,
        seed=seed,
        image_size=image_size_from_env(),
        progress=progress,
        first=min(have, cases),
    )
    _set_setting(store, _FILL_TO, None)
    return result.imported


def _get_setting(store: Store, key: str) -> str | None:
    from reviewdb.models import Setting

    with store.read() as s:
        row = s.get(Setting, key)
        return row.value if row is not None else None


def _set_setting(store: Store, key: str, value: str | None) -> None:
    from reviewdb.models import Setting

    with store.write() as s:
        row = s.get(Setting, key)
        if value is None:
            if row is not None:
                s.delete(row)
        elif row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value


# --------------------------------------------------------------------------- CLI


def _progress_printer() -> Progress | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\rdemo: {done}/{total} cases")
        if done >= total:
            sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()

    return show


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--cases", type=int, default=DEFAULT_CASES, metavar="N", help="how many cases (default 200)"
    )
    p.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, metavar="S", help="random seed (default 1)"
    )
    p.add_argument("--packages", metavar="DIR", help="only write packages to DIR; no database")
    p.add_argument("--zip", action="store_true", help="with --packages: write .zip files")
    p.add_argument(
        "--image-pool",
        type=int,
        metavar="K",
        help="render K images per document type and reuse them "
        f"(default: photos of their own for the first {PERSONAL_CASES} cases, then a pool of "
        f"{pool_size(200, None)}; {pool_size(10**6, None)} above 300 cases)",
    )


def _print_accounts(accounts: Iterable[DemoAccount]) -> None:
    rows = [(a.username, a.role, a.password, "、".join(a.districts) or "全部") for a in accounts]
    if not rows:
        return
    print("demo accounts (shown once):")
    width = max(len(r[0]) for r in rows)
    for user, role, password, districts in rows:
        print(f"  {user:<{width}}  {role:<10}  {password:<22}  {districts}")


@command("demo", "generate demo submission packages, or fill a store with demo cases")(_args)
def cmd_demo(args: argparse.Namespace) -> int:
    if args.cases < 0:
        raise CommandError("demo: --cases must not be negative", 2)
    if args.zip and not args.packages:
        raise CommandError("demo: --zip needs --packages DIR", 2)
    size = image_size_from_env()
    progress = _progress_printer()
    if args.packages:
        root = Path(args.packages)
        root.mkdir(parents=True, exist_ok=True)
        writer = PackageWriter(root, as_zip=args.zip)
        kinds: Counter[str] = Counter()
        n = 0
        for pkg in generate(args.cases, args.seed, image_pool=args.image_pool, image_size=size):
            writer.write(pkg)
            kinds[pkg.kind] += 1
            n += 1
            if progress is not None and (n % 10 == 0 or n == args.cases):
                progress(n, args.cases)
        writer.cleanup_pool()  # the hard links keep their data
        detail = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        what = "zip packages" if args.zip else "packages"
        print(f"demo: {n} {what} written to {root} ({detail})")
        return 0

    from app.store import init_store

    store, _backup = init_store(local_only(args, "fill a store with demo cases"))
    accounts = create_demo_accounts(store)
    result = import_demo(
        store,
        cases=args.cases,
        seed=args.seed,
        image_pool=args.image_pool,
        image_size=size,
        progress=progress,
    )
    for line in result.rejected:
        print(line)
    print(result.summary)
    _print_accounts(accounts)
    return 1 if result.rejected else 0
