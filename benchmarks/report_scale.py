"""``clean report`` over N generated small documents: wall time and peak RSS.

Shows the report streams: the documents are written to a JSONL file first, and the report's
peak RSS stays flat while N grows tenfold (counts are streamed, the sample is a reservoir).

    PYTHONPATH=. python benchmarks/report_scale.py 10000 100000
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMPLATE = ("Story {i}\nBy Reporter {r}\n\nThe council voted on Tuesday to approve budget {i}, "
            "which funds roads and schools in district {r}.\n\nRead more: related story {i}\n"
            "Share this article\n")


def run(n: int, work: Path) -> tuple[float, int, int]:
    data = work / f"docs-{n}.jsonl"
    with data.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps({"text": TEMPLATE.format(i=i, r=i % 97),
                                  "site": f"site{i % 40}.example"}) + "\n")
    report = work / f"report-{n}.html"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cleaner", "report", str(data), "--source-field",
                    "site", "-o", str(report)], check=True)
    elapsed = time.perf_counter() - start
    rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, rss_kb, report.stat().st_size


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(a) for a in sys.argv[1:] or ["10000", "100000"]):
            elapsed, rss_kb, size = run(n, Path(tmp))
            # ru_maxrss of children is the maximum over all children so far; sizes run
            # smallest first, so each line is that run's peak or an earlier smaller one's.
            print(f"{n:>8,} docs  {elapsed:6.1f} s  {n / elapsed:8,.0f} docs/s  "
                  f"peak RSS {rss_kb / 1024:6.1f} MB  report {size / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
