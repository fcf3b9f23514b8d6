"""Forking worker processes without losing a Ctrl-C or a kill.

A SIGINT that arrives while `os.fork` runs its at-fork handlers raises
KeyboardInterrupt inside one of them, where Python prints "Exception ignored"
and goes on: the build the user stopped would run to its end. So the signals
are held while the processes are forked (delivered, in the parent, as soon as
they are released) and each child releases them before its work.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

_HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def signals_held() -> Iterator[None]:
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def release_signals() -> None:
    """In a forked child: take the signals again (the mask was inherited)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
