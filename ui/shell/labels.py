"""What app/ hands the window as words, in the interface language: one table per vocabulary.

app/ stays Qt-free and speaks Chinese (statuses, case kinds, relations, document names,
reason and file-problem wordings, check findings) or English (store descriptions, command
refusals); the window translates at this boundary. Every source string here is marked for
lupdate (context ``Labels``; the statuses keep ``QueueModel``, where their English already
lives) and translated when shown. A value no table knows is shown as it is: it is data.

The wording of the statuses is :data:`app.domain.STATUS_LABELS` (a test keeps the two
equal).
"""

from __future__ import annotations

import datetime as dt
import errno
import re
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

CONTEXT = "QueueModel"  # where the English translations of the statuses live
LABELS = "Labels"


def _noop(text: str) -> str:
    """Marks ``text`` for lupdate (context ``QueueModel``); translated by :func:`status_title`."""
    return text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - Qt's name, lupdate reads it
    """Marks ``text`` for lupdate; translated where it is shown."""
    return text


def _t(text: str) -> str:
    return QCoreApplication.translate(LABELS, text)


# The interface language's name in itself: translated, it tells which language is shown.
LANGUAGE_NAME = QT_TRANSLATE_NOOP("Labels", "中文")


def source_language() -> bool:
    """Whether the window speaks the source language (Chinese): no translation installed."""
    return _t(LANGUAGE_NAME) == LANGUAGE_NAME


def _lookup(table: Mapping[str, str], value: str | None) -> str:
    if not value:
        return ""
    text = table.get(value)
    return _t(text) if text else value


# --- case statuses, kinds, stages ----------------------------------------------------------

STATUS_TITLES = {
    "pending": _noop("待审核"),
    "confirming": _noop("待复核"),
    "approved": _noop("已通过"),
    "rejected": _noop("未通过"),
    "returned": _noop("已退回"),
}


def status_title(status: str) -> str:
    """A case status in the interface language (unknown ones as they are)."""
    text = STATUS_TITLES.get(status)
    return QCoreApplication.translate(CONTEXT, text) if text else status


KIND_TITLES = {
    "guardianship": QT_TRANSLATE_NOOP("Labels", "监护关系"),
    "rural_house": QT_TRANSLATE_NOOP("Labels", "农房"),
    "kinship": QT_TRANSLATE_NOOP("Labels", "隔代亲属"),
}
_KIND_BY_LABEL = {"监护关系": "guardianship", "隔代亲属": "kinship"}


def kind_title(kind: str) -> str:
    """A case kind (``guardianship`` or its Chinese label 监护关系) in the interface language."""
    return _lookup(KIND_TITLES, _KIND_BY_LABEL.get(kind, kind))


STAGE_TITLES = {
    "primary": QT_TRANSLATE_NOOP("Labels", "幼升小"),
    "junior": QT_TRANSLATE_NOOP("Labels", "小升初"),
}


def stage_title(stage: str) -> str:
    """``primary``/``junior`` (or 幼升小/小升初) in the interface language."""
    if stage in STAGE_TITLES:
        return _lookup(STAGE_TITLES, stage)
    if stage in STAGE_TITLES.values():  # the Chinese title itself, as findings carry it
        return _t(stage)
    return term(stage)


# --- decisions, verdicts, the journal, roles -------------------------------------------------

OUTCOME_TITLES = {
    "approve": QT_TRANSLATE_NOOP("Labels", "通过"),
    "reject": QT_TRANSLATE_NOOP("Labels", "不通过"),
    "return": QT_TRANSLATE_NOOP("Labels", "退回补充"),
}


def outcome_title(outcome: str) -> str:
    return _lookup(OUTCOME_TITLES, outcome)


DECISION_STATE_TITLES = {
    "accepted": QT_TRANSLATE_NOOP("Labels", "已生效"),
    "pending_confirmation": QT_TRANSLATE_NOOP("Labels", "待复核"),
    "confirmed": QT_TRANSLATE_NOOP("Labels", "已复核确认"),
    "conflict": QT_TRANSLATE_NOOP("Labels", "冲突"),
    "superseded": QT_TRANSLATE_NOOP("Labels", "已被取代"),
    "undone": QT_TRANSLATE_NOOP("Labels", "已撤销"),
    "refused": QT_TRANSLATE_NOOP("Labels", "复核驳回"),
}


def decision_state_title(state: str) -> str:
    return _lookup(DECISION_STATE_TITLES, state)


VERDICT_TITLES = {
    "": QT_TRANSLATE_NOOP("Labels", "未标记"),
    "fine": QT_TRANSLATE_NOOP("Labels", "清晰"),
    "unclear": QT_TRANSLATE_NOOP("Labels", "不清晰"),
    "wrong_document": QT_TRANSLATE_NOOP("Labels", "材料不符"),
    "suspicious": QT_TRANSLATE_NOOP("Labels", "存疑"),
}


def verdict_title(verdict: str | None) -> str:
    """An attachment verdict (``""`` is 未标记)."""
    return _t(VERDICT_TITLES[verdict or ""]) if (verdict or "") in VERDICT_TITLES else str(verdict)


JOURNAL_ACTION_TITLES = {
    "view": QT_TRANSLATE_NOOP("Labels", "查看"),
    "claim": QT_TRANSLATE_NOOP("Labels", "领取"),
    "renew": QT_TRANSLATE_NOOP("Labels", "续期"),
    "release": QT_TRANSLATE_NOOP("Labels", "释放"),
    "takeover": QT_TRANSLATE_NOOP("Labels", "接管"),
    "decide": QT_TRANSLATE_NOOP("Labels", "作出决定"),
    "confirm": QT_TRANSLATE_NOOP("Labels", "复核"),
    "undo": QT_TRANSLATE_NOOP("Labels", "撤销"),
    "import": QT_TRANSLATE_NOOP("Labels", "导入"),
    "print": QT_TRANSLATE_NOOP("Labels", "打印通知书"),
    "resolve": QT_TRANSLATE_NOOP("Labels", "裁决"),
    "checkout": QT_TRANSLATE_NOOP("Labels", "签出"),
}


