# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""clean on Parquet shards: only the text column changes, row group by row group, nothing lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from cleaner import Cleaner  # noqa: E402
from cleaner.parquet import annotation_type  # noqa: E402

REALWORLD = CORPUS / "realworld" / "docs.jsonl"
ROW_GROUP = 300  # 649 rows: groups of 300, 300 and 49; the first two are cut into 2 units each


def run(*args, cwd: Path, check: int | None = None):
    isolated = [] if args[0] == "learn" else ["--isolated"]  # (learn reads no config)
    done = subprocess.run([sys.executable, "-m", "cleaner", *isolated, *map(str, args)],
                          capture_output=True, cwd=cwd, check=False, text=True)
    if check is not None:
        assert done.returncode == check, done.stderr
    return done


@pytest.fixture(scope="module")
def records() -> list[dict[str, str]]:
    # The corpus's first 649 documents: the row groups, nulls and counts below are theirs
    # (later batches append to the file).
    with REALWORLD.open(encoding="utf-8") as lines:
        return [json.loads(line) for line, _ in zip(lines, range(649), strict=False)]


@pytest.fixture(scope="module")
def table(records):
    """id:int64, text:string (every 10th null), meta:string (every 7th null): real documents."""
    return pa.table({
        "id": pa.array([1000 + i for i in range(len(records))], pa.int64()),
        "text": pa.array([None if i % 10 == 3 else r["text"] for i, r in enumerate(records)],
                         pa.string()),
        "meta": pa.array([None if i % 7 == 0 else r["publisher"] for i, r in enumerate(records)],
                         pa.string()),
    })


@pytest.fixture(scope="module")
def expected(table):
    """What ``clean()`` makes of each row's text, computed here row by row."""
    cleaner = Cleaner()
    return [None if t is None else cleaner.clean(t) for t in table.column("text").to_pylist()]


@pytest.fixture
def shard(tmp_path, table) -> Path:
    path: Path = tmp_path / "shard.parquet"
    pq.write_table(table, path, row_group_size=ROW_GROUP, compression="zstd")
    return path


