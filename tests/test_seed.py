# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The founding test case: the syndicated Telegraph story from ../shared/seed/."""

from __future__ import annotations

from conftest import SEED, SEED_GOLD, read

from cleaner import Cleaner, clean, replay

BODY_STARTS = [
    "North Korean troops fighting for Russia",
    "North Korea entered the war",
    "But Ukrainian special forces",
    "American officials separately",
    "The officials said the troops",
    "Ukrainians who have fought",
    "A diary recovered",
    "Ukraine took the first two",
    "One of the pair",
    "Those reports have led",
    "But some Ukrainian soldiers",
    "“The Koreans have impeccable",
    "The human drone bait tactic",
    "Neither Pyongyang nor Moscow",
    "Estimates of North Korean losses",
    "Last month the Centre",
    "On Saturday, a Russian missile",
    "An attack on Ukraine’s Black Sea",
    "President Volodymyr Zelensky",
]
HEADLINE = "North Korean troops pulled from Ukraine war front line after mass casualties"


def test_seed_matches_gold_exactly():
    assert clean(read(SEED)).text == read(SEED_GOLD)


def test_seed_keeps_headline_once_and_all_19_paragraphs():
    result = clean(read(SEED))
    paragraphs = result.text.split("\n\n")
    assert paragraphs[0] == HEADLINE
    assert result.text.count(HEADLINE) == 1
    assert len(paragraphs) == 20
    for paragraph, start in zip(paragraphs[1:], BODY_STARTS, strict=True):
        assert paragraph.startswith(start)
    assert result.title == HEADLINE


def test_seed_removals_are_explained():
    result = clean(read(SEED))
    got = {(r.line, r.rule) for r in result.removed}
    assert got == {
        (3, "BYL001"),   # by Pelican Press
        (4, "RDT001"),   # 3 minutes read
        (6, "TTL001"),   # second headline
        (22, "CAP001"),  # ... – Handout/AFP
        (38, "DUP001"),  # bare copy of the drone-bait caption
        (40, "CAP001"),  # credited copy
        (52, "PRM001"),  # Try The Telegraph free for 1 month...
        (56, "SRC001"),  # Source link
        (58, "TAG001"),  # hashtag trail spelled from the title
        (60, "CMT001"),  # Add Comment
        (62, "REL001"),  # You may also like
    }
    for removal in result.removed:
        assert removal.reason and removal.name
    assert result.metadata == {"byline": "Pelican Press", "reading_time": "3 minutes"}


def test_seed_removals_replay_to_the_cleaned_text():
    raw = read(SEED)
    result = clean(raw)
    assert replay(raw, result.removed) == result.text


def test_keep_captions_keeps_one_copy_of_each_caption():
    result = Cleaner(keep_captions=True).clean(read(SEED))
    assert "Handout/AFP" in result.text
    assert "Russia has used North Koreans as 'drone bait,'" in result.text
    assert "Vladimir Smirnov/AFP" not in result.text
    assert {r.rule for r in result.removed if r.line == 40} == {"DUP001"}


def test_seed_with_crlf_keeps_crlf():
    raw = read(SEED).replace("\n", "\r\n")
    assert clean(raw).text == read(SEED_GOLD).replace("\n", "\r\n")