def journal_action_title(action: str) -> str:
    """A journal entry's action (審核记录's 操作 column)."""
    return _lookup(JOURNAL_ACTION_TITLES, action)


ROLE_TITLES = {
    "reviewer": QT_TRANSLATE_NOOP("Labels", "审核员"),
    "supervisor": QT_TRANSLATE_NOOP("Labels", "复核员"),
    "admin": QT_TRANSLATE_NOOP("Labels", "管理员"),
}


def role_title(role: str) -> str:
    return _lookup(ROLE_TITLES, role)


# --- what a submission says: relations, documents, titles ---------------------------------

# Every fixed word a submission may hold (the submission schema's enums, the policies'
# checklists, the demo generator's choices): relations, certificate types, the nature of
# a title, house types, custody documents, residence bases and document (attachment) names.
TERMS = {
    text: text
    for text in (
        # relations to the student
        QT_TRANSLATE_NOOP("Labels", "本人"),
        QT_TRANSLATE_NOOP("Labels", "学生"),
        QT_TRANSLATE_NOOP("Labels", "父亲"),
        QT_TRANSLATE_NOOP("Labels", "母亲"),
        QT_TRANSLATE_NOOP("Labels", "其他监护人"),
        QT_TRANSLATE_NOOP("Labels", "祖父"),
        QT_TRANSLATE_NOOP("Labels", "祖母"),
        QT_TRANSLATE_NOOP("Labels", "外祖父"),
        QT_TRANSLATE_NOOP("Labels", "外祖母"),
        QT_TRANSLATE_NOOP("Labels", "产权人"),
        QT_TRANSLATE_NOOP("Labels", "孙"),
        QT_TRANSLATE_NOOP("Labels", "外孙"),
        # certificate types and the nature of a title
        QT_TRANSLATE_NOOP("Labels", "不动产权证"),
        QT_TRANSLATE_NOOP("Labels", "房产证"),
        QT_TRANSLATE_NOOP("Labels", "土地使用证"),
        QT_TRANSLATE_NOOP("Labels", "网签合同"),
        QT_TRANSLATE_NOOP("Labels", "农房"),
        QT_TRANSLATE_NOOP("Labels", "拆迁协议"),
        QT_TRANSLATE_NOOP("Labels", "住宅"),
        QT_TRANSLATE_NOOP("Labels", "非住宅"),
        # house types of a rural-house case
        QT_TRANSLATE_NOOP("Labels", "军房"),
        QT_TRANSLATE_NOOP("Labels", "农民公寓"),
        QT_TRANSLATE_NOOP("Labels", "单位房"),
        # residence bases
        QT_TRANSLATE_NOOP("Labels", "父母房产"),
        QT_TRANSLATE_NOOP("Labels", "(外)祖父母房产"),
        QT_TRANSLATE_NOOP("Labels", "（外）祖父母房产"),
        QT_TRANSLATE_NOOP("Labels", "租赁备案"),
        QT_TRANSLATE_NOOP("Labels", "居住证"),
        # documents: the policies' checklists and the labels uploads come with
        QT_TRANSLATE_NOOP("Labels", "离婚证"),
        QT_TRANSLATE_NOOP("Labels", "离婚协议书或法院判决书/调解书（含抚养权条款）"),
        QT_TRANSLATE_NOOP("Labels", "离婚协议书"),
        QT_TRANSLATE_NOOP("Labels", "法院判决书"),
        QT_TRANSLATE_NOOP("Labels", "民事判决书"),
        QT_TRANSLATE_NOOP("Labels", "调解书"),
        QT_TRANSLATE_NOOP("Labels", "民事调解书"),
        QT_TRANSLATE_NOOP("Labels", "户口簿首页"),
        QT_TRANSLATE_NOOP("Labels", "户口簿本人页"),
        QT_TRANSLATE_NOOP("Labels", "户口簿（祖父母页）"),
        QT_TRANSLATE_NOOP("Labels", "户口簿祖父母页"),
        QT_TRANSLATE_NOOP("Labels", "户口簿（外祖父母页）"),
        QT_TRANSLATE_NOOP("Labels", "户口簿外祖父母页"),
        QT_TRANSLATE_NOOP("Labels", "农房证明"),
        QT_TRANSLATE_NOOP("Labels", "宅基地证"),
        QT_TRANSLATE_NOOP("Labels", "村委会证明"),
        QT_TRANSLATE_NOOP("Labels", "拆迁安置协议"),
        QT_TRANSLATE_NOOP("Labels", "出生医学证明"),
        QT_TRANSLATE_NOOP("Labels", "亲属关系证明"),
        QT_TRANSLATE_NOOP("Labels", "派出所亲属关系证明"),
        QT_TRANSLATE_NOOP("Labels", "村（居）委会亲属关系证明"),
        QT_TRANSLATE_NOOP("Labels", "不动产权证书"),
        QT_TRANSLATE_NOOP("Labels", "租赁备案证明"),
        QT_TRANSLATE_NOOP("Labels", "居住证明"),
    )
}


def term(value: str | None) -> str:
    """A fixed word of a submission (父亲, 房产证, 户口簿首页, 住宅 …) in the interface
    language; anything else (a name, an address) as it is."""
    if not value:
        return ""
    key = value.strip()
    return _t(key) if key in TERMS else value


relation_title = term
document_title = term


