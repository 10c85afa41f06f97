# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Lines that are the text's own though shaped like furniture (``cleaner.ownlines``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.ownlines import code_like, own_list_items, phrase


def test_a_checklist_is_the_texts_own_one_word_items_and_all():
    lines = ["SHELTER", "- Tent", "- Tent poles or trekking poles", "- Stakes",
             "- Groundsheet for the tent floor", "KITCHEN"]
    assert own_list_items(lines) == [False, True, True, True, True, False]


def test_a_menu_of_labels_or_links_is_not():
    labels = ["- Home", "- Quick Hits", "- Privacy Policy", "- Contact us"]
    links = ["- [How to pack a tent in the rain](https://example.org/a)",
             "- [Where to camp near the lakes this summer](https://example.org/b)",
             "- [What to eat on a long day's walk](https://example.org/c)"]
    assert not any(own_list_items(labels))
    assert not any(own_list_items(links))


def test_two_items_are_no_list_and_a_link_breaks_the_run():
    assert not any(own_list_items(["- Book the venue and the caterer",
                                   "- Plan the seating of the guests"]))
    lines = ["1. Book the venue and the caterer", "2. Plan the seating of the guests",
             "- [Our wedding podcast](https://example.org/p)",
             "3. Buy the rings with your partner"]
    assert not any(own_list_items(lines))


def test_phrases_need_three_words_and_a_lower_case_word_after_the_first():
    assert phrase("Notebook + pen")
    assert phrase("Book or Kindle")
    assert not phrase("Quick Hits")
    assert not phrase("Contact us")
    assert not phrase("Terms Of Service Apply")


def test_code_and_data_lines():
    for line in ("if err != nil {", "}", '"@type": "Product",', "x := f(y)",
                 "total = add();", "def sleep():", "import asyncio", "time.sleep(1)"):
        assert code_like(line), line
    for line in ("Home", "Privacy Policy", "Sign in", "Tags: politics", "Item(s)", "Podcasts (3)",
                 "Import duties", ""):
        assert not code_like(line), line


@given(st.lists(st.text(max_size=40), max_size=30))
def test_own_items_open_as_items_and_hold_no_link(lines):
    found = own_list_items(lines)
    assert len(found) == len(lines)
    for line, own in zip(lines, found, strict=True):
        if own:
            assert line.lstrip()[:1] in "-*+•▪◦‣·0123456789"
            assert "](" not in line and "http://" not in line.lower()
            assert "https://" not in line.lower()
