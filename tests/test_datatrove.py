# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""cleaner.datatrove in a real datatrove pipeline, against the CLI on the same records."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import islice
from typing import Any

import pytest
from conftest import CORPUS

pytest.importorskip("datatrove")

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner import Cleaner, CleanerError
from cleaner.datatrove import (
    CleanerStep,
    DocumentError,
    RemovedShareFilter,
    removed_share,
)

REALWORLD = CORPUS / "realworld" / "docs.jsonl"


def records(count: int) -> list[dict[str, Any]]:
    """Real scraped documents (id, publisher, text, labels): every 16th, to span the sources."""
    with REALWORLD.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in islice(lines, 0, count * 16, 16)]


def write_jsonl(path, rows) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def cli_texts(path, *flags) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "--isolated", "--format", "jsonl", *flags, str(path)],
        capture_output=True, check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    return {row["id"]: row["text"] for row in rows}


def test_pipeline_in_two_processes_equals_the_cli(tmp_path):
    """JsonlReader -> CleanerStep -> JsonlWriter over two shards in a two-process pool.

    The pool pickles the step (and so its Cleaner) into each worker; the texts must be the
    CLI's, byte for byte, with the same rule selection.
    """
    rows = records(40)
    shards = tmp_path / "in"
    shards.mkdir()
    write_jsonl(shards / "a.jsonl", rows[:20])
    write_jsonl(shards / "b.jsonl", rows[20:])
    step = CleanerStep(ignore=["CAP"], removals=True)
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(shards)),
            step,
            JsonlWriter(str(tmp_path / "out"), compression=None),
        ],
        tasks=2, workers=2, logging_dir=str(tmp_path / "logs"),
    ).run()
    out = [json.loads(line)
           for path in sorted((tmp_path / "out").glob("*.jsonl"))
           for line in path.read_text("utf-8").splitlines()]
    assert len(out) == len(rows)
    expected = {}
    for shard in ("a", "b"):
        expected.update(cli_texts(shards / f"{shard}.jsonl", "--ignore", "CAP"))
    assert {doc["id"]: doc["text"] for doc in out} == expected
    assert any(doc["text"] != row["text"] for doc, row in zip(
        sorted(out, key=lambda d: d["id"]), sorted(rows, key=lambda r: r["id"]), strict=True))

    # The metadata record agrees with the library's own removals.
    cleaner = Cleaner(ignore=["CAP"])
    by_id = {row["id"]: row for row in rows}
    for doc in out:
        record = doc["metadata"]["cleaner"]
        result = cleaner.clean(by_id[doc["id"]]["text"])
        assert record["chars"] == len(by_id[doc["id"]]["text"])
        assert record["removed_lines"] == len(result.removed)
        assert record["removed_chars"] == sum(len(r.text) for r in result.removed)
        assert sum(e["count"] for e in record["rules"]) == len(result.removed)
        assert [r["line"] for r in record["removals"]] == [r.line for r in result.removed]
        assert not any(e["rule"].startswith("CAP") for e in record["rules"])
        assert doc["metadata"]["publisher"] == by_id[doc["id"]]["publisher"]  # untouched

    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    cleaned = next(s for s in stats if s["name"] == str(step))
    assert total(cleaned["stats"]["total"]) == len(rows)
    assert total(cleaned["stats"]["changed"]) == sum(
        1 for doc in out if doc["metadata"]["cleaner"]["removed_lines"])
    assert total(cleaned["stats"]["removed_chars"]) == sum(
        doc["metadata"]["cleaner"]["removed_chars"] for doc in out)


def total(stat) -> float:
    """stats.json writes a plain counter as a number, a counter with a spread as an object."""
    return stat if isinstance(stat, int | float) else stat["total"]


def spell(number: int) -> str:
    """A number in letters: learning normalises digits, so only letters make lines unique."""
    return "".join(chr(ord("a") + int(d)) for d in str(number))


