"""抽查: QA sampling of approvals."""
