# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""A cleaner keeps line verdicts across documents; no result may depend on what came before.

The cache holds a rule's verdict on a line's text, and a line's whole first-pass outcome when
no zoned rule is among its candidates (a zone reads the line's place, which differs from
document to document). These tests clean the same texts cold (cache cleared before each) and
warm (after other documents, in two orders) and require the same results, and check that the
cache stays bounded and that its setting is read with a clear error.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from test_accel import CORPUS_TEXTS
from test_properties import documents

from cleaner import Cleaner


def outcome(cleaner: Cleaner, text: str) -> tuple[object, ...]:
    result = cleaner.clean(text)
    return (result.text, result.removed, result.title, result.metadata, result.warnings)


@pytest.fixture(scope="module")
def cold() -> list[tuple[object, ...]]:
    cleaner = Cleaner()
    found = []
    for text in CORPUS_TEXTS:
        cleaner.cache_clear()
        found.append(outcome(cleaner, text))
    return found


def test_warm_results_equal_cold_ones_on_the_corpora(cold):
    forwards = Cleaner()
    assert [outcome(forwards, t) for t in CORPUS_TEXTS] == cold
    backwards = Cleaner()
    warm = [outcome(backwards, t) for t in reversed(CORPUS_TEXTS)]
    assert warm[::-1] == cold
    assert forwards._verdicts, "the cache was never filled: the test compared nothing warm"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=documents, text=documents)
def test_a_document_cleans_the_same_after_any_other(before, text):
    warm = Cleaner()
    warm.clean(before)
    second = outcome(warm, text)
    warm.cache_clear()
    assert second == outcome(warm, text)


def test_a_line_decided_in_one_document_is_judged_by_its_zone_in_the_next():
    """A zoned rule's verdict must not travel: the same line may stand at the head or not."""
    cleaner = Cleaner()
    lines = [f"Paragraph {n} of the story says what happened on day {n} at the bridge, "
             f"and the mayor spoke to the crowd about the repairs." for n in range(30)]
    early = "By Jane Doe\n\n" + "\n\n".join(lines)
    late = "\n\n".join(lines[:15]) + "\n\nBy Jane Doe\n\n" + "\n\n".join(lines[15:])
    cold_early = outcome(cleaner, early)
    cleaner.cache_clear()
    cold_late = outcome(cleaner, late)
    # The byline goes at the head only: the two documents differ in what they lose.
    assert cold_early[1] and not cold_late[1]
    warm = Cleaner()
    assert outcome(warm, early) == cold_early
    assert outcome(warm, late) == cold_late


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setenv("CLEANER_LINE_CACHE", "0")
    cleaner = Cleaner()
    cleaner.clean("Share this:\n\nFacebook\n\nTwitter\n\nThe story goes on here.")
    first = set(cleaner._verdicts)
    assert first
    cleaner.clean("Advertisement\n\nSubscribe now\n\nA different story altogether.")
    assert not first & set(cleaner._verdicts), "entries of the last document outlived it"


def test_a_long_stream_stays_under_the_bound(monkeypatch):
    monkeypatch.setenv("CLEANER_LINE_CACHE", "100")
    cleaner = Cleaner()
    sizes = []
    for n in range(200):  # every document's lines are new: unbounded, the cache would grow
        cleaner.clean(f"Share this story {n}\n\nFollow us on Twitter {n}\n\nRead more {n}\n\n"
                      f"The council met on day {n} and voted to close the old bridge.")
        sizes.append(len(cleaner._verdicts))
    # Over the bound, the next document starts it afresh: never more than the bound plus
    # one document's entries, and it was started afresh more than once.
    assert max(sizes) <= 100 + 50, max(sizes)
    assert sum(1 for a, b in pairwise(sizes) if b < a) > 1


def test_a_bad_cache_setting_names_the_variable(monkeypatch):
    monkeypatch.setenv("CLEANER_LINE_CACHE", "lots")
    with pytest.raises(ValueError, match="CLEANER_LINE_CACHE"):
        Cleaner()
