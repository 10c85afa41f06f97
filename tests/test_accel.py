# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The compiled line table gives the pure-Python reference's results exactly (issue 15).

Each kernel is compared on the labelled corpora (with CRLF, lone-CR and byte-order-mark
variants) and on hypothesis-generated text, then ``Cleaner.clean`` as a whole: text, every
removal with its code, line and reason, title, metadata and warnings. The comparisons need
the compiled module and are skipped (and listed by ``-ra``) where it was not built; CI
installs with a compiler and checks ``cleaner.accelerated`` first, so there they run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from conftest import CORPUS, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import documents

import cleaner
from cleaner import Cleaner, accel
from cleaner._linetable_py import HitMap as PureHitMap
from cleaner._linetable_py import lowered as pure_lowered
from cleaner._linetable_py import parse_lines as pure_parse_lines
from cleaner.document import Block, detect_newline, parse

compiled: Any
try:
    from cleaner import _linetable as compiled
except ImportError:  # not built here: the comparisons skip, saying why
    compiled = None
needs_compiled = pytest.mark.skipif(compiled is None, reason="cleaner._linetable not built")


def corpus_texts() -> list[str]:
    texts = [SEED.read_text("utf-8")]
    for path in ("realworld/docs.jsonl", "labelled/sample.jsonl", "zyte-articlebody/sample.jsonl"):
        for line in (CORPUS / path).read_text("utf-8").splitlines():
            record = json.loads(line)
            texts += [record[f] for f in ("text", "articleBody") if isinstance(record.get(f), str)]
    return texts


CORPUS_TEXTS = corpus_texts()


def variants(text: str) -> list[str]:
    """The text with each line-break convention, and with a byte-order mark."""
    lf = text.replace("\r\n", "\n")
    return [text, lf.replace("\n", "\r\n"), lf.replace("\n", "\r"), "\ufeff" + text]


def block_rows(blocks: list[Block]) -> list[tuple[Any, ...]]:
    return [(b.index, b.line, b.col, b.start, b.end, b.text, b.raw, b.blank_before)
            for b in blocks]


def both_parses(text: str, newline: str, base: int = 0) -> None:
    expected, final = pure_parse_lines(text, newline, base, Block)
    got, got_final = compiled.parse_lines(text, newline, base, Block)
    assert (block_rows(got), got_final) == (block_rows(expected), final)


def test_flag_says_which_table_was_loaded():
    assert cleaner.accelerated is (accel.table is not accel.reference())
    assert cleaner.accelerated is accel.ACCELERATED


# The subprocesses run outside the repository: from its root, ``python -c`` would import the
# source tree's cleaner/ (without the extension in a fresh clone), not the installed one.


def test_cleaner_pure_forces_the_reference(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", "import cleaner; print(cleaner.accelerated)"],
        env={**os.environ, "CLEANER_PURE": "1"}, capture_output=True, text=True, check=True,
        cwd=tmp_path,
    )
    assert done.stdout.strip() == "False"


@needs_compiled
def test_compiled_table_is_loaded_unless_pure_is_asked(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", "import cleaner; print(cleaner.accelerated)"],
        env={k: v for k, v in os.environ.items() if k != "CLEANER_PURE"},
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    assert done.stdout.strip() == "True"


@needs_compiled
def test_parse_lines_same_on_the_corpora():
    for text in CORPUS_TEXTS:
        for variant in variants(text):
            body = variant.removeprefix("\ufeff")
            both_parses(body, detect_newline(body), len(variant) - len(body))


# Characters where parsing can go wrong: every line break, whitespace str.strip knows
# (ASCII, Latin-1, the Unicode separators, the information separators), a lone surrogate,
# letters of every storage width.
TRICKY = ("\n\r \t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u3000\ufeff"
          "\ud800a\xe9\u0130\U0001f600")
tricky_text = st.text(alphabet=st.sampled_from(TRICKY), max_size=60) | st.text(max_size=60)


@needs_compiled
@settings(max_examples=500)
@given(tricky_text, st.sampled_from(["\n", "\r\n", "\r"]), st.integers(0, 1))
def test_parse_lines_same_on_generated_text(text, newline, base):
    both_parses(text, newline, base)
    both_parses(text, detect_newline(text), base)


def fired_rows(fired: dict[int, set[Any]]) -> list[tuple[int, list[str]]]:
    """A scan's result in order (it orders the line rules' tries), rules by code."""
    return [(index, sorted(m.rule.code for m in found)) for index, found in fired.items()]


def both_scans(engine: Cleaner, text: str) -> None:
    index = engine._triggers
    blocks = parse(text).blocks
    kept = index._hits
    try:
        index._hits = PureHitMap(*index.columns)
        expected = fired_rows(index.scan(blocks))
        index._hits = compiled.HitMap(*index.columns)
        got = fired_rows(index.scan(blocks))
    finally:
        index._hits = kept
    assert got == expected


@needs_compiled
def test_trigger_hits_same_on_the_corpora(cleaner):
    for text in CORPUS_TEXTS:
        both_scans(cleaner, text)


# Word bounds around literals are where the hit loop decides most: letters and punctuation
# of several scripts glued to trigger words.
GLUE = ["", " ", "é", "x", "’", "_", "1", "ß", "İ", "\ud800", "-"]
WORDS = ["advertisement", "share", "source", "photo", "read more", "related", "via", "ad",
         "原文链接", "subscribe", "getty images", "follow us"]
glued = st.lists(
    st.tuples(st.sampled_from(GLUE), st.sampled_from(WORDS), st.sampled_from(GLUE)),
    max_size=6,
).map(lambda parts: " ".join(a + w + b for a, w, b in parts))
trigger_text = st.lists(glued | st.text(max_size=40), max_size=12).map("\n".join)


@needs_compiled
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trigger_text)
def test_trigger_hits_same_on_generated_text(cleaner, text):
    both_scans(cleaner, text)