def test_source_key_and_profile_match_the_cli(tmp_path):
    """A learned profile with a source field: --profile/--source-field and the step agree."""
    template = "The Gazette is an independent newsroom based in Lisbon."  # no built-in rule
    rows = [{"id": f"d{n}", "text": f"Story {spell(n)} begins.\n\n{template}\n\n"
             f"It ends as {spell(n)} ends.\n", "meta": {"domain": "gazette.example"}}
            for n in range(12)]
    path = tmp_path / "in.jsonl"
    write_jsonl(path, rows)
    profile = tmp_path / "profile.json"
    subprocess.run([sys.executable, "-m", "cleaner", "learn", str(path), "--source-field",
                    "meta.domain", "-o", str(profile)], check=True, capture_output=True)
    step = CleanerStep(profile=profile, source_key="meta.domain")
    docs = [Document(text=r["text"], id=r["id"], metadata={"meta": r["meta"]}) for r in rows]
    cleaned = {doc.id: doc.text for doc in step.run(iter(docs))}
    expected = cli_texts(path, "--profile", str(profile), "--source-field", "meta.domain")
    assert cleaned == expected
    assert all(doc.metadata["cleaner"]["rules"] == [{"rule": "LRN001", "count": 1}]
               for doc in docs)
    assert all(template not in text for text in cleaned.values())


def shares(texts: list[str]) -> list[float]:
    cleaner = Cleaner()
    out = []
    for text in texts:
        removed = sum(len(r.text) for r in cleaner.clean(text).removed)
        chars = sum(len(line) for line in text.splitlines())
        out.append(removed / chars if chars else 0.0)
    return out


def test_filter_drops_exactly_the_documents_over_its_threshold(tmp_path):
    rows = records(40)
    texts = [row["text"] for row in rows] + ["", "Advertisement\r\n\r\nSource link\r\n"]
    expected_shares = shares(texts)
    # A threshold equal to one document's share keeps that document: only "more than" drops.
    threshold = sorted(s for s in expected_shares if 0 < s < 1)[len(expected_shares) // 2]
    over = {f"d{n}" for n, share in enumerate(expected_shares) if share > threshold}
    assert over and len(over) < len(texts)

    docs = [Document(text=text, id=f"d{n}") for n, text in enumerate(texts)]
    step, keep = CleanerStep(), RemovedShareFilter(threshold)
    kept = {doc.id for doc in keep.run(step.run(iter(docs)))}
    assert kept == {doc.id for doc in docs} - over
    assert "d41" not in kept and "d40" in kept  # all cruft goes; empty text has share 0
    assert expected_shares[41] == 1.0
    assert [removed_share(doc) for doc in docs] == pytest.approx(expected_shares)
    assert keep.stats["dropped"].total == len(over)
    assert keep.stats["dropped_cleaner_removed_share"].total == len(over)


def test_bad_input_is_an_error_naming_the_document():
    step = CleanerStep(source_key="meta.domain")
    with pytest.raises(DocumentError, match=r"document 'n7': text is int, not a string"):
        list(step.run(iter([Document(text=7, id="n7", metadata={"meta": {"domain": "x"}})])))
    with pytest.raises(DocumentError, match=r"document 'n8': metadata: record has no field"):
        list(step.run(iter([Document(text="Body.\n", id="n8")])))
    with pytest.raises(DocumentError, match=r"document 'n9': no cleaner record"):
        RemovedShareFilter(0.5).filter(Document(text="Body.\n", id="n9"))
    with pytest.raises(ValueError, match="max_share"):
        RemovedShareFilter(1.5)
    with pytest.raises(CleanerError):  # a selector matching no rule fails at definition time
        CleanerStep(select=["NOPE999"])


def test_missing_datatrove_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "datatrove", None)
    for name in [m for m in sys.modules if m.startswith("datatrove.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "cleaner.datatrove")
    with pytest.raises(ImportError, match=r'pip install "cleaner\[datatrove\]"'):
        import cleaner.datatrove  # noqa: F401


def test_a_pattern_over_its_time_budget_is_counted_and_the_line_kept(tmp_path):
    rules = tmp_path / "slow.toml"
    rules.write_text("[[rule]]\ncode = 'TST001'\nname = 't'\ncategory = 'test'\n"
                     "description = 'd'\nkind = 'line'\nmax_length = 100000\n"
                     "pattern = '^(a|aa)+$'\n", encoding="utf-8")
    step = CleanerStep(rule_files=[rules], select=["TST001"], regex_timeout=0.01)
    doc = Document(text="a" * 60 + "b", id="slow")
    list(step.run(iter([doc])))
    assert doc.text == "a" * 60 + "b"
    assert step.stats["warnings"].total == 1
