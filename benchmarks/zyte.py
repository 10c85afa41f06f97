"""The Zyte article-extraction benchmark: its pages, its gold and its metric.

The data folder (``html/*.html.gz`` and ``ground-truth.json``) is passed on the command line and
never copied into the repository. The metric follows the benchmark's own: tokens are ``\\w+``
matches, 4-token shingles are counted per page, a page's tp / fp / fn are normalised to sum 1,
and precision and recall come from their means over pages (F1 from those two).
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    html: bytes
    gold: str


def load(data_dir: Path) -> list[Page]:
    truth = json.loads((data_dir / "ground-truth.json").read_text("utf-8"))
    pages = []
    for key, record in sorted(truth.items()):
        html = gzip.decompress((data_dir / "html" / f"{key}.html.gz").read_bytes())
        pages.append(Page(key, record.get("url", ""), html, record["articleBody"]))
    return pages


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page; an empty gold and prediction count as perfect."""
    true, pred = shingles(gold), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if total == 0:
        return 1.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(counts: Iterable[tuple[float, float, float]]) -> Score:
    tps, fps, fns = zip(*counts, strict=True)
    tp, fp, fn = statistics.mean(tps), statistics.mean(fps), statistics.mean(fns)
    return Score(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)
