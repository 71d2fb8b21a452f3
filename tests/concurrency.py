"""Running actions at the same moment, each in its own thread and database connection."""

import threading
from collections.abc import Callable

from django.db import connections


def run_at_once(actions: list[Callable[[], object]]) -> list[Exception | None]:
    """Start every action together (a barrier) and wait for all; return, per action, the
    exception it raised or None."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Exception | None] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait()
            action()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
