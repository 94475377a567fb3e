"""Both languages complete: every window, dialog, menu and the F1 sheet, in English and in
Chinese, shows no text in the other script.

A walk over the widget tree reads what a person sees (window titles, labels, buttons,
actions and menus, tooltips, group titles, tabs, combo items, table headers and cells,
placeholders) and fails on Han characters in English and on Latin words in Chinese. Data
is allowed in either: names, addresses, schools, case numbers, usernames and file names
come from the store as they were submitted. So are a few names no one translates (PDF,
SQLite, ID, PostgreSQL, QR, URL, the key names) and the language menu, which names each
language in its own script on purpose.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QLocale, QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import auth, config
from app.auth import AccountDisabled, AccountLocked, Actor, LoginFailed
from app.errors import StoreBusy, StoreError
from app.review.errors import WorkflowError
from app.review.workflow import DecisionInput
from app.runtime import Workstation, standalone
from app.workbench import TABS, QueueFilters, Workbench
from reviewdb.engine import Store
from ui.shell import labels
from ui.shell.tasks import TaskManager

pytestmark = pytest.mark.gui

LANGUAGES = ("en", "zh_CN")
DEMO_CASES = 40

HAN = re.compile(
    r"[\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]"
)
# A run of text between separators: a name, an address, a word.
RUN = re.compile(r"[^\s·•,.;:!?()\[\]{}<>\"'|/\\，。；：！？（）【】「」『』“”‘’、《》—–…]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’.\-]*")
PATH_OR_URL = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*://\S+"  # a URL
    r"|(?:[A-Za-z]:)?[\\/]\S*[\\/]\S*"  # a path
    r"|\S+\.(?:db|pdf|png|jpe?g|heic|ini|log|key|qm|ts)\b"  # a file name
    r"|--[a-z][a-z-]*"  # a command-line option
    r"|\bREVIEWDESK_[A-Z_]+\b"  # an environment variable
)
# Qt's Chinese names paper sizes with the English name beside: 美国信纸 (Letter).
GLOSS = re.compile(r"(?<=[\u4e00-\u9fff]) ?\([^()]*[A-Za-z][^()]*\)")
# Names nobody translates, and the keys as Qt names them on the keyboard.
ALLOWED_WORDS = frozenset(
    {
        "PDF",
        "CSV",  # a file format's name, as the file dialog's filter shows it
        "SQLite",
        "ID",
        "PostgreSQL",
        "QR",
        "URL",
        "ReviewDesk",
        "Ctrl",
        "Alt",
        "Shift",
        "Meta",
        "Enter",
        "Return",
        "Esc",
        "Escape",
        "Tab",
        "PgUp",
        "PgDown",
        "Space",
        "Del",
        "Home",
        "End",
        "Backspace",
        "Up",
        "Down",
        "Left",
        "Right",
        "Ins",
        "HEIC",
        "JPEG",
        "PNG",
        "HTML",
        "MB",
        "KB",
        "GB",
        "EXIF",
        "GIF",
        "BMP",
        "TIFF",
        "AVIF",
        "SVG",
        "ICO",
        "PSD",
        "XL",
        "JSON",
        "Office",
        "A4",
        "ANSI",
        "JIS",
        "JPG",
        "Word",
        "Excel",
    }
)
# Texts that are bilingual on purpose: the language menu names each language in its own
# script so that a person who cannot read the current one can still switch.
BILINGUAL = frozenset({"语言/Language", "中文", "English"})


# --- reading the widget tree --------------------------------------------------------------


@dataclass
class Seen:
    """Every text shown, with where it was seen."""

    texts: list[tuple[str, str]] = field(default_factory=list)

    def add(self, where: str, text: object) -> None:
        if isinstance(text, str) and text.strip():
            self.texts.append((where, text))


def _plain(text: str) -> str:
    """Drop HTML tags and entities, and the & of mnemonics."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<")
    text = text.replace("&gt;", ">")
    return re.sub(r"&(?=\S)", "", text)


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}:{widget.objectName() or hex(id(widget))[-5:]}"