def person_title(who: str) -> str:
    """``母亲魏丽琳`` (relation and name run together, as the checks write them) with the
    relation translated: ``Mother 魏丽琳``."""
    for relation in sorted(_RELATIONS, key=len, reverse=True):
        if who.startswith(relation) and len(who) > len(relation):
            name = who[len(relation) :]
            return _t("%1%2").replace("%1", term(relation)).replace("%2", name)
    return term(who)


_RELATIONS = (
    "本人",
    "学生",
    "父亲",
    "母亲",
    "其他监护人",
    "祖父",
    "祖母",
    "外祖父",
    "外祖母",
    "产权人",
)


# --- reasons --------------------------------------------------------------------------------

# The reason library (resources/reasons.json) by code: the file wording (the reviewer's
# label) and the wording for the parents (printed on notices in Chinese; shown to the
# reviewer in the interface language).
REASON_TITLES = {
    "PHOTO_UNCLEAR": QT_TRANSLATE_NOOP("Labels", "材料照片不清晰"),
    "DOC_MISMATCH": QT_TRANSLATE_NOOP("Labels", "材料与填报信息不符"),
    "WRONG_DOCUMENT": QT_TRANSLATE_NOOP("Labels", "材料类型错误"),
    "SUSPECTED_ALTERED": QT_TRANSLATE_NOOP("Labels", "材料疑似涂改或伪造"),
    "OTHER": QT_TRANSLATE_NOOP("Labels", "其他（见审核意见）"),
    "CUSTODY_NOT_STATED": QT_TRANSLATE_NOOP("Labels", "未载明抚养权归属"),
    "CUSTODY_OTHER_PARENT": QT_TRANSLATE_NOOP("Labels", "抚养权归另一方"),
    "NOT_DIVORCED": QT_TRANSLATE_NOOP("Labels", "无离婚证明"),
    "OWNER_NOT_RELATIVE": QT_TRANSLATE_NOOP("Labels", "产权人非直系亲属"),
    "NO_VILLAGE_PROOF": QT_TRANSLATE_NOOP("Labels", "缺少农房证明"),
    "PROPERTY_USED": QT_TRANSLATE_NOOP("Labels", "房产三年内已被其他家庭使用"),
    "DEMOLITION_EXPIRED": QT_TRANSLATE_NOOP("Labels", "拆迁协议超过有效期"),
    "NOT_DIRECT_RELATIVE": QT_TRANSLATE_NOOP("Labels", "不能证明隔代直系亲属关系"),
    "GRANDPARENT_ID_MISMATCH": QT_TRANSLATE_NOOP("Labels", "祖辈身份信息不符"),
    "PERMIT_EXPIRED": QT_TRANSLATE_NOOP("Labels", "居住证已过期"),
}
REASON_PARENT_TEXTS = {
    "PHOTO_UNCLEAR": QT_TRANSLATE_NOOP(
        "Labels",
        "上传的材料照片不清晰，无法辨认关键信息，请重新拍摄清晰、完整的照片后上传。",
    ),
    "DOC_MISMATCH": QT_TRANSLATE_NOOP(
        "Labels", "上传的材料与填报信息不一致（姓名、身份证号或地址等），请核对后重新提交。"
    ),
    "WRONG_DOCUMENT": QT_TRANSLATE_NOOP(
        "Labels", "上传的材料不是所要求的证明文件，请按要求上传正确的材料。"
    ),
    "SUSPECTED_ALTERED": QT_TRANSLATE_NOOP(
        "Labels", "上传的材料存在疑点，请携带原件到区县教育部门现场审核。"
    ),
    "OTHER": QT_TRANSLATE_NOOP("Labels", "其他原因（见审核意见）。"),
    "CUSTODY_NOT_STATED": QT_TRANSLATE_NOOP(
        "Labels",
        "离婚协议书或法院判决书/调解书中未明确子女抚养权归属，请提交载明抚养权的材料。",
    ),
    "CUSTODY_OTHER_PARENT": QT_TRANSLATE_NOOP(
        "Labels", "材料显示子女抚养权归另一方监护人，请由具有抚养权的监护人登录提交。"
    ),
    "NOT_DIVORCED": QT_TRANSLATE_NOOP("Labels", "未能提供离婚证明材料，无法确认监护关系变更。"),
    "OWNER_NOT_RELATIVE": QT_TRANSLATE_NOOP(
        "Labels", "农房产权人与学生不是直系亲属关系，该农房不能作为入学依据。"
    ),
    "NO_VILLAGE_PROOF": QT_TRANSLATE_NOOP(
        "Labels", "缺少村（居）委会出具的农房证明或宅基地证明，请补充。"
    ),
    "PROPERTY_USED": QT_TRANSLATE_NOOP(
        "Labels", "该房产三年内已作为其他家庭适龄儿童少年的入学依据，不能再次使用。"
    ),
    "DEMOLITION_EXPIRED": QT_TRANSLATE_NOOP(
        "Labels", "拆迁安置协议已超过三年有效期，不能作为入学依据。"
    ),
    "NOT_DIRECT_RELATIVE": QT_TRANSLATE_NOOP(
        "Labels", "所提交材料不能证明（外）祖父母与学生的直系亲属关系。"
    ),
    "GRANDPARENT_ID_MISMATCH": QT_TRANSLATE_NOOP(
        "Labels", "（外）祖父母身份信息与户口簿或证明材料不一致，请核对后重新提交。"
    ),
    "PERMIT_EXPIRED": QT_TRANSLATE_NOOP("Labels", "居住证不在有效期内，请续签后重新提交。"),
}


