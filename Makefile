# The README's two commands: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-dev db demo worker browser ruff check-deploy bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

db: setup
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py load_regions
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0 || true

demo: db
	$(PY) manage.py seed_demo

# First README command: set up, load real regions and demo data, start the worker, serve the site.
run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@$(PY) manage.py db_worker --verbosity 0 & echo $$! > .worker.pid; \
	trap 'kill $$(cat .worker.pid) 2>/dev/null; rm -f .worker.pid' EXIT INT TERM; \
	$(PY) manage.py demo_logins --url http://$(HOST):$(PORT); \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Headless Chromium for the browser tests: Debian's packages, never a downloaded browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "chromium not found: browser tests will be skipped (apt-get install chromium chromium-driver)"; fi; }

# Second README command: set up and run the whole suite (SQLite unless DATABASE_URL says otherwise).
test: setup browser
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0 || true
	$(PY) -m pytest --create-db

ruff: setup
	$(VENV)/bin/ruff check .

check-deploy: setup
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-0123456789abcdefghijklmnopqrstuvwxyz-0123456789 \
	ALLOWED_HOSTS=ikm.example.go.id NIK_ENCRYPTION_KEY=check-deploy-nik-key-0123456789abcdefghij \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
