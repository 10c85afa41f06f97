"""A per-document budget: a size cap and a time limit that really interrupts the work.

A shard of a billion scraped documents always holds a few that are not articles (a 4 MB file
of one-character lines, a JSON dump in a text field, a page of a hundred thousand menu
items). One such document must neither stall a worker nor vanish: over ``max_bytes`` it is
not cleaned at all, and past ``timeout`` seconds its cleaning is interrupted by a ``SIGALRM``
timer in the process doing the work. Either way the caller gets a ``BudgetExceeded`` saying
which limit and why, and passes the document through unchanged (or skips it) with a report.

The timer needs the main thread of its process (where CPython runs signal handlers): that is
the CLI's own process with ``-j 1`` and every worker process with ``-j N``. Elsewhere (a
library call from another thread) the limit is checked when the work returns, so an
over-long document is still reported, though not cut short. A handler runs between bytecodes:
one C call that never returns to Python (a single regex search) is interrupted when it ends.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from .errors import CleanerError

if TYPE_CHECKING:
    from .engine import Cleaner
    from .result import CleanResult

T = TypeVar("T")

# 50 MB: far above any article (the longest of the Zyte and real-world corpora is under 1 MB),
# low enough that one document cannot hold a worker for minutes.
DEFAULT_MAX_BYTES = 50_000_000


class BudgetExceeded(CleanerError):
    """A document over its size or time budget; ``reason`` says which and by how much."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DocumentTooLarge(BudgetExceeded):
    """The document is over ``max_bytes``; it was not cleaned."""


class DocumentTimeout(BudgetExceeded):
    """Cleaning the document took longer than ``timeout`` seconds and was interrupted."""


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits for one document: ``max_bytes`` (0: none) and ``timeout`` seconds (0: none)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 0.0

    def __post_init__(self) -> None:
        if self.max_bytes < 0:
            raise CleanerError(f"max document bytes must be 0 (no limit) or more, "
                               f"not {self.max_bytes}")
        if not self.timeout >= 0:  # also refuses NaN
            raise CleanerError(f"document timeout must be 0 (none) or more seconds, "
                               f"not {self.timeout}")

    def check_size(self, size: int) -> None:
        """Raise ``DocumentTooLarge`` if ``size`` bytes is over the cap."""
        if self.max_bytes and size > self.max_bytes:
            raise DocumentTooLarge(f"document of {size:,} bytes is over the "
                                   f"{self.max_bytes:,}-byte limit (--max-doc-bytes)")

    def run(self, work: Callable[[], T]) -> T:
        """``work()`` under the time limit; ``DocumentTimeout`` if it runs out."""
        if not self.timeout:
            return work()
        with time_limit(self.timeout):
            return work()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with ``DocumentTimeout`` after ``seconds`` (see the module doc)."""
    if threading.current_thread() is not threading.main_thread():
        start = time.monotonic()
        yield
        elapsed = time.monotonic() - start
        if elapsed > seconds:
            raise DocumentTimeout(_timeout_reason(seconds, interrupted=False))
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout(_timeout_reason(seconds, interrupted=True))

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _timeout_reason(seconds: float, interrupted: bool) -> str:
    what = "interrupted after" if interrupted else "took longer than"
    return f"cleaning {what} {seconds:g} s (--doc-timeout)"


def clean_within(
    cleaner: Cleaner, text: str, budget: Budget, source: str | None = None
) -> CleanResult:
    """``cleaner.clean(text, source)`` within ``budget``, or a ``BudgetExceeded``.

    The size is the text's UTF-8 length, the unit the CLI measures files and records in.
    """
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    budget.check_size(size)
    return budget.run(lambda: cleaner.clean(text, source))


def clean_html_within(
    page: str | bytes, budget: Budget, url: str | None = None, cleaner: Cleaner | None = None
) -> CleanResult:
    """``clean_html(page, url, cleaner=cleaner)`` within ``budget``, or a ``BudgetExceeded``.

    The size is the page's length in bytes as given (UTF-8 for a ``str``).
    """
    from .html import clean_html  # the HTML stack (lxml) only when pages are cleaned

    size = len(page) if isinstance(page, bytes) else len(page.encode("utf-8", "surrogatepass"))
    budget.check_size(size)
    return budget.run(lambda: clean_html(page, url, cleaner=cleaner))
