"""``clean report``: the counts, the sample, escaping, bad input, and a real browser render."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tracemalloc
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cleaner.audit import Tally
from cleaner.cli import main
from cleaner.engine import default_cleaner

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def _record(i: int, source: str) -> dict[str, str]:
    return {
        "text": f"Story {i}\nBy Jane Roe\n\nThe council voted on Tuesday to approve budget {i}, "
                f"which funds roads and schools.\n\nRead more: {HOSTILE}\n",
        "site": source,
    }


def _write_jsonl(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps(_record(i, f"site{i % 3}.example")) + "\n")
    return path


def _run(tmp_path: Path, *args: str) -> tuple[int, str]:
    out = tmp_path / "report.html"
    code = main(["report", *args, "-o", str(out)])
    return code, out.read_text(encoding="utf-8") if out.exists() else ""


def test_totals_match_the_cleaner(tmp_path: Path) -> None:
    data = _write_jsonl(tmp_path / "in.jsonl", 12)
    code, page = _run(tmp_path, str(data), "--source-field", "site", "--sample", "5")
    assert code == 0
    cleaner = default_cleaner()
    removed = [cleaner.clean(_record(i, "")["text"]).removed for i in range(12)]
    lines_removed = sum(len(r) for r in removed)
    assert lines_removed > 0
    totals = re.search(r'data-total="lines removed"><span>lines removed</span><b>([\d,]+)</b>',
                       page)
    assert totals is not None and int(totals.group(1)) == lines_removed
    assert page.count('<section class="doc"') == 5
    assert "site1.example" in page


def test_parquet_input_counts_like_jsonl(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [_record(i, f"site{i % 3}.example") for i in range(12)]
    table = pa.table({"text": [r["text"] for r in rows] + [None],
                      "site": [r["site"] for r in rows] + ["site0.example"]})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=5)
    jsonl = _write_jsonl(tmp_path / "in.jsonl", 12)
    code, page = _run(tmp_path, str(tmp_path / "in.parquet"), "--source-field", "site")
    assert code == 0
    code, reference = _run(tmp_path, str(jsonl), "--source-field", "site")
    assert code == 0

    def total(html: str, name: str) -> str:
        found = re.search(rf'data-total="{name}"><span>{name}</span><b>([\d,]+)</b>', html)
        assert found is not None
        return found.group(1)

    for name in ("documents", "lines removed"):
        assert total(page, name) == total(reference, name)  # the null text is no document


def test_scraped_text_cannot_inject_markup(tmp_path: Path) -> None:
    data = _write_jsonl(tmp_path / "in.jsonl", 3)
    code, page = _run(tmp_path, str(data), "--source-field", "site")
    assert code == 0
    assert "<img" not in page
    assert page.count("<script") == 1  # the page's own filter script, nothing from the text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


class _Links(HTMLParser):
    """Collects every attribute that could make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetching: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "srcset", "data", "action", "background") or (
                name == "href" and not (value or "").startswith("#")
            ):
                self.fetching.append((name, value))


def test_report_loads_nothing_from_anywhere(tmp_path: Path) -> None:
    data = _write_jsonl(tmp_path / "in.jsonl", 6)
    code, page = _run(tmp_path, str(data), "--source-field", "site")
    assert code == 0 and "src=x" in json.dumps(_record(0, ""))  # the input does try
    links = _Links()
    links.feed(page)
    assert links.fetching == []
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_hostile_source_and_rule_pack_strings_are_escaped(tmp_path: Path) -> None:
    tally = Tally(sample_size=2, categories={"REL002": '"><b>x</b>'})
    text = "Title\n\nA paragraph of ordinary article prose for the body here.\n\nRead more: x\n"
    tally.add('<b id="n">', '<i id="s">', default_cleaner().clean(text), text)
    from cleaner.audit_html import render

    page = render(tally, ["<u>in</u>"], title="<h9>t")
    # the page's own markup uses <b>, so look for the hostile tags as written
    for tag in ('<b id="n">', '<i id="s">', "<u>in", "<h9>", '"><b>x</b>'):
        assert tag not in page
    assert "&lt;b id=&quot;n&quot;&gt;" in page


