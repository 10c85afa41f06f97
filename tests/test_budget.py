# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The per-document budget: a size cap and a time limit, in the library and every CLI format."""

from __future__ import annotations

import json
import threading
import time

import pytest
from test_cli import err, out, run

from cleaner import (
    Budget,
    Cleaner,
    CleanerError,
    DocumentTimeout,
    DocumentTooLarge,
    clean_html_within,
    clean_within,
)

# About a second of cleaning on this machine: far over the 0.05 s limits below.
SLOW = "\n".join("abcdefghij"[i % 10] for i in range(400_000)) + "\n"
DIRTY = "Body of the article, a sentence long enough to stay.\n\nSource link\n"


def test_library_size_cap_refuses_before_any_work(cleaner):
    with pytest.raises(DocumentTooLarge, match="over the 10-byte limit"):
        clean_within(cleaner, "é" * 6, Budget(max_bytes=10))  # 12 bytes in UTF-8
    assert clean_within(cleaner, DIRTY, Budget(max_bytes=0)).text.count("\n") == 1


def test_library_time_limit_interrupts_the_document(cleaner):
    start = time.monotonic()
    with pytest.raises(DocumentTimeout, match="interrupted after 0.05 s"):
        clean_within(cleaner, SLOW, Budget(timeout=0.05))
    assert time.monotonic() - start < 0.5  # cut short, not checked after a second of work
    # the timer is gone afterwards: a later, longer clean is not hit by a stray alarm
    clean_within(cleaner, SLOW[:20_000], Budget())
    time.sleep(0.1)


def test_library_time_limit_outside_the_main_thread_reports_after(cleaner):
    caught: list[BaseException] = []

    def work():
        try:
            clean_within(cleaner, SLOW, Budget(timeout=0.05))
        except DocumentTimeout as exc:
            caught.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert caught and "took longer than 0.05 s" in str(caught[0])


@pytest.mark.parametrize("budget", [dict(max_bytes=-1), dict(timeout=-1.0),
                                    dict(timeout=float("nan"))])
def test_bad_budget_is_an_error(budget):
    with pytest.raises(CleanerError):
        Budget(**budget)


def test_cli_text_over_size_passes_through_with_report(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(DIRTY * 40)
    small = tmp_path / "small.txt"
    small.write_text(DIRTY)
    done = run("--max-doc-bytes", "500", big, small, check=0)
    assert out(done) == DIRTY * 40 + "Body of the article, a sentence long enough to stay.\n"
    assert f"{big}: document of 2,640 bytes is over the 500-byte limit" in err(done)
    assert "1 document(s) over budget: 1 passed through unchanged, 0 skipped" in err(done)
    done = run("--max-doc-bytes", "500", "--on-error", "skip", big, small, check=0)
    assert out(done) == "Body of the article, a sentence long enough to stay.\n"
    assert "skipped" in err(done) and "0 passed through unchanged, 1 skipped" in err(done)


def test_cli_check_and_fix_leave_an_over_budget_file_alone(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(DIRTY * 40)
    done = run("--check", "--max-doc-bytes", "500", big, check=0)
    assert "over the 500-byte limit (--max-doc-bytes); not checked" in err(done)
    assert "1 document(s) over budget: 1 not checked, 0 skipped" in err(done)
    before = big.read_bytes()
    done = run("--fix", "--max-doc-bytes", "500", "--on-error", "skip", big, check=0)
    assert big.read_bytes() == before and "; left unchanged" in err(done)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_jsonl_timeout_keeps_order_and_names_the_record(tmp_path, jobs):
    path = tmp_path / "d.jsonl"
    records = [{"id": 0, "text": DIRTY}, {"id": 1, "text": SLOW}, {"id": 2, "text": DIRTY}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    start = time.monotonic()
    done = run("--doc-timeout", "0.05", "-j", jobs, path, check=0)
    assert time.monotonic() - start < 20
    lines = out(done).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [0, 1, 2]
    assert json.loads(lines[1])["text"] == SLOW  # passed through as it came
    assert "Source link" not in lines[0] + lines[2]
    assert f"{path}:2: cleaning interrupted after 0.05 s (--doc-timeout)" in err(done)
    done = run("--doc-timeout", "0.05", "-j", jobs, "--on-error", "skip", path, check=0)
    assert [json.loads(line)["id"] for line in out(done).splitlines()] == [0, 2]
    assert "1 document(s) over budget: 0 passed through unchanged, 1 skipped" in err(done)


def test_cli_html_over_size_is_reported(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><p>" + "word " * 400 + "</p></body></html>")
    done = run("--max-doc-bytes", "100", page, check=0)
    assert "p.html: document of" in err(done) and out(done).startswith("<html>")


def test_cli_bad_budget_flags_exit_2(tmp_path):
    assert "max document bytes" in err(run("--max-doc-bytes", "-5", check=2, stdin="x"))
    assert "document timeout" in err(run("--doc-timeout", "-1", check=2, stdin="x"))


def test_library_cleaner_unaffected_by_budget_module():
    assert Cleaner().clean(DIRTY).text == clean_within(Cleaner(), DIRTY, Budget(timeout=5)).text


def test_a_document_that_loses_every_line_is_reported_not_silent(tmp_path, cleaner):
    assert "every line was removed (2 lines)" in cleaner.clean("Source link\nAdvertisement\n"
                                                               ).warnings[0]
    assert cleaner.clean(DIRTY).warnings == ()
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "Source link"}) + "\n" + json.dumps({"text": DIRTY})
                    + "\n")
    done = run(path, "-j", "2", check=0)
    assert f"{path}:1: every line was removed (1 line): the document is empty" in err(done)
    assert f"{path}:2" not in err(done) and "clean: 1 warning(s)" in err(done)
    text = tmp_path / "menu.txt"
    text.write_text("\n".join(["Home", "News", "Sport", "Login"] * 20) + "\n")
    done = run(text, check=0)
    assert out(done) == "" and f"{text}: every line was removed (80 lines)" in err(done)


def test_library_html_budget():
    page = ("<html><body><h1>Title</h1><p>" + "A sentence of the article. " * 40
            + "</p></body></html>")
    assert "A sentence" in clean_html_within(page, Budget()).text
    with pytest.raises(DocumentTooLarge, match="over the 100-byte limit"):
        clean_html_within(page.encode(), Budget(max_bytes=100))


def test_a_text_that_repeats_itself_stops_after_a_bounded_number_of_passes():
    # Found by the long fuzz run: a WeChat post saved hundreds of times over moved a new copy
    # of its header into the head zone on every pass (272 passes, 2.8 s/MB).
    import time

    from cleaner import Cleaner
    from cleaner.engine import MAX_PASSES

    # A header-and-picture fragment of a WeChat post, repeated, with old Mac line breaks.
    unit = "  2025-03-03 11:50  \r  \r![](https://example.com/a.png)  \r  \r**奖励计"
    text = unit * 4000
    start = time.process_time()
    result = Cleaner().clean(text)
    seconds = time.process_time() - start
    assert any(f"stopped after {MAX_PASSES} passes" in w for w in result.warnings)
    assert seconds < 2 * len(text.encode()) / 1e6 + 0.5