# The scan's lowered bytes: ASCII lines take the compiled table's own path, the others
# Python's; both must give ``str.lower`` and UTF-8 byte for byte, and the same starts.
CASES = ["", "A", "ABC xyz", "İstanbul", "ΣΑΣ ΟΔΟΣ", "Straße", "truſt", "K", "a\ud800b",
         "\x7fZ@[`{", "Ǆ ǅ", "ＡＢＣ", "x" * 300]


@needs_compiled
def test_lowered_same_on_the_corpora():
    for text in CORPUS_TEXTS[:300]:
        lines = text.split("\n")
        assert compiled.lowered(lines) == pure_lowered(lines)
    for count in range(4):
        for start in range(len(CASES)):
            chunk = CASES[start:start + count]
            assert compiled.lowered(chunk) == pure_lowered(chunk)


@needs_compiled
@settings(max_examples=300)
@given(st.lists(st.text(max_size=30) | st.sampled_from(CASES), max_size=8))
def test_lowered_same_on_generated_text(texts):
    assert compiled.lowered(texts) == pure_lowered(texts)


@pytest.fixture(scope="module")
def engines() -> tuple[Cleaner, Cleaner]:
    with accel.using(compiled):
        fast = Cleaner()
    with accel.using(accel.reference()):
        pure = Cleaner()
    return fast, pure


def outcome(engine: Cleaner, text: str, module: Any) -> tuple[Any, ...]:
    with accel.using(module):
        result = engine.clean(text)
    return (result.text, [tuple(r) for r in result.removed], result.title,
            sorted(result.metadata.items()), result.warnings)


def both_cleans(engines: tuple[Cleaner, Cleaner], text: str) -> None:
    fast, pure = engines
    assert outcome(fast, text, compiled) == outcome(pure, text, accel.reference())


@needs_compiled
def test_clean_same_on_the_corpora(engines):
    for text in CORPUS_TEXTS:
        both_cleans(engines, text)


@needs_compiled
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                    HealthCheck.too_slow])
@given(documents | trigger_text)
def test_clean_same_on_generated_text(engines, text):
    both_cleans(engines, text)


@needs_compiled
def test_line_pass_takes_limits_past_a_c_integer():
    # ``max_length`` is any non-negative integer in a rule file: the compiled loop must not
    # turn it into a C integer that overflows.
    with accel.using(compiled):
        fast = Cleaner()
    with accel.using(accel.reference()):
        pure = Cleaner()
    for engine in (fast, pure):
        for matcher in engine._line:
            matcher.max_length = 10**30
    text = "Share this\nA paragraph of the article, as written.\nRead more\n"
    assert outcome(fast, text, compiled) == outcome(pure, text, accel.reference())
    assert outcome(fast, text, compiled)[1]


@needs_compiled
def test_a_rule_file_may_give_a_length_past_a_c_integer(tmp_path):
    # The trigger scan's hit map keeps each literal's length limit as a C integer: a rule
    # file's max_length of 10**20 built on the pure path and raised on the compiled one.
    path = tmp_path / "big.toml"
    path.write_text(
        "[[rule]]\ncode = 'USR001'\nname = 'big'\ncategory = 'test'\ndescription = 'd'\n"
        "kind = 'line'\nmax_length = 100000000000000000000\ntriggers = ['zzz']\n"
        "pattern = '^zzz$'\n", encoding="utf-8")
    with accel.using(compiled):
        fast = Cleaner(rule_files=[path])
    with accel.using(accel.reference()):
        pure = Cleaner(rule_files=[path])
    text = "hello\nzzz\nworld"
    assert outcome(fast, text, compiled) == outcome(pure, text, accel.reference())
    assert outcome(fast, text, compiled)[1] == [("USR001", "big", 2, 1, "zzz", "big", 6, 9)]
