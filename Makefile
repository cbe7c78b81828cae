# Duban: `make demo` runs the demo, `make test` runs every test. Both install first (idempotent).
VENV   ?= .venv
PY     := $(VENV)/bin/python
DUBAN  := $(VENV)/bin/duban
PYSTAMP   := $(VENV)/.installed
NODESTAMP := node_modules/.installed
CHROMIUM  ?= /usr/bin/chromium

.PHONY: install demo test lint serve messages clean

install: $(PYSTAMP) $(NODESTAMP) system-deps

$(PYSTAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

$(NODESTAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browser tests drive Debian's Chromium; the document tests convert .docx to PDF with LibreOffice and look at
# pages with poppler, in Noto CJK fonts. Install them when we can (root with apt-get), else say what to do.
SYSTEM_PACKAGES := chromium libreoffice-writer-nogui poppler-utils fonts-noto-cjk
.PHONY: system-deps
system-deps:
	@if [ ! -x $(CHROMIUM) ] || ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES); \
	  else echo "The tests need: sudo apt-get install $(SYSTEM_PACKAGES)" >&2; fi; \
	fi

demo: install
	$(DUBAN) demo

serve: install
	$(DUBAN) serve

# The code's shape: lint (ruff), the layer contracts (import-linter) and types (mypy). Part of every test run.
lint: install
	$(VENV)/bin/ruff check duban tests benchmarks scripts
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

# pytest exits 5 when it collected nothing: a test command that tests nothing is a failure, said plainly.
test: install lint
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; exit $$rc

messages: install
	cd duban && ../$(DUBAN) makemessages -l zh_Hans --no-obsolete -i "ingest/*" -i "supervision/*" && ../$(DUBAN) compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) node_modules
