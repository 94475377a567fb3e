"""The case view: header, facts with findings, attachments, decision panel, rounds and journal.

``show_case(case_id)`` advances the view's :class:`Generation` and loads everything the
view needs in one db-lane task (the case, a claim when it is to be decided, the reason
library, the checklist, the journal, whether undo is possible). A result for a case the
reviewer already left is dropped — and if that stale load had claimed its case, the claim
is released again, so quick switching never leaves leases behind.

The first picture comes first. A small read of the current round's attachments goes to
the db lane before anything else; the pane starts decoding the first picture, and the
full load (journaled view, claim, facts, panel) starts once that picture is painted — or
after :data:`SETTLE_WAIT_MS` at the latest. Loading and building the case meanwhile would
only slow the decode down: the db thread and the GUI thread would compete with it for
the GIL and for the cores. ``case_loaded`` is emitted once header, facts and panel are
built. A case left before its picture was on screen is not loaded at all: nothing
journaled, nothing claimed.

A case is claimed when the reviewer turns to it to decide: when focus is inside the case
view as it loads (J/K, submit-and-next, Enter in the queue) or when focus enters it later.
Merely selecting cases in the queue (the shell shows each selection) only views them, so
arrowing through the queue neither blocks colleagues nor fills the journal with claims.

While a case is open and claimed, the lease is renewed every :data:`RENEW_INTERVAL_MS`;
leaving the case without deciding releases it — but only a lease this navigation took.
A lease the reviewer already held when the case was opened (a school checked out for
on-site work holds 36-hour leases) is kept: claiming it again returned the same owner and
token (:func:`held_before`), and the arbiter never shortens a lease its holder claims or
renews again. The explicit release (``Workbench.release``) still gives any lease back.

``set_next_case`` lets the main window name the case that comes next in the queue: its
first pictures are decoded in advance, and opening it shows them at once from the cache.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import KIND_LABELS, CaseKind
from app.review.cases import (
    AttachmentView,
    CaseDetail,
    CaseNotFound,
    RoundView,
)
from app.review.reasons import Reason
from app.review.workflow import WorkflowError
from app.workbench import ClaimInfo, JournalView, Workbench
from ui.case.decision_panel import (
    OUTCOME_LABELS,
    STATE_LABELS,
    DecisionPanel,
    Draft,
    PanelContext,
    claim_text,
    local_hhmm,
    refusal_text,
)
from ui.case.facts_view import FactsView
from ui.case.findings_banner import FindingsBanner
from ui.shell import labels, shortcuts
from ui.shell.labels import status_title
from ui.shell.screen_fit import fit_window
from ui.shell.tasks import Generation, TaskManager
from ui.viewer.attachments import AttachmentsPane, DetachedAttachmentsWindow
from ui.viewer.imageloader import ImageLoader

log = logging.getLogger(__name__)

RENEW_INTERVAL_MS = 10 * 60 * 1000
"""Leases last 30 minutes; renewing every 10 survives two failed attempts."""

SETTLE_WAIT_MS = 250
"""The longest the full load waits for the first picture (a huge scan, a slow disk): then
the case loads anyway, and the reviewer can read its facts while the picture decodes."""

FACTS_MIN_WIDTH = 280  # facts and findings wrap down to this
_FACT_ATTACHMENT = re.compile(r"^attachments\[(\d+)\]")

ACTION_LABELS = {
    "view": "查看",
    "claim": "领取",
    "renew": "续期",
    "release": "释放",
    "takeover": "接管",
    "decide": "作出决定",
    "confirm": "复核",
    "undo": "撤销",
    "import": "导入",
    "print": "打印通知书",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaseView", text)


@dataclass(frozen=True)
class LoadedCase:
    """Everything one ``show_case`` loads, in one db-lane task."""

    detail: CaseDetail
    reasons: tuple[Reason, ...]
    checklist: tuple[tuple[str, str], ...]
    history: tuple[JournalView, ...]
    can_undo: bool
    claim: ClaimInfo | None
    claim_error: WorkflowError | None
    claim_was_held: bool = False
    """The claim kept a lease the reviewer already held before this load (a checkout):
    leaving the case must not release it."""


def held_before(before: CaseDetail, actor_id: str, info: ClaimInfo) -> bool:
    """Whether ``info`` (the answer to a claim) is a lease ``actor_id`` already held as
    ``before`` shows the case, read before claiming: same owner and same token. A lease the
    claim won instead (none, expired, someone else's) always carries a new, higher token."""
    return (
        before.holder_id == actor_id
        and info.owner_id == actor_id
        and before.claim_token == info.token
    )


def load_case_bundle(
    workbench: Workbench, ref: str, still_wanted: Callable[[], bool]
) -> LoadedCase:
    """Open ``ref`` (journaled as a view) and claim it if it is to be decided.

    ``still_wanted`` is asked just before claiming: a load the reviewer already left
    does not claim at all. ``claim_was_held`` says whether the claim only kept a lease
    the reviewer held before (then leaving the case keeps it too).
    """
    detail = workbench.open_case(ref)
    claim: ClaimInfo | None = None
    claim_error: WorkflowError | None = None
    was_held = False
    if (
        detail.status == "pending"
        and workbench.actor.role in ("reviewer", "supervisor")
        and still_wanted()
    ):
        try:
            claim = workbench.claim(detail.case_id)
        except WorkflowError as exc:
            claim_error = exc
        else:
            was_held = held_before(detail, workbench.actor.user_id, claim)
            detail = dataclasses.replace(
                detail,
                holder=workbench.actor.username,
                holder_id=workbench.actor.user_id,
                leased_until=claim.leased_until,
                claim_token=claim.token,
            )
    return LoadedCase(
        detail=detail,
        reasons=workbench.reasons(detail.kind),
        checklist=tuple(workbench.checklist(detail.case_id)),
        history=tuple(workbench.history(detail.case_id)),
        can_undo=workbench.can_undo(detail.case_id),
        claim=claim,
        claim_error=claim_error,
        claim_was_held=was_held,
    )


def first_attachments(workbench: Workbench, ref: str) -> tuple[AttachmentView, ...]:
    """The current round's attachments alone (nothing journaled, nothing claimed): read
    ahead of :func:`load_case_bundle`, so the first picture decodes while the case loads."""
    return workbench.current_attachments(ref)


def peek_case(workbench: Workbench, ref: str) -> CaseDetail:
    """The case without journaling a view: for prefetching the next case's pictures."""
    return workbench.peek_case(ref)


class HistoryView(QTreeWidget):
    """The case's journal, oldest first: time, who, what."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(4)
        self.setHeaderLabels([_tr("时间"), _tr("操作人"), _tr("操作"), _tr("详情")])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def set_entries(self, entries: tuple[JournalView, ...]) -> None:
        self.clear()
        for entry in entries:
            item = QTreeWidgetItem(
                [
                    entry.store_time.astimezone().strftime("%m-%d %H:%M:%S")
                    if entry.store_time.tzinfo
                    else entry.store_time.strftime("%m-%d %H:%M:%S"),
                    entry.actor or _tr("系统"),
                    _tr(ACTION_LABELS.get(entry.action, entry.action)),
                    self._details(entry),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, entry.action)
            self.addTopLevelItem(item)
        if entries:
            self.scrollToBottom()

    def journal_actions(self) -> list[str]:
        """The journal actions listed, oldest first (``view``, ``claim`` …)."""
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [str(item.data(0, Qt.ItemDataRole.UserRole)) for item in items if item]

    @staticmethod
    def _details(entry: JournalView) -> str:
        p = entry.payload
        if entry.action == "decide":
            text = _tr(OUTCOME_LABELS.get(p.get("outcome", ""), p.get("outcome", "")))
            state = p.get("state")
            if state:
                text += f"（{_tr(STATE_LABELS.get(state, state))}）"
            codes = list(p.get("reasons") or []) + list(p.get("missing") or [])
            if codes:
                text += "  " + labels.codes_text(codes)
            overrode = p.get("overrode_findings") or []
            if overrode:
                text += "  " + _tr("（已核对并忽略 %1 项错误发现：%2）").replace(
                    "%1", str(len(overrode))
                ).replace(
                    "%2",
                    "、".join(labels.finding_title(str(f.get("code", ""))) for f in overrode),
                )
            return text
        if entry.action == "confirm":
            return _tr("确认") if p.get("accepted") else _tr("驳回")
        if entry.action in ("claim", "renew") and p.get("until"):
            import datetime as dt

            try:
                return _tr("至 %1").replace("%1", local_hhmm(dt.datetime.fromisoformat(p["until"])))
            except ValueError:
                return str(p["until"])
        if entry.action == "takeover":
            return str(p.get("reason", ""))
        return ""


class CaseView(QWidget):
    """One case, for deciding: composed into the main window by the shell."""

    case_loaded = Signal(str)  # case id
    decision_saved = Signal(str)  # case id
    case_changed = Signal(str)  # case id: undone or confirmed here (its queue row changed)
    claim_changed = Signal(str)  # case id: this view claimed or gave back its lease
    undo_requested = Signal()  # Ctrl+Z in the detached attachments window
    next_case_requested = Signal()
    previous_case_requested = Signal()

    def __init__(
        self, workbench: Workbench, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._workbench = workbench
        self._tasks = tasks
        self._generation = Generation()
        self._next_generation = Generation()
        self._case_id: str | None = None
        self._loaded: LoadedCase | None = None
        self._claim_held = False
        # The case (id) whose lease this view's navigation took: the only lease leaving
        # the case gives back. A lease held before the case was opened (a checkout) is kept.
        self._lease_taken_for: str | None = None
        self._claim_attempted = False
        self._claim_wanted = False  # read by the loading task on the db thread
        self._next_case_id: str | None = None
        self._prefetched: dict[str, CaseDetail] = {}
        # Cases left whose lease this view gives back with the next load (_leave_current).
        self._releases_waiting: list[str] = []
        self._detached: DetachedAttachmentsWindow | None = None
        self._facts_key: object = None
        # Unsubmitted choices per case (case id), kept while the window is open: leaving a
        # case and coming back restores them; submitting clears them.
        self._drafts: dict[str, Draft] = {}
        # Decision keys pressed before the case was claimed: applied once it is.
        self._after_claim: list[Callable[[], None]] = []
        # What was chosen for the decisions submitted here: an undo brings it back.
        self._submitted: dict[str, Draft] = {}
        self._claim_next = False
        self._load_failed = False  # the last load failed: opening the case again retries
        # The full load of the case shown, started once its first picture is painted.
        self._load_after_picture: Callable[[], None] | None = None
        self._side_paint_held = False  # see _hold_side_paint

        self.loader = ImageLoader(workbench.attachment_bytes, tasks, self)

        # --- header
        self.title_label = QLabel(self)
        self.title_label.setObjectName("caseTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.subtitle_label = QLabel(self)
        self.subtitle_label.setObjectName("caseSubtitle")
        self.claim_label = QLabel(self)
        self.claim_label.setObjectName("caseClaim")
        self.round_combo = QComboBox(self)
        self.round_combo.setObjectName("roundCombo")
        self.round_combo.setToolTip(_tr("查看以前各轮提交的材料（只读）"))
        self.round_combo.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.round_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.round_combo.currentIndexChanged.connect(self._on_round_selected)
        self.banner = QLabel(self)
        self.banner.setObjectName("caseBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#caseBanner{background:#ffebee;color:#b71c1c;padding:6px;"
            "border:1px solid #ef9a9a;}"
        )
        self.banner.setVisible(False)
        self.findings_banner = FindingsBanner(self)
        self.findings_banner.finding_activated.connect(self.show_finding)

        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 6, 0)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        header.addLayout(titles, 1)
        header.addWidget(self.claim_label)
        header.addSpacing(12)
        header.addWidget(QLabel(_tr("轮次："), self))
        header.addWidget(self.round_combo)

        # --- body
        self.facts = FactsView(self)
        self.history_view = HistoryView(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.facts, _tr("材料事实"))
        self.tabs.addTab(self.history_view, _tr("审核记录"))
        self.tabs.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.tabs.setMinimumWidth(FACTS_MIN_WIDTH)

        self.attachments = AttachmentsPane(self.loader, self)
        self.panel = DecisionPanel(workbench, tasks, self)
        self._detached_placeholder = QLabel(
            _tr("附件在独立窗口中显示（%1 收回）").replace("%1", shortcuts.key_text("detach")), self
        )
        self._detached_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._detached_placeholder.hide()

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.attachments)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([400, 900, 360])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.findings_banner)
        layout.addWidget(self.splitter, 1)
        self._sizes_set = False

        # Focus handed to the case view lands on the panel, where the decision keys work.
        self.setFocusProxy(self.panel)

        # --- wiring
        self.attachments.current_changed.connect(self.panel.set_current_attachment)
        self.attachments.return_requested.connect(self._on_return_requested)
        self.panel.verdicts_changed.connect(self.attachments.set_verdicts)
        self.panel.decision_saved.connect(self._on_decision_saved)
        self.panel.case_changed.connect(self._on_case_changed)
        self.panel.case_changed.connect(self.case_changed)
        self.panel.decision_undone.connect(self.decision_undone)

        self._renew_timer = QTimer(self)
        self._renew_timer.setInterval(RENEW_INTERVAL_MS)
        self._renew_timer.timeout.connect(self.renew_claim)
        self._settle_timer = QTimer(self)  # the picture took too long: load the case anyway
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_WAIT_MS)
        self._settle_timer.timeout.connect(self._start_waiting_load)
        self.attachments.settled.connect(self._on_pictures_settled)

        self.shortcuts = shortcuts.install(self, self._shortcut_handlers())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._show_empty()

    # --- public API ------------------------------------------------------------------------

    @property
    def case_id(self) -> str | None:
        """The case shown (or being loaded)."""
        return self._case_id

    @property
    def detail(self) -> CaseDetail | None:
        """The loaded case, once ``case_loaded`` was emitted."""
        return self._loaded.detail if self._loaded else None

    @property
    def holds_claim(self) -> bool:
        return self._claim_held

    @property
    def is_detached(self) -> bool:
        return self._detached is not None

    @property
    def drafts(self) -> dict[str, Draft]:
        """Unsubmitted choices per case id (the case shown included)."""
        self._stash_draft()
        return dict(self._drafts)

    def discard_drafts(self) -> None:
        self._drafts.clear()

    def show_case(
        self, case_id: str, *, reload: bool = False, first_picture: str | None = None
    ) -> None:
        """Open ``case_id`` (number or id): load it in the background, claim it to decide.

        Opening the case already shown (the same queue row clicked again) changes
        nothing: the claim and whatever is chosen and typed stay. ``reload`` reads it again
        (after a decision or an undo), keeping the claim if this view holds it.
        ``first_picture`` is the sha256 of the picture the case opens on when the caller
        knows it (the queue row does): its decode starts before anything else.
        """
        same = case_id == self._case_id or (
            self._loaded is not None and case_id == self._loaded.detail.case_no
        )
        if same and not reload and not self._load_failed:
            return
        peeked = self._prefetched.pop(case_id, None)
        # The picture the queue row named, unless the case was read ahead (then it is
        # decoded already and shown with the case).
        named = first_picture if peeked is None else None
        if named is not None:
            # First of all: every step below delays the worker's start, not its end.
            self.attachments.head_start(named)
        generation = self._generation.advance()
        self._cancel_waiting_load()
        if named is not None:
            # What is cleared below is painted after the picture, not while it decodes.
            self._hold_side_paint(True)
        # Releases still waiting (the last case was left before its picture was painted)
        # go first: this case may be one of them, and its claim comes after.
        self._send_releases()
        workbench = self._workbench
        still_wanted = self._generation_check(generation)

        def load() -> None:
            self._send_releases()
            self._tasks.run(
                lambda: load_case_bundle(workbench, case_id, still_wanted),
                lambda loaded: self._on_loaded(generation, loaded),
                lambda error: self._on_load_failed(generation, case_id, error),
            )

        def read_attachments() -> None:
            self._tasks.run(
                lambda: first_attachments(workbench, case_id),
                lambda attachments: self._on_first_attachments(generation, attachments, load),
                lambda error: self._on_first_failed(generation, case_id, error, load),
            )

        if peeked is None and named is None:
            # Before anything else goes to the db lane (the release of the case left):
            # the attachments, so that the first picture decodes as soon as possible.
            read_attachments()
        self._load_failed = False
        self._stash_draft()
        keep_claim = same and self._claim_held
        if not same:
            self._leave_current()
            self._after_claim = []
        self._case_id = case_id
        self._loaded = None
        self._claim_attempted = False
        # Submit-and-next goes on deciding: the next case is claimed even when a dialog
        # (the findings question) still held the focus as it was opened.
        self._claim_wanted = self._has_focus_inside() or keep_claim or self._claim_next
        self._claim_next = False
        self._renew_timer.stop()
        self.banner.setVisible(False)
        self.panel.clear(_tr("正在打开…"))
        if peeked is not None:
            # The next case was read ahead: its first picture is in the cache. Show it
            # now, and build the facts after the frame that paints it.
            self.attachments.set_attachments(peeked.attachments)
            self.attachments.paint_pictures_now()  # before the header, facts and claim
            self._show_header(peeked, _tr("正在领取…"))
            QTimer.singleShot(0, lambda: self._show_peeked_facts(generation, peeked))
        else:
            self.title_label.setText(case_id)
            self.subtitle_label.setText(_tr("正在打开…"))
            self._set_claim_line("")
            self._facts_key = None
            self.facts.clear(_tr("正在加载…"))
            self.findings_banner.clear()
            self.attachments.clear()
            self.history_view.clear()
            if named is not None:
                # The picture is decoding already and shows before its attachment is
                # known; reading the case alongside would slow the decode (two cores, the
                # GUI thread and the db lane against it), so the read waits for it.
                self._load_after_picture = read_attachments
                self._settle_timer.start()
                self.attachments.expect_first(named)
        if peeked is not None:
            load()  # the picture is on screen already

    def _on_first_attachments(
        self, generation: int, attachments: tuple[AttachmentView, ...], load: Callable[[], None]
    ) -> None:
        if not shiboken6.isValid(self) or generation != self._generation.current:
            return
        if attachments:
            self.attachments.set_attachments(attachments)  # the first picture is decoding
        if self.attachments.is_settled:
            load()  # on screen at once (decoded before), unreadable, or nothing to show
            return
        self._load_after_picture = load
        self._settle_timer.start()

    def _on_first_failed(
        self, generation: int, case_id: str, error: BaseException, load: Callable[[], None]
    ) -> None:
        if shiboken6.isValid(self) and generation == self._generation.current:
            log.debug("attachments of %s: %r", case_id, error)
            load()  # the full load says what is wrong (not found, store unavailable)

    def _on_pictures_settled(self) -> None:
        if self._load_after_picture is None:
            return
        # On screen now, not with the next frame: the load and its result come first.
        self.attachments.paint_pictures_now()
        self._start_waiting_load()

    def _start_waiting_load(self) -> None:
        self._hold_side_paint(False)
        self._settle_timer.stop()
        load, self._load_after_picture = self._load_after_picture, None
        if load is not None:
            load()

    def _cancel_waiting_load(self) -> None:
        """The reviewer moved on before the picture was painted: the case is not loaded."""
        self._hold_side_paint(False)
        self._settle_timer.stop()
        self._load_after_picture = None

    def _hold_side_paint(self, hold: bool) -> None:
        """Keep everything but the pictures from painting (``hold``), or let it paint again.

        While a case's first picture decodes, the header, facts and panel of the case left
        keep their pixels instead of painting their cleared state: on an old PC that paint
        took the decoder's core. The decision panel is cleared at once all the same (no
        key decides the case left); only its pixels wait, at most until the picture is
        painted or :data:`SETTLE_WAIT_MS` has passed."""
        if hold == self._side_paint_held:
            return
        self._side_paint_held = hold
        for widget in self._side_widgets():
            widget.setUpdatesEnabled(not hold)

    def _side_widgets(self) -> tuple[QWidget, ...]:
        return (
            self.title_label,
            self.subtitle_label,
            self.claim_label,
            self.round_combo,
            self.banner,
            self.findings_banner,
            self.tabs,
            self.panel,
        )

    def _show_peeked_facts(self, generation: int, peeked: CaseDetail) -> None:
        if generation == self._generation.current and self._loaded is None:
            self._show_facts(peeked, peeked.current, current=True)

    def set_next_case(self, case_id: str | None) -> None:
        """The case after this one in the queue: its first pictures are decoded ahead."""
        if case_id == self._next_case_id:
            return
        self._next_case_id = case_id
        generation = self._next_generation.advance()
        self._prefetched = {}
        if case_id is None:
            return
        workbench = self._workbench
        self._tasks.run(
            lambda: peek_case(workbench, case_id),
            lambda detail: self._on_peeked(generation, case_id, detail),
            lambda error: log.info("prefetch of %s failed: %r", case_id, error),
        )

    def leave_case(self) -> None:
        """Leave the case shown (release an undecided claim this view took) and show nothing."""
        self._stash_draft()
        self._leave_current()
        self._send_releases()
        self._generation.advance()
        self._cancel_waiting_load()
        self._case_id = None
        self._loaded = None
        self._show_empty()

    def renew_claim(self) -> None:
        """Extend the lease on the case shown (the timer calls this every 10 minutes)."""
        if not self._claim_held or self._case_id is None:
            return
        case_id = self._case_id
        workbench = self._workbench
        self._tasks.run(
            lambda: workbench.renew(case_id),
            lambda info: self._on_renewed(case_id, info),
            lambda error: self._on_renew_failed(case_id, error),
        )

    def toggle_detached(self) -> None:
        """Move the attachments into their own window (second monitor), or back."""
        if self._detached is None:
            window = DetachedAttachmentsWindow(self)
            index = self.splitter.indexOf(self.attachments)
            self.splitter.replaceWidget(index, self._detached_placeholder)
            self._detached_placeholder.show()
            window.hold(self.attachments)
            self.attachments.show()
            shortcuts.install(window, self._shortcut_handlers())
            shortcuts.install(window, {"undo": self.undo_requested.emit}, scope="shell")
            window.closed.connect(self._reattach)
            if self.detail is not None:
                window.set_case_title(self.detail.case_no)
            self._detached = window
            fit_window(window, 1200, 900)
            window.show()
        else:
            self._detached.close()  # → _reattach

    def show_shortcut_sheet(self) -> None:
        shortcuts.show_sheet(self.window())

    def show_finding(self, index: int) -> None:
        """Finding ``index`` of the case (a banner line clicked): show its fact beside it,
        and the attachment when it is about one."""
        detail = self.detail
        if detail is None or not 0 <= index < len(detail.findings):
            return
        finding = detail.findings[index]
        last = self.round_combo.count() - 1
        if last >= 0 and self.round_combo.currentIndex() != last:
            self.round_combo.setCurrentIndex(last)  # findings are about the current round
        self.tabs.setCurrentWidget(self.facts)
        self.facts.show_finding(index)
        match = _FACT_ATTACHMENT.match(finding.fact)
        if match is not None:
            ordinals = [a.ordinal for a in self.attachments.attachments]
            ordinal = int(match.group(1))
            if ordinal in ordinals:
                self.attachments.select(ordinals.index(ordinal))
            if self._detached is not None:
                self._detached.raise_()

    def balance(self, viewer_share: float = 0.0) -> None:
        """Share the width between facts, attachments and the panel; with ``viewer_share``
        the attachments get at least that part of it (the others down to their minimum)."""
        total = self.splitter.width() - self.splitter.handleWidth() * 2
        if total <= 0:
            return
        panel_min = max(self.panel.minimumWidth(), self.panel.minimumSizeHint().width())
        panel = max(panel_min, int(total * 0.25))
        facts = max(FACTS_MIN_WIDTH, int(total * 0.27))
        viewer = total - panel - facts
        wanted = int(total * viewer_share)
        if viewer < wanted:
            spare = (panel - panel_min) + (facts - FACTS_MIN_WIDTH)
            take = min(spare, wanted - viewer)
            if spare > 0:
                panel -= (panel - panel_min) * take // spare
                facts -= (facts - FACTS_MIN_WIDTH) * take // spare
            viewer = total - panel - facts
        widgets = [self.splitter.widget(i) for i in range(self.splitter.count())]
        sizes = {id(self.tabs): facts, id(self.panel): panel}
        self.splitter.setSizes([sizes.get(id(w), viewer) for w in widgets])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if not self._sizes_set and self.isVisible() and self.splitter.width() > 0:
            self._sizes_set = True
            self.balance()

    # --- loading -------------------------------------------------------------------------

    def _generation_check(self, generation: int) -> Callable[[], bool]:
        # Runs on the db thread: reads two plain values the GUI thread sets.
        return lambda: self._claim_wanted and self._generation.current == generation

    def claim_case(self) -> None:
        """Claim the case shown, to decide it (done automatically when focus enters)."""
        loaded = self._loaded
        if (
            loaded is None
            or self._claim_held
            or loaded.detail.status != "pending"
            or self._workbench.actor.role not in ("reviewer", "supervisor")
        ):
            return
        self._claim_attempted = True
        before = loaded.detail
        case_id = before.case_id
        generation = self._generation.current
        workbench = self._workbench
        self.claim_label.setText(_tr("正在领取…"))

        def claim() -> tuple[ClaimInfo | None, WorkflowError | None]:
            try:
                return workbench.claim(case_id), None
            except WorkflowError as exc:
                return None, exc

        def claimed(result: tuple[ClaimInfo | None, WorkflowError | None]) -> None:
            info, error = result
            was_held = info is not None and held_before(before, workbench.actor.user_id, info)
            if generation != self._generation.current or self._loaded is None:
                if info is not None and not was_held:
                    self._release(case_id)
                return
            detail = self._loaded.detail
            if info is not None:
                detail = dataclasses.replace(
                    detail,
                    holder=workbench.actor.username,
                    holder_id=workbench.actor.user_id,
                    leased_until=info.leased_until,
                    claim_token=info.token,
                )
            self._apply_loaded(
                dataclasses.replace(
                    self._loaded,
                    detail=detail,
                    claim=info,
                    claim_error=error,
                    claim_was_held=was_held,
                ),
                full=False,
            )

        self._tasks.run(
            claim, claimed, lambda error: self._on_load_failed(generation, case_id, error)
        )

    def _has_focus_inside(self) -> bool:
        focus = QApplication.focusWidget()
        if focus is None:
            return False
        return (
            focus is self
            or self.isAncestorOf(focus)
            or (self._detached is not None and self._detached.isAncestorOf(focus))
        )

    def _on_focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self._claim_wanted = self._has_focus_inside()
        loaded = self._loaded
        if (
            self._claim_wanted
            and loaded is not None
            and not self._claim_held
            and not self._claim_attempted
            and loaded.detail.status == "pending"
            and self.round_combo.currentIndex() in (-1, self.round_combo.count() - 1)
        ):
            self.claim_case()

    def _on_loaded(self, generation: int, loaded: LoadedCase) -> None:
        if not shiboken6.isValid(self):
            return  # closed while loading (the lease simply runs out)
        if generation != self._generation.current:
            if loaded.claim is not None and not loaded.claim_was_held:
                # Claimed by a load the reviewer had already left: give it back (a lease
                # held before, such as a checkout, stays).
                self._release(loaded.detail.case_id)
            return
        self._claim_attempted = loaded.claim is not None or loaded.claim_error is not None
        self._apply_loaded(loaded, full=True, facts=False)
        # The facts on the next turn of the event loop: a pane built fresh (the first case,
        # another kind) is ~16 ms of the GUI thread on its own, and with the header, the
        # panel and the pictures in the same turn it made the longest stall of a session
        # on a slow PC (docs/performance.md). case_loaded follows the facts.
        QTimer.singleShot(0, lambda: self._facts_then_loaded(generation, loaded.detail.case_id))
        # Focus came into the case view while it loaded (after the load had decided not
        # to claim): turn to it now.
        self._on_focus_changed(None, None)

    def _facts_then_loaded(self, generation: int, case_id: str) -> None:
        if not shiboken6.isValid(self) or generation != self._generation.current:
            return
        loaded = self._loaded
        if loaded is None or loaded.detail.case_id != case_id:
            return
        detail = loaded.detail
        index = self.round_combo.currentIndex()
        rnd = detail.rounds[index] if 0 <= index < len(detail.rounds) else detail.current
        self._show_facts(detail, rnd, current=rnd.round_no == detail.round)
        self.case_loaded.emit(case_id)

    def _apply_loaded(self, loaded: LoadedCase, *, full: bool, facts: bool = True) -> None:
        """Show ``loaded``; ``full=False`` after a claim: header and panel only.
        ``facts=False``: everything but the facts pane (the caller shows it next)."""
        self._loaded = loaded
        detail = loaded.detail
        was_held = self._claim_held
        self._claim_held = loaded.claim is not None
        if self._claim_held and not loaded.claim_was_held:
            # Taken by this navigation: leaving the case gives it back. (Reloading the
            # same case keeps what an earlier load of it took.)
            self._lease_taken_for = detail.case_id
        if self._claim_held:
            self._renew_timer.start()
            if not was_held:
                self.claim_changed.emit(detail.case_id)
        status = self._status_text(loaded)
        self._show_header(detail, status)
        if full:
            self._show_rest(loaded, facts=facts)
        self.panel.set_case(
            PanelContext(
                detail=detail,
                reasons=loaded.reasons,
                checklist=loaded.checklist,
                can_undo=loaded.can_undo,
                editable=self._claim_held and detail.status == "pending",
                status_text=status,
                can_supervise=self._workbench.actor.role == "supervisor",
            )
        )
        current = self.attachments.current
        self.panel.set_current_attachment(current.ordinal if current else -1)
        self._restore_draft(detail)
        if self.round_combo.currentIndex() not in (-1, self.round_combo.count() - 1):
            self._on_round_selected(self.round_combo.currentIndex())
        self._run_after_claim(loaded)

    # --- drafts ---------------------------------------------------------------------------

    def _stash_draft(self) -> None:
        """Keep what the panel holds for the case shown (nothing held: no draft)."""
        case_id = self.panel.case_id
        if case_id is None or not self.panel.editable:
            return  # read-only: nothing typed here, an earlier draft stays as it was
        draft = self.panel.draft()
        if draft is None:
            self._drafts.pop(case_id, None)
        else:
            self._drafts[case_id] = draft

    def _restore_draft(self, detail: CaseDetail) -> None:
        draft = self._drafts.get(detail.case_id)
        if draft is None:
            return
        if detail.status != "pending":
            # Decided meanwhile (by someone else, or on another workstation): say that the
            # draft no longer applies rather than let it vanish.
            self._drafts.pop(detail.case_id, None)
            self.panel.show_message(
                _tr("此案件已有结论（%1），您未提交的草稿已不再适用").replace(
                    "%1", status_title(detail.status)
                ),
                error=True,
            )
            return
        if self.panel.editable:
            self.panel.restore_draft(draft)
        else:
            self.panel.show_message(_tr("此案件有您未提交的草稿：领取后恢复"), error=False)

    def _run_after_claim(self, loaded: LoadedCase) -> None:
        if not self._after_claim:
            return
        if self.panel.editable:
            actions, self._after_claim = self._after_claim, []
            for action in actions:
                action()
        elif loaded.claim_error is not None or loaded.detail.status != "pending":
            self._after_claim = []
            self.panel.explain_read_only()

    def _decision_key(self, action: Callable[[], None]) -> None:
        """A decision key: at once when the case is claimed; else turn to the case (which
        claims it) and apply it then; else say why nothing happens."""
        if self.panel.editable:
            action()
            return
        loaded = self._loaded
        can_claim = (
            self._case_id is not None
            and self._workbench.actor.role in ("reviewer", "supervisor")
            and self.round_combo.currentIndex() in (-1, self.round_combo.count() - 1)
            and (
                loaded is None
                or (
                    loaded.detail.status == "pending"
                    and not self._claim_held
                    and loaded.claim_error is None
                )
            )
        )
        if not can_claim:
            self.panel.explain_read_only()
            return
        self._after_claim.append(action)
        self._claim_wanted = True
        if not self._has_focus_inside():
            self.panel.setFocus(Qt.FocusReason.ShortcutFocusReason)  # → claims
        elif loaded is not None and not self._claim_attempted:
            self.claim_case()

    def _show_rest(self, loaded: LoadedCase, *, facts: bool = True) -> None:
        detail = loaded.detail
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for rnd in detail.rounds:
            text = (
                _tr("第 %1 轮  %2")
                .replace("%1", str(rnd.round_no))
                .replace("%2", rnd.submitted_at.strftime("%Y-%m-%d"))
            )
            if rnd.round_no == detail.round:
                text += _tr("（当前）")
            self.round_combo.addItem(text, rnd.round_no)
        self.round_combo.setCurrentIndex(self.round_combo.count() - 1)
        self.round_combo.setEnabled(len(detail.rounds) > 1)
        self.round_combo.blockSignals(False)
        if facts:
            self._show_round(detail, detail.current, current=True)
        else:
            self.attachments.set_attachments(detail.current.attachments)
        self.history_view.set_entries(loaded.history)
        if self._detached is not None:
            self._detached.set_case_title(detail.case_no)

    def _on_load_failed(self, generation: int, case_id: str, error: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation.current:
            return
        self._load_failed = True
        text = refusal_text(error)
        if text is None:
            log.error("cannot open case %s: %r", case_id, error)
            text = _tr("无法打开案件：%1").replace("%1", str(error) or type(error).__name__)
            self._tasks.task_failed.emit(error)
        self.title_label.setText(case_id)
        self.subtitle_label.setText("")
        self.claim_label.setText("")
        self._facts_key = None
        self.facts.clear("")
        self.findings_banner.clear()
        self.attachments.clear()
        self.history_view.clear()
        self.banner.setText(text)
        self.banner.setVisible(True)
        self.panel.clear(text)

    def _on_peeked(self, generation: int, case_id: str, detail: CaseDetail) -> None:
        if not shiboken6.isValid(self) or generation != self._next_generation.current:
            return
        self._prefetched = {case_id: detail}
        if detail.case_no != case_id:
            self._prefetched[detail.case_no] = detail
        self.attachments.prefetch(detail.attachments)

    def _status_text(self, loaded: LoadedCase) -> str:
        detail = loaded.detail
        actor = self._workbench.actor
        if loaded.claim is not None:
            return claim_text(actor.username, loaded.claim.leased_until, mine=True)
        if loaded.claim_error is not None:
            return refusal_text(loaded.claim_error) or loaded.claim_error.message
        if detail.status == "pending":
            if self._workbench.actor.role not in ("reviewer", "supervisor"):
                return _tr("只读：您的角色不审核案件")
            return _tr("未领取：按回车或点击此处开始审核")
        if detail.status == "confirming":
            mine = any(
                d.reviewer == actor.username and d.state == "pending_confirmation"
                for d in detail.decisions
            )
            return _tr("已提交，等待复核") if mine else _tr("待复核")
        return _tr("已办结：%1").replace("%1", status_title(detail.status))

    # --- display -------------------------------------------------------------------------

    def _show_empty(self) -> None:
        self.title_label.setText(_tr("未打开案件"))
        self.subtitle_label.setText(_tr("在队列中选择案件后按回车打开"))
        self.claim_label.setText("")
        self.round_combo.clear()
        self._facts_key = None
        self.facts.clear("")
        self.findings_banner.clear()
        self.attachments.clear()
        self.history_view.clear()
        self.panel.clear(_tr("未打开案件"))

    def _show_header(self, detail: CaseDetail, status: str) -> None:
        kind = KIND_LABELS.get(CaseKind(detail.kind), detail.kind)
        self.title_label.setText(
            f"{detail.case_no}   {_tr(kind)}   "
            + _tr("第 %1 轮").replace("%1", str(detail.round))
            + f"   {status_title(detail.status)}"
        )
        self.subtitle_label.setText(
            f"{detail.student_name}  {detail.student_id_masked}   "
            f"{detail.district} · {detail.school}"
        )
        self._set_claim_line(status, mine=self._claim_held)
        self._show_conflict(detail)

    def _show_conflict(self, detail: CaseDetail) -> None:
        """A decision the central store kept as a conflict: say so above everything else,
        with the decision that stands beside the one that was not accepted."""
        conflict = detail.open_conflict
        if conflict is None:
            self.banner.setVisible(False)
            return
        lost, standing = conflict
        text = (
            _tr("冲突：%1 的决定（%2）未被中心库接受")
            .replace("%1", lost.reviewer)
            .replace("%2", _tr(OUTCOME_LABELS.get(lost.outcome, lost.outcome)))
        )
        if standing is not None:
            text += (
                _tr("；现行决定：%1（%2）")
                .replace("%1", _tr(OUTCOME_LABELS.get(standing.outcome, standing.outcome)))
                .replace("%2", standing.reviewer)
            )
        self.banner.setText(text + _tr("。请主管在“冲突”中处理。"))
        self.banner.setVisible(True)

    def _set_claim_line(self, text: str, *, mine: bool = False) -> None:
        self.claim_label.setText(text)
        # Green: yours to decide. Dark red: someone else's or refused. Grey otherwise.
        refused = text.startswith(_tr("已被")) or text.startswith(_tr("领取已失效"))
        colour = "#1b5e20" if mine else "#b71c1c" if refused else "#424242"
        style = f"QLabel#caseClaim{{color:{colour};font-weight:bold;}}"
        if self.claim_label.styleSheet() != style:  # setting one re-polishes, even the same
            self.claim_label.setStyleSheet(style)

    def _show_round(self, detail: CaseDetail, rnd: RoundView, *, current: bool) -> None:
        # Pictures first: their decode starts on the cpu lane while the facts are built.
        self.attachments.set_attachments(rnd.attachments)
        self._show_facts(detail, rnd, current=current)

    def _show_facts(self, detail: CaseDetail, rnd: RoundView, *, current: bool) -> None:
        key = (detail.case_id, rnd.submission_id, current, detail.findings)
        if key == self._facts_key:
            return  # already shown (read ahead): building the groups again costs a frame
        self._facts_key = key
        # The banner always lists the case's findings (they are about the current round).
        self.findings_banner.set_findings(detail.findings)
        if current:
            self.facts.set_facts(rnd.manifest, rnd.attachments, detail.findings)
        else:
            self.facts.set_facts(
                rnd.manifest,
                rnd.attachments,
                (),
                notice=_tr("正在查看第 %1 轮（只读）。自动发现只针对当前轮次。").replace(
                    "%1", str(rnd.round_no)
                ),
            )

    def header_text(self) -> str:
        """Title, subtitle and claim line, for tests and screen readers."""
        return " | ".join(
            (self.title_label.text(), self.subtitle_label.text(), self.claim_label.text())
        )

    def _on_round_selected(self, index: int) -> None:
        detail = self.detail
        if detail is None or index < 0:
            return
        rnd = detail.rounds[index]
        current = rnd.round_no == detail.round
        self._show_round(detail, rnd, current=current)
        if current:
            self.panel.resume()
        else:
            self.panel.set_read_only(
                _tr("正在查看第 %1 轮（只读）：选回当前轮次才能作出决定").replace(
                    "%1", str(rnd.round_no)
                )
            )

    def select_round(self, round_no: int) -> None:
        index = self.round_combo.findData(round_no)
        if index >= 0:
            self.round_combo.setCurrentIndex(index)

    # --- claims --------------------------------------------------------------------------

    def _leave_current(self) -> None:
        """Leaving the case: give back the lease opening it took, never one held before."""
        loaded = self._loaded
        if (
            self._claim_held
            and self._case_id is not None
            and loaded is not None
            and self._lease_taken_for == loaded.detail.case_id
        ):
            # Sent with the next case's load, after its first picture: the release is a
            # write that would take the CPU from the decode the reviewer waits for.
            self._releases_waiting.append(loaded.detail.case_id)
            self.claim_changed.emit(loaded.detail.case_id)
        self._lease_taken_for = None
        self._claim_held = False
        self._renew_timer.stop()

    def _send_releases(self) -> None:
        waiting, self._releases_waiting = self._releases_waiting, []
        for case_id in waiting:
            self._release(case_id)

    def _release(self, case_id: str) -> None:
        workbench = self._workbench
        self._tasks.run(
            lambda: workbench.release(case_id),
            None,
            lambda error: log.info("release of %s refused: %r", case_id, error),
        )

    def _on_renewed(self, case_id: str, info: ClaimInfo) -> None:
        if case_id == self._case_id and self._claim_held:
            text = claim_text(self._workbench.actor.username, info.leased_until, mine=True)
            self._set_claim_line(text, mine=True)
            self.panel.status_label.setText(text)

    def _on_renew_failed(self, case_id: str, error: BaseException) -> None:
        if case_id != self._case_id:
            return
        self._claim_held = False
        self._renew_timer.stop()
        text = _tr("领取已失效：%1").replace("%1", refusal_text(error) or str(error))
        self._set_claim_line(text)
        self.panel.set_read_only(text)

    # --- decisions -----------------------------------------------------------------------

    def decision_undone(self, case_id: str) -> None:
        """The decision on ``case_id`` was undone (here or by Ctrl+Z): what was chosen for it
        comes back as a draft, to amend and submit again."""
        sent = self._submitted.pop(case_id, None)
        if sent is not None and case_id not in self._drafts:
            self._drafts[case_id] = sent

    def _on_decision_saved(self, result: object, and_next: bool) -> None:
        case_id = self._loaded.detail.case_id if self._loaded else (self._case_id or "")
        self._drafts.pop(case_id, None)
        if self.panel.last_sent is not None:
            self._submitted[case_id] = self.panel.last_sent
        # The arbiter cleared the claim with the decision: nothing to release any more.
        self._claim_held = False
        self._renew_timer.stop()
        self.decision_saved.emit(case_id)
        if and_next:
            self._claim_next = True
            self.next_case_requested.emit()
            self._claim_next = False
        else:
            self._reload_keeping_message()

    def _on_case_changed(self, case_id: str) -> None:
        if case_id == (self._loaded.detail.case_id if self._loaded else None):
            self._reload_keeping_message()

    def _reload_keeping_message(self) -> None:
        if self._case_id is None:
            return
        message = self.panel.message()
        self.show_case(self._case_id, reload=True)
        if message:
            self.case_loaded.connect(self._restore_message(message))

    def _restore_message(self, message: str) -> Callable[[str], None]:
        def restore(_case_id: str) -> None:
            self.case_loaded.disconnect(restore)
            if message != self.panel.status_label.text() and not self.panel.message():
                self.panel.show_message(message, error=False)

        return restore

    def _on_return_requested(self, ordinal: int) -> None:
        self.panel.prefill_return(ordinal)
        self.panel.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- keys ----------------------------------------------------------------------------

    def _shortcut_handlers(self) -> dict[str, Callable[..., None]]:
        pane = self.attachments
        panel = self.panel
        return {
            "next_case": self.next_case_requested.emit,
            "previous_case": self.previous_case_requested.emit,
            "focus_decision": lambda: panel.setFocus(Qt.FocusReason.ShortcutFocusReason),
            "approve": lambda: self._decision_key(lambda: panel.choose_outcome("approve")),
            "reject": lambda: self._decision_key(lambda: panel.choose_outcome("reject")),
            "return": lambda: self._decision_key(lambda: panel.choose_outcome("return")),
            "toggle_item": lambda i: self._decision_key(lambda: panel.toggle_item(i)),
            "toggle_reason": lambda i: self._decision_key(lambda: panel.toggle_reason(i)),
            "cycle_verdict": lambda: self._decision_key(panel.cycle_verdict),
            "focus_comment": lambda: self._decision_key(panel.focus_comment),
            "focus_note": lambda: self._decision_key(panel.focus_note),
            "submit_next": lambda: panel.submit(and_next=True),
            "submit": lambda: panel.submit(and_next=False),
            "confirm": lambda: panel.confirm(True),
            "refuse": lambda: panel.confirm(False),
            "next_attachment": pane.next_attachment,
            "previous_attachment": pane.previous_attachment,
            "zoom_in": pane.zoom_in,
            "zoom_out": pane.zoom_out,
            "fit_page": pane.fit_page,
            "fit_width": pane.fit_width,
            "actual_size": pane.actual_size,
            "rotate_right": pane.rotate_right,
            "rotate_left": pane.rotate_left,
            "brighten": pane.brighten,
            "reset_adjustments": pane.reset_adjustments,
            "compare": pane.toggle_compare,
            "compare_next": pane.cycle_compare,
            "detach": self.toggle_detached,
            "history": self._toggle_tab,
            "help": self.show_shortcut_sheet,
        }

    def _toggle_tab(self) -> None:
        self.tabs.setCurrentIndex(1 - self.tabs.currentIndex())

    def _reattach(self) -> None:
        window = self._detached
        if window is None:
            return
        self._detached = None
        index = self.splitter.indexOf(self._detached_placeholder)
        self.splitter.replaceWidget(index, self.attachments)
        self.attachments.show()
        self._detached_placeholder.hide()
        window.deleteLater()


__all__ = ["CaseView", "LoadedCase", "held_before", "load_case_bundle", "peek_case", "CaseNotFound"]