def _actions(seen: Seen, where: str, actions: Iterable[QAction], done: set[int]) -> None:
    for action in actions:
        if id(action) in done:
            continue
        done.add(id(action))
        seen.add(f"{where}/action", action.text())
        seen.add(
            f"{where}/action.toolTip",
            action.toolTip() if action.toolTip() != action.text().replace("&", "") else "",
        )
        seen.add(f"{where}/action.statusTip", action.statusTip())
        menu = action.menu()
        if isinstance(menu, QMenu):
            seen.add(f"{where}/menu", menu.title())
            _actions(seen, f"{where}/{menu.title()}", menu.actions(), done)


def _model(seen: Seen, where: str, view: QAbstractItemView, rows: int = 60) -> None:
    model = view.model()
    if model is None:
        return
    display, tip = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model's columnCount is private in PySide
        columns = 1
    for column in range(columns):
        for role in (display, tip):
            seen.add(f"{where}/header", model.headerData(column, Qt.Orientation.Horizontal, role))

    def walk(parent: QModelIndex, depth: int) -> None:
        for row in range(min(model.rowCount(parent), rows)):
            for column in range(columns if not parent.isValid() else 1):
                index = model.index(row, column, parent)
                for role in (display, tip):
                    value = index.data(role)
                    if isinstance(value, str):
                        seen.add(f"{where}/cell", value)
            if depth < 3:
                walk(model.index(row, 0, parent), depth + 1)

    walk(QModelIndex(), 0)


def read_widget(root: QWidget, seen: Seen | None = None) -> Seen:
    """Every text ``root`` and its children show (hidden ones too: they show later)."""
    seen = seen if seen is not None else Seen()
    done: set[int] = set()
    for widget in [root, *root.findChildren(QWidget)]:
        where = _name(widget)
        if widget.isWindow():
            seen.add(f"{where}/windowTitle", widget.windowTitle())
        seen.add(f"{where}/toolTip", widget.toolTip())
        seen.add(f"{where}/statusTip", widget.statusTip())
        seen.add(f"{where}/whatsThis", widget.whatsThis())
        _actions(seen, where, widget.actions(), done)
        if isinstance(widget, QLabel | QAbstractButton):
            seen.add(where, widget.text())
        elif isinstance(widget, QGroupBox):
            seen.add(where, widget.title())
        elif isinstance(widget, QLineEdit):
            seen.add(f"{where}/placeholder", widget.placeholderText())
            if widget.isReadOnly():
                seen.add(where, widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            seen.add(f"{where}/placeholder", widget.placeholderText())
            if widget.isReadOnly():
                seen.add(where, widget.toPlainText())
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                seen.add(f"{where}/item", widget.itemText(i))
                seen.add(f"{where}/item.toolTip", widget.itemData(i, Qt.ItemDataRole.ToolTipRole))
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                seen.add(f"{where}/tab", widget.tabText(i))
                seen.add(f"{where}/tab.toolTip", widget.tabToolTip(i))
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            _model(seen, where, widget)
        if isinstance(widget, QSpinBox):
            seen.add(f"{where}/suffix", widget.suffix())
            seen.add(f"{where}/prefix", widget.prefix())
        if isinstance(widget, QAbstractSpinBox):
            seen.add(f"{where}/special", widget.specialValueText())
        if isinstance(widget, QMenu):
            seen.add(where, widget.title())
    return seen


def read_windows(seen: Seen | None = None) -> Seen:
    """Every top-level window on screen (dialogs, message boxes, the sheet), and the
    application's display name the platform adds to their title bars."""
    seen = seen if seen is not None else Seen()
    seen.add("applicationDisplayName", QApplication.applicationDisplayName())
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible() and not isinstance(widget, QMenu):
            read_widget(widget, seen)
    return seen


# --- judging ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Data:
    """What the store holds as submitted: allowed in either language."""

    values: frozenset[str]

    def holds(self, run: str) -> bool:
        return any(run in value for value in self.values)


def foreign(text: str, lang: str, data: Data) -> list[str]:
    """The parts of ``text`` in the other language's script (data values aside)."""
    text = _plain(text)
    if text in BILINGUAL or text.strip() in BILINGUAL:
        return []
    if lang == "en":
        return [run for run in RUN.findall(text) if HAN.search(run) and not data.holds(run)]
    text = PATH_OR_URL.sub(" ", text)
    text = GLOSS.sub(" ", text)
    bad = []
    for word in LATIN_WORD.findall(text):
        word = word.rstrip(".-'’")
        letters = sum(c.isalpha() for c in word)
        if letters < 2 or word in ALLOWED_WORDS or re.fullmatch(r"F\d{1,2}", word):
            continue
        if any(c.isdigit() for c in word) and ("-" in word or "_" in word):
            continue  # case numbers, serials, workstation ids: data
        if data.holds(word):
            continue
        bad.append(word)
    return bad


def problems(seen: Seen, lang: str, data: Data) -> list[str]:
    found = []
    for where, text in seen.texts:
        bad = foreign(text, lang, data)
        if bad:
            found.append(f"{where}: {text!r} → {bad}")
    return sorted(set(found))


# --- the store -------------------------------------------------------------------------


_VOCABULARY_KEYS = frozenset(
    {
        "kind",
        "stage",
        "relation",
        "owner_relation",
        "cert_type",
        "nature",
        "house_type",
        "custody_document",
        "residence_basis",
        "label",
        "media_type",
        "reason",
        "severity",
        "code",
        "fact",
        "message",
    }
)


def _strings(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, str(k))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str) and key not in _VOCABULARY_KEYS:
        yield value


