"""Which line table the engine runs: the compiled one if it was built, else the reference.

``cleaner._linetable`` is an optional extension (setup.py builds it when a C compiler and
Cython are there); ``cleaner._linetable_py`` is the pure-Python reference with the same API
and, by test, the same results. ``CLEANER_PURE=1`` in the environment at import forces the
reference, to compare the two or to rule the extension out when chasing a bug.
``ACCELERATED`` (also ``cleaner.accelerated``) says which one this process loaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from . import _linetable_py


def _load() -> ModuleType:
    """The compiled module unless ``CLEANER_PURE`` asks for the reference or it is missing."""
    if os.environ.get("CLEANER_PURE", "") not in ("", "0"):
        return _linetable_py
    try:
        from . import _linetable
    except ImportError:  # not built (no compiler at install): the reference, same results
        return _linetable_py
    return _linetable


table: ModuleType = _load()
ACCELERATED: bool = table is not _linetable_py


def parse_lines(body: str, newline: str, base: int, block: Any) -> tuple[list[Any], bool]:
    """The blocks of ``body`` and whether it ends in a line break (``document.parse``)."""
    return table.parse_lines(body, newline, base, block)  # type: ignore[no-any-return]


def hit_map(
    bounds: Sequence[int], limits: Sequence[int], tiers: Sequence[int],
    rules: Sequence[frozenset[Any]],
) -> _linetable_py.HitMap:
    """The per-pattern columns of a trigger index, for its hit loop (``triggers.scan``)."""
    return table.HitMap(bounds, limits, tiers, rules)  # type: ignore[no-any-return]


def lowered(texts: list[str]) -> tuple[bytes, list[int]]:
    """The texts lowered, encoded and joined, and where each starts (``triggers.scan``)."""
    return table.lowered(texts)  # type: ignore[no-any-return]


def line_pass(*args: Any) -> None:
    """The line stage's loop over blocks and candidates (``engine.Cleaner._line_stage``).

    See ``cleaner._linetable_py.line_pass`` for the arguments.
    """
    table.line_pass(*args)


@contextmanager
def using(module: ModuleType) -> Iterator[None]:
    """Run ``module``'s line table inside the block, whatever was loaded at import.

    For tests and benchmarks that compare both paths in one process (``using(reference())``):
    documents parsed and ``Cleaner``s built inside use it (a ``Cleaner`` keeps the hit map it
    was built with). Not for concurrent use: it swaps a module global.
    """
    global table
    loaded, table = table, module
    try:
        yield
    finally:
        table = loaded


def reference() -> ModuleType:
    """The pure-Python reference module."""
    return _linetable_py
