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

from collections.abc import Iterator, Sequence

from .document import Block
from .matcher import Context, DocumentMatcher, Hit, longest_line
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
        # The standing lines (a removed line between two pieces does not part them).
        standing = [b for b in blocks if b.index not in claimed] if claimed else blocks
        norms: dict[str, str] = {}
        taken: set[int] = set()
        low, last = self.min_length, len(standing) - 1
        for at, block in enumerate(standing):
            text = block.text
            if len(text) < low or block.index in taken:
                continue
            # Most paragraphs have no copy beside them: a neighbour that cannot be a piece
            # (a word of it is not in the paragraph) is seen with a C-level look, before
            # either line is normalised.
            if not ((at < last and _may_hold(text, standing[at + 1].text))
                    or (at > 0 and _may_hold(text, standing[at - 1].text))):
                continue
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
                taken.add(block.index)
                yield block, Hit(f"the lines above it (to line {before[0].line}) printed "
                                 "again as one paragraph")

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


def _may_hold(whole: str, line: str) -> bool:
    """Whether ``line`` may be a piece of ``whole``: the longest of its first words is in it.

    Normalising changes spacing only, so every word of a piece stands in the paragraph as
    written; a neighbour failing this is no piece, whatever the rest of the test would say.
    """
    words = line.split(maxsplit=6)[:6]
    return bool(words) and len(line) < len(whole) and max(words, key=len) in whole


def _norm(text: str, norms: dict[str, str]) -> str:
    """A line's words with single spaces, without the block-quote marks before them."""
    found = norms.get(text)
    if found is None:
        found = norms[text] = " ".join(text.lstrip(" >").split())
    return found