@dataclass
class Demo:
    folder: Path
    db: Path
    blobs: Path
    reviewer: tuple[str, str]
    supervisor: tuple[str, str]
    data: Data


def _open(folder: Path) -> Store:
    from reviewdb.engine import Store as StoreClass

    return StoreClass(f"sqlite:///{folder / 'demo.db'}", folder / "blobs")


def _decide_some(store: Store, reviewer: Actor, supervisor: Actor) -> None:
    """Every status in the queue: approved, rejected (with reasons) and confirmed, returned
    (with the missing documents), a rejection waiting for the supervisor; the rest pending."""
    desk = standalone(store)
    wb = Workbench(desk, reviewer)
    rows = wb.queue_page("pending", QueueFilters(), limit=100)
    kinds = {row.kind for row in rows}
    plan = [("approve", "guardianship"), ("reject", "guardianship"), ("reject", "rural_house")]
    plan += [("return", "kinship" if "kinship" in kinds else "rural_house")]
    left = list(rows)
    rejected: list[str] = []
    for outcome, kind in plan:
        row = next((r for r in left if r.kind == kind), None)
        if row is None:
            continue
        left.remove(row)
        wb.claim(row.case_id)
        if outcome == "approve":
            wb.decide(row.case_id, DecisionInput("approve"))
        elif outcome == "reject":
            codes = tuple(r.code for r in wb.reasons(kind) if r.code != "OTHER")[:2]
            wb.decide(row.case_id, DecisionInput("reject", reasons=codes, comment="材料不全"))
            rejected.append(row.case_id)
        else:
            checklist = wb.checklist(row.case_id)
            wb.decide(row.case_id, DecisionInput("return", missing=(checklist[0][0],)))
    if rejected:
        Workbench(desk, supervisor).confirm(rejected[0])  # rejected; the other waits


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo generator's store (all three kinds, findings, unreadable uploads) with
    decisions in every state; built once, copied for each test."""
    from app.cli.demo import demo_accounts, ensure_demo
    from app.review.cases import QueueRow  # noqa: F401 - imported for its side effects

    folder = tmp_path_factory.mktemp("languages-demo")
    mp = pytest.MonkeyPatch()
    mp.setenv("REVIEWDESK_DEMO_IMAGE_SIZE", "480x360")
    mp.setenv(auth.ENV_FAST_HASH, "1")
    mp.setenv(config.ENV_DATA, str(folder / "data"))
    try:
        settings = config.Settings(
            db_url=f"sqlite:///{folder / 'demo.db'}",
            is_default=True,
            blob_dir=folder / "blobs",
            central_url=None,
        )
        ensure_demo(settings, cases=DEMO_CASES)
        accounts = {a.role: a for a in demo_accounts()}
        reviewer, supervisor = accounts["reviewer"], accounts["supervisor"]
        store = _open(folder)
        try:
            desk = standalone(store)
            rev = desk.login(reviewer.username, reviewer.password, "ws-lang")
            sup = desk.login(supervisor.username, supervisor.password, "ws-lang")
            _decide_some(store, rev, sup)
            values: set[str] = set()
            users = desk.users()
            for user in users:
                values.update(s for s in (user.username, user.display_name) if s)
            for a in demo_accounts():
                values.update((a.username, a.password, a.display_name))
            wb = Workbench(desk, sup)
            for tab in TABS:
                for row in wb.queue_page(tab, QueueFilters(), limit=200):
                    detail = wb.peek_case(row.case_id)
                    values.update(
                        (detail.case_no, detail.district, detail.school, detail.student_name)
                    )
                    values.update(detail.student_id_number for _ in [0])
                    for rnd in detail.rounds:
                        values.update(_strings(rnd.manifest))
                        values.update(a.filename for a in rnd.attachments if a.filename)
                    for decision in detail.decisions:
                        values.update(s for s in (decision.reviewer, decision.comment) if s)
            values.add("材料不全")
            values.update(str(folder / "demo.db") for _ in [0])
        finally:
            store.dispose()
        yield Demo(
            folder,
            folder / "demo.db",
            folder / "blobs",
            (reviewer.username, reviewer.password),
            (supervisor.username, supervisor.password),
            Data(frozenset(v for v in values if v)),
        )
    finally:
        mp.undo()


@pytest.fixture
def store(demo: Demo, tmp_path: Path) -> Iterator[Store]:
    for suffix in ("", "-wal", "-shm"):
        source = demo.db.with_name(demo.db.name + suffix)
        if source.exists():
            shutil.copyfile(source, tmp_path / ("demo.db" + suffix))
    shutil.copytree(demo.blobs, tmp_path / "blobs")
    s = _open(tmp_path)
    yield s
    s.dispose()


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    from ui.shell.app import set_language

    language = str(request.param)
    installed = set_language(qapp, language)
    yield language
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale("zh_CN"))


def _folder_names(start: Path) -> frozenset[str]:
    """What the file dialog lists around ``start``: folder and file names are data."""
    names: set[str] = set()
    for folder in {start, *start.parents, Path.cwd(), *Path.cwd().parents, Path.home()}:
        names.add(folder.name)
        try:
            names.update(child.name for child in list(folder.iterdir())[:500])
        except OSError:
            continue
    return frozenset(n for n in names if n)


def _login(desk: Workstation, account: tuple[str, str]) -> Actor:
    return desk.login(account[0], account[1], "ws-lang")


def _assert_clean(seen: Seen, lang: str, data: Data) -> None:
    found = problems(seen, lang, data)
    assert not found, f"{len(found)} texts in the other script ({lang}):\n" + "\n".join(found)


# --- the tests ---------------------------------------------------------------------------


def _main_window(
    qtbot: QtBot, store: Store, actor: Actor, tasks: TaskManager, settings: QSettings, lang: str
) -> Any:
    from ui.shell.main_window import MainWindow

    window = MainWindow(Workbench(standalone(store), actor), tasks, settings, language=lang)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.queue.counts_changed, timeout=15_000):
        window.start()
    qtbot.waitUntil(lambda: window.queue.model.is_complete, timeout=15_000)
    return window


def _open_case(qtbot: QtBot, window: Any, tab: str, row: int = 0) -> str | None:
    """Open the queue's ``row`` on ``tab`` as the reviewer does; its case id."""
    window.queue.set_tab(tab)
    qtbot.waitUntil(lambda: window.queue.model.is_complete, timeout=15_000)
    found = window.queue.model.row_at(row)
    if found is None:
        return None
    if window.case_view.case_id == found.case_id:
        return str(found.case_id)
    with qtbot.waitSignal(window.case_view.case_loaded, timeout=15_000):
        window.queue.select_case(found.case_id)
    window.case_view.setFocus()  # turning to the case claims it
    qtbot.wait(150)
    return str(found.case_id)


