# The compiled line table's API: the same as its pure-Python reference's.
from collections.abc import Iterable, Sequence
from typing import Any

def parse_lines(body: str, newline: str, base: int, block: Any) -> tuple[list[Any], bool]: ...

def lowered(texts: list[str]) -> tuple[bytes, list[int]]: ...

class HitMap:
    def __init__(
        self, bounds: Sequence[int], limits: Sequence[int], tiers: Sequence[int],
        rules: Sequence[frozenset[Any]],
    ) -> None: ...
    def assign(
        self, matches: Sequence[tuple[int, int, int]], data: bytes, starts: Sequence[int],
        sizes: Sequence[int],
    ) -> tuple[dict[int, set[Any]], dict[int, int]]: ...
    @staticmethod
    def spread(
        found: dict[int, set[Any]], tiers: dict[int, int], of_line: Sequence[int] | None,
        sizes: Sequence[int], lines: list[Any], fired: dict[int, set[Any]],
    ) -> None: ...

def line_pass(
    tries: Iterable[tuple[int, int]], live: list[Any], fired: dict[int, set[Any]],
    claims: dict[int, Any], views: dict[int, Any], verdicts: dict[tuple[Any, str], Any],
    outcomes: dict[tuple[str, str | None], Any] | None, rank: dict[Any, int],
    allowed: frozenset[Any], zoned: frozenset[Any], only: frozenset[Any] | None, count: int,
    warnings: list[str], claim: type, timeout: type[Exception], unseen: Any,
) -> None: ...
