# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The clean command as users run it: subprocesses, exit codes, files on disk."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
import tomllib

import pytest
from conftest import SEED, SEED_GOLD, read

from cleaner.cli import explain
from cleaner.packs import builtin_pack_paths, load_packs

SEED_TEXT = read(SEED)


def run(*args, stdin: bytes | str | None = None, cwd=None, check=None):
    data = stdin.encode() if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", *map(str, args)], input=data, capture_output=True,
        cwd=cwd, check=False,
    )
    if check is not None:
        assert done.returncode == check, done.stderr.decode()
    return done


def out(done):
    return done.stdout.decode("utf-8")


def err(done):
    return done.stderr.decode("utf-8")


# -- plain cleaning ---------------------------------------------------------------------------

def test_file_to_stdout_and_stdin_to_stdout(tmp_path):
    assert out(run(SEED, check=0, cwd=tmp_path)) == read(SEED_GOLD)
    assert out(run(stdin=SEED_TEXT, check=0, cwd=tmp_path)) == read(SEED_GOLD)
    assert out(run("-", stdin=SEED_TEXT, check=0, cwd=tmp_path)) == read(SEED_GOLD)


def test_output_file_and_gzip_both_ways(tmp_path):
    source = tmp_path / "in.txt.gz"
    source.write_bytes(gzip.compress(SEED_TEXT.encode()))
    run(source, "-o", tmp_path / "out.txt.gz", check=0, cwd=tmp_path)
    assert gzip.decompress((tmp_path / "out.txt.gz").read_bytes()).decode() == read(SEED_GOLD)
    assert out(run(source, check=0, cwd=tmp_path)) == read(SEED_GOLD)


def test_directories_recurse_with_include_and_exclude(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("Body.\n\nSource link\n")
    (tmp_path / "a" / "skip.txt").write_text("Body.\n\nAdd Comment\n")
    (tmp_path / "a" / "data.csv").write_text("Body.\n\nAdvertisement\n")
    done = run("--check", "--exclude", "skip.txt", "a", cwd=tmp_path, check=1)
    assert "one.txt:3:1: SRC001" in out(done)
    assert "skip.txt" not in out(done) and "data.csv" not in out(done)
    done = run("--check", "--include", "*.csv", "a", cwd=tmp_path, check=1)
    assert "data.csv:3:1: ADV001" in out(done) and "one.txt" not in out(done)


# -- JSONL ------------------------------------------------------------------------------------

def jsonl(tmp_path, *lines: str, name="d.jsonl"):
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_jsonl_cleans_field_and_leaves_other_bytes_alone(tmp_path):
    path = jsonl(
        tmp_path,
        '{"id": 1, "text": "Body.\\n\\nSource link", "n": 1e5, "u": "\\u00e9"}',
        '{"id": 2,   "text": "Nothing to clean here."}',
        json.dumps({"id": 3, "text": SEED_TEXT}),
    )
    lines = out(run(path, check=0)).splitlines()
    assert lines[0] == '{"id": 1, "text": "Body.", "n": 1e5, "u": "\\u00e9"}'
    assert lines[1] == '{"id": 2,   "text": "Nothing to clean here."}'
    assert json.loads(lines[2])["text"] == read(SEED_GOLD)


def test_jsonl_dotted_field_and_annotate(tmp_path):
    path = jsonl(tmp_path, '{"meta": {"body": "Body.\\n\\nAdd Comment"}, "k": 1}')
    (line,) = out(run(path, "--field", "meta.body", "--annotate", check=0)).splitlines()
    record = json.loads(line)
    assert record["meta"]["body"] == "Body."
    assert record["cleaner_removed"] == [
        {"rule": "CMT001", "name": "comment-prompt", "line": 3, "text": "Add Comment",
         "reason": "comment prompt"}
    ]
    assert list(record) == ["meta", "k", "cleaner_removed"]
    done = run(path, "--field", "meta.body", "--annotate", "--annotate-field", "x.y", check=0)
    assert json.loads(out(done))["x"]["y"][0]["rule"] == "CMT001"


BAD = ['{"text": "Body.\\n\\nSource link"}', "not json", '{"body": "no text"}', "[1, 2]",
       '{"text": 5}', '{"text": "Last.\\n\\nAdd Comment"}']


def test_jsonl_on_error_fail_is_default_and_exits_2(tmp_path):
    done = run(jsonl(tmp_path, *BAD), cwd=tmp_path, check=2)
    assert "d.jsonl:2: not valid JSON" in err(done)
    assert out(done).splitlines() == ['{"text": "Body."}']


def test_jsonl_on_error_skip_reports_every_bad_line(tmp_path):
    done = run(jsonl(tmp_path, *BAD), "--on-error", "skip", cwd=tmp_path, check=0)
    assert out(done).splitlines() == ['{"text": "Body."}', '{"text": "Last."}']
    for message in ("d.jsonl:2: not valid JSON", "d.jsonl:3: record has no field 'text'",
                    "d.jsonl:4: record is a JSON list", "d.jsonl:5: field 'text' is int"):
        assert message in err(done)
    assert "4 bad record(s) skipped" in err(done)


def test_jsonl_on_error_keep_passes_bad_lines_through(tmp_path):
    done = run(jsonl(tmp_path, *BAD), "--on-error", "keep", cwd=tmp_path, check=0)
    assert out(done).splitlines() == ['{"text": "Body."}', *BAD[1:5], '{"text": "Last."}']


def test_jsonl_invalid_utf8_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "\xff"}\n')
    assert "d.jsonl:2: not valid JSON: invalid UTF-8" in err(run(path, cwd=tmp_path, check=2))


