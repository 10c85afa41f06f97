"""The author's box under an article: the name, a role, a few lines about them, their links.

Templates print it after the text: the name (a link to the author's page, or a heading that
repeats the byline's name), then "Editor-In-Chief", then "Andy has been gaming on PCs
since ...", then links to the author's Twitter and e-mail. No line of it says "bio" on its
own: the first sentence reads as prose, the role as a subheading. The box is found by its
head, a line that names the author as the byline or an author page does, and read line by
line while each line is of the box's kinds: one that names the author, a role, a link to a
profile or an address, a sentence about "he" or "she", the rest of a sentence a link broke.
The first line of any other kind ends it, so the article under a byline at the top, which
has the same head, is never read as a box: the head must stand below the article's text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import regex

from .document import Block
from .matcher import Claim, Context, DocumentMatcher, Hit
from .place_kinds import _claimed_positions, _may_claim
from .rule import Rule

_WORD = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}'’-]+")
# A byline's name: what follows "By" ("Written By Steve Watts", "By: Jane Doe").
_BY = regex.compile(r"(?i)\bby\s*:?\s*(\p{Lu}[\p{L}\p{M}.'’-]*(?:\s+\p{Lu}[\p{L}\p{M}.'’-]*){0,3})")
# A link's text and target in Markdown.
_LINK = regex.compile(r"\[([^\]]*)\]\(([^)\s]*)")
# Words of a role line ("Deputy Entertainment Editor", "Senior Writer", "Staff reporter").
_ROLE = regex.compile(
    r"(?i)^\W*(?:[\p{L}&'’-]+\s+){0,4}(?:editor|editor-in-chief|reporter|writer|correspondent|"
    r"journalist|columnist|contributor|producer|director|founder|co-founder|intern|analyst|"
    r"author|critic|photographer|researcher|host|presenter|anchor|chief|fellow|professor)s?"
    r"(?:\s*(?:,|at|of|for)\s*[\p{L}&'’ .+-]{1,40})?\W*$"
)
# A line of the author's links: a profile, an address.
_CONTACT = regex.compile(
    r"(?i)(?:twitter\.com|//x\.com|linkedin\.com|instagram\.com|facebook\.com|threads\.net|"
    r"bsky\.app|mastodon|mailto:|\S@\S+\.\w|\[at\])"
)
# A sentence about the author: "He is", "She has", "I'm", "They cover".
_ABOUT = regex.compile(
    r"^\W*(?:(?:he|she|they)\s+(?:is|was|has|had|covers|writes|joined|lives|spent|began|"
    r"previously|also|holds|studied|worked|currently)|(?:his|her|their)\s+\w+|i\s+am|i['’]m|"
    r"i['’]ve|i\s+have|i\s+cover|i\s+write)\b",
    regex.IGNORECASE,
)
# The fewest words of a line that a link broke off a sentence (a role line is shorter).
_SENTENCE = 6
# Where a broken sentence goes on: lower case or punctuation first.
_GOES_ON = regex.compile(r"^[\s*_]*(?:[,.;:)\]}]|\p{Ll})")
# A rule drawn across the page above the box.
_RULE_LINE = regex.compile(r"^(?:-{2,}|\*(?:\s*\*){2,}|_{3,}|—{2,})$")
# Claims that belong to a box (its picture, its links, its markup, its byline) and do not
# end it; any other removed line (comments, a newsletter, related stories) does.
_OF_A_BOX = frozenset({"markup", "share", "caption", "byline", "credit", "related",
                       "navigation"})
# The longest line that may head a box (a name, its link, a photo's markup).
_HEAD_LENGTH = 300
# Name words too common to count as naming the author.
_COMMON = frozenset({"the", "and", "for", "news", "staff", "service", "editor", "team"})


class AuthorBoxKind(DocumentMatcher):
    """``kind = "author-box"``: the author's box below the article, read from its head.

    The head is a line whose only link goes to an author's page (``link``, a pattern for the
    link's target), whose text is the name a ``bylines`` rule removed from the top, or a name
    (a link's text) right above a line a ``bios`` rule removed; more than half the words of
    the text's paragraphs (lines of ``paragraph_words`` words or more) must stand above it.
    Up to ``max_lines`` lines under it are taken while each is of the box's kinds (rules
    drawn across the page and removed pictures, links and markup do not count); a rule
    drawn right above the head, or above the author's photo, goes too.
    """

    kind = "author-box"
    keys = frozenset({"link", "bylines", "bios", "max_lines", "paragraph_words", "max_length"})

    def __init__(self, rule: Rule, timeout: float | None) -> None:
        super().__init__(rule, timeout)
        p = self.params
        self.link = p.get_pattern("link")
        self.bylines = frozenset(p.get_strs("bylines", ()))
        self.max_lines = p.get_int("max_lines", 6)
        self.paragraph_words = p.get_int("paragraph_words", 25)
        self.bios = frozenset(p.get_strs("bios", ()))
        self.box_length = p.get_int("max_length", 700)

    def find(self, ctx: Context) -> Iterator[tuple[Block, Hit]]:
        names = self._bylines(ctx)
        if not names and not _has_pages(ctx):
            return
        blocks, claimed = ctx.blocks, ctx.claimed
        # The words of the standing paragraphs: the head must have most of them above it
        # (a page scrape's menus put the article anywhere in its lines, never under the box).
        paragraphs, heads = self._read(ctx)
        sizes = [0 if b.index in claimed else paragraphs.get(b.index, 0) for b in blocks]
        prose = sum(sizes)
        above = 0
        for position, block in enumerate(blocks):
            # Only a line holding a link, or a short one when a byline gave a name, can head.
            if above * 2 > prose and (block.index in heads or (names and len(block.text) < 80)):
                name = self._head(ctx, position, names)
                if name is not None:
                    box = self._box(ctx, position, name)
                    if box:
                        hit = Hit(f"author box of {' '.join(name)!r} (head on line {block.line})")
                        for member in box:
                            if member.index not in claimed:
                                yield member, hit
                        return
            above += sizes[position]

    def _read(self, ctx: Context) -> tuple[dict[int, int], frozenset[int]]:
        """Once a document (every block stands): paragraphs' words, lines that hold a link."""
        read: tuple[dict[int, int], frozenset[int]] | None = ctx.memo.get(self.rule.code)
        if read is None:
            least = self.paragraph_words
            paragraphs = {b.index: n for b in ctx.blocks
                          if (n := b.text.count(" ") + 1) >= least}
            heads = frozenset(b.index for b in ctx.blocks
                              if "](" in b.text and len(b.text) <= _HEAD_LENGTH)
            read = ctx.memo[self.rule.code] = (paragraphs, heads)
        return read

    def _bylines(self, ctx: Context) -> list[tuple[str, ...]]:
        """The names in the bylines a ``bylines`` rule removed (once a pass)."""
        if not _may_claim(ctx, self.bylines):
            return []
        names = []
        for position in _claimed_positions(ctx, self.bylines):
            found = _BY.search(ctx.text_of(ctx.blocks[position]))
            if found is not None:
                names.append(tuple(found.group(1).split()))
        return names

    def _head(self, ctx: Context, position: int, names: Sequence[tuple[str, ...]]
              ) -> tuple[str, ...] | None:
        """The author's name if the block at ``position`` heads a box."""
        block = ctx.blocks[position]
        text = block.text
        if len(text) > _HEAD_LENGTH:
            return None
        links = _LINK.findall(text)
        said = ctx.text_of(block).strip(" #*_[]!()")
        if links and len(links) <= 2 and len(said.split()) <= 6:
            shown = [w for w in _WORD.findall(links[-1][0] or links[0][0])
                     if not w.lower().startswith("image")]
            if self.link.search(links[-1][1]) is not None:  # an author's page
                slug = regex.split(r"[/_-]", links[-1][1].rstrip("/").rsplit("/author", 1)[-1])
                words = shown if 1 <= len(shown) <= 4 else [w for w in slug if w.isalpha()]
                if words:
                    return tuple(words)
            # A name alone over a line a bio rule removed ("is an award-winning ...").
            after = ctx.blocks[position + 1] if position + 1 < len(ctx.blocks) else None
            claim = ctx.claimed.get(after.index) if after is not None else None
            if (claim is not None and claim.rule.code in self.bios
                    and 2 <= len(shown) <= 4 and all(w[0].isupper() for w in shown)):
                return tuple(shown)
        plain = ctx.text_of(block).strip(" #*_")
        for name in names:
            if plain == " ".join(name):
                return name
        return None

    def _box(self, ctx: Context, position: int, name: tuple[str, ...]) -> list[Block]:
        """The head, the box's lines under it, and a rule drawn above it."""
        blocks, claimed = ctx.blocks, ctx.claimed
        words = {w.lower() for w in name if len(w) > 2 and w.lower() not in _COMMON}
        box = [blocks[position]]
        before = position - 1
        while before >= 0 and _picture(blocks[before], claimed):
            before -= 1
        if before >= 0 and _RULE_LINE.match(blocks[before].text):
            box.append(blocks[before])
        taken = 0  # lines of the box's kinds, standing or removed as a bio
        last: str | None = None  # the box's last line read under the head
        for block in blocks[position + 1:]:
            said = ctx.text_of(block)
            claim = claimed.get(block.index)
            if claim is not None:
                if claim.rule.category not in _OF_A_BOX:
                    break
                # A bio line goes on the box; a removed link or picture goes on nothing.
                bio = claim.rule.code in self.bios
                taken += bio
                last = said if bio else None
                continue
            if _RULE_LINE.match(block.text):  # drawn under the head
                box.append(block)
                continue
            if taken >= self.max_lines or len(said) > self.box_length:
                break
            if not self._of_box(block, said, last, words):
                break
            box.append(block)
            taken += 1
            last = said
        return box if taken else []

    @staticmethod
    def _of_box(block: Block, said: str, last: str | None, name: set[str]) -> bool:
        """Whether a line under the head is of the box's kinds."""
        if not said.strip(" *_#") or _CONTACT.search(block.text) is not None:
            return True  # links alone, a profile, an address
        if name.intersection(w.lower() for w in _WORD.findall(said)):
            return True
        if _ROLE.match(said) is not None or _ABOUT.match(said) is not None:
            return True
        # The rest of a sentence of the box a link broke ("[*Sunday Times*](...)", "*. As a").
        if last is None:
            return False
        broken = len(last.split()) >= _SENTENCE and not last.rstrip(" *_").endswith(
            (".", "!", "?", "”", '"'))
        return broken or _GOES_ON.match(said) is not None


# The words an author-page link's target holds; without one and without a byline, a text
# has no box head to find.
_PAGES = ("/author", "/staff", "/people/", "/profile", "/contributor", "/writer",
          "/journalist", "/team/")


def _has_pages(ctx: Context) -> bool:
    """Whether the text links to an author's page at all (once a document)."""
    found: bool | None = ctx.memo.get("author pages")
    if found is None:
        source = ctx.source
        found = ctx.memo["author pages"] = "](" in source and any(
            word in source for word in _PAGES)
    return found


def _picture(block: Block, claimed: Mapping[int, Claim]) -> bool:
    """An image line between a rule and the head (the author's photo)."""
    claim = claimed.get(block.index)
    return (claim is not None and claim.rule.category == "caption") or block.text.lstrip(
        "*_ ").startswith(("![", "[![", "<img"))
