"""The audit browser's reads: the journal a page at a time, its chain checked, a CSV of it.

Everything here reads this store's own ``journal`` table (the hash-chained, append-only
record of every audited action; :mod:`reviewdb.journal`), never the central store's copies
of other workstations' chains.

**Who sees what** (:class:`AuditScope`). An administrator sees every entry. A supervisor
sees the entries about cases of their districts (whoever made them: reviewers, other
supervisors, intake) and the case-less entries they made themselves (their own logins,
their own key or user changes); other people's case-less entries (logins, user
administration) and entries about other districts' cases stay hidden. The rule follows the
case, not the person, because a case is what a district owns: a reviewer who also works
for 西湖区 does 西湖区 work that 东湖区's supervisor has no business reading. Reviewers do
not get the browser at all (:class:`app.workbench.Workbench` refuses them).

The chain check is the store-wide verifier (:func:`reviewdb.journal.verify`), whatever the
scope: the chain is one, so a supervisor learns *that* and *where* it broke even when the
broken entry itself is outside their districts.

Pages are keyset pages on ``seq``, newest first: ``after_seq`` is the smallest ``seq`` of
the page before; no OFFSET, and never the whole journal in memory (the CSV export walks the
same pages).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Select, Text, and_, false, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from app.auth import UserAdminError, normalize_username
from app.files import csv_text, written_whole
from app.notices.printing import CHINA_TZ
from app.review.errors import WorkflowError
from reviewdb import journal
from reviewdb.engine import Store
from reviewdb.errors import Refusal
from reviewdb.models import Case, JournalEntry, User

PAGE_SIZE: Final = 200
MAX_PAGE: Final = 1000
EXPORT_BATCH: Final = 1000
MAX_FILTER_TEXT: Final = 64
"""Characters of a typed filter: a case number is 15, a user name or a display name at most 64."""
SUMMARY_LENGTH: Final = 80

Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]

ACTION_WORDS: Final = {
    "view": "查看",
    "claim": "领取",
    "renew": "续期",
    "release": "释放",
    "takeover": "接管",
    "decide": "作出决定",
    "confirm": "复核",
    "undo": "撤销",
    "resolve_conflict": "裁决冲突",
    "import": "导入",
    "print": "打印通知书",
    "login": "登录",
    "login_failed": "登录失败",
    "login_locked": "账户锁定中登录",
    "user_add": "新增用户",
    "user_passwd": "修改密码",
    "user_disable": "停用用户",
    "keys_init": "生成区县密钥",
    "keys_rotate": "更换区县密钥",
    "keys_revoke": "吊销区县密钥",
    "publish_policy": "发布政策",
    "reassign": "转派案件",
    "user_pause": "暂停账号",
    "user_resume": "恢复账号",
    "qa_draw": "抽查抽取",
    "qa_verdict": "抽查复查",
    "qa_settle": "处理抽查分歧",
    "export_decisions": "导出结论",
    "export_full_ids": "导出结论（完整身份证号）",
}
"""The journal's actions in words (the CSV's 操作 column; the window translates its own)."""

_OUTCOME_WORDS: Final = {"approve": "通过", "reject": "不通过", "return": "退回补充"}
_STATE_WORDS: Final = {
    "accepted": "已生效",
    "pending_confirmation": "待复核",
    "confirmed": "已复核",
    "conflict": "冲突",
    "undone": "已撤销",
    "superseded": "已被取代",
}
_LOGIN_REASONS: Final = {
    "unknown_user": "用户不存在",
    "password": "密码错误",
    "disabled": "账户已停用",
    "no_offline_verifier": "本机没有离线登录凭据",
}
_ROLE_WORDS: Final = {"reviewer": "审核员", "supervisor": "复核员", "admin": "管理员"}

# A summary's sentences, by key: {name} is filled with the payload's field (str.format).
# The CSV uses these; the window hands its own translated set (ui.audit.audit_dialog).
SUMMARY_TEMPLATES: Final = {
    "claim": "领取至 {until}",
    "renew": "续期至 {until}",
    "takeover": "接管（原领取人 {holder}），原因：{reason}",
    "reassign": "转派给 {to}（原领取人 {holder}），原因：{reason}",
    "reassign_release": "释放（原领取人 {holder}），原因：{reason}",
    "state": "（{state}）",
    "reasons": "；理由 {codes}",
    "missing": "；缺少 {codes}",
    "overrode": "；忽略 {count} 项错误发现",
    "confirm_yes": "复核确认",
    "confirm_no": "复核驳回",
    "comment": "：{comment}",
    "undo": "撤销决定",
    "resolve": "裁决为{outcome}",
    "import": "导入第 {round} 轮材料，附件 {count} 个",
    "print": "通知书 {serial}，第 {copy} 份",
    "reprint": "（补打：{reason}）",
    "account": "账号 {username}",
    "login_reason": "：{reason}",
    "locked": "；锁定至 {until}",
    "user_add": "{username}（{name}，{role}）",
    "districts": "，区县 {districts}",
    "keys": "区县 {district} 第 {key} 号密钥",
    "keys_reason": "：{reason}",
    "publish": "写入 {written} 项，删除 {removed} 项",
    "pause": "账号 {username}，原因：{reason}",
    "qa_draw": "区县 {district}：考虑 {considered} 件，抽取 {drawn} 件",
    "qa_unassigned": "，{count} 件无人可复查",
    "qa_agree": "同意",
    "qa_disagree": "不同意：{comment}",
    "qa_upheld": "维持原通过决定",
    "qa_overturned": "改判为{outcome}",
    "export": "{start} 至 {end}，{rows} 行，{file}",
    "unreadable": "（内容无法读取）",
}


@dataclass(frozen=True)
class SummaryWords:
    """How a summary is worded: the sentence for each of :data:`SUMMARY_TEMPLATES`' keys,
    the words for outcomes, decision states, roles and login refusals, and how a list of
    reason or document codes and a list of plain names read. :data:`CHINESE` is the CSV's."""

    sentence: Callable[[str], str]
    outcome: Callable[[str], str]
    state: Callable[[str], str]
    role: Callable[[str], str]
    login_reason: Callable[[str], str]
    codes: Callable[[list[str]], str]
    names: Callable[[list[str]], str]


