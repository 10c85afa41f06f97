"""A paragraph printed twice: once as one line, once broken into the lines that make it up.

Scrapers that read both a container's text and its children's (a block quote and its
paragraphs, a post and its lines) print the same words twice in a row: the joined paragraph,
then its pieces, or the pieces, then the whole. Neither copy is a near-duplicate of the other
line by line, so the near-duplicate kind misses them; and a run of lines each quoting a longer
paragraph is what the pull-quote kind leaves alone, since a summary or a fact box is such a
run. What sets a split copy apart is that its lines stand right beside the paragraph, follow
its words in order, and together say (nearly) all of it: a summary picks sentences, it does
not reprint a paragraph whole. The later copy goes, as the labelling guide's "a paragraph
printed again" says.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from .document import Block
from .excerpt_kind import _Standing
from .matcher import Context, DocumentMatcher, Hit, longest_line
from .place_kinds import _next_standing, _positions
from .rule import Rule


class SplitCopyKind(DocumentMatcher):
    """``kind = "split-copy"``: lines that reprint the standing paragraph beside them, in pieces.

    A paragraph of at least ``min_length`` characters, and at least ``min_pieces`` standing
    lines right after it (or right before it), each of at least ``min_piece`` characters and
    found in the paragraph after the previous one, that together cover ``coverage`` of it.
    Spacing and block-quote marks do not count. After the paragraph the pieces go; before it,
    the paragraph goes (the pieces came first).
    """

    kind = "split-copy"
    keys = frozenset({"min_length", "min_piece", "min_pieces", "max_pieces", "coverage"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.min_length = p.get_int("min_length", 120)
        self.min_piece = p.get_int("min_piece", 20)
        self.min_pieces = p.get_int("min_pieces", 2)
        self.max_pieces = p.get_int("max_pieces", 12)
        self.coverage = p.get_float("coverage", 0.9)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        if longest_line(ctx) < self.min_length:
            return
        blocks, claimed = ctx.blocks, ctx.claimed
        memo: tuple[list[int], dict[int, tuple[int, int]]] | None = ctx.memo.get(
            self.rule.code)
        if memo is None:  # the first pass: the long lines, by index, once a document
            memo = ctx.memo[self.rule.code] = (
                [b.index for b in blocks if len(b.text) >= self.min_length], {})
        longs, judged = memo
        # Paragraphs judged to have no copy beside them, with the neighbours they had then:
        # while both still stand they are still its neighbours (claims are never undone, so
        # what stood between them then is still gone), and a later pass passes it by.
        positions: Mapping[int, int] = _positions(ctx) or _Standing(len(blocks))
        norms: dict[str, str] = {}
        taken: set[int] = set()
        standing: list[Block] | None = None
        where: dict[int, int] = {}
        for index in longs:
            if index in claimed or index in taken:
                continue
            seen = judged.get(index)
            if seen is not None and seen[0] not in claimed and seen[1] not in claimed:
                continue
            at = positions.get(index)
            if at is None:
                continue
            block = blocks[at]
            next_at, previous_at = (_next_standing(blocks, claimed, at, step) for step in (1, -1))
            following = blocks[next_at] if next_at < len(blocks) else None
            preceding = blocks[previous_at] if previous_at >= 0 else None
            neighbours = (following.index if following is not None else -1,
                          preceding.index if preceding is not None else -1)
            text = block.text
            # Most paragraphs have no copy beside them: a neighbour that cannot be its first
            # or last piece is seen with a C-level look, before either line is normalised.
            if not ((following is not None and _may_open(text, following.text, self.coverage))
                    or (preceding is not None
                        and _may_close(text, preceding.text, self.coverage))):
                judged[index] = neighbours
                continue
            if standing is None:  # built once a pass, and only for a text with a candidate
                standing = [b for b in blocks if b.index not in claimed]
                where = {b.index: n for n, b in enumerate(standing)}
            at = where[index]
            whole = _norm(text, norms)
            after = self._pieces(whole, standing[at + 1:at + 1 + self.max_pieces], norms, taken)
            if after:
                hit = Hit(f"the paragraph of line {block.line} printed again, in "
                          f"{len(after)} lines")
                for piece in after:
                    taken.add(piece.index)
                    yield piece, hit
                continue
            before = standing[max(0, at - self.max_pieces):at][::-1]
            if self._pieces(whole, before, norms, taken, backwards=True):
                taken.add(index)
                yield block, Hit(f"the lines above it (to line {before[0].line}) printed "
                                 "again as one paragraph")
            else:
                judged[index] = neighbours

    def _pieces(
        self, whole: str, lines: Sequence[Block], norms: dict[str, str], taken: set[int],
        backwards: bool = False,
    ) -> list[Block]:
        """The lines, from the paragraph outwards, that reprint it in order; [] if too few."""
        found: list[Block] = []
        covered = 0
        # Forwards each piece stands after the previous one in the paragraph's text;
        # backwards (the lines above it, nearest first) before it.
        cursor = len(whole) if backwards else 0
        for line in lines:
            if line.index in taken:
                break
            piece = _norm(line.text, norms)
            if len(piece) < self.min_piece or len(piece) >= len(whole):
                break
            at = whole.rfind(piece, 0, cursor) if backwards else whole.find(piece, cursor)
            if at < 0:
                break
            cursor = at if backwards else at + len(piece)
            covered += len(piece)
            found.append(line)
        if len(found) < self.min_pieces or covered < self.coverage * len(whole):
            return []
        return found


def _may_open(whole: str, line: str, coverage: float) -> bool:
    """Whether ``line`` may be the first piece of ``whole``: it opens near where ``whole`` does.

    Pieces covering ``coverage`` of the paragraph in order leave less than the rest uncovered
    before the first of them, so its opening characters stand in the paragraph's head (as
    written: a piece whose first characters hold runs of spaces is not looked for).
    """
    return len(line) < len(whole) and line.lstrip(" >")[:_LOOK] in whole[
        :int(len(whole) * (1 - coverage)) + 2 * _LOOK]


def _may_close(whole: str, line: str, coverage: float) -> bool:
    """Whether ``line`` may be the last piece of ``whole``: it ends near where ``whole`` does."""
    return len(line) < len(whole) and line.rstrip()[-_LOOK:] in whole[
        -(int(len(whole) * (1 - coverage)) + 2 * _LOOK):]


# Characters of a piece's edge looked for in the paragraph before anything is normalised.
_LOOK = 12


def _norm(text: str, norms: dict[str, str]) -> str:
    """A line's words with single spaces, without the block-quote marks before them."""
    found = norms.get(text)
    if found is None:
        found = norms[text] = " ".join(text.lstrip(" >").split())
    return found