def reason_title(code: str, file_text: str | None = None) -> str:
    """A reason's label by its code (``NOT_DIVORCED`` → 无离婚证明 / No divorce proof).

    A code the table does not know (a newer reason library) shows its library wording
    (``file_text``) in Chinese, and its code only when there is nothing else.
    """
    text = REASON_TITLES.get(code)
    if text is not None and (file_text is None or file_text == text):
        return _t(text)
    return file_text or code


def reason_parent_text(code: str, parent_text: str | None = None) -> str:
    """What the parents are told for ``code`` (the notice prints it in Chinese)."""
    text = REASON_PARENT_TEXTS.get(code)
    if text is not None and (parent_text is None or parent_text == text):
        return _t(text)
    return parent_text or ""


# The policies' checklist items by code (what a return for documents names as missing).
CHECKLIST_TITLES = {
    "divorce_certificate": "离婚证",
    "custody_document": "离婚协议书或法院判决书/调解书（含抚养权条款）",
    "hukou_home": "户口簿首页",
    "hukou_self": "户口簿本人页",
    "rural_house_proof": "农房证明",
    "hukou_grandparent": "户口簿（祖父母页）",
    "birth_certificate": "出生医学证明",
    "kinship_proof": "亲属关系证明",
}


def checklist_title(code: str, label: str | None = None) -> str:
    """A checklist item (a missing document) by its code, or by the policy's ``label``."""
    if label:
        return term(label)
    text = CHECKLIST_TITLES.get(code)
    return _t(text) if text else code


def codes_text(codes: tuple[str, ...] | list[str], separator: str | None = None) -> str:
    """Reason or missing-document codes (a decision's, the journal's) as their labels."""
    sep = _t("、") if separator is None else separator
    return sep.join(
        reason_title(code) if code in REASON_TITLES else checklist_title(code) for code in codes
    )


# --- files that cannot be shown ---------------------------------------------------------------

# app.intake.imaging's reasons, as the reviewer reads them: the present wording, and the
# earlier one that attachments imported before still carry.
FILE_PROBLEMS = {
    text: text
    for text in (
        QT_TRANSLATE_NOOP("Labels", "文件是空的（0 字节），上传没有成功，请重新上传"),
        QT_TRANSLATE_NOOP("Labels", "图片文件不完整（上传时被截断），请重新上传"),
        QT_TRANSLATE_NOOP("Labels", "图片文件已损坏，打不开，请重新拍照上传"),
        QT_TRANSLATE_NOOP("Labels", "图片的尺寸大得异常，无法打开，请用手机正常拍照后重新上传"),
        QT_TRANSLATE_NOOP("Labels", "上传的不是照片，而是一个网页文件，请重新选择照片上传"),
        QT_TRANSLATE_NOOP("Labels", "上传的不是照片，而是一个文字文件，请重新选择照片上传"),
        QT_TRANSLATE_NOOP("Labels", "无法识别文件格式，请拍照后以 JPG 或 PNG 图片上传"),
        QT_TRANSLATE_NOOP("Labels", "上传的不是照片，而是一个数据文件，请重新选择照片上传"),
        QT_TRANSLATE_NOOP(
            "Labels", "上传的是压缩包或 Word、Excel 等办公文档，请拍照或导出为 PDF 后重新上传"
        ),
        QT_TRANSLATE_NOOP("Labels", "上传的是视频，不是照片，请拍照后重新上传"),
        QT_TRANSLATE_NOOP(
            "Labels", "PDF 文件设置了打开密码，无法查看，请上传没有密码的 PDF，或拍照上传"
        ),
        QT_TRANSLATE_NOOP("Labels", "PDF 文件不完整（上传时被截断），请重新上传"),
        QT_TRANSLATE_NOOP("Labels", "PDF 文件已损坏，打不开，请重新上传，或拍照上传"),
        QT_TRANSLATE_NOOP("Labels", "PDF 文件里没有任何页面，请重新上传"),
        QT_TRANSLATE_NOOP("Labels", "不是 PDF 文件"),
        QT_TRANSLATE_NOOP("Labels", "文件不存在"),
        QT_TRANSLATE_NOOP("Labels", "没有读取该文件的权限"),
        QT_TRANSLATE_NOOP("Labels", "不是普通文件，无法读取"),
        QT_TRANSLATE_NOOP("Labels", "无法读取文件"),
        QT_TRANSLATE_NOOP("Labels", "原因未知"),
        QT_TRANSLATE_NOOP("Labels", "无法识别的文件"),
        # earlier wording
        QT_TRANSLATE_NOOP("Labels", "文件为空"),
        QT_TRANSLATE_NOOP("Labels", "图片文件不完整（截断）"),
        QT_TRANSLATE_NOOP("Labels", "图片文件已损坏，无法解码"),
        QT_TRANSLATE_NOOP("Labels", "图片尺寸过大（可能是解压炸弹）"),
        QT_TRANSLATE_NOOP("Labels", "不是图片文件（内容为 HTML）"),
        QT_TRANSLATE_NOOP("Labels", "不是图片文件（内容为文本）"),
        QT_TRANSLATE_NOOP("Labels", "不是图片文件（无法识别的格式）"),
        QT_TRANSLATE_NOOP("Labels", "不是图片文件（内容为 JSON 文本）"),
        QT_TRANSLATE_NOOP("Labels", "不是图片文件（内容为 PDF 文档）"),
        QT_TRANSLATE_NOOP("Labels", "不是图片文件（内容为压缩包或 Office 文档）"),
        QT_TRANSLATE_NOOP("Labels", "不是图片文件（内容为视频）"),
    )
}
# Reasons with values in them: (pattern, template); %name is the field of that name.
FILE_PROBLEM_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        r"文件太大（(?P<size>[\d.]+) MB，最大 (?P<limit>\d+) MB），请压缩或降低分辨率后重新上传",
        QT_TRANSLATE_NOOP(
            "Labels", "文件太大（%size MB，最大 %limit MB），请压缩或降低分辨率后重新上传"
        ),
    ),
    (
        r"不支持 (?P<format>.+?) 格式的图片，请以 JPG 或 PNG 图片重新上传",
        QT_TRANSLATE_NOOP("Labels", "不支持 %format 格式的图片，请以 JPG 或 PNG 图片重新上传"),
    ),
    (
        r"PDF 共 (?P<count>\d+) 页，超过 (?P<limit>\d+) 页的上限，请只上传需要的页面",
        QT_TRANSLATE_NOOP("Labels", "PDF 共 %count 页，超过 %limit 页的上限，请只上传需要的页面"),
    ),
    (
        r"PDF 第 (?P<page>\d+) 页的尺寸异常（(?P<width>\d+)×(?P<height>\d+) 毫米），无法显示，"
        r"请按 A4 等常规纸张重新上传",
        QT_TRANSLATE_NOOP(
            "Labels",
            "PDF 第 %page 页的尺寸异常（%width×%height 毫米），无法显示，请按 A4 等常规纸张重新上传",
        ),
    ),
    (
        r"无法读取文件（(?P<detail>.*)）",
        QT_TRANSLATE_NOOP("Labels", "无法读取文件（%detail）"),
    ),
    # earlier wording
    (
        r"文件过大（(?P<size>[\d.]+) MB，上限 (?P<limit>\d+) MB）",
        QT_TRANSLATE_NOOP("Labels", "文件过大（%size MB，上限 %limit MB）"),
    ),
    (
        r"不支持的图片格式: ?(?P<format>.+)",
        QT_TRANSLATE_NOOP("Labels", "不支持的图片格式：%format"),
    ),
)
_FILE_PROBLEM_PATTERNS = tuple((re.compile(p), t) for p, t in FILE_PROBLEM_PATTERNS)