def _chinese_list(values: list[str]) -> str:
    return "、".join(values)


CHINESE: Final = SummaryWords(
    SUMMARY_TEMPLATES.__getitem__,
    outcome=lambda o: _OUTCOME_WORDS.get(o, o),
    state=lambda s: _STATE_WORDS.get(s, s),
    role=lambda r: _ROLE_WORDS.get(r, r),
    login_reason=lambda r: _LOGIN_REASONS.get(r, r),
    codes=_chinese_list,
    names=_chinese_list,
)

CSV_HEADER: Final = (
    "序号",
    "入库时间",
    "人员账号",
    "人员姓名",
    "工作站",
    "操作",
    "操作代码",
    "案件编号",
    "摘要",
    "内容（JSON）",
)


class AuditCancelled(Refusal):
    """The check or the export was stopped by the person who started it; nothing was kept."""


@dataclass(frozen=True)
class AuditScope:
    """Whose entries a person may read: ``districts`` None is every entry (administrators);
    else the entries about cases of ``districts`` and the case-less ones ``username`` made."""

    districts: tuple[str, ...] | None
    username: str | None = None

    @classmethod
    def everything(cls) -> AuditScope:
        return cls(None, None)


@dataclass(frozen=True)
class AuditFilters:
    """The filter bar. ``case``: a case number (or case id), exactly; ``person``: a user
    name or a display name, exactly; ``action``: one of :func:`actions_present`;
    ``date_from``/``date_to``: China dates (UTC+8), both days included."""

    case: str | None = None
    person: str | None = None
    action: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One journal entry as the browser lists it."""

    seq: int
    store_time: dt.datetime
    actor: str | None  # the user name the entry names (None: nobody logged in)
    actor_name: str | None  # that user's display name (None: no such user in this store)
    workstation: str
    action: str
    case_id: str | None
    case_no: str | None
    summary: str  # a short Chinese sentence of the payload
    payload_json: str  # the payload as canonical JSON text (as stored, if it is not JSON)

    @property
    def action_words(self) -> str:
        return ACTION_WORDS.get(self.action, self.action)

    def china_time(self) -> str:
        return f"{self.store_time.astimezone(CHINA_TZ):%Y-%m-%d %H:%M:%S}"


@dataclass(frozen=True)
class JournalCheck:
    """The chain checked: ``ok``, or the first entry that does not fit and why."""

    ok: bool
    checked: int
    broken_seq: int | None
    message: str  # the verdict in one Chinese sentence
    problem: str | None  # the verifier's own words (English), for the record
    what: str = ""  # what is wrong, in Chinese words (empty when ok)
    unkeyed: int = 0
    sealed_seq: int | None = None


@dataclass(frozen=True)
class AuditExport:
    path: Path
    rows: int


# --- filters -----------------------------------------------------------------------------


def _clean_text(label: str, code: str, value: str | None) -> str | None:
    if value is None:
        return None
    if "\x00" in value:
        raise WorkflowError(
            "filter_nul", f"{label}: contains a NUL character; retype it", field=code
        )
    value = value.strip()
    if len(value) > MAX_FILTER_TEXT:
        raise WorkflowError(
            "filter_too_long",
            f"{label}: {len(value):,} characters; type a case number, a user name or a name "
            f"(at most {MAX_FILTER_TEXT} characters)",
            field=code,
            length=len(value),
        )
    return value or None


def check_filters(filters: AuditFilters) -> AuditFilters:
    """``filters`` with their texts trimmed (empty ones None), or a WorkflowError saying what
    is wrong with them: a NUL, text longer than any case number or name, dates reversed."""
    case = _clean_text("case", "case", filters.case)
    person = _clean_text("person", "person", filters.person)
    action = _clean_text("action", "action", filters.action)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise WorkflowError(
            "filter_dates",
            f"the first day ({filters.date_from}) is after the last day ({filters.date_to})",
        )
    return AuditFilters(case, person, action, filters.date_from, filters.date_to)


def _china_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), CHINA_TZ).astimezone(dt.UTC)


_PAYLOAD = type_coerce(JournalEntry.payload, Text)  # the stored text, parsed here


def _where(session: Session, stmt: Select[Any], scope: AuditScope, f: AuditFilters) -> Select[Any]:
    """``stmt`` (over journal ⟕ users ⟕ cases) narrowed to ``scope`` and ``f`` (checked)."""
    if scope.districts is not None:
        own = (
            and_(JournalEntry.case_id.is_(None), JournalEntry.actor == scope.username)
            if scope.username
            else false()
        )
        stmt = stmt.where(or_(Case.district_code.in_(scope.districts), own))
    if f.case is not None:
        # One index lookup for the case, then the journal's case_id index.
        found = session.scalar(
            select(Case.id).where(or_(Case.case_no == f.case, Case.id == f.case))
        )
        stmt = stmt.where(JournalEntry.case_id == (found or f.case))
    if f.person is not None:
        try:
            username = normalize_username(f.person)
        except UserAdminError:
            username = f.person  # not a user name: perhaps a display name
        stmt = stmt.where(or_(JournalEntry.actor == username, User.display_name == f.person))
    if f.action is not None:
        stmt = stmt.where(JournalEntry.action == f.action)
    if f.date_from is not None:
        stmt = stmt.where(JournalEntry.store_time >= _china_midnight(f.date_from))
    if f.date_to is not None:
        stmt = stmt.where(
            JournalEntry.store_time < _china_midnight(f.date_to + dt.timedelta(days=1))
        )
    return stmt


def _joined(*columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(JournalEntry)
        .outerjoin(User, User.username == JournalEntry.actor)
        .outerjoin(Case, Case.id == JournalEntry.case_id)
    )


_ROW_COLUMNS = (
    JournalEntry.seq,
    JournalEntry.store_time,
    JournalEntry.actor,
    User.display_name,
    JournalEntry.workstation,
    JournalEntry.action,
    JournalEntry.case_id,
    Case.case_no,
    _PAYLOAD,
)


def _page(
    session: Session, scope: AuditScope, f: AuditFilters, after_seq: int | None, limit: int
) -> list[AuditRow]:
    stmt = _where(session, _joined(*_ROW_COLUMNS), scope, f)
    if after_seq is not None:
        stmt = stmt.where(JournalEntry.seq < after_seq)
    stmt = stmt.order_by(JournalEntry.seq.desc()).limit(limit)
    return [_row(*values) for values in session.execute(stmt)]


def _row(
    seq: int,
    store_time: dt.datetime,
    actor: str | None,
    actor_name: str | None,
    workstation: str,
    action: str,
    case_id: str | None,
    case_no: str | None,
    raw: str | None,
) -> AuditRow:
    payload: Any
    try:
        payload = json.loads(raw) if raw is not None else {}
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    except ValueError:
        # Altered into something that is not JSON: shown as it is, the chain check names it.
        payload, text = None, raw or ""
    if case_no is None and isinstance(payload, dict) and isinstance(payload.get("case_no"), str):
        case_no = payload["case_no"]  # a case this store does not hold (yet)
    return AuditRow(
        seq=int(seq),
        store_time=store_time,
        actor=actor,
        actor_name=actor_name,
        workstation=workstation,
        action=action,
        case_id=case_id,
        case_no=case_no,
        summary=summarize(action, payload),
        payload_json=text,
    )


def journal_page(
    store: Store,
    scope: AuditScope,
    filters: AuditFilters = AuditFilters(),
    after_seq: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[AuditRow]:
    """Up to ``limit`` entries in ``scope`` matching ``filters``, newest first, all older
    than ``after_seq`` (None: from the newest entry)."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit must be 1..{MAX_PAGE}, not {limit}")
    f = check_filters(filters)
    with store.read() as s:
        return _page(s, scope, f, after_seq, limit)


