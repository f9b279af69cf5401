"""Figures for "nothing is lost", with the production defaults (a 60 s lease,
the relay every 15 s): runs tests/core/test_durability.py, which starts its
own redis-server, real Celery workers with beat and PostgreSQL, and prints

- actions tried while Redis is down, how many answered 5xx, jobs recorded
  during the outage, how many were done after it came back and how long it took;
- time from a worker's SIGKILL (whole process group) mid match run to the run
  finished by another worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/growth REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/durability.py

Malformed-input figures are in bench/malformed_inputs.py.
"""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    for needed in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(needed, "").startswith(("postgres", "redis")):
            sys.exit(f"bench/durability.py needs {needed}: see its docstring")
    env = {**os.environ, "DURABILITY_DEFAULTS": "1", "REQUIRE_SERVICES": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["tests/core/test_durability.py"]
    sys.exit(subprocess.call(command, cwd=REPO, env=env))
