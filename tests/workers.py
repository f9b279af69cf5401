"""A real Celery worker for the tests, and waiting for what it does.

The worker is a thread in the test process (celery.contrib.testing), on the
broker of REDIS_URL: it shares the test database and Django's locmem mail
outbox. Tests that must kill a worker use the subprocesses of
tests/core/processes.py instead."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker

from config.celery_app import app


def wait_for(predicate: Callable[[], object], timeout: float = 30.0, every: float = 0.1) -> bool:
    """Poll until the predicate holds; False at the timeout (never hangs)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())


@contextmanager
def running_worker() -> Iterator[None]:
    app.control.purge()  # nothing left over from an earlier test
    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ):
        yield