def _settle(qtbot: QtBot, tasks: TaskManager) -> None:
    qtbot.waitUntil(lambda: tasks.pending_count == 0, timeout=15_000)
    qtbot.wait(50)


@pytest.mark.slow
def test_login_dialog_and_its_refusals(
    qtbot: QtBot, lang: str, demo: Demo, store: Store, tasks: TaskManager
) -> None:
    from ui.shell.app import demo_accounts
    from ui.shell.login import LoginDialog

    desk = standalone(store)
    dialog = LoginDialog(
        desk,
        tasks,
        "ws-lang",
        demo_accounts(),
        store_description=standalone(store).description,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    seen = read_widget(dialog)
    until = dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)
    for error in (
        LoginFailed(),
        AccountLocked(until),
        AccountDisabled(),
        StoreError("cannot reach the store"),
    ):
        seen.add(f"refusal {type(error).__name__}", dialog.describe(error))
    dialog.submit()  # nothing typed: says what to do
    read_widget(dialog, seen)
    _assert_clean(seen, lang, demo.data)


@pytest.mark.slow
def test_main_window_queue_cases_and_menus(
    qtbot: QtBot, lang: str, demo: Demo, store: Store, tasks: TaskManager, settings: QSettings
) -> None:
    """Every tab, a case of each status with its facts, attachments, history and decision
    panel (each outcome chosen), and every menu."""
    desk = standalone(store)
    window = _main_window(qtbot, store, _login(desk, demo.reviewer), tasks, settings, lang)
    seen = read_widget(window)
    for tab in TABS:
        window.queue.set_tab(tab)
        qtbot.waitUntil(lambda: window.queue.model.is_complete, timeout=15_000)
        read_widget(window.queue, seen)
        if tab == "conflict":
            continue
        if _open_case(qtbot, window, tab) is None:
            continue
        _settle(qtbot, tasks)
        view = window.case_view
        for index in range(view.tabs.count()):
            view.tabs.setCurrentIndex(index)
        read_widget(window, seen)
        panel = view.panel
        if tab in ("pending", "mine") and panel.editable:
            for outcome in ("approve", "reject", "return"):
                panel.choose_outcome(outcome)
                read_widget(panel, seen)
            panel.choose_outcome("reject")
            read_widget(panel, seen)
    # one unreadable upload (the demo has some) in the viewer
    _assert_clean(seen, lang, demo.data)


