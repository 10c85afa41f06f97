"""Load the public extraction benchmarks as ``zyte.Page`` lists, so one metric scores them all.

The data never enters the repository: each loader takes the folder the user unpacked. Kinds:

- ``zyte``: ``html/*.html.gz`` and ``ground-truth.json`` (the Zyte article benchmark).
- ``cleaneval``: ``input/N.html`` and ``GoldStandard/N.txt`` (CleanEval dev or final). The gold
  opens with a ``URL:`` line and marks blocks with ``<p>``, ``<h>``, ``<l>``; those markers are
  dropped so they are not scored as words. The input is wrapped in a ``<text id=...>`` element,
  which a browser-like parser treats as an unknown inline element, so it is left as it is.
- ``l3s``: ``input/ID.html`` and ``GoldStandard/ID.txt`` (L3S-GN1, the Google News set of
  page-signal). The gold is the annotated page itself; its text is that of the outermost
  elements carrying the class ``x-nc-sel2`` (the annotators' "full text"); headline (sel1),
  supplemental (sel3), related (sel4) and comments (sel5) are not the article body.
- ``dragnet``: ``input/N.html`` and ``GoldStandard/N.txt`` (Dragnet). The gold is plain text
  whose comments follow a ``!@#$%^&*()  COMMENTS`` line; only the article part is gold.

- ``articles``: ``html/KEY.html`` and ``articles.json`` (a mapping of KEY to a record whose
  ``articleBody`` is the gold): the layout of the newspaper4k article extraction dataset
  (AndyTheFactory/article-extraction-dataset, Apache-2.0: 424 news pages of 212 sites, 2023,
  cleaned by hand), whose checkout is used as it is.
- ``wcxb``: ``html/KEY.html.gz`` and ``ground-truth/KEY.json`` (the gold is the
  record's ``ground_truth.main_content``): a split folder (``dev`` or ``test``) of WCXB, the
  Web Content Extraction Benchmark (Murrough-Foley/web-content-extraction-benchmark,
  CC-BY-4.0: 2,008 pages of as many domains, 2025; articles, forums, products, listings,
  collections, documentation and service pages; gold written by a model, then reviewed).
  ``page_types`` reads each page's type from the checkout's ``metadata.json``, one folder up.

Pages whose gold is missing are skipped. ``detect`` picks the kind from the folder's layout.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
from pathlib import Path

import zyte

_CLEANEVAL_MARK = re.compile(r"<(?:p|h|l)>", re.IGNORECASE)
_DRAGNET_COMMENTS = "!@#$%^&*()"


def detect(folder: Path) -> str:
    """The kind of a benchmark folder, from its layout and a look at one gold file."""
    if (folder / "ground-truth.json").exists():
        return "zyte"
    if (folder / "articles.json").exists():
        return "articles"
    if (folder / "ground-truth").is_dir():
        return "wcxb"
    name = folder.name.lower()
    if "cleaneval" in name:
        return "cleaneval"
    if "signal" in name or "l3s" in name:
        return "l3s"
    if "dragnet" in name:
        return "dragnet"
    sample = next((folder / "GoldStandard").glob("*.txt"), None)
    head = sample.read_bytes()[:2000] if sample else b""
    if head.startswith(b"URL:"):
        return "cleaneval"
    if b"x-nc-sel" in head or b"<html" in head.lower():
        return "l3s"
    return "dragnet"


def _decode(data: bytes) -> str:
    """A gold file's text: by its byte-order mark, else UTF-8, else cp1252.

    Five Dragnet gold files are UTF-16 (read as cp1252 they matched no page: every tool
    scored 0 on them), and 75 CleanEval ones open with a UTF-8 mark (which kept their "URL:"
    line in the gold).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def cleaneval_gold(text: str) -> str:
    lines = text.splitlines()
    if lines and lines[0].startswith("URL:"):
        lines = lines[1:]
    return _CLEANEVAL_MARK.sub(" ", "\n".join(lines))


def dragnet_gold(text: str) -> str:
    at = text.find(_DRAGNET_COMMENTS)
    return text[:at] if at >= 0 else text


def l3s_gold(data: bytes) -> str:
    import lxml.html

    root = lxml.html.document_fromstring(data)
    parts = []
    for element in root.iterfind(".//*[@class]"):
        if "x-nc-sel2" not in (element.get("class") or "").split():
            continue
        if any("x-nc-sel2" in (a.get("class") or "").split() for a in element.iterancestors()):
            continue
        parts.append(element.text_content())
    return "\n".join(parts)


def load(folder: Path, kind: str | None = None) -> list[zyte.Page]:
    """Every page of a benchmark folder that has both its HTML and its gold."""
    kind = kind or detect(folder)
    if kind == "zyte":
        return zyte.load(folder)
    if kind == "articles":
        return _articles(folder)
    if kind == "wcxb":
        return _wcxb(folder)
    pages = []
    gold_dir = folder / "GoldStandard"
    for path in sorted((folder / "input").glob("*.html"),
                       key=lambda p: (len(p.stem), p.stem)):
        gold_path = gold_dir / f"{path.stem}.txt"
        if not gold_path.exists():
            continue
        raw = gold_path.read_bytes()
        if kind == "cleaneval":
            gold = cleaneval_gold(_decode(raw))
        elif kind == "l3s":
            gold = l3s_gold(raw)
        else:
            gold = dragnet_gold(_decode(raw))
        pages.append(zyte.Page(path.stem, "", path.read_bytes(), gold))
    return pages


def _articles(folder: Path) -> list[zyte.Page]:
    """The ``articles`` layout: ``articles.json`` keyed as the files of ``html/`` are named."""
    records = json.loads((folder / "articles.json").read_text("utf-8"))
    pages = []
    for key in sorted(records):
        path = folder / "html" / f"{key}.html"
        if path.exists():
            record = records[key]
            pages.append(zyte.Page(key, record.get("url", ""), path.read_bytes(),
                                   record["articleBody"]))
    return pages


def _wcxb(folder: Path) -> list[zyte.Page]:
    """The ``wcxb`` layout: one JSON record per page beside its gzipped HTML."""
    pages = []
    for path in sorted((folder / "ground-truth").glob("*.json")):
        html = folder / "html" / f"{path.stem}.html.gz"
        if html.exists():
            record = json.loads(path.read_text("utf-8"))
            gold = (record.get("ground_truth") or {}).get("main_content")
            if gold is not None:
                pages.append(zyte.Page(path.stem, record.get("url", ""),
                                       gzip.decompress(html.read_bytes()), gold))
    return pages


def page_types(folder: Path) -> dict[str, str]:
    """Each page's type (article, forum, product ...) where the set says it (WCXB), else {}."""
    metadata = folder.parent / "metadata.json"
    if not metadata.exists():
        return {}
    files = json.loads(metadata.read_text("utf-8")).get("files", {})
    return {key: str(record.get("page_type", "")) for key, record in files.items()}


def outside(pages: list[zyte.Page], folder: Path) -> list[zyte.Page]:
    """The pages whose key is not also a page of ``folder``'s set (a test split less dev)."""
    seen = {page.key for page in load(folder)}
    return [page for page in pages if page.key not in seen]
