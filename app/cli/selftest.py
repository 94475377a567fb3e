"""`reviewdesk selftest`: does this installation work? One line: ``selftest ok`` (exit 0) or
``selftest failed at STEP: REASON`` (exit 1).

It is meant for the installed bundle (``dist/reviewdesk/reviewdesk selftest``, see
docs/install.md) as much as for a source tree, so every step goes through what a bundle
can lack — package data, migrations, native libraries, Qt plugins and translations:

1. ``store``: a new SQLite store in a temporary folder, brought to the current schema by
   the Alembic migrations (never the user's store: ``--db``/``--central`` are refused, and
   ``REVIEWDESK_DATA`` points into the temporary folder while the test runs); psycopg
   finds the libpq it ships (the central store's driver; no server is contacted);
2. ``import``: one demo case (small photos) written as a zip package and imported through
   the real intake (schema, policies, image probing, blobs);
3. ``image``: the stored photo decoded for display, and a HEIF image made and decoded
   (pillow-heif's native library);
4. ``notice``: a sample notice rendered with the embedded CJK font and read back with
   PDFium (pypdfium2; no poppler needed): the student's name and masked ID are there;
5. ``window``: ReviewDesk's and Qt's translations load; the main window opens on the
   temporary store over a :class:`~app.workbench.Workbench` — on Qt's ``offscreen``
   platform when there is no display —, lists the case and opens it; a printer is set up.

The window step (``ui/shell/selftest_window.py``) is loaded at run time by its literal name,
as ``reviewdesk gui`` loads ``ui.shell.app``, so every other command still runs without Qt;
tests/test_layering.py counts both run-time imports.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from app import config, logs
from app.cli import CommandError, command

if TYPE_CHECKING:
    from app.auth import Actor
    from app.runtime import Workstation
    from reviewdb.engine import Store

DEMO_SEED = 20260601
IMAGE_SIZE = (480, 360)
SELFTEST_USER = "selftest"

log = logging.getLogger(__name__)


class StepFailed(Exception):
    """A step found something wrong; the message is the reason shown to the user."""


@dataclass
class Context:
    """What the steps hand on to each other."""

    folder: Path
    store: Store | None = None
    workstation: Workstation | None = None
    actor: Actor | None = None
    case_no: str = ""  # the number people use
    case_id: str = ""  # the internal id the queue keys its rows by
    photo_sha256: str = ""


Step = Callable[[Context], "str | None"]
"""A step raises to fail; it may return a detail for ``--verbose``."""

T = TypeVar("T")


def _check(condition: object, reason: str) -> None:
    if not condition:
        raise StepFailed(reason)


def _from_earlier(value: T | None) -> T:
    if value is None:
        raise StepFailed("an earlier step did not run")
    return value


# --------------------------------------------------------------------------- steps


def step_store(ctx: Context) -> str:
    from app.store import init_store
    from reviewdb import migrate

    settings = config.Settings(
        db_url=f"sqlite:///{ctx.folder / 'selftest.db'}",
        is_default=False,
        blob_dir=None,
        central_url=None,
    )
    store, _backup = init_store(settings)
    ctx.store = store
    current = migrate.current_revision(store)
    head = migrate.head_revision()
    _check(current == head, f"the new store is at schema {current}, expected {head}")
    # The central store's driver: psycopg with the libpq it ships (psycopg[binary]).
    import psycopg

    impl = psycopg.pq.__impl__
    _check(impl in ("binary", "c"), f"psycopg has no libpq of its own ({impl} implementation)")
    return f"schema {head}, psycopg {impl} with libpq {psycopg.pq.version()}"


def step_import(ctx: Context) -> str:
    from app.auth import create_user
    from app.demo.generator import generate
    from app.intake.intake import import_paths
    from app.intake.package import write_package
    from app.runtime import standalone
    from app.workbench import Reader

    package = next(iter(generate(1, DEMO_SEED, image_size=IMAGE_SIZE, image_pool=0, workers=1)))
    path = write_package(
        ctx.folder / "packages" / f"{package.name}.zip",
        package.manifest,
        package.files,
        as_zip=True,
    )
    store = _from_earlier(ctx.store)
    (outcome,) = import_paths(store, [path], actor=None, workstation=SELFTEST_USER)
    _check(
        outcome.status == "imported" and outcome.case_no and outcome.case_id,
        f"the demo package: {outcome.line}",
    )
    ctx.case_no, ctx.case_id = str(outcome.case_no), str(outcome.case_id)
    ctx.workstation = standalone(store)
    detail = Reader(ctx.workstation, None).peek_case(ctx.case_no)
    photos = [a for a in detail.attachments if a.readable and a.media_type == "image/jpeg"]
    _check(photos, f"case {ctx.case_no} has no readable photo after the intake")
    ctx.photo_sha256 = photos[0].sha256
    # The window's user: an admin of the case's district (the store's first user).
    ctx.actor = create_user(
        store,
        by=None,
        username=SELFTEST_USER,
        role="admin",
        districts=[detail.district_code],
        password=os.urandom(16).hex(),
        display_name="自检 selftest",
    )
    return f"case {ctx.case_no}, {len(detail.attachments)} attachments"


def step_image(ctx: Context) -> str:
    import io

    from PIL import Image

    from app.intake import imaging
    from app.workbench import Workbench

    desk = Workbench(_from_earlier(ctx.workstation), _from_earlier(ctx.actor))
    photo = desk.attachment_bytes(ctx.photo_sha256)
    shown = imaging.decode_for_display(photo, 200, 200)
    _check(max(shown.size) == 200, f"the stored photo decoded at {shown.size}, expected 200 px")
    # HEIF (phone photos) is read by pillow-heif's own native library.
    heif = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(heif, format="HEIF", quality=60)
    probed = imaging.probe(heif.getvalue())
    _check(
        probed.readable and probed.media_type == "image/heic",
        f"a HEIF image is not readable: {probed.reason}",
    )
    size = imaging.decode_for_display(heif.getvalue(), 32, 32).size
    _check(size == (32, 24), f"a 64×48 HEIF image decoded at {size}, expected (32, 24)")
    return "JPEG and HEIF"


def step_notice(ctx: Context) -> str:
    import pypdfium2 as pdfium
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from app.notices.model import mask_id_number
    from app.notices.printing import _PDFIUM_LOCK  # PDFium is not thread-safe
    from app.notices.render import render_notice
    from app.notices.samples import sample_notice

    data = sample_notice("approval", Ed25519PrivateKey.generate())
    pdf = render_notice(data)
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[0]
            textpage = page.get_textpage()
            text = str(textpage.get_text_range())
            textpage.close()
            page.close()
        finally:
            document.close()
    for expected in (data.student_name, mask_id_number(data.student_id), data.serial):
        _check(expected in text, f"the rendered notice does not read back {expected!r}")
    return f"{len(pdf):,} bytes of PDF read back"


def _no_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def step_window(ctx: Context) -> str:
    if not os.environ.get("QT_QPA_PLATFORM") and _no_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The GUI is loaded at run time, by one literal name that tests/test_layering.py counts
    # (as `reviewdesk gui` loads ui.shell.app): the other commands run without Qt.
    window_check = importlib.import_module("ui.shell.selftest_window")
    try:
        detail: str = window_check.check_window(
            _from_earlier(ctx.workstation), _from_earlier(ctx.actor), ctx.case_id, ctx.folder
        )
    except window_check.WindowCheckFailed as exc:
        raise StepFailed(str(exc)) from exc
    return detail


STEPS: tuple[tuple[str, Step], ...] = (
    ("store", step_store),
    ("import", step_import),
    ("image", step_image),
    ("notice", step_notice),
    ("window", step_window),
)


# --------------------------------------------------------------------------- running


@contextlib.contextmanager
def _isolated(folder: Path) -> Iterator[None]:
    """Nothing the steps do reaches the user's data: REVIEWDESK_DATA points into ``folder``
    (workstation id, keys, settings), no store or central store comes from the environment."""
    names = (config.ENV_DATA, config.ENV_DB, config.ENV_CENTRAL, "QT_QPA_PLATFORM")
    saved = {name: os.environ.get(name) for name in names}
    os.environ[config.ENV_DATA] = str(folder / "data")
    os.environ.pop(config.ENV_DB, None)
    os.environ.pop(config.ENV_CENTRAL, None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _reason(error: BaseException) -> str:
    from app.errors import classify, describe

    if isinstance(error, StepFailed) or classify(error) != "bug":
        return describe(error)
    return f"{type(error).__name__}: {describe(error)}"


def run_selftest(
    steps: tuple[tuple[str, Step], ...] = STEPS, *, progress: Callable[[str], None] | None = None
) -> tuple[str, str] | None:
    """Run the steps in a temporary folder; None when all passed, else (step, reason)."""
    log.info("selftest: version %s", logs.program_version())
    folder = Path(tempfile.mkdtemp(prefix="reviewdesk-selftest-"))
    ctx = Context(folder)
    try:
        with _isolated(folder):
            for name, step in steps:
                started = time.monotonic()
                try:
                    detail = step(ctx)
                except Exception as exc:
                    # The traceback goes to the log file only (INFO), not to the terminal.
                    log.info("selftest failed at %s", name, exc_info=True)
                    return name, _reason(exc)
                took = f"{time.monotonic() - started:.1f} s"
                line = f"{name}: ok ({took}, {detail})" if detail else f"{name}: ok ({took})"
                log.info("selftest: %s", line)
                if progress is not None:
                    progress(line)
        return None
    finally:
        if ctx.store is not None:
            ctx.store.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("-v", "--verbose", action="store_true", help="print each step as it passes")


@command(
    "selftest",
    "check this installation: a temporary store, the intake, images, a notice, the window",
)(_configure)
def cmd_selftest(args: argparse.Namespace) -> int:
    if getattr(args, "db", None) or getattr(args, "central", None):
        raise CommandError(
            "selftest: it makes a temporary store of its own and never opens another "
            "(leave out --db and --central)",
            2,
        )
    failure = run_selftest(progress=print if args.verbose else None)
    if failure is None:
        print("selftest ok")
        return 0
    step, reason = failure
    print(f"selftest failed at {step}: {reason}", file=sys.stderr)
    return 1