@pytest.mark.slow
def test_supervisor_window_and_the_confirmation(
    qtbot: QtBot, lang: str, demo: Demo, store: Store, tasks: TaskManager, settings: QSettings
) -> None:
    desk = standalone(store)
    window = _main_window(qtbot, store, _login(desk, demo.supervisor), tasks, settings, lang)
    seen = read_widget(window)
    if _open_case(qtbot, window, "confirming") is not None:
        _settle(qtbot, tasks)
        read_widget(window, seen)
    # The supervisor's own windows: the desk, the audit journal, 抽查 (its refusals too).
    from ui.qa.qa_dialog import QA_REFUSALS, refusal_text

    for open_it in (window.open_desk, window.open_audit, window.open_qa):
        dialog = open_it()
        assert dialog is not None
        _settle(qtbot, tasks)
        read_widget(dialog, seen)
        dialog.close()
    for code in QA_REFUSALS:
        seen.add(f"抽查 refusal {code}", refusal_text(WorkflowError(code, "x")))
    # The audit journal names the workstation each entry came from: data, like a name.
    _assert_clean(seen, lang, Data(demo.data.values | {"ws-lang"}))


@pytest.mark.slow
def test_dialogs_and_messages(
    qtbot: QtBot,
    lang: str,
    demo: Demo,
    store: Store,
    tasks: TaskManager,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Settings, conflicts, batch print, about, the crash box, Qt's own file and print
    dialogs, the print refusals, and the message bar's error texts."""
    from ui.shell.app import CrashHandler
    from ui.shell.main_window import describe_error
    from ui.sync.checkout_dialog import CheckoutDialog
    from ui.sync.sync_status import QuarantineDialog

    desk = standalone(store)
    window = _main_window(qtbot, store, _login(desk, demo.reviewer), tasks, settings, lang)
    seen = Seen()

    def look(widget: QWidget) -> None:
        qtbot.addWidget(widget)
        widget.show()
        qtbot.wait(20)
        read_widget(widget, seen)
        widget.close()

    window.open_settings()
    conflicts = window.open_conflicts()
    _settle(qtbot, tasks)
    read_widget(conflicts, seen)
    conflicts.close()
    batch = window.open_batch_print()
    _settle(qtbot, tasks)
    read_widget(batch, seen)
    for dialog in list(window.dialogs.values()):
        if shiboken6.isValid(dialog):  # closed ones delete themselves
            read_widget(dialog, seen)
            dialog.close()
    look(CheckoutDialog(window._workbench, tasks, window.network_lane, window))
    # The error column is the central store's refusal kept word for word for the
    # administrator: data, like a log line.
    refusal = "central store refused the decision: claim token 7 is stale"
    look(QuarantineDialog((("q-1", "decision", refusal),), window))
    data = Data(demo.data.values | {refusal} | _folder_names(tmp_path))
    look(window._about())

    crash = CrashHandler(log_dir=tmp_path)
    crash._show(str(tmp_path / "crash.log"))
    assert crash.message_box is not None
    look(crash.message_box)

    for error in (
        StoreBusy("database is locked"),
        StoreError("connection refused"),
        OSError(28, "No space left on device"),
    ):
        seen.add(f"describe_error {type(error).__name__}", describe_error(error) or "")

    # Qt's own dialogs: the file dialog of 另存为 PDF and the print dialog.
    files = QFileDialog(window, "PDF", str(tmp_path), "PDF (*.pdf)")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    files.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    files.open()
    qtbot.wait(50)
    read_widget(files, seen)
    files.close()
    printer = QPrinter()
    print_dialog = QPrintDialog(printer, window)
    QDialog.open(print_dialog)  # PySide names only the (receiver, slot) overload
    qtbot.wait(50)
    read_widget(print_dialog, seen)
    print_dialog.close()
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "?",
        "?",
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel
        | QMessageBox.StandardButton.Close
        | QMessageBox.StandardButton.Ok,
        window,
    )
    box.open()
    read_widget(box, seen)
    box.close()
    seen.texts = [(w, t) for w, t in seen.texts if t != "?"]
    read_windows(seen)
    _assert_clean(seen, lang, data)