def _fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` (translated) with each %name replaced, longest names first."""
    text = _t(template)
    for name in sorted(values, key=len, reverse=True):
        text = text.replace(f"%{name}", values[name])
    return text


def file_problem(reason: str | None) -> str:
    """Why an upload cannot be shown (app.intake.imaging's words) in the interface language."""
    if not reason:
        return _t("原因未知")
    if reason in FILE_PROBLEMS:
        return _t(reason)
    for pattern, template in _FILE_PROBLEM_PATTERNS:
        if m := pattern.fullmatch(reason):
            return _fill(template, m.groupdict())
    return reason


# --- findings of the automatic checks ------------------------------------------------------

FINDING_TITLES = {
    "ID_INVALID": QT_TRANSLATE_NOOP("Labels", "身份证号无效"),
    "ID_BIRTHDATE": QT_TRANSLATE_NOOP("Labels", "身份证号中的出生日期有误"),
    "ID_REGION_UNKNOWN": QT_TRANSLATE_NOOP("Labels", "身份证号的地区码不在代码表中"),
    "POLICY_MISMATCH": QT_TRANSLATE_NOOP("Labels", "招生政策与案件不符"),
    "AGE_TOO_YOUNG": QT_TRANSLATE_NOOP("Labels", "学生未满入学年龄"),
    "AGE_TOO_OLD": QT_TRANSLATE_NOOP("Labels", "学生超过年龄上限"),
    "GRANDPARENT_AGE_GAP": QT_TRANSLATE_NOOP("Labels", "祖辈与学生年龄相差过小"),
    "CERT_AFTER_CUTOFF": QT_TRANSLATE_NOOP("Labels", "房产证明办理日期晚于截止日期"),
    "RENTAL_TOO_SHORT": QT_TRANSLATE_NOOP("Labels", "租赁备案时间不足"),
    "PERMIT_TOO_SHORT": QT_TRANSLATE_NOOP("Labels", "居住证办理时间不足"),
    "PERMIT_EXPIRED": QT_TRANSLATE_NOOP("Labels", "居住证已过期"),
    "PROPERTY_REUSED": QT_TRANSLATE_NOOP("Labels", "房产已被其他家庭用作入学依据"),
    "DEMOLITION_EXPIRED": QT_TRANSLATE_NOOP("Labels", "拆迁协议超过有效期"),
    "MISSING_DOCUMENT": QT_TRANSLATE_NOOP("Labels", "缺少必需材料"),
    "IMAGE_UNREADABLE": QT_TRANSLATE_NOOP("Labels", "附件无法识别"),
    "DUPLICATE_STUDENT": QT_TRANSLATE_NOOP("Labels", "学生另有未办结案件"),
}

SEVERITY_TITLES = {
    "error": QT_TRANSLATE_NOOP("Labels", "错误"),
    "warning": QT_TRANSLATE_NOOP("Labels", "警告"),
    "info": QT_TRANSLATE_NOOP("Labels", "提示"),
}


def finding_title(code: str) -> str:
    """A finding's kind by its code (``AGE_TOO_OLD`` → 学生超过年龄上限), e.g. for a tooltip."""
    return _lookup(FINDING_TITLES, code)


def severity_title(severity: str) -> str:
    return _lookup(SEVERITY_TITLES, severity)


_DATE = r"\d{4}年\d{1,2}月\d{1,2}日"
_DATE_PARTS = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def date_text(text: str) -> str:
    """``2026年8月31日`` as the interface writes dates (2026-08-31 in English)."""
    m = _DATE_PARTS.fullmatch(text)
    if m is None:
        return text
    year, month, day = (int(g) for g in m.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return text
    return (
        _t("%1年%2月%3日")
        .replace("%1", str(year))
        .replace("%2", str(month) if source_language() else f"{month:02d}")
        .replace("%3", str(day) if source_language() else f"{day:02d}")
    )


def _labels_list(text: str) -> str:
    return _t("、").join(term(part) for part in text.split("、"))


_ID_PROBLEMS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("Labels", "格式错误（应为17位数字加1位数字或X）"),
    QT_TRANSLATE_NOOP("Labels", "校验码错误"),
    QT_TRANSLATE_NOOP("Labels", "出生日期无效"),
)
_Field = Callable[[str], str]
_FIELDS: dict[str, _Field] = {
    "who": person_title,
    "stage": stage_title,
    "cert": term,
    "label": term,
    "labels": _labels_list,
    "reason": file_problem,
    "problem": lambda text: _t(text) if text in _ID_PROBLEMS else text,
    "cases": lambda text: _t("、").join(_case_ref(part) for part in text.split("、")),
}
_ELSEWHERE = re.compile(r"另一区县的(\d+)个案件")


def _case_ref(text: str) -> str:
    """A case number, or "another district's N cases" (whose, a district may not see)."""
    if m := _ELSEWHERE.fullmatch(text):
        return _t("另一区县的%1个案件").replace("%1", m[1])
    return text


# Each finding's Chinese message (app.policy.checks) as a pattern, and the same sentence as
# a template to translate: %name is filled with the field of that name, dates are written
# as the interface writes them and fixed words are translated (_FIELDS).
FINDING_MESSAGES: tuple[tuple[str, str, str], ...] = (
    (
        "POLICY_MISMATCH",
        r"案件城市为(?P<city>.+?)，但使用的是(?P<policy_city>.+?)的招生政策（(?P<policy>[^）]+)）",
        QT_TRANSLATE_NOOP("Labels", "案件城市为%city，但使用的是%policy_city的招生政策（%policy）"),
    ),
    (
        "POLICY_MISMATCH",
        r"案件入学年度为(?P<year>\d+)年，但使用的是(?P<policy_year>\d+)年的招生政策（(?P<policy>[^）]+)）",
        QT_TRANSLATE_NOOP(
            "Labels", "案件入学年度为%year年，但使用的是%policy_year年的招生政策（%policy）"
        ),
    ),
    (
        "POLICY_MISMATCH",
        r"招生政策 (?P<policy>\S+) 未规定(?P<stage>.+?)的年龄要求，无法核对年龄",
        QT_TRANSLATE_NOOP("Labels", "招生政策 %policy 未规定%stage的年龄要求，无法核对年龄"),
    ),
    (
        "ID_INVALID",
        r"(?P<who>.+?)的身份证号 (?P<masked>\S+) (?P<problem>.+)",
        QT_TRANSLATE_NOOP("Labels", "%who的身份证号 %masked %problem"),
    ),
    (
        "ID_BIRTHDATE",
        r"(?P<who>.+?)的身份证号中的出生日期 (?P<digits>\S+) 不是有效的出生日期",
        QT_TRANSLATE_NOOP("Labels", "%who的身份证号中的出生日期 %digits 不是有效的出生日期"),
    ),
    (
        "ID_BIRTHDATE",
        rf"(?P<who>.+?)的身份证号中的出生日期(?P<born>{_DATE})晚于今天（(?P<today>{_DATE})）",
        QT_TRANSLATE_NOOP("Labels", "%who的身份证号中的出生日期%born晚于今天（%today）"),
    ),
    (
        "ID_REGION_UNKNOWN",
        r"(?P<who>.+?)的身份证号 (?P<masked>\S+) 的地区码 (?P<region>\d+) 不在行政区划代码表中，"
        r"可能是已撤销、更名或新设的地区码，不影响号码有效性，请留意核对",
        QT_TRANSLATE_NOOP(
            "Labels",
            "%who的身份证号 %masked 的地区码 %region 不在行政区划代码表中，"
            "可能是已撤销、更名或新设的地区码，不影响号码有效性，请留意核对",
        ),
    ),
    (
        "AGE_TOO_YOUNG",
        rf"学生出生于(?P<born>{_DATE})，到(?P<ref>{_DATE})为(?P<age>\d+)周岁，"
        r"未满(?P<stage>.+?)入学年龄(?P<min>\d+)周岁，本年度不予采集",
        QT_TRANSLATE_NOOP(
            "Labels",
            "学生出生于%born，到%ref为%age周岁，未满%stage入学年龄%min周岁，本年度不予采集",
        ),
    ),
    (
        "AGE_TOO_OLD",
        rf"学生出生于(?P<born>{_DATE})，到(?P<ref>{_DATE})为(?P<age>\d+)周岁，"
        r"超过(?P<stage>.+?)年龄上限(?P<max>\d+)周岁，请核对身份证号是否填写有误",
        QT_TRANSLATE_NOOP(
            "Labels",
            "学生出生于%born，到%ref为%age周岁，超过%stage年龄上限%max周岁，请核对身份证号是否填写有误",
        ),
    ),
    (
        "GRANDPARENT_AGE_GAP",
        rf"(?P<who>.+?)出生于(?P<born>{_DATE})，学生出生于(?P<student_born>{_DATE})，"
        r"年龄仅相差(?P<gap>\d+)岁（少于(?P<min>\d+)岁），请核实隔代关系及身份证号",
        QT_TRANSLATE_NOOP(
            "Labels",
            "%who出生于%born，学生出生于%student_born，年龄仅相差%gap岁（少于%min岁），"
            "请核实隔代关系及身份证号",
        ),
    ),
    (
        "CERT_AFTER_CUTOFF",
        rf"(?P<cert>[^（]+)（(?P<number>.+?)）办理日期为(?P<issued>{_DATE})，"
        rf"晚于截止日期(?P<cutoff>{_DATE})",
        QT_TRANSLATE_NOOP("Labels", "%cert（%number）办理日期为%issued，晚于截止日期%cutoff"),
    ),
    (
        "RENTAL_TOO_SHORT",
        rf"租赁备案（(?P<number>.+?)）起始于(?P<start>{_DATE})，租期至(?P<end>{_DATE})已结束"
        r"不满(?P<months>\d+)个月",
        QT_TRANSLATE_NOOP(
            "Labels", "租赁备案（%number）起始于%start，租期至%end已结束不满%months个月"
        ),
    ),
    (
        "RENTAL_TOO_SHORT",
        rf"租赁备案（(?P<number>.+?)）起始于(?P<start>{_DATE})，至截止日期(?P<cutoff>{_DATE})"
        r"不满(?P<months>\d+)个月",
        QT_TRANSLATE_NOOP(
            "Labels", "租赁备案（%number）起始于%start，至截止日期%cutoff不满%months个月"
        ),
    ),
    (
        "PERMIT_TOO_SHORT",
        rf"(?P<holder>.+?)的居住证（(?P<number>.+?)）办理于(?P<start>{_DATE})，"
        rf"至截止日期(?P<cutoff>{_DATE})不满(?P<months>\d+)个月",
        QT_TRANSLATE_NOOP(
            "Labels", "%holder的居住证（%number）办理于%start，至截止日期%cutoff不满%months个月"
        ),
    ),
    (
        "PERMIT_EXPIRED",
        rf"(?P<holder>.+?)的居住证（(?P<number>.+?)）有效期至(?P<until>{_DATE})，"
        rf"早于截止日期(?P<cutoff>{_DATE})",
        QT_TRANSLATE_NOOP(
            "Labels", "%holder的居住证（%number）有效期至%until，早于截止日期%cutoff"
        ),
    ),
    (
        "PERMIT_EXPIRED",
        rf"(?P<holder>.+?)的居住证（(?P<number>.+?)）有效期至(?P<until>{_DATE})，"
        rf"早于提交日期(?P<submitted>{_DATE})，提交时已不在有效期内",
        QT_TRANSLATE_NOOP(
            "Labels",
            "%holder的居住证（%number）有效期至%until，早于提交日期%submitted，提交时已不在有效期内",
        ),
    ),
    (
        "PERMIT_EXPIRED",
        rf"(?P<holder>.+?)的居住证（(?P<number>.+?)）有效期至(?P<until>{_DATE})，"
        rf"今天（(?P<today>{_DATE})）已过期",
        QT_TRANSLATE_NOOP(
            "Labels", "%holder的居住证（%number）有效期至%until，今天（%today）已过期"
        ),
    ),
    (
        "PROPERTY_REUSED",
        r"(?P<cert>[^（]+)（(?P<number>.+?)）已于(?P<year>\d+)年被其他家庭（案件 (?P<case>\S+)）"
        r"用作入学依据，(?P<years>\d+)年内只能作为一个家庭的招生依据",
        QT_TRANSLATE_NOOP(
            "Labels",
            "%cert（%number）已于%year年被其他家庭（案件 %case）用作入学依据，"
            "%years年内只能作为一个家庭的招生依据",
        ),
    ),
    (
        "PROPERTY_REUSED",
        r"(?P<cert>[^（]+)（(?P<number>.+?)）：该证号在另一区县 (?P<year>\d+) 年的案件中使用，"
        r"(?P<years>\d+)年内只能作为一个家庭的招生依据，请核实",
        QT_TRANSLATE_NOOP(
            "Labels",
            "%cert（%number）：该证号在另一区县 %year 年的案件中使用，"
            "%years年内只能作为一个家庭的招生依据，请核实",
        ),
    ),
    (
        "DEMOLITION_EXPIRED",
        rf"拆迁协议（(?P<number>.+?)）签订于(?P<signed>{_DATE})，"
        rf"至截止日期(?P<cutoff>{_DATE})已超过(?P<years>\d+)年有效期",
        QT_TRANSLATE_NOOP(
            "Labels", "拆迁协议（%number）签订于%signed，至截止日期%cutoff已超过%years年有效期"
        ),
    ),
    (
        "MISSING_DOCUMENT",
        r"缺少必需材料：(?P<label>.+?)（可接受：(?P<labels>.+)）；已上传的(?P<count>\d+)份无法识别",
        QT_TRANSLATE_NOOP(
            "Labels", "缺少必需材料：%label（可接受：%labels）；已上传的%count份无法识别"
        ),
    ),
    (
        "MISSING_DOCUMENT",
        r"缺少必需材料：(?P<label>.+?)（可接受：(?P<labels>.+)）",
        QT_TRANSLATE_NOOP("Labels", "缺少必需材料：%label（可接受：%labels）"),
    ),
    (
        "IMAGE_UNREADABLE",
        r"附件「(?P<label>.+?)」（(?P<file>.+?)）无法识别：(?P<reason>.+)",
        QT_TRANSLATE_NOOP("Labels", "附件「%label」（%file）无法识别：%reason"),
    ),
    (
        "IMAGE_UNREADABLE",
        r"附件「(?P<label>.+?)」无法识别：(?P<reason>.+)",
        QT_TRANSLATE_NOOP("Labels", "附件「%label」无法识别：%reason"),
    ),
    (
        "DUPLICATE_STUDENT",
        r"学生(?P<name>.+?)（(?P<masked>[^）]+)）另有(?P<count>\d+)个未办结案件：(?P<cases>.+)",
        QT_TRANSLATE_NOOP("Labels", "学生%name（%masked）另有%count个未办结案件：%cases"),
    ),
)
_FINDING_PATTERNS = tuple(
    (code, re.compile(pattern), template) for code, pattern, template in FINDING_MESSAGES
)


def finding_text(code: str, message: str) -> str:
    """A check's finding in the interface language.

    The checks write Chinese sentences with the values in them; the sentence is matched
    against its pattern and rebuilt from the translated template. A message no pattern
    knows (a newer check) is shown as it is in Chinese, and as its code's title in English.
    """
    for known, pattern, template in _FINDING_PATTERNS:
        if known != code:
            continue
        m = pattern.fullmatch(message)
        if m is None:
            continue
        text = _t(template)
        values = m.groupdict()
        for name in sorted(values, key=len, reverse=True):
            value = values[name]
            if _DATE_PARTS.fullmatch(value):
                value = date_text(value)
            elif name in _FIELDS:
                value = _FIELDS[name](value)
            text = text.replace(f"%{name}", value)
        return text
    if source_language() or code not in FINDING_TITLES:
        return message
    return _t(FINDING_TITLES[code])


# --- the store, refusals, problems ----------------------------------------------------------

_SQLITE = re.compile(r"^SQLite file (?P<path>.+)$")
_POSTGRES = re.compile(r"^PostgreSQL server (?P<server>\S+) database (?P<database>\S+)$")


def store_title(store: Any) -> str:
    """The store as the login screen and 设置 name it: an SQLAlchemy URL, or the description
    app/ gives (``SQLite file …``, ``PostgreSQL server … database …``)."""
    backend = getattr(store, "get_backend_name", None)
    if callable(backend):
        if backend() == "sqlite":
            return _t("SQLite 文件 %1").replace("%1", str(store.database or ""))
        server = f"{store.host or 'localhost'}:{store.port or 5432}"
        return (
            _t("PostgreSQL 服务器 %1，数据库 %2")
            .replace("%1", server)
            .replace("%2", str(store.database or ""))
        )
    text = str(store or "")
    if m := _SQLITE.match(text):
        return _t("SQLite 文件 %1").replace("%1", m["path"])
    if m := _POSTGRES.match(text):
        return (
            _t("PostgreSQL 服务器 %1，数据库 %2")
            .replace("%1", m["server"])
            .replace("%2", m["database"])
        )
    return text


def bilingual(message: str) -> str:
    """The half of a ``中文 / English`` message (as app.auth writes its refusals) in the
    interface language; any other message as it is."""
    chinese, slash, english = message.partition(" / ")
    if not slash:
        return message
    return chinese.strip() if source_language() else english.strip()


def _store_problem_kind(error: BaseException) -> str:
    names = {cls.__name__ for cls in type(error).__mro__}
    for name in ("StoreBusy", "StoreCorrupt", "StoreFull", "StoreUnavailable"):
        if name in names:
            return name
    return "StoreError"


STORE_PROBLEMS = {
    "StoreBusy": QT_TRANSLATE_NOOP(
        "Labels", "数据库正忙（其他人的操作占用了同一数据），这次操作没有保存，请再试一次。"
    ),
    "StoreCorrupt": QT_TRANSLATE_NOOP(
        "Labels", "数据库文件已损坏，无法安全读写。请联系管理员用最近的备份恢复。"
    ),
    "StoreFull": QT_TRANSLATE_NOOP(
        "Labels", "数据库所在的磁盘已满，这次操作没有保存。请腾出空间后再试。"
    ),
    "StoreUnavailable": QT_TRANSLATE_NOOP(
        "Labels", "数据库暂时无法访问。请稍后重试；如持续出现，请联系管理员。"
    ),
    "StoreError": QT_TRANSLATE_NOOP(
        "Labels", "数据库出现问题。请稍后重试；如持续出现，请联系管理员。"
    ),
}


def store_problem(error: BaseException) -> str:
    """What a store error means for the reviewer, in the interface language; the technical
    detail (English, from the driver) only in English, where it can be read."""
    text = _t(STORE_PROBLEMS[_store_problem_kind(error)])
    detail = str(error).strip()
    if detail and not source_language():
        text += f" ({detail})"
    return text


OS_PROBLEMS = {
    errno.ENOSPC: QT_TRANSLATE_NOOP("Labels", "磁盘已满，这次操作没有保存。请腾出空间后再试。"),
    errno.EDQUOT: QT_TRANSLATE_NOOP(
        "Labels", "磁盘配额已用完，这次操作没有保存。请腾出空间后再试。"
    ),
    errno.EROFS: QT_TRANSLATE_NOOP("Labels", "磁盘是只读的，无法写入"),
    errno.EACCES: QT_TRANSLATE_NOOP("Labels", "没有权限"),
    errno.EPERM: QT_TRANSLATE_NOOP("Labels", "没有权限"),
    errno.ENOENT: QT_TRANSLATE_NOOP("Labels", "文件或文件夹不存在"),
    errno.EISDIR: QT_TRANSLATE_NOOP("Labels", "这是一个文件夹，不是文件"),
    errno.ENOTDIR: QT_TRANSLATE_NOOP("Labels", "路径中有一段不是文件夹"),
    errno.EEXIST: QT_TRANSLATE_NOOP("Labels", "文件已存在"),
    errno.EIO: QT_TRANSLATE_NOOP("Labels", "读写磁盘时出错"),
    errno.EMFILE: QT_TRANSLATE_NOOP("Labels", "打开的文件过多"),
    errno.ENAMETOOLONG: QT_TRANSLATE_NOOP("Labels", "文件名过长"),
}


def os_problem(error: OSError) -> str:
    """A file or disk error (a full disk, no permission, a missing file) in the interface
    language, with the file it concerns; the system's own words only in English."""
    text = OS_PROBLEMS.get(error.errno or 0)
    if text is None:
        detail = error.strerror or str(error)
        text = _t("文件或磁盘错误")
        if detail and not source_language():
            text += f" ({detail})"
    else:
        text = _t(text)
    if error.filename:
        text = _t("%1：%2").replace("%1", str(error.filename)).replace("%2", text)
    return text
