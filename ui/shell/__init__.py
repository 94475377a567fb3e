"""The shell: start-up, login, main window, settings, shortcuts, translations and the task manager."""
