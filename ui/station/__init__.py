"""The school door station's window: scanner input, full-window verdict, settings."""
