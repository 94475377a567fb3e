"""设置: the workstation's central store URL, used at the next start by window and commands.

It is kept in the workstation's settings file (:func:`app.config.save_central_url`), so that
``reviewdesk claim`` and the rest go to the same central store as the window.

The store and its sync engine are put together once, before login; switching the
central store under an open session would mix two stores' claims, so a change applies
after a restart. ``--central`` and ``REVIEWDESK_CENTRAL`` still win over this value.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import config
from ui.shell import labels
from ui.shell.screen_fit import fit_window

CENTRAL_KEY = "sync/central_url"


def stored_central_url(settings: QSettings) -> str | None:
    """The central store URL chosen in this dialog, if any.

    Earlier versions kept it in QSettings only: such a value moves to the settings file
    the first time it is read, so the commands see it too.
    """
    legacy = str(settings.value(CENTRAL_KEY, "") or "").strip()
    if legacy and config.stored_central_url() is None:
        config.save_central_url(legacy)
    if legacy:
        settings.remove(CENTRAL_KEY)
    return config.stored_central_url()


class SettingsDialog(QDialog):
    """Central store URL; the language has its own menu."""

    def __init__(
        self,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        active_central: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle(self.tr("设置"))
        self.setMinimumWidth(520)
        self.central_edit = QLineEdit(self)
        self.central_edit.setPlaceholderText("postgresql+psycopg://user@server/reviewdesk")
        self.central_edit.setText(stored_central_url(settings) or "")
        self.central_edit.setClearButtonEnabled(True)
        note = QLabel(
            self.tr(
                "留空则为单机模式。更改在重新启动程序后生效。"
                "命令行参数 --central 和环境变量 REVIEWDESK_CENTRAL 优先于此处的设置。"
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color:#5f6368;")
        current = QLabel(
            self.tr("当前使用：%1").replace(
                "%1", labels.store_title(active_central) if active_central else self.tr("单机模式")
            ),
            self,
        )
        current.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("中心库地址："), self.central_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(current)
        layout.addWidget(buttons)
        fit_window(self, 560, self.sizeHint().height())

    @property
    def changed(self) -> bool:
        return (self.central_edit.text().strip() or None) != stored_central_url(self._settings)

    def accept(self) -> None:
        config.save_central_url(self.central_edit.text().strip() or None)
        super().accept()
