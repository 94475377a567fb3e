"""Realistic sample notices for tests, benchmarks and previews (fictional people)."""

from __future__ import annotations

import datetime as dt

from app.domain import CaseKind, Stage
from app.notices.model import NoticeData, TemplateName, sign_notice
from app.notices.signing import PrivateKeyLike

SAMPLE_IDS = (
    "360102201805123415",
    "36010220170921002X",
    "360111201803150026",
    "360103201711300011",
)
_NAMES = ("李明轩", "王若汐", "张子涵", "陈一诺", "刘浩然", "赵欣怡", "欧阳思远", "周沐阳")
_SCHOOLS = (
    "南昌市东湖区育新学校（本部）",
    "南昌市东湖区邮政路小学",
    "南昌市东湖区豫章小学青山湖校区",
    "南昌市第二十八中学教育集团东湖校区初中部",
)
_KINDS = (CaseKind.GUARDIANSHIP, CaseKind.RURAL_HOUSE, CaseKind.KINSHIP)

REASONS: dict[CaseKind, tuple[tuple[str, str], ...]] = {
    CaseKind.GUARDIANSHIP: (
        (
            "CUSTODY_DOC_MISSING",
            "未上传离婚协议书或法院判决书（调解书）中载明抚养权归属的页面，无法确定学生的法定监护人。",
        ),
        ("HUKOU_PAGE_UNREADABLE", "上传的户口簿学生本人页照片模糊，无法辨认户号和登记日期。"),
    ),
    CaseKind.RURAL_HOUSE: (
        (
            "RURAL_PROOF_MISSING",
            "未提供宅基地使用证或村（居）委会出具的农房证明，无法确认农房产权人。",
        ),
        (
            "CERT_AFTER_CUTOFF",
            "所提交的拆迁安置协议签订日期为2025年6月3日，晚于规定的5月31日截止日期，不能作为本年度招生依据。",
        ),
        ("PROPERTY_REUSED", "该房屋在三年内已作为其他家庭子女的招生依据，按规定不能再次使用。"),
    ),
    CaseKind.KINSHIP: (
        (
            "KINSHIP_UNPROVEN",
            "提交的材料不能证明学生与（外）祖父母之间的亲属关系，须提供出生医学证明及父（母）与（外）祖父母同页的户口簿。",
        ),
        ("GRANDPARENT_ID_MISMATCH", "填报的（外）祖父身份证号与上传的户口簿信息不一致。"),
    ),
}
MISSING: dict[CaseKind, tuple[str, ...]] = {
    CaseKind.GUARDIANSHIP: (
        "户口簿首页及学生本人页（须清晰显示户主姓名与户号）",
        "离婚证（双方）",
        "离婚协议书或法院判决书、调解书中载明子女抚养权归属的页面",
    ),
    CaseKind.RURAL_HOUSE: (
        "产权人户口簿首页及本人页",
        "宅基地使用证或村（居）委会出具的农房证明（加盖公章）",
    ),
    CaseKind.KINSHIP: (
        "学生出生医学证明",
        "父（母）与（外）祖父母同页的户口簿或派出所出具的亲属关系证明",
        "（外）祖父母居民身份证正反面",
    ),
}
CHECKED: dict[CaseKind, tuple[str, ...]] = {
    CaseKind.GUARDIANSHIP: (
        "居民户口簿原件（首页、户主页、学生本人页）",
        "离婚证原件",
        "离婚协议书（法院判决书、调解书）原件",
    ),
    CaseKind.RURAL_HOUSE: (
        "居民户口簿原件（首页、产权人页、学生本人页）",
        "宅基地使用证原件",
        "村委会出具的农房证明原件",
    ),
    CaseKind.KINSHIP: (
        "居民户口簿原件（首页、户主页、学生本人页）",
        "出生医学证明原件",
        "（外）祖父母居民身份证原件",
        "（外）祖父母名下不动产权证书原件",
    ),
}


def sample_notice(
    template: TemplateName,
    private_key: PrivateKeyLike,
    index: int = 0,
    *,
    reprint: bool = False,
    student_id: str | None = None,
) -> NoticeData:
    """A signed, fully filled notice of ``template``; ``index`` varies names and serials."""
    decision = dt.date(2025, 6, 12)
    kind = _KINDS[index % 3]
    data = NoticeData(
        template=template,
        letterhead="南昌市东湖区教育体育局",
        district_name="南昌市东湖区教育体育局",
        district_code="360102",
        issuing_office="东湖区义务教育招生工作办公室",
        seal_text="南昌市东湖区教育体育局",
        case_no=f"2025-DH-{100000 + index:06d}",
        round=1 + index % 2,
        kind=kind,
        stage=Stage.PRIMARY if index % 4 else Stage.JUNIOR,
        student_name=_NAMES[index % len(_NAMES)],
        student_id=student_id or SAMPLE_IDS[index % len(SAMPLE_IDS)],
        school=_SCHOOLS[index % len(_SCHOOLS)],
        reviewer_code="R017",
        decision_date=decision,
        serial=f"TZ2025{index:06d}",
        reasons=REASONS[kind]
        if template == "rejection"
        else (REASONS[kind][:1] if template == "missing" else ()),
        missing_documents=MISSING[kind] if template == "missing" else (),
        checked_documents=CHECKED[kind] if template == "onsite_receipt" else (),
        deadline=(
            dt.date(2025, 6, 20) if template in ("missing", "rejection", "onsite_receipt") else None
        ),
        note="请注意核对学生户籍信息，如有变更请一并上传。" if template == "missing" else None,
        venue="南昌市东湖区育新学校 现场审核点（二楼多功能厅）"
        if template == "onsite_receipt"
        else None,
        contact_phone="0791-86000000",
        copy_no=2 if reprint else 1,
        reprint=reprint,
    )
    return sign_notice(data, private_key)
