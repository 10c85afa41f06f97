# The compiled line table's API: the same as its pure-Python reference's.
from collections.abc import Sequence
from typing import Any

def parse_lines(body: str, newline: str, base: int, block: Any) -> tuple[list[Any], bool]: ...

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
