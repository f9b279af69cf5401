"""The edge of the world: a small HTTP server answering like Slack's Web API
(ok/error JSON, 429 with Retry-After, 500s), started by the test or bench
that needs it. It records every call so tests can count what was sent."""

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class SlackStandIn:
    users: dict[str, str] = field(default_factory=dict)  # email -> id
    gone: set[str] = field(default_factory=set)  # ids Slack no longer knows
    rate_limit: int = 0  # calls a second before a 429 (0: none)
    retry_after: int = 1
    post_delay: float = 0.0  # seconds chat.postMessage takes (to make races overlap)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    scripted: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    rate_limited: int = 0

    def __post_init__(self):
        self.lock = threading.Lock()
        self._window: deque = deque()

    # --- what a test scripts -------------------------------------------------

    def fail_next(self, method: str, status: int, error: str = "", times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer ``status`` (and ``error``)."""
        for _ in range(times):
            self.scripted[method].append((status, error))

    def count(self, method: str) -> int:
        return sum(1 for name, _ in self.calls if name == method)

    # --- answering -----------------------------------------------------------

    def answer(self, method: str, params: dict) -> tuple[int, dict, dict]:
        with self.lock:
            self.calls.append((method, params))
            if self._over_rate_limit():
                self.rate_limited += 1
                return (
                    429,
                    {"ok": False, "error": "ratelimited"},
                    {"Retry-After": str(self.retry_after)},
                )
            if self.scripted[method]:
                status, error = self.scripted[method].popleft()
                if status == 429:
                    return (
                        429,
                        {"ok": False, "error": "ratelimited"},
                        {"Retry-After": str(self.retry_after)},
                    )
                if status >= 500:
                    return status, {"ok": False, "error": error or "internal_error"}, {}
                return 200, {"ok": False, "error": error}, {}
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        return 200, handler(params), {}

    def _over_rate_limit(self) -> bool:
        if not self.rate_limit:
            return False
        now = time.monotonic()
        while self._window and now - self._window[0] > 1.0:
            self._window.popleft()
        if len(self._window) >= self.rate_limit:
            return True
        self._window.append(now)
        return False

    def _users_lookupByEmail(self, params):
        slack_id = self.users.get(params.get("email", "").lower())
        if slack_id is None or slack_id in self.gone:
            return {"ok": False, "error": "users_not_found"}
        return {"ok": True, "user": {"id": slack_id}}

    def _conversations_open(self, params):
        ids = [i for i in params.get("users", "").split(",") if i]
        if any(i in self.gone or i not in self.users.values() for i in ids):
            return {"ok": False, "error": "user_not_found"}
        prefix = "G" if len(ids) > 1 else "D"
        return {"ok": True, "channel": {"id": prefix + "-".join(sorted(ids))}}

    def _chat_postMessage(self, params):
        if self.post_delay:
            time.sleep(self.post_delay)
        channel = params.get("channel", "")
        if channel.startswith("#nowhere"):
            return {"ok": False, "error": "channel_not_found"}
        with self.lock:
            self.posts.append({"channel": channel, "text": params.get("text", "")})
            ts = f"{len(self.posts)}.000100"
        return {"ok": True, "channel": channel, "ts": ts}


def _handler_for(standin: SlackStandIn):
    class Handler(BaseHTTPRequestHandler):
        def _params(self) -> dict:
            url = urlparse(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            if body:
                if "json" in (self.headers.get("Content-Type") or ""):
                    params.update(json.loads(body))
                else:
                    params.update({k: v[0] for k, v in parse_qs(body).items()})
            return params

        def _answer(self):
            method = urlparse(self.path).path.rsplit("/", 1)[-1]
            status, payload, headers = standin.answer(method, self._params())
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):  # quiet
            pass

    return Handler


class running_standin:
    """``with running_standin(standin) as url:`` serves it on a free local port."""

    def __init__(self, standin: SlackStandIn):
        self.standin = standin
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(standin))
        self.server.daemon_threads = True

    def __enter__(self) -> str:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