def test_blank_jsonl_lines_pass_through(tmp_path):
    path = jsonl(tmp_path, '{"text": "a"}', "", '{"text": "b"}')
    assert out(run(path, check=0)) == '{"text": "a"}\n\n{"text": "b"}\n'


def test_jsonl_gzip_in_and_out_and_truncated(tmp_path):
    path = tmp_path / "d.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "Body.\\n\\nSource link"}\n'))
    assert out(run(path, check=0)) == '{"text": "Body."}\n'
    run("--fix", path, check=0)
    assert gzip.decompress(path.read_bytes()) == b'{"text": "Body."}\n'
    path.write_bytes(gzip.compress(b'{"text": "x"}\n' * 1000)[:60])
    assert "truncated or corrupt gzip" in err(run(path, check=2))


def test_jsonl_order_kept_with_workers(tmp_path):
    records = [{"i": i, "text": f"Body {i}.\n\nSource link" if i % 3 else f"Body {i}."}
               for i in range(2000)]
    path = jsonl(tmp_path, *(json.dumps(r) for r in records))
    serial = out(run(path, check=0))
    parallel = out(run(path, "-j", "2", check=0))
    assert parallel == serial
    assert [json.loads(x)["i"] for x in parallel.splitlines()] == list(range(2000))


# -- lint mode --------------------------------------------------------------------------------

def test_check_exit_codes_and_text_format(tmp_path):
    dirty = tmp_path / "dirty.txt"
    dirty.write_text(SEED_TEXT)
    clean_file = tmp_path / "clean.txt"
    clean_file.write_text(read(SEED_GOLD))
    done = run("--check", "dirty.txt", cwd=tmp_path, check=1)
    lines = out(done).splitlines()
    assert lines[0] == "dirty.txt:3:1: BYL001 [byline] byline: 'by Pelican Press'"
    assert lines[-1] == "Found 11 findings in 1 file."
    assert out(run("--check", "clean.txt", cwd=tmp_path, check=0)) == "All clean.\n"


def test_output_formats(tmp_path):
    (tmp_path / "a.txt").write_text("Body.\n\nSource link\n")
    concise = out(run("--check", "--output-format", "concise", "a.txt", cwd=tmp_path, check=1))
    assert concise.splitlines()[0] == "a.txt:3:1: SRC001 source link footer: 'Source link'"
    github = out(run("--check", "--output-format", "github", "a.txt", cwd=tmp_path, check=1))
    assert github.startswith("::error title=cleaner (SRC001),file=a.txt,line=3,col=1::SRC001")
    data = json.loads(out(run("--check", "--output-format", "json", "a.txt", cwd=tmp_path,
                              check=1)))
    assert data == [{"path": "a.txt", "line": 3, "col": 1, "rule": "SRC001",
                     "name": "source-link-footer", "text": "Source link",
                     "reason": "source link footer", "start": 7, "end": 18}]
    empty = json.loads(out(run("--check", "--output-format", "json", cwd=tmp_path,
                               stdin="Body.", check=0)))
    assert empty == []


