"""Data files shipped with ReviewDesk: fonts, policies, reasons, templates, translations."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent
FONT_PATH = RESOURCES_DIR / "fonts" / "wqy-microhei.ttc"
FONT_FAMILY = "WenQuanYi Micro Hei"
