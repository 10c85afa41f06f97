# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
from __future__ import annotations

from cleaner.document import detect_newline, parse, render


def test_blocks_carry_line_numbers_offsets_and_columns():
    text = "Title\n\n  indented body\nnext line\n"
    doc = parse(text)
    assert [(b.line, b.col, b.text) for b in doc.blocks] == [
        (1, 1, "Title"),
        (3, 3, "indented body"),
        (4, 1, "next line"),
    ]
    for block in doc.blocks:
        assert text[block.start : block.end] == block.text
    assert [b.blank_before for b in doc.blocks] == [False, True, False]


def test_crlf_and_cr_offsets_point_at_the_text():
    for newline in ("\r\n", "\r", "\n"):
        text = newline.join(["a", "", "bb", "ccc"]) + newline
        doc = parse(text)
        assert doc.newline == newline
        assert [b.line for b in doc.blocks] == [1, 3, 4]
        for block in doc.blocks:
            assert text[block.start : block.end] == block.text
        assert render(doc, set()) == text


def test_bom_is_remembered_not_kept_in_blocks():
    doc = parse("\ufeffHello\nworld")
    assert doc.bom
    assert doc.blocks[0].text == "Hello"
    assert doc.source[doc.blocks[0].start : doc.blocks[0].end] == "Hello"


def test_render_keeps_paragraph_breaks_and_collapses_removed_runs():
    doc = parse("A\n\nB\n\nC\nD\n\n\n\nE")
    assert render(doc, set()) == "A\n\nB\n\nC\nD\n\nE"
    assert render(doc, {1}) == "A\n\nC\nD\n\nE"
    assert render(doc, {3}) == "A\n\nB\n\nC\n\nE"
    assert render(doc, {2}) == "A\n\nB\n\nD\n\nE"
    assert render(doc, {0, 1, 2, 3, 4}) == ""


def test_render_keeps_final_newline_and_style():
    doc = parse("A\r\n\r\nB\r\nC\r\n")
    assert render(doc, {1}) == "A\r\n\r\nC\r\n"


def test_detect_newline_prefers_crlf():
    assert detect_newline("a\r\nb\nc") == "\r\n"
    assert detect_newline("a\rb") == "\r"
    assert detect_newline("") == "\n"


def test_exotic_separators_are_not_line_breaks():
    doc = parse("one\u2028still one\x0cand\nTwo")
    assert [b.line for b in doc.blocks] == [1, 2]


def test_a_last_line_ending_in_a_lone_carriage_return_is_kept():
    # A text of "\n" breaks whose last line ends in "\r" (mixed endings from a paste or a
    # broken converter): that line is content, not the final line break (a fuzz find).
    from cleaner import clean

    assert clean("a\nSome text here\r").text == "a\nSome text here\r"
    assert clean("  \nSome text here\r").text == "Some text here\r"
    assert [b.text for b in parse("x\r\ny\r").blocks] == ["x", "y"]