def row_groups(path: Path) -> list[int]:
    metadata = pq.ParquetFile(path).metadata
    return [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_round_trip_changes_only_the_text_column(tmp_path, shard, table, expected, jobs):
    out = tmp_path / "out.parquet"
    done = run(shard, "-o", out, "-j", jobs, cwd=tmp_path, check=0)
    result = pq.read_table(out)
    assert result.schema.equals(table.schema, check_metadata=True)
    assert result.num_rows == table.num_rows
    assert row_groups(out) == row_groups(shard) == [300, 300, 49]
    for name in ("id", "meta"):  # same type, values, nulls and order: equal as Arrow arrays
        assert result.column(name).equals(table.column(name)), name
    cleaned = result.column("text").to_pylist()
    want = [None if r is None else r.text for r in expected]
    assert cleaned == want
    changed = sum(1 for old, new in zip(table.column("text").to_pylist(), cleaned, strict=True)
                  if old != new)
    assert changed > 100  # the real documents do carry cruft: the column did change
    nulls = table.column("text").null_count
    assert nulls == 65
    assert f"649 row(s) in 3 row group(s), {changed} changed, 65 null 'text' value(s)" \
        in done.stderr
    assert pq.ParquetFile(out).metadata.row_group(0).column(1).compression == "ZSTD"


def test_annotate_adds_the_removals_column(tmp_path, shard, table, expected):
    out = tmp_path / "out.parquet"
    run(shard, "-o", out, "--annotate", "-j", 2, cwd=tmp_path, check=0)
    result = pq.read_table(out)
    assert result.schema.names == ["id", "text", "meta", "cleaner_removed"]
    assert result.schema.field("cleaner_removed").type == annotation_type()
    assert result.drop_columns(["cleaner_removed"]).column("id").equals(table.column("id"))
    want = [
        None if r is None else [
            {"rule": x.rule, "name": x.name, "line": x.line, "text": x.text, "reason": x.reason}
            for x in r.removed
        ]
        for r in expected
    ]
    assert result.column("cleaner_removed").to_pylist() == want
    assert any(want_row for want_row in want)

    # Annotating an annotated file replaces the column in its place (same schema again).
    again = tmp_path / "again.parquet"
    run(out, "-o", again, "--annotate", cwd=tmp_path, check=0)
    assert pq.read_table(again).schema.equals(result.schema)


def test_other_types_and_metadata_pass_through(tmp_path):
    """A large_string text, nested and binary columns, schema metadata: all kept as they were."""
    table = pa.table({
        "text": pa.array(["Body of the story.\n\nSource link\n", None], pa.large_string()),
        "tags": pa.array([["a", "b"], None], pa.list_(pa.string())),
        "blob": pa.array([b"\x00\x01", b""], pa.binary()),
        "score": pa.array([0.5, None], pa.float32()),
    }).replace_schema_metadata({"origin": "crawl-7"})
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    out = tmp_path / "out.parquet"
    run(source, "-o", out, cwd=tmp_path, check=0)
    result, stored = pq.read_table(out), pq.read_table(source)  # (lists read back as 'element')
    assert result.schema.equals(stored.schema, check_metadata=True)
    assert result.schema.field("text").type == pa.large_string()
    assert result.column("text").to_pylist() == ["Body of the story.\n", None]
    for name in ("tags", "blob", "score"):
        assert result.column(name).equals(stored.column(name))


def test_check_fix_and_diff(tmp_path, shard, table, expected):
    first_changed = next(i for i, r in enumerate(expected) if r is not None and r.removed)
    check = run(shard, "--check", "--output-format", "concise", cwd=tmp_path, check=1)
    removal = expected[first_changed].removed[0]
    assert f"{shard}:{first_changed + 1}:1: {removal.rule} " in check.stdout
    assert len(check.stdout.splitlines()) == sum(len(r.removed) for r in expected if r) + 1

    diff = run(shard, "--diff", cwd=tmp_path, check=1)
    assert f"--- a/{shard}:{first_changed + 1}" in diff.stdout

    target = tmp_path / "fixed.parquet"
    target.write_bytes(shard.read_bytes())
    run("--fix", target, "-j", 2, cwd=tmp_path, check=0)
    fixed = pq.read_table(target)
    assert fixed.column("text").to_pylist() == [None if r is None else r.text for r in expected]
    assert fixed.column("meta").equals(table.column("meta"))
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    # A second fix finds nothing to change and leaves the file alone.
    before = target.stat().st_mtime_ns
    done = run("--fix", target, cwd=tmp_path, check=0)
    assert "fixed" not in done.stderr.split("passed through")[-1]
    assert target.stat().st_mtime_ns == before


def test_a_row_over_budget_is_kept_unchanged(tmp_path):
    """Even with --on-error skip (which drops such JSONL records), a Parquet row stays."""
    big = "Body of a long story. " * 40 + "\n\nSource link\n"
    small = "Body of the story.\n\nSource link\n"
    shard = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "text": [small, big, small]}), shard)
    out = tmp_path / "out.parquet"
    done = run(shard, "-o", out, "--max-doc-bytes", 200, "--on-error", "skip", cwd=tmp_path,
               check=0)
    assert f"{shard}:2: " in done.stderr and "--max-doc-bytes" in done.stderr
    result = pq.read_table(out)
    assert result.column("id").to_pylist() == [1, 2, 3]
    assert result.column("text").to_pylist() == ["Body of the story.\n", big,
                                                 "Body of the story.\n"]


def test_fix_refuses_a_read_only_shard(tmp_path, shard):
    target = tmp_path / "ro.parquet"
    target.write_bytes(shard.read_bytes())
    target.chmod(0o444)
    done = run("--fix", target, cwd=tmp_path, check=2)
    assert f"{target}: file is read-only; not fixed" in done.stderr
    assert target.read_bytes() == shard.read_bytes()


def test_profile_and_source_column(tmp_path):
    """``clean learn`` reads a Parquet shard; ``--profile`` removes per the source column."""
    boiler = "Get the Widget Weekly digest delivered every Thursday"
    texts: list[str] = []
    sources: list[str | None] = []
    for i in range(40):
        source = "widgets.example" if i % 2 else "other.example"
        body = f"Story number {i} about widgets and their makers.\n\nIt has a second paragraph."
        texts.append(f"{body}\n\n{boiler}\n" if source == "widgets.example" else body + "\n")
        sources.append(source)
    sources[1] = None  # a row without a source: no source-specific lines for it
    shard = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": texts, "site": sources}), shard, row_group_size=16)
    profile = tmp_path / "profile.json"
    run("learn", shard, "--source-field", "site", "-o", profile, cwd=tmp_path, check=0)
    out = tmp_path / "out.parquet"
    run(shard, "--profile", profile, "--source-field", "site", "-o", out, "-j", 2,
        cwd=tmp_path, check=0)
    cleaner = Cleaner(profile=profile)
    want = [cleaner.clean(t, s).text for t, s in zip(texts, sources, strict=True)]
    got = pq.read_table(out).column("text").to_pylist()
    assert got == want
    assert sum(boiler not in t for t in got) > sum(boiler not in t for t in texts)


