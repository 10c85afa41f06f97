"""The line table's pure-Python reference: what ``cleaner._linetable`` computes in C.

Two kernels of the text path, each a loop over every line or every trigger hit of a document,
live here and in the compiled twin with one API, so the engine calls whichever was loaded
(``cleaner.accel``). This module is the reference: the compiled one must give the same
results on every input (tests/test_accel.py holds them to it), and ``CLEANER_PURE=1`` runs
this one. The code is the engine's own loops as they were before issue 15, moved here
unchanged, so the reference is the behaviour the project has always had.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any

# ASCII bytes that belong to a word, for the '\b' ends of triggers.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def parse_lines(body: str, newline: str, base: int, block: Any) -> tuple[list[Any], bool]:
    r"""Split ``body`` at ``newline`` into ``block(...)`` objects, one per non-blank line.

    Returns the blocks and whether the text ended in a line break. ``base`` is added to every
    offset (1 when a byte-order mark was cut off the front). See ``document.parse``.
    """
    strip_cr = newline == "\r\n"
    lines = body.split("\n" if strip_cr else newline)
    # Only an empty last piece is the final line break: a text of "\n" breaks that ends in a
    # lone "\r" ends with a line, and popping it lost that line without a word (fuzzing).
    final_newline = len(lines) > 1 and lines[-1] == ""
    if final_newline:
        lines.pop()
    # Where each line starts, and its text stripped, with C-level maps; the loop then does
    # little more than build the blocks (a text of two million one-character lines).
    offsets = accumulate(map((1).__add__, map(len, lines)), initial=base)
    raws = [line[:-1] if line[-1:] == "\r" else line for line in lines] if strip_cr else lines
    blocks: list[Any] = []
    append = blocks.append
    index = 0
    blank = False
    for number, raw, stripped, offset in zip(  # offsets holds one more: the end
        range(1, len(raws) + 1), raws, map(str.strip, raws), offsets, strict=False
    ):
        if stripped:
            # Positional: index, line, col, start, end, text, raw, blank_before.
            if raw is stripped:  # ``strip`` hands back the line itself: nothing to cut
                append(block(index, number, 1, offset, offset + len(stripped), stripped, raw,
                             blank))
            else:
                lead = 0 if raw[0] == stripped[0] else raw.index(stripped[0])
                start = offset + lead
                append(block(index, number, lead + 1, start, start + len(stripped), stripped,
                             raw, blank))
            index += 1
            blank = False
        elif index:  # a blank line counts once a block stands before it
            blank = True
    return blocks, final_newline


def lowered(texts: list[str]) -> tuple[bytes, list[int]]:
    r"""The texts lowercased, UTF-8 encoded and joined by ``\n``; where each starts in them.

    ``starts`` holds one more: the end plus one. Each text is lowered and encoded on its own
    (see ``triggers.TriggerIndex.scan``); lone surrogates pass through as bytes.
    """
    lines = [t.lower().encode("utf-8", "surrogatepass") for t in texts]
    return b"\n".join(lines), list(accumulate(map((1).__add__, map(len, lines)), initial=0))


class HitMap:
    """Trigger hits in the joined lines of a document, mapped to the lines that hold them.

    Built once per rule set; indexed by the automaton's pattern number. Per pattern:
    ``bounds`` (0, or 1 = must start a word, 2 = must end one, 3 = both), ``limits`` (the
    longest line any of its rules accepts), ``tiers`` (its length tier) and ``rules`` (the
    rules it lets through).
    """

    def __init__(
        self, bounds: Sequence[int], limits: Sequence[int], tiers: Sequence[int],
        rules: Sequence[frozenset[Any]],
    ) -> None:
        self._bounds = list(bounds)
        self._limits = list(limits)
        self._tiers = list(tiers)
        self._rules = list(rules)

    def assign(
        self, matches: Sequence[tuple[int, int, int]], data: bytes, starts: Sequence[int],
        sizes: Sequence[int],
    ) -> tuple[dict[int, set[Any]], dict[int, int]]:
        r"""Per line of ``data`` (lines joined by ``\n``): the rules let through, lowest tier.

        ``matches`` are the automaton's ``(pattern, start, end)`` byte spans in ``data``;
        ``starts`` where each line starts in ``data`` (and one more: the end plus one);
        ``sizes`` the lines' lengths in characters, for the length limits. A hit that does
        not sit at the word bounds its literal asks for, or falls in a line longer than its
        rules accept, lets nothing through. Keys come in the order of their first hit.
        """
        bounds, limits, tier_of, rules = self._bounds, self._limits, self._tiers, self._rules
        found: dict[int, set[Any]] = {}
        tiers: dict[int, int] = {}
        for trigger, start, end in matches:
            if bounds[trigger] and not _at_bounds(data, start, end, bounds[trigger]):
                continue
            text = bisect_right(starts, start) - 1
            if sizes[text] > limits[trigger]:
                continue
            here = found.get(text)
            if here is None:
                found[text] = set(rules[trigger])
                tiers[text] = tier_of[trigger]
            else:
                here |= rules[trigger]
                if tier_of[trigger] < tiers[text]:
                    tiers[text] = tier_of[trigger]
        return found, tiers


    @staticmethod
    def spread(
        found: dict[int, set[Any]], tiers: dict[int, int], of_line: Sequence[int] | None,
        sizes: Sequence[int], lines: list[Any], fired: dict[int, set[Any]],
    ) -> None:
        """Give each line the rules ``assign`` found for its text, into ``fired`` by index.

        ``of_line`` maps a line to its distinct text (None: every line is its own); ``lines``
        are the blocks, whose ``index`` keys ``fired``. Lines enter tier by tier, shortest
        first (as when each tier had its automaton and scanned the blocks sorted by length):
        the line rules are tried in this order, which orders their time-out warnings.
        """
        if not found:
            return
        hits: Iterable[int]
        if of_line is None:
            of_line = range(len(lines))
            hits = found  # in line order: matches come in text order
        else:
            hits = [line for line, text in enumerate(of_line) if text in found]
        by_tier: dict[int, list[int]] = {}
        for line in hits:
            by_tier.setdefault(tiers[of_line[line]], []).append(line)
        shared = not isinstance(of_line, range)  # lines of one text must not share its set
        for tier in sorted(by_tier):
            for line in sorted(by_tier[tier], key=sizes.__getitem__):
                rules_here = found[of_line[line]]
                index = lines[line].index
                known = fired.get(index)
                if known is None:
                    fired[index] = rules_here.copy() if shared else rules_here
                else:
                    known |= rules_here


def _is_word_at(data: bytes, position: int, backwards: bool) -> bool:
    """Whether the character at byte ``position`` (or the one ending there) is a word character.

    ASCII is a table lookup; otherwise the whole UTF-8 sequence is decoded (letters such as
    "é" are word characters, punctuation such as "’" is not).
    """
    byte = data[position]
    if byte < 0x80:
        return byte in _WORD_BYTES
    start = position
    if backwards:
        while start > 0 and 0x80 <= data[start] < 0xC0:
            start -= 1
    end = start + 1
    while end < len(data) and 0x80 <= data[end] < 0xC0:
        end += 1
    char = data[start:end].decode("utf-8", "replace")
    return char.isalnum()


def _at_bounds(data: bytes, start: int, end: int, bounds: int) -> bool:
    """Whether ``data[start:end]`` starts (bit 1) and ends (bit 2) a word where ``bounds`` asks."""
    if bounds & 1 and start > 0 and _is_word_at(data, start - 1, backwards=True):
        return False
    return not (bounds & 2 and end < len(data) and _is_word_at(data, end, backwards=False))


def line_pass(
    tries: Iterable[tuple[int, int]], live: list[Any], fired: dict[int, set[Any]],
    claims: dict[int, Any], views: dict[int, Any], verdicts: dict[tuple[Any, str], Any],
    outcomes: dict[tuple[str, str | None], Any] | None, rank: dict[Any, int],
    allowed: frozenset[Any], zoned: frozenset[Any], only: frozenset[Any] | None, count: int,
    warnings: list[str], claim: type, timeout: type[Exception], unseen: Any,
) -> None:
    """The line stage's candidate loop (``engine.Cleaner._line_stage``, which documents it).

    ``tries`` are (``Block.index``, position in ``live``) pairs; ``claims`` gets a
    ``claim`` (rule, hit) tuple for each block a rule takes; ``verdicts`` caches a
    (matcher, text) pair's hit, ``outcomes`` (or None) a (text, view text) pair's outcome
    when no zoned rule is among its candidates; ``only`` (or None) cuts the candidates to
    the rules of later passes; ``timeout`` is the error a rule's time budget raises (its
    message goes to ``warnings``); ``unseen`` answers a ``get`` for what is not cached.
    """
    new = tuple.__new__
    key = rank.__getitem__
    for index, position in tries:
        candidates = fired.get(index)
        if candidates is None or index in claims:
            continue
        if only is not None:
            candidates = candidates & only
            if not candidates:
                continue
        block = live[position]
        text = block.text
        view = views.get(index) if views else None
        if outcomes is not None:
            seen = (text, None if view is None else view.text)
            known = outcomes.get(seen, unseen)
            if known is not unseen:
                if known is not None:
                    claims[index] = new(claim, (known[0].rule, known[1]))
                continue
        size = len(text)
        # Pack order, whatever order the literals matched in (most blocks have one rule).
        ordered = sorted(candidates, key=key) if len(candidates) > 1 else candidates
        shortest = size if view is None else min(size, len(view.text))
        outcome: tuple[Any, Any] | None = None
        timed_out = False
        for matcher in ordered:
            limit = matcher.max_length
            # The length test first: a shared literal lets through rules of every length.
            if shortest > limit or matcher not in allowed:
                continue
            if matcher in zoned and not matcher.zone.contains(position, count):
                continue
            try:
                if size > limit:
                    hit = None
                else:  # ``_verdict`` inlined for the block itself
                    hit = verdicts.get((matcher, text), unseen)
                    if hit is unseen:
                        fast = matcher.fast
                        if fast is None:
                            hit = matcher.match(block)
                        else:
                            hit = matcher.hit if fast.search(text) is not None else None
                        verdicts[matcher, text] = hit
                if hit is None and view is not None and len(view.text) <= limit:
                    hit = _verdict(matcher, view, verdicts)
            except timeout as exc:
                warnings.append(str(exc))
                timed_out = True
                continue
            if hit is not None:
                claims[index] = new(claim, (matcher.rule, hit))
                outcome = (matcher, hit)
                break
        if outcomes is not None and not timed_out and candidates.isdisjoint(zoned):
            outcomes[seen] = outcome


def _verdict(matcher: Any, block: Any, verdicts: dict[tuple[Any, str], Any]) -> Any:
    """``matcher.match(block)``, once per distinct text in a document.

    A trusted pattern with no value to extract (``matcher.fast``) is searched here directly,
    its hits sharing one reason.
    """
    key = (matcher, block.text)
    try:
        return verdicts[key]
    except KeyError:
        fast = matcher.fast
        if fast is None:
            hit = matcher.match(block)
        else:
            hit = matcher.hit if fast.search(block.text) is not None else None
        verdicts[key] = hit
        return hit
