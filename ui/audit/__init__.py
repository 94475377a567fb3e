"""The audit browser (审计日志): the journal, its chain checked, its export."""
