"""Running actions at the same moment, for the race tests (only a real
database with row locks shows a race)."""

import threading
from collections.abc import Callable, Sequence

from django.db import connection

from people.errors import ApplicationError


def run_together(
    actions: Sequence[Callable[[], object]], *, success: str = "done", timeout: float = 60
) -> list[str]:
    """Run each action in its own thread, all released at the same moment, and
    return how each ended, in the order they ended: ``success``, the message of
    an ApplicationError, or "unexpected: ..." (reported by the caller's asserts,
    not lost in a thread)."""
    start_together = threading.Barrier(len(actions))
    outcomes: list[str] = []
    record = threading.Lock()

    def run(action: Callable[[], object]) -> None:
        try:
            start_together.wait()
            action()
            outcome = success
        except ApplicationError as refused:
            outcome = refused.message
        except Exception as unexpected:
            outcome = f"unexpected: {unexpected!r}"
        finally:
            connection.close()  # each thread has its own connection
        with record:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
