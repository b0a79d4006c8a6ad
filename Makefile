# Homeward developer entry points.
#   make install   create .venv and install the project with its dev extras
#   make demo      install, then migrate, load demo data and serve on 127.0.0.1:8000
#   make test      run the suite on SQLite and on a throw-away PostgreSQL
#                  (pass pytest arguments with ARGS, e.g. make test ARGS='-k cases -x')
#   make fuzz      schemathesis over the whole API, many examples an operation (ARGS='--examples 200')
#   make soak      load the production stack (nginx, gunicorn, worker, PostgreSQL) for 10 minutes
#                  (make soak ARGS='--minutes 3 --clients 4')

VENV  := .venv
STAMP := $(VENV)/.installed

.PHONY: install demo test bench fuzz soak

install: $(STAMP)

# Reinstall only when pyproject.toml changed since the last install; the
# package is installed editable, so edits under src/ need no reinstall.
$(STAMP): pyproject.toml
	test -x $(VENV)/bin/pip || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -e '.[dev]'
	touch $@

demo: install
	$(VENV)/bin/homeward demo

test:
	scripts/test.sh $(ARGS)

bench: install
	$(VENV)/bin/python bench/run.py $(ARGS)

soak: install
	$(VENV)/bin/python bench/soak.py $(ARGS)

fuzz: install
	$(VENV)/bin/python bench/fuzz_api.py $(ARGS)