def count_entries(store: Store, scope: AuditScope, filters: AuditFilters = AuditFilters()) -> int:
    """How many entries ``journal_page`` would list page after page."""
    f = check_filters(filters)
    with store.read() as s:
        return int(s.scalar(_where(s, _joined(func.count()), scope, f)) or 0)


def actions_present(store: Store) -> list[str]:
    """Every action the journal holds, for the action filter (the action index alone, so
    a supervisor may see the name of an action none of their entries has)."""
    with store.read() as s:
        return sorted(str(a) for a in s.scalars(select(JournalEntry.action).distinct()))


# --- summaries ---------------------------------------------------------------------------


def _when(value: object) -> str:
    if not isinstance(value, str):
        return "?"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return f"{moment.astimezone(CHINA_TZ):%m-%d %H:%M}"


def _list(values: object) -> list[str]:
    return [str(v) for v in values] if isinstance(values, list) else []


def _say(action: str, p: dict[str, Any], w: SummaryWords) -> str:
    def say(which: str, **fields: object) -> str:
        return w.sentence(which).format(**{k: "" if v is None else v for k, v in fields.items()})

    if action in ("claim", "renew"):
        text = say(action, until=_when(p.get("until")))
    elif action == "takeover":
        text = say("takeover", holder=p.get("previous_holder") or "—", reason=p.get("reason"))
    elif action == "reassign":
        holder = p.get("previous_holder") or "—"
        text = (
            say("reassign", to=p["to"], holder=holder, reason=p.get("reason"))
            if p.get("to")
            else say("reassign_release", holder=holder, reason=p.get("reason"))
        )
    elif action == "decide":
        text = w.outcome(str(p.get("outcome", "")))
        if state := p.get("state"):
            text += say("state", state=w.state(str(state)))
        if reasons := _list(p.get("reasons")):
            text += say("reasons", codes=w.codes(reasons))
        if missing := _list(p.get("missing")):
            text += say("missing", codes=w.codes(missing))
        if p.get("overrode_findings"):
            text += say("overrode", count=len(p["overrode_findings"]))
    elif action == "confirm":
        text = say("confirm_yes" if p.get("accepted") else "confirm_no")
        if p.get("comment"):
            text += say("comment", comment=p["comment"])
    elif action == "undo":
        text = say("undo")
    elif action == "resolve_conflict":
        text = say("resolve", outcome=w.outcome(str(p.get("outcome", ""))))
    elif action == "import":
        text = say("import", round=p.get("round", "?"), count=p.get("attachments", "?"))
    elif action == "print":
        text = say("print", serial=p.get("serial", ""), copy=p.get("copy_no", "?"))
        if p.get("reprint_reason"):
            text += say("reprint", reason=p["reprint_reason"])
    elif action in ("login", "login_failed", "login_locked"):
        text = say("account", username=p.get("username", ""))
        if reason := p.get("reason"):
            text += say("login_reason", reason=w.login_reason(str(reason)))
        if p.get("locked_until"):
            text += say("locked", until=_when(p["locked_until"]))
    elif action == "user_add":
        role = w.role(str(p.get("role", "")))
        text = say(
            "user_add", username=p.get("username", ""), name=p.get("display_name"), role=role
        )
        if districts := _list(p.get("districts")):
            text += say("districts", districts=w.names(districts))
    elif action in ("user_passwd", "user_disable"):
        text = say("account", username=p.get("username", ""))
    elif action in ("user_pause", "user_resume"):
        text = say("pause", username=p.get("username", ""), reason=p.get("reason"))
    elif action.startswith("keys_"):
        text = say("keys", district=p.get("district", ""), key=p.get("key_id", "?"))
        if p.get("reason"):
            text += say("keys_reason", reason=p["reason"])
    elif action == "publish_policy":
        text = say(
            "publish", written=len(p.get("written") or []), removed=len(p.get("removed") or [])
        )
    elif action == "qa_draw":
        text = say(
            "qa_draw",
            district=p.get("district", ""),
            considered=p.get("considered", "?"),
            drawn=len(_list(p.get("drawn"))),
        )
        if unassigned := _list(p.get("unassigned")):
            text += say("qa_unassigned", count=len(unassigned))
    elif action == "qa_verdict":
        text = (
            say("qa_agree")
            if p.get("verdict") == "agree"
            else say("qa_disagree", comment=p.get("comment"))
        )
    elif action == "qa_settle":
        text = (
            say("qa_overturned", outcome=w.outcome(str(p.get("outcome", ""))))
            if p.get("settlement") == "overturned"
            else say("qa_upheld")
        )
        if p.get("comment"):
            text += say("comment", comment=p["comment"])
    elif action in ("export_decisions", "export_full_ids"):
        text = say(
            "export", start=p.get("from"), end=p.get("to"), rows=p.get("rows"), file=p.get("file")
        )
    elif action in ("view", "release"):
        text = ""
    else:
        text = "，".join(f"{k}={v}" for k, v in p.items() if k != "case_no")
    return text