def corrupt_row_group(tmp_path: Path, table) -> Path:
    """A shard whose footer is intact but whose first data page of column 'meta' is garbage."""
    path = tmp_path / "broken.parquet"
    pq.write_table(table, path, row_group_size=ROW_GROUP, compression="none")
    column = pq.ParquetFile(path).metadata.row_group(0).column(2)
    start = column.dictionary_page_offset or column.data_page_offset
    data = bytearray(path.read_bytes())
    data[start : start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("case", ["missing", "not-string", "source-not-string", "not-parquet",
                                  "truncated", "corrupt-page"])
def test_bad_input_exits_2_naming_file_and_column(tmp_path, shard, table, case):
    path, args, words = shard, [], []
    if case == "missing":
        args, words = ["--field", "body"], ["no column 'body'", "'text'", "'meta'"]
    elif case == "not-string":
        args, words = ["--field", "id"], ["column 'id'", "int64, not a string"]
    elif case == "source-not-string":
        args, words = ["--source-field", "id"], ["column 'id' (--source-field)", "int64"]
    elif case == "not-parquet":
        path = tmp_path / "records.parquet"
        path.write_text('{"text": "hello"}\n')
        words = ["not a Parquet file"]
    elif case == "truncated":
        path = tmp_path / "cut.parquet"
        path.write_bytes(shard.read_bytes()[: shard.stat().st_size // 2])
        words = ["not a Parquet file"]
    else:
        path = corrupt_row_group(tmp_path, table)
        words = ["row group 0, column 'meta'", "corrupt"]
    out = tmp_path / "out.parquet"
    done = run(path, "-o", out, *args, cwd=tmp_path, check=2)
    message = done.stderr
    assert f"clean: error: {path}: " in message
    for word in words:
        assert word in message
    assert "Traceback" not in message
    assert not out.exists()  # no half-written output
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_failure_keeps_an_existing_output(tmp_path, shard):
    out = tmp_path / "out.parquet"
    out.write_bytes(b"previous")
    run(shard, "-o", out, "--field", "nope", cwd=tmp_path, check=2)
    assert out.read_bytes() == b"previous"


def test_standard_output_and_several_inputs_are_refused(tmp_path, shard):
    done = run(shard, cwd=tmp_path, check=2)
    assert f"{shard}: Parquet is cleaned into a Parquet file" in done.stderr
    assert "-o OUT.parquet" in done.stderr
    assert done.stdout == ""
    other = tmp_path / "other.parquet"
    other.write_bytes(shard.read_bytes())
    done = run(shard, other, "-o", tmp_path / "out.parquet", cwd=tmp_path, check=2)
    assert "one Parquet input" in done.stderr and "--fix" in done.stderr
    done = subprocess.run([sys.executable, "-m", "cleaner", "--format", "parquet", "-o",
                           str(tmp_path / "o.parquet")], input=shard.read_bytes(),
                          capture_output=True, cwd=tmp_path, check=False)
    assert done.returncode == 2
    assert b"not from standard input" in done.stderr


def test_format_flag_reads_a_file_without_the_extension(tmp_path, shard, expected):
    plain = tmp_path / "shard.bin"
    plain.write_bytes(shard.read_bytes())
    out = tmp_path / "out.parquet"
    run("--format", "parquet", plain, "-o", out, cwd=tmp_path, check=0)
    assert pq.read_table(out).column("text").to_pylist() == [r and r.text for r in expected]


def test_directory_walk_fixes_parquet_shards(tmp_path, shard):
    (tmp_path / "shards").mkdir()
    for name in ("a", "b"):
        (tmp_path / "shards" / f"{name}.parquet").write_bytes(shard.read_bytes())
    done = run("--fix", tmp_path / "shards", cwd=tmp_path, check=0)
    assert "fixed 2 file(s)" in done.stderr


def test_missing_pyarrow_is_a_clear_error(tmp_path, shard):
    """pyarrow made unimportable (as where the extra is not installed): exit 2 with the fix."""
    code = ("import sys; sys.modules['pyarrow'] = None; sys.modules['pyarrow.parquet'] = None; "
            "from cleaner.cli import main; sys.exit(main(sys.argv[1:]))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for args in ([str(shard), "-o", "out.parquet"], ["--check", str(shard)]):
        done = subprocess.run([sys.executable, "-c", code, "--isolated", *args],
                              capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
        assert done.returncode == 2, done.stderr
        assert f"clean: error: {shard}: reading Parquet needs pyarrow" in done.stderr
        assert 'pip install "cleaner[parquet]"' in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "out.parquet").exists()