@pytest.mark.slow
def test_print_preview_and_print_refusals(
    qtbot: QtBot,
    lang: str,
    demo: Demo,
    store: Store,
    tasks: TaskManager,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The notice's preview, and the refusal when the district has no signing key yet."""
    from app.notices.printing import init_district_key
    from ui.printing.print_preview import PrintPreviewDialog, open_print_for_case

    desk = standalone(store)
    actor = _login(desk, demo.reviewer)
    wb = Workbench(desk, actor)
    decided = wb.queue_page("approved", limit=1)
    assert decided, "the demo store has an approved case"
    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        staticmethod(lambda _p, title, text, *a: warned.append((title, text))),
    )
    open_print_for_case(None, wb, tasks, decided[0].case_id)  # no key yet: refused
    qtbot.waitUntil(lambda: bool(warned), timeout=15_000)
    seen = Seen()
    for title, text in warned:
        seen.add("print refusal title", title)
        seen.add("print refusal", text)
    init_district_key(store, decided[0].district)
    shown: list[PrintPreviewDialog] = []
    open_print_for_case(None, wb, tasks, decided[0].case_id, on_preview=shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
    preview = shown[0]
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: preview.page_count >= 1, timeout=15_000)
    _settle(qtbot, tasks)
    read_widget(preview, seen)
    _assert_clean(seen, lang, demo.data)