def summarize(action: str, payload: Any, words: SummaryWords = CHINESE) -> str:
    """A short sentence of an entry's payload (at most SUMMARY_LENGTH characters), in
    Chinese unless ``words`` says otherwise."""
    if not isinstance(payload, dict):
        return words.sentence("unreadable")
    try:
        text = _say(action, payload, words)
    except (TypeError, AttributeError, KeyError, ValueError, IndexError):
        text = ""  # a payload of an older or altered shape: the raw JSON says it all
    text = " ".join(text.split())  # a typed reason with line breaks stays one line
    if len(text) > SUMMARY_LENGTH:
        text = text[: SUMMARY_LENGTH - 1] + "…"
    return text


# --- the chain ---------------------------------------------------------------------------

_PROBLEMS: Final = (
    (re.compile(r"entry \d+ was altered"), "内容被改动（与记录时的哈希不符）"),
    (re.compile(r"entry \d+ is missing"), "该条缺失（被删除）"),
    (re.compile(r"entry \d+ is out of order"), "顺序错乱"),
    (re.compile(r"does not follow"), "与前一条衔接不上（被插入，或前一条被删除或改动）"),
    (re.compile(r"key mark"), "密钥标记不符（由不持有本机日志密钥的人写入或改写）"),
    (re.compile(r"were deleted"), "末尾的条目被删除（中心库封存时更长）"),
    (re.compile(r"not the entry the central store sealed"), "与中心库封存的条目不同（被改写）"),
    (re.compile(r"seal"), "中心库的封存无法核对"),
)


