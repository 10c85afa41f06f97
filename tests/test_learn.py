# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Corpus-level learning: what is learned, bounded memory, cleaning with a profile, Dask."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.learn import Profile, learn, line_key

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "zyte-articlebody" / "sample.jsonl"
BODIES = [json.loads(line)["articleBody"] for line in SAMPLE.read_text("utf-8").splitlines()]

# Per source: the template lines its pages carry (real-world shapes, invented sites).
TEMPLATES = {
    "planet.example": ["Try The Daily Planet free for 1 month with unlimited access.",
                       "Updated Nov {day}, 2019 10:{minute:02d}"],
    "gazette.example": ["Follow the Gazette on Mastodon and Bluesky",
                        "The Gazette is an independent newsroom based in Lisbon."],
    "quiet.example": [],
}


def unique(number: int) -> str:
    """A line found in one document only (spelled in letters: digits are normalised away)."""
    return "Story " + "".join(chr(ord("a") + int(d)) for d in str(number)) + " ends here."


def corpus():
    """(text, source) pairs: real article bodies between each source's template lines.

    Each source carries every sample body once, so only the template lines recur within it.
    """
    out = []
    for number in range(len(BODIES) * len(TEMPLATES)):
        source = list(TEMPLATES)[number % len(TEMPLATES)]
        body = BODIES[number // len(TEMPLATES)] + f"\n\n{unique(number)}"
        lines = [t.format(day=number % 28 + 1, minute=number % 60) for t in TEMPLATES[source]]
        out.append(("\n\n".join([*lines[:1], body, *lines[1:]]), source))
    return out


def learned_examples(profile: Profile) -> dict[str, set[str]]:
    return {s: {example for _, example in lines.values()} for s, lines in profile.sources.items()}


def test_learned_lines_are_the_templates():
    profile = learn(corpus())
    learned = learned_examples(profile)
    assert "Try The Daily Planet free for 1 month with unlimited access." in learned[
        "planet.example"]
    assert any(e.startswith("Updated ") for e in learned["planet.example"])  # dates normalised
    assert "Follow the Gazette on Mastodon and Bluesky" in learned["gazette.example"]
    assert "quiet.example" not in learned
    body_keys = {line_key(line) for body in BODIES for line in body.splitlines() if line.strip()}
    for source, lines in profile.sources.items():
        assert not body_keys & set(lines), source  # no line of an article body is learned
        for count, _ in lines.values():
            assert count >= profile.min_docs
            assert count / profile.documents[source] >= profile.min_share


def test_a_line_seen_once_is_never_learned():
    docs = corpus()
    profile = learn(docs, min_docs=1, min_share=0.0)
    keys = {k for lines in profile.sources.values() for k in lines}
    for number in range(len(docs)):
        assert line_key(unique(number)) not in keys


def test_spilling_to_disk_gives_the_same_profile(tmp_path):
    docs = corpus()
    in_memory = learn(docs)
    spilled = learn(docs, max_entries=50, spill_dir=str(tmp_path))
    assert spilled == in_memory
    assert not list(tmp_path.iterdir())  # runs are removed after the merge


def test_near_variants_merge_across_the_threshold():
    spellings = ["Get the Morning Brief newsletter in your inbox",
                 "Get the Morning Brief newsletters in your inbox"]
    docs = [(f"{spellings[i % 2]}\n\n{unique(i)}", "s") for i in range(6)]
    docs += [(unique(100 + i), "s") for i in range(20)]
    profile = learn(docs, min_docs=4, min_share=0.1)
    # Two spellings, 3 documents each: neither reaches 4 alone; together they are learned.
    assert sorted(e for _, e in profile.sources["s"].values()) == spellings
    assert learn(docs, min_docs=7, min_share=0.1).sources == {}  # 6 together: not enough


def test_profile_round_trip_and_cleaning_by_source(tmp_path):
    profile = learn(corpus())
    path = tmp_path / "profile.json"
    profile.save(path)
    assert Profile.load(path) == profile
    cleaner = Cleaner(profile=path)
    text = ("A real paragraph of news text here.\n\n"
            "The Gazette is an independent newsroom based in Lisbon.")
    result = cleaner.clean(text, "gazette.example")
    [removal] = result.removed
    assert removal.rule == "LRN001" and "of source 'gazette.example'" in removal.reason
    assert cleaner.clean(text, "quiet.example").removed == ()  # other sources keep it


def test_builtin_rule_explains_first():
    cleaner = Cleaner(profile=learn(corpus()))
    result = cleaner.clean("Body text here.\n\nTry The Daily Planet free for 1 month with "
                           "unlimited access.", "planet.example")
    assert [r.rule for r in result.removed] == ["PRM001"]


def test_bad_profile_is_a_clear_error(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(Exception, match="not a cleaner profile"):
        Cleaner(profile=path)


def _write_jsonl(path, docs):
    with path.open("w", encoding="utf-8") as handle:
        for number, (text, source) in enumerate(docs):
            handle.write(json.dumps({"id": number, "meta": {"site": source}, "text": text}) + "\n")


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cleaner", *map(str, args)],
                          capture_output=True, cwd=cwd, check=False)


def test_cli_learn_then_clean_with_profile(tmp_path):
    docs = corpus()
    data = tmp_path / "corpus.jsonl"
    _write_jsonl(data, docs)
    profile = tmp_path / "profile.json"
    done = run("learn", data, "--source-field", "meta.site", "-o", profile)
    assert done.returncode == 0, done.stderr
    assert Profile.load(profile) == learn(docs)
    done = run("--profile", profile, "--source-field", "meta.site", "--check", "--statistics",
               "--output-format", "concise", data)
    assert done.returncode == 1
    assert "LRN001" in done.stdout.decode()


def test_cli_learn_reports_bad_lines(tmp_path):
    data = tmp_path / "corpus.jsonl"
    data.write_text('{"text": "fine"}\nnot json\n', encoding="utf-8")
    done = run("learn", data, "-o", tmp_path / "p.json")
    assert done.returncode == 2
    assert f"{data}:2: not valid JSON" in done.stderr.decode()
    done = run("learn", data, "-o", tmp_path / "p.json", "--on-error", "skip")
    assert done.returncode == 0 and b"1 skipped" in done.stderr


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_equals_single_process(dask_client):
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    from cleaner.dask import clean_bag, clean_column, learn_bag

    docs = corpus()
    records = [{"id": i, "meta": {"site": s}, "text": t} for i, (t, s) in enumerate(docs)]
    bag = db.from_sequence(records, npartitions=7)
    profile = learn_bag(bag, source_field="meta.site")
    assert profile == learn(docs)

    cleaned = clean_bag(bag, source_field="meta.site", profile=profile).compute()
    cleaner = Cleaner(profile=profile)
    expected = [cleaner.clean(t, s).text for t, s in docs]
    assert [r["text"] for r in cleaned] == expected
    assert [r["id"] for r in cleaned] == list(range(len(docs)))

    frame = dd.from_pandas(pd.DataFrame({"text": [t for t, _ in docs],
                                         "site": [s for _, s in docs]}), npartitions=5)
    column = clean_column(frame, "text", source_column="site", profile=profile).compute()
    assert list(column) == expected
