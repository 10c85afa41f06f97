"""Lines that are the text's own though they have the shape of page furniture.

Kinds that judge a page by the shape of its lines (menus around the main text, labels in a
row, short lines below the last paragraph) read runs of short lines as furniture. Two kinds
of short line are the text's own however they are laid out: the items of its lists, and
its code or data.

A checklist, a list of steps or of pros and cons is printed one item a line, as a menu is.
What tells them apart is how the items are written. A menu's or a widget's items are labels:
a word or two in title case ("Quick Hits", "Privacy Policy"), or links. A list the text
gives is written in the writer's phrases ("Tent poles or trekking poles", "Book your
photographer"): three words or more with small words in lower case among them, or two words
or more in lower case ("organic cotton"). A run of three items or more, none of them a
link and at least half of them phrases, is the text's own, every item of it (the one-word
items of a checklist too). Code and data are told by their braces, statements' ends, JSON
keys and operators.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex

from .document import Block

# A list entry's number and its stop ("2. ", "10) ").
NUMBERED = regex.compile(r"\d{1,2}[.)]\s")
# How an item of a list opens: a bullet, or a number and its stop.
ITEM_OPEN = regex.compile(r"\s*(?:[-*+•▪◦‣·]\s|" + NUMBERED.pattern + ")")
# What a link leaves in text: a Markdown link, an address, an HTML anchor.
LINKED = regex.compile(r"\]\(|https?://|www\.|<a\s", regex.IGNORECASE)
# The characters a list item's line may open with (``ITEM_OPEN``'s first characters): a line
# opening with none of them is no item unless its source marks it.
OPENERS = frozenset(" \t-*+•▪◦‣·0123456789")
# The fewest items a run has to be a list rather than a line or two of a widget.
MIN_ITEMS = 3
# The share of a run's items that must read as phrases.
PHRASE_SHARE = 0.5
# The fewest words of a phrase.
PHRASE_WORDS = 3


def phrase(item: str) -> bool:
    """Whether a list item's text (its mark removed) reads as a phrase, not a label.

    Two words or more written in lower case from the first letter ("organic cotton",
    "family-owned": a menu's labels open with capitals, and a one-word item in lower case may
    be a user's handle), or three words or more, one after the first in lower case letters:
    "Tent poles or trekking poles", "Notebook + pen"; not "Quick Hits", "Contact us".
    """
    if item[:1].islower() and (" " in item.strip() or "-" in item):
        return True
    words = item.split()
    return len(words) >= PHRASE_WORDS and any(w.isalpha() and w.islower() for w in words[1:])


def own_list_items(texts: Sequence[str], marked: Sequence[bool] | None = None) -> list[bool]:
    """For each line, whether it is an item of one of the text's own lists (see the module).

    ``marked`` says which lines the source marks as items without a bullet in their text
    (``Document.items``). Only the lines that can open an item are read one by one (a
    comprehension finds them): most texts have fewer than a list's three.
    """
    found = [False] * len(texts)
    if marked is None:
        candidates = [i for i, text in enumerate(texts) if text[:1] in OPENERS]
    else:
        candidates = [i for i, text in enumerate(texts) if marked[i] or text[:1] in OPENERS]
    if len(candidates) < MIN_ITEMS:
        return found
    run: list[int] = []
    phrases = 0
    for position in (*candidates, -1):
        item: str | None = None
        if position >= 0:
            text = texts[position]
            if marked is not None and marked[position]:
                item = text.strip()
            elif (opened := ITEM_OPEN.match(text)) is not None:
                item = text[opened.end():]
            if item is not None and LINKED.search(text) is not None:
                item = None
        if item is not None and (not run or position == run[-1] + 1):
            run.append(position)
            phrases += phrase(item)
            continue
        if len(run) >= MIN_ITEMS and phrases >= PHRASE_SHARE * len(run):
            for at in run:
                found[at] = True
        run, phrases = ([position], phrase(item)) if item is not None else ([], 0)
    return found


# How a line of code or structured data opens, ends or is joined: braces, a statement's
# end, a JSON key, an assignment or a comparison, a keyword that opens a declaration, a
# method called on a name ("time.sleep(1)", "os.Open(src)").
_CODE_OPENS = frozenset("}")
_CODE_ENDS = frozenset("{;")
_CODE_WORDS = ("def ", "import ", "function ", "const ", "let ", "var ", "#include ")
_CALL = regex.compile(r"[a-z_]\w*\.[A-Za-z_]\w*\(")


def code_like(text: str) -> bool:
    """Whether a short line reads as code or data (``if err != nil {``, ``"name": "x",``).

    Menus and labels are words; an article's code sample or a page's JSON printed as text
    is not, and a run of its short lines is no menu.
    """
    if not text:
        return False
    if text[0] in _CODE_OPENS or text[-1] in _CODE_ENDS or text.startswith(_CODE_WORDS):
        return True
    # Each mark holds one of three characters, which most labels lack: one C-level search
    # each before any of the marks is looked for.
    return (("=" in text and (" := " in text or " != " in text or " == " in text
                              or " => " in text))
            or (":" in text and ('": ' in text or "):" in text))
            or ("(" in text and ("();" in text or _CALL.search(text) is not None)))


def marked_items(blocks: Sequence[Block], items: frozenset[int] | None) -> list[bool] | None:
    """``own_list_items``'s ``marked`` for ``blocks``: None for a text that shows its items."""
    if not items:
        return None
    return [block.index in items for block in blocks]


class OwnItems:
    """Whether a block is an item of the text's own list, worked out only if asked.

    For the kinds that ask of a few lines (a label, the end of the text's marker): a line
    that does not open as an item, in a text whose source marks none, is answered at once;
    otherwise ``own_list_items`` reads all of ``blocks`` (through ``text``) once.
    """

    __slots__ = ("_own", "blocks", "items", "text")

    def __init__(self, blocks: Sequence[Block], items: frozenset[int] | None,
                 text: Callable[[Block], str]) -> None:
        self.blocks, self.items, self.text = blocks, items, text
        self._own: list[bool] | None = None

    def __call__(self, position: int) -> bool:
        """Whether ``blocks[position]`` is such an item."""
        if not self.items and self.text(self.blocks[position])[:1] not in OPENERS:
            return False  # no item: its line does not open as one
        if self._own is None:
            self._own = own_list_items([self.text(b) for b in self.blocks],
                                       marked_items(self.blocks, self.items))
        return self._own[position]