def _what(problem: str | None) -> str:
    """The verifier's problem in Chinese words (its own words when none fit)."""
    text = problem or ""
    return next((words for pattern, words in _PROBLEMS if pattern.search(text)), text)


def _check_words(result: journal.VerifyResult) -> str:
    if result.ok:
        text = f"链完整：已校验 {result.checked:,} 条"
        if result.sealed_seq is not None:
            text += f"（中心库封存至第 {result.sealed_seq} 条）"
        if result.unkeyed:
            text += f"；其中 {result.unkeyed:,} 条写于启用密钥之前"
        return text
    what = _what(result.problem)
    if result.broken_seq is None:
        return f"校验未通过：{what}"
    return f"第 {result.broken_seq} 条起被改动：{what}"


def verify_journal(
    store: Store, progress: Progress | None = None, cancelled: Cancelled | None = None
) -> JournalCheck:
    """Check this store's chain with :func:`reviewdb.journal.verify` (links, hashes, key
    marks, the seal it keeps). ``progress(checked, total)``; :class:`AuditCancelled` once
    ``cancelled()`` says so (checked between batches of the verifier's reads)."""
    with store.read() as s:
        total = journal.count(s)
        if progress is not None:
            progress(0, total)

        def watch(read: int) -> None:
            if cancelled is not None and cancelled():
                raise AuditCancelled(f"journal check stopped after {read:,} of {total:,} entries")
            if progress is not None:
                progress(min(read, total), total)

        if cancelled is not None and cancelled():
            raise AuditCancelled("journal check stopped before it began")
        try:
            result = journal.verify(s, progress=watch)
        except json.JSONDecodeError as exc:
            # The verifier reads entries through the ORM, whose JSON column cannot load a
            # payload altered into something that is not JSON: that is tampering too.
            return JournalCheck(
                ok=False,
                checked=0,
                broken_seq=None,
                message="校验未通过：有条目的内容被改成了无法读取的文字",
                problem=f"an entry's payload is not JSON ({exc})",
                what="有条目的内容被改成了无法读取的文字",
            )
    if progress is not None:
        progress(total, total)
    return JournalCheck(
        ok=result.ok,
        checked=result.checked,
        broken_seq=result.broken_seq,
        message=_check_words(result),
        problem=result.problem,
        unkeyed=result.unkeyed,
        sealed_seq=result.sealed_seq,
        what="" if result.ok else _what(result.problem),
    )