def test_statistics(tmp_path):
    (tmp_path / "a.txt").write_text(SEED_TEXT)
    stats = out(run("--check", "--statistics", "a.txt", cwd=tmp_path, check=1)).splitlines()
    assert stats[0].split() == ["2", "CAP001", "credited-caption"]
    assert stats[-1] == "Found 11 findings in 1 file."


def test_diff_shows_changes_and_writes_nothing(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Body.\n\nSource link\n")
    done = run("--diff", "a.txt", cwd=tmp_path, check=1)
    assert out(done) == "--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1 @@\n Body.\n-\n-Source link\n"
    assert path.read_text() == "Body.\n\nSource link\n"
    assert run("--diff", "a.txt", "--select", "ADV", cwd=tmp_path, check=0).stdout == b""


# -- fixing -----------------------------------------------------------------------------------

def test_fix_then_check_is_clean_and_fix_twice_changes_nothing(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(SEED_TEXT)
    jsonl(tmp_path, json.dumps({"text": SEED_TEXT}), name="c.jsonl")
    run("--fix", ".", cwd=tmp_path, check=0)
    assert (tmp_path / "a.txt").read_text() == read(SEED_GOLD)
    run("--check", ".", cwd=tmp_path, check=0)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    done = run("--fix", ".", cwd=tmp_path, check=0)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    assert after == before  # not even rewritten with the same bytes
    assert "fixed" not in err(done)


def test_fix_keeps_encoding_bom_and_line_endings(tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(b"\xef\xbb\xbfBody here.\r\n\r\nSource link\r\n")
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(b"\xff\xfe" + "Body.\n\nAdd Comment\n".encode("utf-16-le"))
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 body.\n\nSource link\n".encode("latin-1"))
    run("--fix", "crlf.txt", "u16.txt", cwd=tmp_path, check=0)
    run("--fix", "--encoding", "latin-1", "latin.txt", cwd=tmp_path, check=0)
    assert crlf.read_bytes() == b"\xef\xbb\xbfBody here.\r\n"
    assert utf16.read_bytes() == b"\xff\xfe" + "Body.\n".encode("utf-16-le")
    assert latin.read_bytes() == "Caf\xe9 body.\n".encode("latin-1")


def test_fix_keeps_permissions(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Body.\n\nSource link\n")
    os.chmod(path, 0o640)
    run("--fix", path, check=0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_read_only_file_under_fix_is_an_error_and_untouched(tmp_path):
    path = tmp_path / "ro.txt"
    path.write_text("Body.\n\nSource link\n")
    os.chmod(path, 0o444)
    done = run("--fix", "ro.txt", cwd=tmp_path, check=2)
    assert "ro.txt: file is read-only; not fixed" in err(done)
    assert path.read_text() == "Body.\n\nSource link\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ro.txt"]  # no temp file left behind


def test_fix_stdin_is_refused(tmp_path):
    assert "cannot --fix standard input" in err(run("--fix", stdin="Body.\n\nSource link",
                                                    cwd=tmp_path, check=2))


# -- bad input ----------------------------------------------------------------------------------

def test_invalid_utf8_binary_and_missing_files(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"ok line\nabc\xff\n")
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\x00\x00data")
    (tmp_path / "good.txt").write_text("Body.\n\nSource link\n")
    done = run("--check", "bad.txt", "bin.txt", "nope.txt", "good.txt", cwd=tmp_path, check=2)
    assert "bad.txt:2: invalid utf-8 (byte 0xff at offset 11)" in err(done)
    assert "bin.txt: binary file (NUL byte at offset 4)" in err(done)
    assert "nope.txt: cannot read" in err(done)
    assert "good.txt:3:1: SRC001" in out(done)  # the good file is still checked


def test_truncated_gzip_text_file(tmp_path):
    (tmp_path / "t.txt.gz").write_bytes(gzip.compress(b"x" * 5000)[:30])
    assert "t.txt.gz: truncated or corrupt gzip file" in err(run("t.txt.gz", cwd=tmp_path,
                                                                 check=2))


def test_huge_line_is_processed(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 400_000 + "\n\nSource link\n")
    done = run("--check", "big.txt", cwd=tmp_path, check=1)
    assert "big.txt:3:1: SRC001" in out(done)


def test_usage_errors_exit_2(tmp_path):
    assert run("--select", "NOPE9", stdin="x", cwd=tmp_path).returncode == 2
    assert run("--check", "--fix", cwd=tmp_path).returncode == 2
    assert run("-j", "0", cwd=tmp_path).returncode == 2
    assert "empty part" in err(run("--field", "a..b", stdin="x", cwd=tmp_path, check=2))


# -- rules, explain, selection, config --------------------------------------------------------

def test_rules_and_explain(tmp_path):
    listing = out(run("rules", cwd=tmp_path, check=0))
    assert any(line.startswith("SRC001  source-link-footer") for line in listing.splitlines())
    data = json.loads(out(run("rules", "--format", "json", cwd=tmp_path, check=0)))
    assert {"code": "SRC001", "name": "source-link-footer"}.items() <= data[
        [r["code"] for r in data].index("SRC001")].items()
    page = out(run("explain", "src001", cwd=tmp_path, check=0))
    assert page.startswith("# SRC001 source-link-footer")
    assert "## Why it is cruft" in page and "'Source link'" in page
    assert "unknown rule code" in err(run("explain", "ZZZ999", cwd=tmp_path, check=2))


def test_explain_prints_parameters_as_a_pack_writes_them():
    # Copying a parameter from `clean explain` into a pack must give back the same value:
    # "triggers: ['\bap\b']" as written, not Python's "'\\bap\\b'".
    for rule in load_packs(builtin_pack_paths(), trusted=True):
        page = explain(rule)
        for key, value in rule.params.items():
            printed = next(line for line in page.splitlines() if line.startswith(f"{key}: "))
            back = tomllib.loads(f"x = {printed[len(key) + 2:]}")["x"]
            assert back == (list(value) if isinstance(value, tuple) else value), (rule.code, key)


USER_PACK = """
[[rule]]
code = "USR001"
name = "house-footer"
category = "house"
description = "Our footer."
why = "CMS footer."
kind = "line"
pattern = '^(?i)powered by \\w+$'
examples.remove = ["Powered by Foo"]
examples.keep = ["Powered by the wind, we sailed."]
"""


def test_user_rules_from_flag_and_rules_check(tmp_path):
    (tmp_path / "mine.toml").write_text(USER_PACK)
    done = run("--check", "--rules", "mine.toml", stdin="Body.\n\nPowered by Foo",
               cwd=tmp_path, check=1)
    assert "-:3:1: USR001 [house-footer]" in out(done)
    assert "1 rule(s), 0 failing" in out(run("rules", "--rules", "mine.toml", "--select",
                                             "USR", "--check", cwd=tmp_path, check=0))
    (tmp_path / "bad.toml").write_text(USER_PACK.replace('"Powered by Foo"', '"Made by Foo"'))
    done = run("rules", "--rules", "bad.toml", "--select", "USR", "--check", cwd=tmp_path,
               check=1)
    assert "USR001 should remove 'Made by Foo'" in out(done)


def test_select_and_ignore_flags(tmp_path):
    text = "Body.\n\nSource link\n\nAdd Comment"
    only = out(run("--check", "--select", "CMT", stdin=text, cwd=tmp_path, check=1))
    assert "CMT001" in only and "SRC001" not in only
    ignored = out(run("--check", "--ignore", "CMT001,SRC", stdin=text, cwd=tmp_path, check=0))
    assert ignored == "All clean.\n"


def test_config_file_found_walking_up_and_flags_override(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cleaner]\nignore = ["SRC001"]\nexclude = ["drafts"]\n'
        'per-file-ignores = {"notes/*.txt" = ["CMT"]}\nextend-rules = ["mine.toml"]\n'
    )
    (tmp_path / "mine.toml").write_text(USER_PACK)
    sub = tmp_path / "notes"
    sub.mkdir()
    (sub / "a.txt").write_text("Body.\n\nSource link\n\nAdd Comment\n\nPowered by Foo\n")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "b.txt").write_text("Body.\n\nAdd Comment\n")
    (tmp_path / "c.txt").write_text("Body.\n\nAdd Comment\n")
    done = run("--check", ".", cwd=sub.parent, check=1)
    assert out(done).splitlines()[:-1] == [
        "c.txt:3:1: CMT001 [comment-prompt] comment prompt: 'Add Comment'",
        "notes/a.txt:7:1: USR001 [house-footer] house footer: 'Powered by Foo'",
    ]
    # from a subdirectory the same config applies (found by walking up)
    assert "a.txt:7:1: USR001" in out(run("--check", "a.txt", cwd=sub, check=1))
    # --isolated ignores it
    assert "SRC001" in out(run("--check", "--isolated", "a.txt", cwd=sub, check=1))


def test_dot_cleaner_toml_and_keep_captions(tmp_path):
    (tmp_path / ".cleaner.toml").write_text("keep-captions = true\n")
    text = "Body.\n\nSoldiers gather at the border in Kursk – Jane Doe/AFP\n"
    assert out(run("--check", stdin=text, cwd=tmp_path, check=0)) == "All clean.\n"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[tool.cleaner]\nselekt = ['SRC']\n", "pyproject.toml:2: 'selekt': unknown key"),
        ("[tool.cleaner]\nignore = 'SRC'\n", "pyproject.toml:2: 'ignore': must be a list"),
        ("[tool.cleaner]\nkeep-captions = 1\n", "'keep-captions': must be true or false"),
        ("[tool.cleaner\n", "pyproject.toml: invalid TOML"),
        ("[tool.cleaner]\nextend-rules = ['missing.toml']\n", "missing.toml: cannot read"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, config, message):
    (tmp_path / "pyproject.toml").write_text(config)
    done = run("--check", stdin="Body.", cwd=tmp_path, check=2)
    assert message in err(done)


# -- baseline ---------------------------------------------------------------------------------

def test_baseline_reports_only_new_findings(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Body.\n\nAdvertisement\n\nMore body.\n\nSource link\n")
    done = run("--write-baseline", "base.json", "a.txt", cwd=tmp_path, check=0)
    assert "wrote 2 finding(s)" in err(done)
    assert out(run("--check", "--baseline", "base.json", "a.txt", cwd=tmp_path,
                   check=0)) == "All clean.\n"
    path.write_text("Body.\n\nAdvertisement\n\nMore body.\n\nAdvertisement\n\nSource link\n")
    done = run("--check", "--baseline", "base.json", "a.txt", cwd=tmp_path, check=1)
    assert out(done).splitlines() == [
        "a.txt:7:1: ADV001 [advertisement-marker] advertisement marker: 'Advertisement'",
        "Found 1 finding in 1 file.",
    ]
    (tmp_path / "junk.json").write_text("{}")
    assert "not a cleaner baseline" in err(run("--check", "--baseline", "junk.json", "a.txt",
                                               cwd=tmp_path, check=2))


# -- progress ---------------------------------------------------------------------------------

def test_progress_bar_goes_to_stderr_only(tmp_path):
    done = run("--progress", stdin=SEED_TEXT, cwd=tmp_path, check=0)
    assert out(done) == read(SEED_GOLD)
    assert "clean:" in err(done) and "B" in err(done)
    assert err(run(stdin=SEED_TEXT, cwd=tmp_path, check=0)) == ""  # not a terminal: no bar


# -- HTML -------------------------------------------------------------------------------------

PAGE = (
    "<html><head><title>Bridge closes - City News</title></head><body><nav><a href='/'>Home</a>"
    "</nav><article><h1>Bridge closes</h1><p>The council voted on Tuesday to close the old "
    "bridge for repairs after engineers found cracks in two of its piers.</p><p>Traffic will "
    "be diverted through the eastern ring road for several months, officials said.</p>"
    "<p>Source link</p></article></body></html>"
)


def test_html_file_and_stdin_to_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    text = out(run(path, check=0))
    assert text.startswith("Bridge closes\n\nThe council voted")
    assert "Home" not in text and "Source link" not in text
    assert out(run("--format", "html", "-", stdin=PAGE, check=0)) == text
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress(PAGE.encode()))
    assert out(run(gz, check=0)) == text


def test_html_check_reports_structural_and_text_rules(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    done = run("--check", "--output-format", "concise", path, check=1)
    assert "HTM001" in out(done) and "SRC001" in out(done)


def test_html_fix_and_diff_refused_and_page_untouched(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    for mode in ("--fix", "--diff"):
        done = run(mode, path, check=2)
        assert "not fixed in place" in err(done)
    assert path.read_text(encoding="utf-8") == PAGE


def test_html_binary_file_is_an_error(tmp_path):
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert "binary file" in err(run(path, check=2))


def test_no_title_leaves_the_title_out(tmp_path):
    text = out(run("--no-title", SEED, check=0))
    full = out(run(SEED, check=0))
    title = full.split("\n", 1)[0]
    assert full.startswith(title) and not text.startswith(title)
    assert full.split("\n\n", 1)[1] == text
    record = json.dumps({"text": SEED_TEXT}) + "\n"
    cleaned = json.loads(out(run("--format", "jsonl", "--no-title", "-", stdin=record, check=0)))
    assert cleaned["text"] == text.rstrip("\n")
    assert "--no-title goes with plain cleaning" in err(run("--check", "--no-title", SEED,
                                                           check=2))


def test_rules_and_explain_cover_the_codes_behind_code():
    listed = out(run("rules", check=0))
    assert "HTM001" in listed and "LRN001" in listed and "NAV001" in listed
    assert "landmark" in out(run("explain", "htm002", check=0))
    assert "rule(s), 0 failing" in out(run("rules", "--check", check=0))


# -- fixing through links, and files that change ----------------------------------------------

def test_fix_through_a_symlink_keeps_the_link_and_fixes_the_target(tmp_path):
    target = tmp_path / "real" / "a.txt"
    target.parent.mkdir()
    target.write_text("Body.\n\nSource link\n")
    os.chmod(target, 0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(os.path.relpath(target, tmp_path))
    done = run("--fix", "link.txt", cwd=tmp_path, check=0)
    assert "fixed 1 file(s)" in err(done)
    assert link.is_symlink() and os.readlink(link) == os.path.join("real", "a.txt")
    assert target.read_text() == "Body.\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]  # no temp file left


def test_fix_symlinked_jsonl_and_a_file_named_twice_fixed_once(tmp_path):
    target = jsonl(tmp_path, json.dumps({"text": "Body.\n\nSource link"}), name="t.jsonl")
    (tmp_path / "l.jsonl").symlink_to("t.jsonl")
    done = run("--fix", "-j", "2", "l.jsonl", "t.jsonl", cwd=tmp_path, check=0)
    assert (tmp_path / "l.jsonl").is_symlink()
    assert json.loads(target.read_text())["text"] == "Body."
    assert "t.jsonl: same file as l.jsonl, fixed once already in this run; skipped" in err(done)


def test_fix_refuses_a_hard_linked_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Body.\n\nSource link\n")
    os.link(path, tmp_path / "twin.txt")
    done = run("--fix", "a.txt", cwd=tmp_path, check=2)
    assert "a.txt: file has 2 hard links" in err(done) and "not fixed" in err(done)
    assert path.read_text() == (tmp_path / "twin.txt").read_text() == "Body.\n\nSource link\n"
    assert os.stat(path).st_ino == os.stat(tmp_path / "twin.txt").st_ino


def test_fix_in_a_read_only_directory_is_an_error_not_a_crash(tmp_path, monkeypatch, capsys):
    import tempfile

    from cleaner import cli

    path = tmp_path / "a.txt"
    path.write_text("Body.\n\nSource link\n")

    def refuse(**_):  # what mkstemp meets in a read-only directory (root is not refused)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert cli.main(["--fix", str(path)]) == 2
    assert f"{path}: cannot write a fix beside {path}: Permission denied; not fixed" in (
        capsys.readouterr().err
    )
    assert path.read_text() == "Body.\n\nSource link\n"


@pytest.mark.parametrize("name", ["a.txt", "a.jsonl"])
def test_fix_refuses_a_file_that_changed_while_being_cleaned(tmp_path, monkeypatch, capsys, name):
    from cleaner import cli, runner

    path = tmp_path / name
    text = "Body.\n\nSource link"
    path.write_text(json.dumps({"text": text}) + "\n" if name.endswith("jsonl") else text + "\n")
    edited = path.read_text() + ("\n" if name.endswith("jsonl") else "An edit.\n")
    real_work = runner.work

    def work_then_edit(unit, job):
        result = real_work(unit, job)
        path.write_text(edited)  # someone saves the file while we clean it
        return result

    monkeypatch.setattr(runner, "work", work_then_edit)
    assert cli.main(["--fix", str(path)]) == 2
    assert f"{path}: changed on disk while being cleaned; not fixed" in capsys.readouterr().err
    assert path.read_text() == edited
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
