# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Hostile input: a short run of the fuzzing harness, and hypothesis over records and texts.

The long run (``benchmarks/fuzz.py --inputs 100000``, recorded in ``benchmarks/RESULTS.md``)
is the real search; this keeps its checks alive in every test run, in about ten seconds.
``CLEANER_FUZZ_INPUTS=5000 pytest tests/test_fuzz.py`` runs a longer one.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Budget, BudgetExceeded, clean_within
from cleaner.records import process_line

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import fuzz  # type: ignore[import-not-found]  # the harness itself


def test_short_fuzz_run_through_library_and_command(tmp_path):
    """~300 mutated inputs, then every CLI format with -j 1 and -j 2: no failure."""
    count = int(os.environ.get("CLEANER_FUZZ_INPUTS", "300"))
    tally = fuzz.run(count, seed=16, batch=150, failures=tmp_path / "failures",
                     costly_share=0.01, progress=False)
    assert tally.failures == [], "\n".join(tally.failures)
    assert sum(tally.inputs.values()) == count
    assert {"jsonl keep", "jsonl skip", "text output", "text fix", "html output"} <= set(
        tally.cli_runs)


def test_harness_catches_a_crash(tmp_path, monkeypatch):
    """The harness is not blind: a record that crashes the library is a failure."""
    harness = fuzz.Harness(tmp_path, fuzz.Tally())

    def crash(*_args, **_kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(fuzz, "process_line", crash)
    harness.library(fuzz.Input("record", b'{"text": "x"}'), 0)
    assert len(harness.tally.failures) == 1 and "ValueError: boom" in harness.tally.failures[0]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=st.dictionaries(st.sampled_from(["text", "id", "meta"]), json_values, max_size=3),
       ascii_only=st.booleans(), flips=st.lists(st.integers(0, 10_000), max_size=3))
def test_any_record_is_cleaned_or_reported_never_raises(cleaner, record, ascii_only, flips):
    raw = bytearray(json.dumps(record, ensure_ascii=ascii_only).encode("utf-8"))
    for flip in flips:
        if raw:
            raw[flip % len(raw)] ^= 0x5A
    line = bytes(raw).replace(b"\n", b" ") + b"\n"
    outcome = process_line(line, 7, cleaner, ("text",), ("removed",), budget=Budget(timeout=5))
    assert outcome.line == 7
    if outcome.error is not None:
        assert outcome.output is None and outcome.error
    else:
        assert outcome.output is not None and outcome.output.endswith(b"\n")
        assert outcome.output.count(b"\n") == 1  # one record in, one line out


texts = st.lists(
    st.text(st.characters(codec="utf-8"), max_size=20) | st.sampled_from(
        ["\n", "\r\n", "\r", "\x00", "\u2028", "`", "](", "**", "<p>", "&amp;", "#",
         "Source link", "Home", "a"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, repeat=st.integers(1, 2000))
def test_any_text_is_cleaned_within_budget_and_never_vanishes_silently(cleaner, text, repeat):
    document = text * repeat if len(text) * repeat < 400_000 else text
    try:
        result = clean_within(cleaner, document, Budget(timeout=10))
    except BudgetExceeded as exc:  # pragma: no cover - reported, which is allowed
        pytest.fail(f"a {len(document)}-character text ran out of budget: {exc}")
    # A leading byte-order mark is the encoding's, not text: a document of one BOM is empty.
    if document.removeprefix("\ufeff").strip() and not result.text.strip():
        assert result.warnings


# -- what the fuzzing found, kept as regression tests --------------------------------------

def test_long_run_of_tags_then_emphasis_is_linear(cleaner):
    """A line of 30,000 ``<b>`` tags and a ``**``: 2.5 s in the markup view before the fix."""
    import time

    text = "Body of the article.\n\n" + "<b>" * 30_000 + "**bold**\n"
    start = time.process_time()
    cleaner.clean(text)
    assert time.process_time() - start < 0.5


@pytest.mark.parametrize("line, message", [
    (b'{"text": "\xed\xa0\x80 a surrogate in UTF-8"}\n', "not valid JSON: invalid UTF-8"),
    (b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "JSON nested too deeply"),
], ids=["utf8-surrogate", "deep-json"])
def test_records_that_crashed_the_command_are_reported(tmp_path, line, message):
    from test_cli import err, run

    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"text": "ok"}\n' + line)
    done = run("--on-error", "keep", path, check=0)
    assert done.stdout == b'{"text": "ok"}\n' + line  # kept as it was, in its place
    assert f"{path}:2: {message}" in err(done)