# --- CSV ---------------------------------------------------------------------------------


def csv_cells(row: AuditRow) -> list[str]:
    """One entry as the export's cells (a spreadsheet must never run a typed reason as a
    formula)."""
    return [
        str(row.seq),
        row.china_time(),
        csv_text(row.actor or ""),
        csv_text(row.actor_name or ""),
        csv_text(row.workstation),
        row.action_words,
        row.action,
        csv_text(row.case_no or ""),
        csv_text(row.summary),
        row.payload_json,
    ]


def _walk(
    session: Session, scope: AuditScope, f: AuditFilters, batch: int
) -> Iterator[list[AuditRow]]:
    # Entries appended while the export runs are left out (they are newer than its start).
    top = session.scalar(select(func.max(JournalEntry.seq)))
    after = None if top is None else int(top) + 1
    while True:
        rows = _page(session, scope, f, after, batch)
        if not rows:
            return
        yield rows
        if len(rows) < batch:
            return
        after = rows[-1].seq


def export_journal_csv(
    store: Store,
    scope: AuditScope,
    filters: AuditFilters,
    path: Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    batch: int = EXPORT_BATCH,
) -> AuditExport:
    """Write every entry ``journal_page`` would list to ``path`` (UTF-8 with a BOM, so that
    Excel on Chinese Windows reads it), a batch at a time.

    Written beside ``path`` as ``.NAME.part`` and renamed into place at the end: a cancelled
    or failed export removes its partial file and leaves any earlier ``path`` as it was.
    """
    f = check_filters(filters)
    if path.is_dir():
        raise WorkflowError("export_path", f"cannot write {path}: it is a folder")
    if not path.parent.is_dir():
        raise WorkflowError("export_path", f"cannot write {path}: no folder {path.parent}")
    written = 0
    with written_whole(path, encoding="utf-8-sig") as fh, store.read() as s:
        total = int(s.scalar(_where(s, _joined(func.count()), scope, f)) or 0)
        if progress is not None:
            progress(0, total)
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        if cancelled is not None and cancelled():
            raise AuditCancelled("export stopped before it began")
        for rows in _walk(s, scope, f, batch):
            if cancelled is not None and cancelled():
                raise AuditCancelled(f"export stopped after {written:,} of {total:,} entries")
            writer.writerows(csv_cells(r) for r in rows)
            written += len(rows)
            if progress is not None:
                progress(written, max(total, written))
    return AuditExport(path, written)
