"""A time limit per document (``seconds_per_document``): reading, and the whole of a
document's ``audit``, ``score`` or ``check``.

The outermost limit is the one in force: ``score`` puts its whole document (reading,
then scoring) under one limit, and the reader's own limit inside it stays silent, so a
document cannot take the limit once to be read and once more to be judged.

On POSIX, in the main thread, the limit is a real-time interval timer whose signal raises
:class:`InputError` (code ``input-timeout``) inside the reading code. Elsewhere (the web
application's worker threads, Windows) the block runs unbounded here, and the caller is
expected to bound it by other means (a worker process with its own timeout).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jixiao.core import limits
from jixiao.core.findings import InputError, Location, finding


class TimeLimitExceeded(InputError):
    """The time limit of a document ran out (code ``input-timeout``).

    Code that catches every exception so that one failing part does not stop the others
    (an audit check, a rule) lets this one through: the limit stops the whole document.
    """


#: After the limit, the signal comes again this often, in case a handler swallowed it.
_REPEAT = 0.5


@contextmanager
def time_limit(name: str, seconds: float | None = None, *, action: str = "读取") -> Iterator[None]:
    """Raise InputError if the block runs longer than ``seconds`` (default: the limit).

    ``action`` is the verb of the message (读取, 审核, 计分, 检查): what was stopped.
    """
    seconds = limits.LIMITS.seconds_per_document if seconds is None else seconds
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return
    previous_timer = signal.getitimer(signal.ITIMER_REAL)
    if previous_timer[0] > 0:  # an outer limit is running: it stays in charge
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise TimeLimitExceeded(
            [finding("input-timeout", Location(file=name), name=name, seconds=f"{seconds:g}", action=action)]
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
