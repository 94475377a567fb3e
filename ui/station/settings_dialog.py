"""The station's set-up: its school, its name, and the district public key files it holds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import EnvironmentProblem
from app.station.errors import StationRefusal
from app.station.keyring import StationKey, read_station_key
from app.station.station import MAX_NAME, Station, StationSettings
from ui.shell.tasks import TaskManager


class StationSettingsDialog(QDialog):
    """School, station name and key files; saved off the GUI thread when accepted."""

    saved = Signal(object)  # StationSettings

    def __init__(self, station: Station, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._station = station
        self._tasks = tasks
        self.setWindowTitle(self.tr("核验站设置"))
        self.setMinimumWidth(520)
        current = station.settings

        self.school = QLineEdit(current.school or "", self)
        self.school.setMaxLength(MAX_NAME)
        self.school.setPlaceholderText(self.tr("与通知单上的学校名称一致"))
        self.name = QLineEdit(current.name, self)
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText(self.tr("例如：东门登记处"))
        form = QFormLayout()
        form.addRow(self.tr("本校名称(&S)"), self.school)
        form.addRow(self.tr("核验站名称(&N)"), self.name)

        self.keys = QListWidget(self)
        self.keys.setMinimumHeight(90)
        for key in current.keys:
            self._add_item(key)
        self.add_button = QPushButton(self.tr("添加公钥文件(&A)…"), self)
        self.remove_button = QPushButton(self.tr("移除所选(&R)"), self)
        self.add_button.clicked.connect(self._choose_key_file)
        self.remove_button.clicked.connect(self._remove_selected)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.add_button)
        buttons_row.addWidget(self.remove_button)
        buttons_row.addStretch(1)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#a50e0e;")
        self.message.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(6)
        keys_title = QLabel(self.tr("区教育局的公钥文件（reviewdesk keys export 导出）"), self)
        keys_title.setBuddy(self.keys)
        layout.addWidget(keys_title)
        layout.addWidget(self.keys)
        layout.addLayout(buttons_row)
        hint = QLabel(
            self.tr(
                "公钥只能核验签名；能连接数据库时，还会核对决定是否仍然有效、是否为本校的通知单。"
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#5f6368;")
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.school if not current.school else self.name).setFocus()

    # --- keys ---------------------------------------------------------------------------

    def key_title(self, key: StationKey) -> str:
        district = (
            f"{key.district_name}（{key.district_code}）"
            if key.district_name
            else key.district_code
        )
        number = (
            self.tr("第 %1 号密钥").replace("%1", str(key.key_id))
            if key.key_id is not None
            else self.tr("未编号的密钥")
        )
        return f"{district} · {number} · {key.fingerprint}"

    def _add_item(self, key: StationKey) -> None:
        for row in range(self.keys.count()):
            if self.keys.item(row).data(Qt.ItemDataRole.UserRole).fingerprint == key.fingerprint:
                self.keys.setCurrentRow(row)
                return
        item = QListWidgetItem(self.key_title(key))
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.keys.addItem(item)
        self.keys.setCurrentItem(item)

    def chosen_keys(self) -> list[StationKey]:
        return [
            self.keys.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.keys.count())
        ]

    def _choose_key_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择区教育局的公钥文件"),
            "",
            self.tr("公钥文件 (*.pub *.pem);;所有文件 (*)"),
        )
        if path:
            self.add_key_file(Path(path))

    def add_key_file(self, path: Path) -> None:
        """Read a key file off the GUI thread; listed when it is one, else said why not."""
        self.message.hide()
        self._tasks.run(lambda: read_station_key(path), self._add_item, self._refused, lane="cpu")

    def _remove_selected(self) -> None:
        row = self.keys.currentRow()
        if row >= 0:
            self.keys.takeItem(row)

    # --- saving -------------------------------------------------------------------------

    def save(self) -> None:
        school, name = self.school.text().strip(), self.name.text().strip()
        if not school:
            self._show(self.tr("请填写本校名称：与通知单上的学校名称一致。"))
            self.school.setFocus()
            return
        if not name:
            self._show(self.tr("请填写核验站名称，它会记在每条核验记录里。"))
            self.name.setFocus()
            return
        station, keys = self._station, self.chosen_keys()
        self.buttons.setEnabled(False)
        self._tasks.run(
            lambda: station.configure(school=school, name=name, keys=keys),
            self._saved,
            self._refused,
            lane="cpu",
        )

    def _saved(self, settings: StationSettings) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(settings)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not isinstance(error, StationRefusal):
            if isinstance(error, EnvironmentProblem):
                self._show(self.tr("无法保存设置：%1").replace("%1", str(error)))
                return
            raise error  # a bug: the crash handler logs it
        self._show(self.refusal_text(error))

    def refusal_text(self, error: StationRefusal) -> str:
        code = error.code
        if code == "unreadable":
            return self.tr("无法读取这个文件。") + f"\n{error}"
        if code == "not_key":
            return self.tr("这不是区教育局的公钥文件：请使用 reviewdesk keys export 导出的文件。")
        if code == "no_district":
            return self.tr(
                "这个公钥文件没有写明所属区县：请让区教育局用 reviewdesk keys export 重新导出。"
            )
        if code == "too_long":
            return self.tr("名称太长：最多 %1 个字。").replace("%1", str(MAX_NAME))
        if code == "control":
            return self.tr("名称里有无法显示的字符，请重新输入。")
        if code == "empty":
            return self.tr("名称不能为空。")
        return str(error)

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
