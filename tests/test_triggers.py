# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Triggers only make the line rules cheaper, never change what they remove.

A rule's triggers are a necessary condition the engine tests before running its pattern; one
missing from the list (or a word boundary where the pattern allows none) would silently keep
cruft the pattern matches. So every text at hand is cleaned twice, once as shipped and once
with every line and caption rule a candidate on every line within its length, and the
removals compared. (A ``phrase`` rule's triggers are part of what it means: its fuzzy match
alone would take menu words such as "Sign In".)
"""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import CORPUS, SEED, ZYTE, read

from cleaner import Cleaner
from cleaner.document import Block, Document
from cleaner.document_kinds import LineRunKind
from cleaner.html import parse_html
from cleaner.htmlblocks import blocks
from cleaner.label_kinds import LabelValueKind
from cleaner.matcher import Params, split_trigger
from cleaner.packs import builtin_pack_paths, load_packs
from cleaner.place_kinds import ThreadKind
from cleaner.rule import Rule
from cleaner.triggers import TriggerIndex


def untriggered() -> Cleaner:
    cleaner = Cleaner()
    for matcher in cleaner._line:
        if matcher.kind != "phrase":  # a phrase rule's triggers are part of its definition
            matcher.triggers = ()
    for document_matcher in cleaner._document:  # line runs: tried on every line instead
        if isinstance(document_matcher, LineRunKind | LabelValueKind | ThreadKind):
            document_matcher.triggers = ()
    cleaner._triggers = TriggerIndex(cleaner._line)
    return cleaner


def removals(cleaner: Cleaner, text: str) -> list[tuple[str, int]]:
    return [(r.rule, r.line) for r in cleaner.clean(text).removed]


def texts() -> list[str]:
    found = [read(SEED)]
    for name in ("labelled/sample.jsonl", "zyte-articlebody/sample.jsonl"):
        for line in read(CORPUS / name).splitlines():
            record = json.loads(line)
            found.append(record.get("text") or record["articleBody"])
    rules = load_packs(builtin_pack_paths(), trusted=True)
    found += [example.text for rule in rules for example in (*rule.remove, *rule.keep)]
    return found


def test_triggers_change_no_removal():
    shipped, everything = Cleaner(), untriggered()
    for text in texts():
        assert removals(shipped, text) == removals(everything, text), text[:200]


@pytest.mark.skipif(not (ZYTE / "html").exists(), reason="../shared not present")
def test_triggers_change_no_removal_on_zyte_visible_text():
    shipped, everything = Cleaner(), untriggered()
    for path in sorted((ZYTE / "html").glob("*.html.gz")):
        root = parse_html(gzip.decompress(path.read_bytes()))
        text = "\n".join(b.text for b in blocks(root)) if root is not None else ""
        assert removals(shipped, text) == removals(everything, text), path.name


def test_word_boundary_triggers():
    assert split_trigger(r"\bap\b") == ("ap", True, True)
    assert split_trigger(r"\bapp") == ("app", True, False)
    assert split_trigger("photo") == ("photo", False, False)
    rule = Rule(code="USR001", name="x", category="x", description="x", kind="line",
                params={"triggers": [r"\bap\b"], "pattern": "(?i)^ap$"}, source="x.toml",
                line=1, why="")
    assert Params(rule, frozenset({"triggers", "pattern"})).get_triggers() == (r"\bap\b",)


def test_scan_places_hits_when_lowercasing_grows_text_or_a_block_holds_a_break():
    # "İ" lowercases to two characters; an HTML block may hold a line break. Either would
    # shift offsets computed from the original text; the scan must still name the right block.
    cleaner = Cleaner(select=["ADV001"])
    blocks = tuple(
        Block(i, i + 1, 1, 0, len(text), text, text, False)
        for i, text in enumerate(["İSTANBUL İİİ", "two\nlines", "Advertisement"])
    )
    document = Document("\n".join(b.text for b in blocks), blocks, "\n", False, False)
    assert list(cleaner._triggers.scan(document.blocks)) == [2]
    assert [r.line for r in cleaner.clean_document(document).removed] == [3]
