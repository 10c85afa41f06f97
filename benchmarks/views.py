"""Real text views of the Zyte pages, each line labelled body or cruft against the gold.

View (a) is what trafilatura extracts from a page: the usual input of a corpus builder, and
still full of cruft. View (b) is the page's full visible text. Gold is the page's
``articleBody``. A line is labelled *body* when the gold holds it: its whitespace-normalised
text is a substring of the gold's, or (for a line of four words or more) at least half of its
4-word shingles occur in the gold. A line of fewer than four words counts as body only if it
is a whole line of the gold or a substring of at least 20 characters: a bare "Share" is not
body because the gold says "share" somewhere. Bullets and table pipes that trafilatura adds
("- ", "| ") are set aside before matching.

The labels are checked by hand on a random sample of 300 lines
(``corpus/labelled/hand-check.tsv``: 4 disagreements). ``label-overrides.tsv`` holds the
corrected labels: those 4, and lines reviewed because ``clean`` removed a line labelled body
(copyright notices, credits, captions the gold keeps). That second set is a biased review (only
one direction is checked), so the harness reports figures with raw labels too.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import zyte

_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")
_MARKUP = re.compile(r"^(?:[-*•>#|]+\s+)+|\s*\|\s*$")
# Lines at least this long are counted against the gold's copies (see ``label``); a short
# label ("Share", "Print") may stand in the gold once and on the page a dozen times as body.
REPEAT_MIN_CHARS = 40
_LANG = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([a-zA-Z]{2})", re.IGNORECASE)


@dataclass
class LabelledDoc:
    key: str
    url: str
    view: str
    language: str
    text: str
    gold: str
    labels: list[bool] = field(default_factory=list)  # per non-blank line: True = body

    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


class Gold:
    """A gold body prepared for fast membership tests."""

    def __init__(self, text: str) -> None:
        self.flat = normalise(text)
        self.lines = {normalise(line) for line in text.splitlines() if line.strip()}
        tokens = _TOKEN.findall(text.casefold())
        self.shingles = {tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)}

    def holds(self, line: str) -> bool:
        line = _MARKUP.sub("", line)  # trafilatura's list bullets and table pipes
        norm = normalise(line)
        tokens = _TOKEN.findall(line.casefold())
        if len(tokens) < 4:
            return norm in self.lines or (len(norm) >= 20 and norm in self.flat)
        if norm in self.flat:
            return True
        shingles = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
        return sum(s in self.shingles for s in shingles) >= 0.5 * len(shingles)


def language(html: bytes) -> str:
    found = _LANG.search(html[:20000])
    return found.group(1).decode("ascii").lower() if found else "??"


OVERRIDES = Path(__file__).resolve().parent.parent / "corpus" / "labelled" / "label-overrides.tsv"


def overrides(path: Path = OVERRIDES) -> dict[tuple[str, str], bool]:
    """Hand-checked labels that replace the automatic ones: (page, line) -> is body."""
    if not path.is_file():
        return {}
    found = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            found[(row["page"], row["line"])] = row["label"] == "body"
    return found


def label(doc: LabelledDoc, hand: dict[tuple[str, str], bool] | None = None) -> LabelledDoc:
    """Label each line automatically, then apply the hand-checked overrides (if given).

    A paragraph the page prints more often than the gold holds it is body only as many times
    as the gold has it, the first copies first, as LABELLING.md labels a repeated paragraph
    (the first copy body, later copies DUP): a page that prints its lede twice (as the dek
    and as the first paragraph) has one copy of it in its article.
    """
    gold = Gold(doc.gold)
    hand = hand or {}
    labels = []
    used: dict[str, int] = {}
    for line in doc.lines():
        body = hand.get((doc.key, line))
        if body is None:
            body = gold.holds(line)
            norm = normalise(_MARKUP.sub("", line))
            if body and len(norm) >= REPEAT_MIN_CHARS and norm in gold.flat:
                used[norm] = used.get(norm, 0) + 1
                body = used[norm] <= gold.flat.count(norm)
        labels.append(body)
    doc.labels = labels
    return doc


def build(data_dir: Path, raw_labels: bool = False,
          pages: Sequence[zyte.Page] | None = None,
          which: Sequence[str] = ("a", "b")) -> list[LabelledDoc]:
    """The views of every page, labelled (trafilatura must be installed for view (a)).

    ``pages`` defaults to the Zyte layout of ``data_dir``; another set's pages (see
    ``extraction_sets.load``) may be given, labelled against their own gold. The automatic
    labels are corrected by ``corpus/labelled/label-overrides.tsv`` unless ``raw_labels``.
    """
    hand = {} if raw_labels else overrides()
    from cleaner.html import parse_html
    from cleaner.htmlblocks import blocks

    docs = []
    for page in zyte.load(data_dir) if pages is None else pages:
        lang = language(page.html)
        texts = []
        if "a" in which:
            import trafilatura

            texts.append(("a", trafilatura.extract(page.html, url=page.url) or ""))
        if "b" in which:
            root = parse_html(page.html)
            texts.append(("b", "\n".join(b.text for b in blocks(root)) if root is not None
                          else ""))
        for view, text in texts:
            docs.append(label(LabelledDoc(page.key, page.url, view, lang, text, page.gold),
                              hand))
    return docs