@pytest.mark.slow
def test_shortcut_sheet_is_translated_and_nothing_is_cut(
    qtbot: QtBot, lang: str, demo: Demo
) -> None:
    from ui.shell import shortcuts

    sheet = shortcuts.show_sheet(None)
    qtbot.addWidget(sheet)
    qtbot.waitExposed(sheet)
    seen = read_widget(sheet)
    _assert_clean(seen, lang, demo.data)
    table = sheet.table
    cut = []
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            item = table.item(row, column)
            if item is None or not item.text():
                continue
            rect = table.visualItemRect(item)
            needed = table.fontMetrics().horizontalAdvance(item.text()) + 4
            lines = max(1, rect.height() // max(1, table.fontMetrics().lineSpacing()))
            if needed > rect.width() * lines:
                cut.append(f"{item.text()!r}: {needed}px in {rect.width()}px × {lines} lines")
    assert not cut, "cut in the F1 sheet:\n" + "\n".join(cut)


# --- the words app/ hands the window ------------------------------------------------------

# Values for the fields of the findings' sentences: the data (names, numbers, places) that
# stays as it is, and the fixed words that are translated.
_SAMPLE_FIELDS = {
    "who": "母亲魏丽琳",
    "holder": "魏丽琳",
    "name": "魏丽琳",
    "city": "南昌市",
    "policy_city": "登封市",
    "policy": "nanchang-2026",
    "year": "2026",
    "policy_year": "2025",
    "stage": "幼升小",
    "masked": "360113********6968",
    "problem": "校验码错误",
    "digits": "20261340",
    "region": "360199",
    "cert": "房产证",
    "number": "洪房权证字第0152243号",
    "label": "户口簿首页",
    "labels": "户口簿首页、户口簿本人页",
    "file": "img/IMG_0001.jpg",
    "reason": "文件是空的（0 字节），上传没有成功，请重新上传",
    "case": "202636010200003",
    "cases": "202636010200003、另一区县的1个案件",
}


def _sample(template: str) -> str:
    text = template
    for name in sorted(set(re.findall(r"%([a-z_]+)", template)), key=len, reverse=True):
        value = _SAMPLE_FIELDS.get(name)
        if value is None:
            value = "2026年8月31日" if name in _DATE_FIELDS else "3"
        text = text.replace(f"%{name}", value)
    return text


_DATE_FIELDS = frozenset(
    {
        "born",
        "ref",
        "today",
        "student_born",
        "issued",
        "cutoff",
        "start",
        "end",
        "until",
        "submitted",
        "signed",
    }
)


def _app_vocabulary() -> list[tuple[str, str, Callable[[], str]]]:
    """(what, the Chinese app/ hands over, how the window shows it) for every fixed word."""
    import json

    from app.domain import KIND_LABELS, STATUS_LABELS, Stage
    from app.intake import imaging
    from app.policy import checks, idnumbers
    from app.review.reasons import REASONS_FILE
    from resources import RESOURCES_DIR

    words: list[tuple[str, str, Callable[[], str]]] = []
    for kind, text in KIND_LABELS.items():
        words.append(("kind", text, lambda k=str(kind): labels.kind_title(k)))
    for status, text in STATUS_LABELS.items():
        words.append(("status", text, lambda s=str(status): labels.status_title(s)))
    for stage in Stage:
        words.append(("stage", stage.label, lambda s=str(stage): labels.stage_title(s)))
    schema = json.loads((RESOURCES_DIR / "schema" / "submission.schema.json").read_text("utf-8"))

    def enums(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for value in node.get("enum", []):
                if isinstance(value, str) and HAN.search(value):
                    yield value
            for child in node.values():
                yield from enums(child)
        elif isinstance(node, list):
            for child in node:
                yield from enums(child)

    for text in set(enums(schema)):
        words.append(("submission word", text, lambda t=text: labels.term(t)))
    for path in sorted((RESOURCES_DIR / "policies").glob("*.json")):
        policy = json.loads(path.read_text("utf-8"))
        for items in policy["checklists"].values():
            for item in items:
                for text in (item["label"], *item["accepted_labels"]):
                    words.append((f"document ({path.name})", text, lambda t=text: labels.term(t)))
                code = item["code"]
                words.append(
                    ("checklist code", item["label"], lambda c=code: labels.checklist_title(c))
                )
    library = json.loads(REASONS_FILE.read_text("utf-8"))
    for entries in library.values():
        if not isinstance(entries, list):
            continue
        for e in entries:
            code, file_text, parent = e["code"], e["file"], e["parent"]
            words.append(
                ("reason", file_text, lambda c=code, f=file_text: labels.reason_title(c, f))
            )
            words.append(
                (
                    "reason for parents",
                    parent,
                    lambda c=code, p=parent: labels.reason_parent_text(c, p),
                )
            )
    for name in dir(imaging):
        value = getattr(imaging, name)
        if name.startswith("REASON_") and isinstance(value, str):
            words.append((f"imaging.{name}", value, lambda v=value: labels.file_problem(v)))
    for name, value in (
        ("reason_too_large", imaging.reason_too_large(45_000_000)),
        ("reason_unsupported", imaging.reason_unsupported("GIF")),
        (
            "reason_pdf_too_many_pages",
            getattr(imaging, "reason_pdf_too_many_pages", lambda n: "")(80),
        ),
        (
            "reason_pdf_page_too_large",
            getattr(imaging, "reason_pdf_page_too_large", lambda *a: "")(1, 9000.0, 100.0),
        ),
    ):
        if value:
            words.append((f"imaging.{name}", value, lambda v=value: labels.file_problem(v)))
    for text in getattr(imaging, "_NOT_IMAGES", {}).values():
        words.append(("imaging (not a picture)", text, lambda t=text: labels.file_problem(t)))
    for text in idnumbers.PROBLEM_LABELS.values():
        message = f"母亲魏丽琳的身份证号 360113********6968 {text}"
        words.append(
            ("ID problem", message, lambda m=message: labels.finding_text("ID_INVALID", m))
        )
    for code in checks.FINDING_CODES:
        words.append(("finding code", code, lambda c=code: labels.finding_text(c, "?")))
    for code, _pattern, template in labels.FINDING_MESSAGES:
        message = _sample(template)
        words.append(
            (f"finding {code}", message, lambda c=code, m=message: labels.finding_text(c, m))
        )
    return words


def test_every_word_app_hands_the_window_is_translated(lang: str) -> None:
    """Statuses, kinds, stages, relations, document names, reasons, file problems and the
    findings' sentences: English in English, and in Chinese word for word what app/ said."""
    data = Data(frozenset(v for v in _SAMPLE_FIELDS.values() if not v.startswith("%")) | {"?"})
    wrong = []
    for what, chinese, shown in _app_vocabulary():
        text = shown()
        if lang == "en":
            if chinese != "?" and HAN.search(chinese) and not foreign(chinese, "en", data):
                continue  # the sample holds data only
            bad = foreign(text, "en", data)
            if bad or text == "?":
                wrong.append(f"{what}: {chinese!r} → {text!r} {bad}")
        elif what != "finding code" and text != chinese:
            wrong.append(f"{what}: {chinese!r} shown as {text!r}")
    assert not wrong, f"{len(wrong)} words not in {lang}:\n" + "\n".join(wrong)
