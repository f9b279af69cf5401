"""Real processes for the durability tests: a private redis-server on a spare
port (the shared one is never stopped) and Celery workers as subprocesses,
each in its own process group so a test can kill a whole worker."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import redis
from celery import current_app
from django.db import connection

from tests.workers import wait_for

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own that it can stop and start again
    (the shared one is never stopped). It keeps nothing on disk."""

    def __init__(self, tmp_path: Path | None = None):
        self.port = spare_port()
        self.dir = tmp_path or Path(tempfile.gettempdir())
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        options = {"port": self.port, "bind": "127.0.0.1", "appendonly": "no", "dir": self.dir}
        command = ["redis-server", "--save", ""]
        for name, value in options.items():
            command += [f"--{name}", str(value)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        assert wait_for(self.answers, timeout=10), "the private redis-server did not start"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def keys(self, pattern: str) -> list[bytes]:
        return redis.Redis(port=self.port).keys(pattern)


@contextmanager
def broker_at(url: str):
    """Point this process's Celery app (what requests send with) at ``url``."""
    app = current_app
    previous = app.conf.broker_url

    def reset_pools() -> None:
        # Drop references only: kombu keeps one pool per URL in a global
        # registry, and closing it would break the next test on that URL.
        app._pool = None
        app.amqp._producer_pool = None

    reset_pools()
    app.conf.broker_url = url
    try:
        yield
    finally:
        reset_pools()
        app.conf.broker_url = previous


def database_url() -> str:
    """The test database, as a URL a subprocess can use."""
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


class Worker:
    """``celery -A config worker`` in its own session (process group)."""

    def __init__(self, name: str, redis_url: str, log_dir: Path, *, beat: bool, env: dict):
        self.log = log_dir / f"{name}.log"
        command = [str(CELERY), "-A", "config", "worker", "--pool", "solo", "-n", f"{name}@%h"]
        command += ["--loglevel", "INFO", "--without-gossip", "--without-mingle"]
        if beat:
            command += ["--beat", "--schedule", str(log_dir / f"{name}-beat")]
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "DJANGO_DEBUG": "true",
            **env,
        }
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL to the whole process group: the worker and anything it started."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]
