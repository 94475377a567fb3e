"""Printed notices: approval slips, rejection notices, missing-material notices, receipts."""

from app.notices.model import (
    TEMPLATE_NAMES,
    NoticeData,
    NoticeError,
    TemplateName,
    current_template_version,
    load_templates,
    mask_id_number,
    sign_notice,
)
from app.notices.render import BatchCancelled, layout_notice, render_batch, render_notice

__all__ = [
    "TEMPLATE_NAMES",
    "BatchCancelled",
    "NoticeData",
    "NoticeError",
    "TemplateName",
    "current_template_version",
    "layout_notice",
    "load_templates",
    "mask_id_number",
    "render_batch",
    "render_notice",
    "sign_notice",
]
