# ReviewDesk: the whole set-up is `make run` (workstation) and `make test` (everything CI runs).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS := test,build
STAMP := $(VENV)/.installed-$(shell (cat pyproject.toml; echo '$(EXTRAS)') | sha1sum | cut -c1-12)
SYSTEM_TOOLS := pdftotext pdffonts pdftoppm zbarimg Xvfb xdotool xdpyinfo
# The X server the GUI tests also run under: the office laptop's screen first, then the
# common office monitor (tests/ui/test_xvfb_smoke.py, ui/shell/screenshots.py use both).
XVFB_SCREENS := -screen 0 1366x768x24 -screen 1 1920x1080x24
BUNDLE := dist/reviewdesk/reviewdesk

.PHONY: run test test-fast lint typecheck pytest pytest-xvfb bench screenshots setup system-deps qt-runtime translations clean bundle bundle-check

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[$(EXTRAS)]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: system-deps $(STAMP) qt-runtime translations

# Tools the tests read PDFs and QR codes with, the X server (Xvfb, xdpyinfo) and the
# keyboard (xdotool) of the GUI tests under X, Qt's runtime libraries and a CJK font for
# screenshots (Debian packages; installed only when missing).
system-deps:
	@missing=""; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || missing=1; done; \
	[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing=1; \
	[ -e /usr/lib/x86_64-linux-gnu/libEGL.so.1 -o -e /usr/lib/aarch64-linux-gnu/libEGL.so.1 ] || missing=1; \
	[ -e /usr/lib/x86_64-linux-gnu/libxcb-cursor.so.0 -o -e /usr/lib/aarch64-linux-gnu/libxcb-cursor.so.0 ] || missing=1; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages (poppler-utils zbar-tools fonts-wqy-zenhei xvfb xdotool Qt libs)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    poppler-utils zbar-tools fonts-wqy-zenhei xvfb x11-utils xdotool libegl1 libgl1 libxkbcommon0 \
	    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	    libfontconfig1 libdbus-1-3 >/dev/null; \
	fi

# Qt's xcb plugin (a real display) needs X libraries the offscreen tests do not: ask the
# plugin itself which are missing and install them.
qt-runtime: $(STAMP)
	@xcb=$$(ls $(VENV)/lib/python3*/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so 2>/dev/null | head -1); \
	if [ -n "$$xcb" ] && ldd "$$xcb" | grep -q "not found"; then \
	  echo "installing X libraries for Qt's xcb plugin"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 \
	    libxcb-image0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 libxkbcommon-x11-0 >/dev/null; \
	fi

translations: $(STAMP)
	$(BIN)/python -m ui.shell.i18n compile

run: setup
	$(BIN)/reviewdesk

lint: $(STAMP)
	$(BIN)/ruff check app reviewdb ui tests benchmarks
	$(BIN)/ruff format --check app reviewdb ui tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

# Runs $(1) against a real X server: Xvfb on a display it picks itself (-displayfd: a free
# one, and ready once it answers), Qt's xcb platform. An X server that does not start fails
# the target: what runs under it is never skipped.
define with-xvfb
	@tmp=$$(mktemp -d); \
	Xvfb -displayfd 3 $(XVFB_SCREENS) -nolisten tcp 3>"$$tmp/display" 2>"$$tmp/xvfb.log" & xvfb=$$!; \
	trap 'kill $$xvfb 2>/dev/null; wait $$xvfb 2>/dev/null; rm -rf "$$tmp"' EXIT; \
	for _ in $$(seq 1 100); do [ -s "$$tmp/display" ] && break; kill -0 $$xvfb 2>/dev/null || break; sleep 0.1; done; \
	display=$$(head -n 1 "$$tmp/display" 2>/dev/null); \
	if [ -z "$$display" ] || ! xdpyinfo -display ":$$display" >/dev/null 2>&1; then \
	  echo "Xvfb did not start" >&2; cat "$$tmp/xvfb.log" >&2; exit 1; \
	fi; \
	echo "Xvfb on :$$display (1366x768, 1920x1080), Qt platform xcb"; \
	DISPLAY=":$$display" QT_QPA_PLATFORM=xcb $(1)
endef

# The GUI tests marked xvfb a second time, under Xvfb (the first time they run offscreen).
pytest-xvfb: setup
	$(call with-xvfb,REVIEWDESK_XVFB=1 $(BIN)/pytest -m xvfb -n 0 -q $(PYTEST_ARGS))

# The one-folder bundle (build_installer.spec, docs/install.md) in dist/reviewdesk/, and
# its own check of itself: a temporary store, intake, images, a notice, the window.
bundle: setup
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build build_installer.spec

bundle-check: bundle
	test "$$($(BUNDLE) --version)" = "reviewdesk $$($(BIN)/python -c 'from app.logs import program_version as v; print(v())')"
	$(BUNDLE) selftest

test: setup lint typecheck pytest pytest-xvfb bundle-check

# The inner loop: no PostgreSQL and nothing marked slow (under a minute on 2 cores).
test-fast: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -n 2 -q -m "not postgres and not slow" $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# docs/screenshots/ at 1366x768 and 1920x1080, taken from the X server's screens.
screenshots: setup
	$(call with-xvfb,$(BIN)/python -m ui.shell.screenshots docs/screenshots)

clean:
	rm -rf $(VENV) build dist *.egg-info
