# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""cleaner.hf: Dataset.map(clean_batch(...), batched=True) on an in-memory dataset."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import islice

import pytest
from conftest import CORPUS

from cleaner import Cleaner, CleanerError, clean
from cleaner.hf import RowError, clean_batch

REALWORLD = CORPUS / "realworld" / "docs.jsonl"


def rows(count: int) -> list[dict[str, str]]:
    with REALWORLD.open(encoding="utf-8") as lines:
        picked = [json.loads(line) for line in islice(lines, 0, count * 16, 16)]
    return [{"id": r["id"], "text": r["text"], "publisher": r["publisher"]} for r in picked]


def test_the_module_does_not_import_datasets():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, cleaner.hf; fn = cleaner.hf.clean_batch(); "
         "fn({'text': ['Body.', 'Advertisement']}); print('datasets' in sys.modules)"],
        capture_output=True, check=True,
    )
    assert done.stdout.decode().strip() == "False"


def test_plain_batch_without_datasets():
    fn = clean_batch(removals=True, ignore=["ADV"])
    out = fn({"text": ["Body text here.\n\nSource link\n", None, ""], "n": [1, 2, 3]})
    assert out == {
        "text": [clean("Body text here.\n\nSource link\n").text, None, ""],
        "cleaner_removed": [[{"rule": "SRC001", "name": "source-link-footer", "line": 3,
                              "text": "Source link", "reason": "source link footer"}],
                            None, []],
    }
    assert fn({"text": ["Body.\n\nAdvertisement\n"]})["text"] == ["Body.\n\nAdvertisement\n"]


def test_dataset_map_equals_clean_per_row():
    datasets = pytest.importorskip("datasets")
    data = rows(30)
    texts = [r["text"] for r in data] + [None, "", "Advertisement\n"]
    ids = [r["id"] for r in data] + ["none", "empty", "cruft"]
    publishers = [r["publisher"] for r in data] + ["x", "y", "z"]
    dataset = datasets.Dataset.from_dict({"id": ids, "text": texts, "publisher": publishers})
    # Small batches: the first one has nothing to remove in some rows, and the None sits
    # in a batch of its own kind, so the column types must hold across batches.
    fn = clean_batch(removals=True)
    out = dataset.map(fn, batched=True, batch_size=4,
                      features=fn.output_features(dataset.features))
    assert out["id"] == ids and out["publisher"] == publishers  # other columns untouched
    assert out.column_names == ["id", "text", "publisher", "cleaner_removed"]
    cleaner = Cleaner()
    for row, text in zip(out, texts, strict=True):
        if text is None:
            assert row["text"] is None and row["cleaner_removed"] is None
            continue
        result = cleaner.clean(text)
        assert row["text"] == result.text
        assert [(r["rule"], r["line"], r["text"]) for r in row["cleaner_removed"]] == [
            (r.rule, r.line, r.text) for r in result.removed]
    assert out[len(data) + 2] == {"id": "cruft", "text": "", "publisher": "z",
                                  "cleaner_removed": [{"rule": "ADV001",
                                                       "name": "advertisement-marker",
                                                       "line": 1, "text": "Advertisement",
                                                       "reason": "advertisement marker"}]}
    assert any(r["text"] != t for r, t in zip(out, texts, strict=True) if t)


def test_dataset_map_in_two_processes_without_removals():
    """num_proc pickles the function (its Cleaner as settings) into each worker."""
    datasets = pytest.importorskip("datasets")
    data = rows(12)
    dataset = datasets.Dataset.from_list(data)
    out = dataset.map(clean_batch(no_title=True, ignore=["CAP"]), batched=True, batch_size=3,
                      num_proc=2)
    cleaner = Cleaner(ignore=["CAP"])
    assert out["text"] == [cleaner.clean(r["text"]).body for r in data]
    assert out.column_names == dataset.column_names


def test_cache_fingerprint_follows_the_options():
    """datasets caches map results under a hash of the pickled function: same options, same
    hash (a Cleaner pickles as its settings, not as compiled patterns with addresses)."""
    fingerprint = pytest.importorskip("datasets.fingerprint")
    same = fingerprint.Hasher.hash(clean_batch()), fingerprint.Hasher.hash(clean_batch())
    assert same[0] == same[1]
    assert fingerprint.Hasher.hash(clean_batch(ignore=["CAP"])) != same[0]


def test_bad_values_name_the_row():
    datasets = pytest.importorskip("datasets")
    dataset = datasets.Dataset.from_dict({"id": ["a", "b"], "text": [["not", "text"], ["x"]]})
    with pytest.raises(RowError, match=r"row 0 of the batch .*'text' is list, not a string"):
        dataset.map(clean_batch(), batched=True)
    with pytest.raises(RowError, match=r"row 0: 'text' is list"):
        dataset.map(clean_batch(), batched=True, with_indices=True)
    with pytest.raises(RowError, match=r"row id='a': 'text' is list"):
        dataset.map(clean_batch(id_column="id"), batched=True)


def test_bad_options_fail_before_any_row():
    with pytest.raises(CleanerError, match="NOPE999"):
        clean_batch(select=["NOPE999"])
    with pytest.raises(CleanerError, match="no column 'body'"):
        clean_batch("body")({"text": ["x"]})
