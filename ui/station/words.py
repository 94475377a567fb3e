"""The station's words in the interface language: verdict headlines, reasons, facts.

app/station/verdicts.py says every reason in Chinese (the log and the command line use it);
here each sentence is said again through Qt's translations, word for word the same in
Chinese (a test keeps the two equal). The calls are literal so that pyside6-lupdate finds
every sentence (context ``StationWords``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.station import verdicts as v
from app.station.verdicts import Reason, Verdict, fill
from ui.shell import labels


def outcome_word(outcome: str) -> str:
    """A slip's outcome as the notice's title says it."""
    if outcome == "approve":
        return QCoreApplication.translate("StationWords", "审核通过")
    if outcome == "reject":
        return QCoreApplication.translate("StationWords", "审核不通过")
    if outcome == "return":
        return QCoreApplication.translate("StationWords", "退回补充材料")
    if outcome == "onsite":
        return QCoreApplication.translate("StationWords", "现场审核回执")
    return outcome


def level_word(level: str) -> str:
    if level == v.VALID:
        return QCoreApplication.translate("StationWords", "有效")
    if level == v.INVALID:
        return QCoreApplication.translate("StationWords", "无效")
    return QCoreApplication.translate("StationWords", "请核实")


def headline(verdict: Verdict) -> str:
    """The big word (:attr:`Verdict.headline` in the interface language)."""
    if verdict.level != v.CAUTION or not verdict.reasons:
        return level_word(verdict.level)
    first = verdict.reasons[0].code
    if first in (v.KEY_MISSING, v.NO_KEYS):
        return QCoreApplication.translate("StationWords", "无法核验")
    if first == v.OTHER_SCHOOL:
        return QCoreApplication.translate("StationWords", "非本校")
    if first == v.NOT_APPROVAL:
        if verdict.payload is not None:
            return outcome_word(verdict.payload.outcome)
        return QCoreApplication.translate("StationWords", "非通过通知单")
    if first == v.REPEAT:
        return QCoreApplication.translate("StationWords", "已核验过")
    if first in (v.OFFLINE, v.STORE_DOWN, v.STORE_CANNOT_CHECK):
        return QCoreApplication.translate("StationWords", "签名真实")
    return level_word(verdict.level)


def template(code: str) -> str:
    """The sentence of a reason code, with %1, %2 … for its arguments."""
    t = QCoreApplication.translate
    if code == v.NOT_A_SLIP:
        return t("StationWords", "这不是审核通知单的二维码")
    if code == v.FORGED:
        return t("StationWords", "伪造或被篡改：签名与区教育局的公钥不符")
    if code == v.OTHER_DISTRICT:
        return t("StationWords", "其他区县的通知单（区县代码 %1），不是本区签发的")
    if code == v.REVOKED:
        return t("StationWords", "签发所用的密钥已于 %1 吊销（%2），此通知单作废")
    if code == v.UNDONE_DECISION:
        return t("StationWords", "审核决定已撤销，此通知单作废")
    if code == v.SUPERSEDED_DECISION:
        return t("StationWords", "审核决定已被新的决定取代，此通知单作废")
    if code == v.STORE_REJECTS:
        return t("StationWords", "签名与数据库中登记的区县密钥不符")
    if code == v.KEY_MISSING:
        return t(
            "StationWords",
            "本站没有区县 %1 的第 %2 号公钥，无法核验签名：请向区教育局索取公钥文件",
        )
    if code == v.NO_KEYS:
        return t("StationWords", "本站没有区县 %1 的公钥，也无法连接数据库，无法核验签名")
    if code == v.OTHER_SCHOOL:
        return t("StationWords", "其他学校的通知单：%1（本站：%2）")
    if code == v.NOT_APPROVAL:
        return t("StationWords", "这是“%1”，不是审核通过通知单")
    if code == v.REPEAT:
        return t("StationWords", "此通知单已于 %1 在 %2 核验过（此前共 %3 次）")
    if code == v.UNKNOWN_DECISION:
        return t("StationWords", "签名真实，但数据库中查不到这个审核决定：请联系区教育局")
    if code == v.NO_PRINT_RECORD:
        return t("StationWords", "签名真实，但数据库中没有这个流水号的打印记录：请联系区教育局")
    if code == v.DATED_AFTER_RETIREMENT:
        return t("StationWords", "签发日期晚于所用密钥的停用日期（%1）：请联系区教育局")
    if code == v.OFFLINE:
        return t("StationWords", "签名真实；离线核验，决定状态和学校未核对")
    if code == v.STORE_DOWN:
        return t("StationWords", "签名真实；无法连接数据库，决定状态和学校未核对")
    if code == v.STORE_CANNOT_CHECK:
        return t("StationWords", "签名真实；数据库无法核对这张通知单，决定状态和学校未核对")
    if code == v.STALE_COPY:
        return t("StationWords", "中心数据库无法连接，决定状态按本机副本核对")
    if code == v.SCHOOL_NOT_SET:
        return t("StationWords", "本站未设置学校，未核对是否为本校的通知单")
    return code


def reason_text(reason: Reason, verdict: Verdict | None = None) -> str:
    """One reason's sentence in the interface language."""
    args = reason.args
    if reason.code == v.NOT_APPROVAL and verdict is not None and verdict.payload is not None:
        args = (outcome_word(verdict.payload.outcome),)  # the app says it in Chinese
    return fill(template(reason.code), args)


def source_word(source: str | None) -> str:
    if source == v.SOURCE_CENTRAL:
        return QCoreApplication.translate("StationWords", "中心数据库（刚刚同步）")
    if source == v.SOURCE_COPY:
        return QCoreApplication.translate("StationWords", "本机副本（中心数据库无法连接）")
    return QCoreApplication.translate("StationWords", "数据库")


def kind_word(kind: str) -> str:
    return labels.kind_title(kind)