def test_reservoir_is_seeded_and_uniform_enough() -> None:
    text = "Title\n\nSome article text that is long enough to be a paragraph.\n"
    result = default_cleaner().clean(text)

    def names(seed: int) -> list[str]:
        tally = Tally(sample_size=10, seed=seed)
        for i in range(1000):
            tally.add(str(i), "", result, text)
        return [s.name for s in tally.samples]

    assert names(1) == names(1)
    assert names(1) != names(2)
    # a reservoir over 1,000 documents keeps late ones too, not just the first ten
    assert max(int(n) for n in names(1)) >= 100


@pytest.mark.parametrize(("content", "message"), [
    ('{"text": "ok"}\n{"text": \n', "bad.jsonl:2: not valid JSON"),
    ('{"text": "ok"}\n{"body": "x"}\n', "bad.jsonl:2: record has no field 'text'"),
])
def test_bad_jsonl_exits_2_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    code, _ = _run(tmp_path, str(bad))
    assert code == 2
    assert message in capsys.readouterr().err


def test_unreadable_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, page = _run(tmp_path, str(tmp_path / "missing.txt"))
    assert code == 2 and page == ""
    assert "missing.txt" in capsys.readouterr().err


def test_text_and_html_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_record(1, "")["text"], encoding="utf-8")
    (tmp_path / "b.html").write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/n'>News</a></nav><article><h1>Hi</h1>"
        "<p>The council voted on Tuesday to approve the budget, which funds roads and schools "
        "across the county for the next three years.</p></article></body></html>",
        encoding="utf-8")
    code, page = _run(tmp_path, str(tmp_path / "a.txt"), str(tmp_path / "b.html"))
    assert code == 0
    assert re.search(r'data-total="documents"><span>documents</span><b>2</b>', page)


def test_counts_stream_in_bounded_memory(tmp_path: Path) -> None:
    """100,000 small documents: the tally's memory does not grow with the corpus."""
    cleaner = default_cleaner()
    texts = [_record(i, "")["text"] for i in range(50)]
    results = [cleaner.clean(t) for t in texts]
    tally = Tally(sample_size=50)
    tracemalloc.start()
    for i in range(10_000):
        tally.add(f"d{i}", f"s{i % 20}", results[i % 50], texts[i % 50])
    after_10k = tracemalloc.get_traced_memory()[0]
    for i in range(10_000, 100_000):
        tally.add(f"d{i}", f"s{i % 20}", results[i % 50], texts[i % 50])
    after_100k, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert tally.documents == 100_000
    assert after_100k < after_10k + 256 * 1024, (after_10k, after_100k, peak)


def _png_colours(png: bytes) -> int:
    """Distinct pixel colours of an 8-bit RGB(A) PNG, decoded with zlib (no image library)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        length = int.from_bytes(png[pos:pos + 4], "big")
        kind, body = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour_type = header[8], header[9]
    assert depth == 8 and colour_type in (2, 6), (depth, colour_type)
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for row in range(height):
        start = row * (stride + 1)
        filt, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + left) & 255
            elif filt == 2:
                line[i] = (line[i] + up) & 255
            elif filt == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif filt == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 255
        if row % 4 == 0:
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 4))
        previous = line
    return len(colours)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package "
                    "'chromium'; .ci/run installs it)")
def test_renders_in_headless_chromium(tmp_path: Path) -> None:
    data = _write_jsonl(tmp_path / "in.jsonl", 40)
    out = tmp_path / "report.html"
    assert main(["report", str(data), "--source-field", "site", "--sample", "8",
                 "-o", str(out)]) == 0
    assert CHROMIUM is not None
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1366,900"]
    shot = tmp_path / "shot.png"
    subprocess.run([*base, f"--screenshot={shot}", out.as_uri()], check=True,
                   capture_output=True, timeout=120)
    assert _png_colours(shot.read_bytes()) >= 8  # text, cards, coloured bars: not blank
    dom = subprocess.run([*base, "--dump-dom", out.as_uri()], check=True,
                         capture_output=True, timeout=120, text=True).stdout
    assert re.search(r'data-total="documents"><span>documents</span><b>40</b>', dom)
    assert 'id="shown">8<' in dom  # the filter script ran (it rewrites the count) and kept all 8
    assert "<img" not in dom
