"""Learning at scale: peak memory of `clean learn` on a large JSONL, and Dask 1 vs 2 workers.

Usage: python benchmarks/scale_out.py ../shared/bench/zyte [--learn-mb 1000] [--dask-mb 40]

The corpus is `corpus.py`'s realistic documents spread over 200 sources, each source adding
its own template lines (a subscription line, a dated "Updated" line, a copyright line), so
there is boilerplate to learn and a long tail of distinct lines to count.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from memory import measure

from corpus import documents

SOURCES = 200


def write_corpus(path: Path, data_dir: Path, size: int) -> int:
    written = count = 0
    with path.open("w", encoding="utf-8") as handle:
        for count, text in enumerate(documents(data_dir), start=1):
            source = f"site{count % SOURCES}.example"
            day = count % 28 + 1
            lines = [f"Try The Site {count % SOURCES} Times free for 1 month", text,
                     f"Updated Nov {day}, 2019", f"© 2019 Site {count % SOURCES} Media Group"]
            line = json.dumps({"id": count, "meta": {"domain": source},
                               "text": "\n\n".join(lines)}) + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            if written >= size:
                break
    return count


def learn_memory(data_dir: Path, megabytes: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        records = write_corpus(path, data_dir, megabytes * 1_000_000)
        size = path.stat().st_size / 1e6
        command = [sys.executable, "-m", "cleaner", "learn", str(path), "--source-field",
                   "meta.domain", "-o", str(Path(tmp) / "profile.json")]
        peak, seconds = measure(command)
        profile = json.loads((Path(tmp) / "profile.json").read_text("utf-8"))
        learned = sum(len(s["lines"]) for s in profile["sources"].values())
        print("\n## clean learn: peak memory\n")
        print(f"input: {size:.0f} MB JSONL, {records} records, {SOURCES} sources\n")
        print("| command | peak RSS (MB) | seconds | MB/s | learned lines |")
        print("|---|---|---|---|---|")
        print(f"| clean learn --source-field meta.domain | {peak:.0f} | {seconds:.1f} | "
              f"{size / seconds:.1f} | {learned} |", flush=True)


def dask_speedup(data_dir: Path, megabytes: int) -> None:
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    from cleaner.dask import clean_bag, learn_bag

    with tempfile.TemporaryDirectory() as tmp:
        for shard in range(8):
            write_corpus(Path(tmp) / f"shard-{shard}.jsonl", data_dir,
                         megabytes * 1_000_000 // 8)
        size = sum(p.stat().st_size for p in Path(tmp).glob("shard-*.jsonl")) / 1e6
        print("\n## Dask: learn then clean, 1 worker vs 2\n")
        print(f"input: {size:.0f} MB JSONL in 8 shards\n")
        print("| workers | seconds | MB/s | speed-up |")
        print("|---|---|---|---|")
        first = 0.0
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1,
                              dashboard_address=None) as cluster, Client(cluster):
                records = db.read_text(f"{tmp}/shard-*.jsonl").map(json.loads)
                records.count().compute()  # warm the workers (imports, file cache)
                start = time.perf_counter()
                profile = learn_bag(records, source_field="meta.domain")
                clean_bag(records, source_field="meta.domain", profile=profile).map(
                    lambda r: len(r["text"])).sum().compute()
                seconds = time.perf_counter() - start
            first = first or seconds
            print(f"| {workers} | {seconds:.1f} | {size / seconds:.1f} | "
                  f"{first / seconds:.2f}x |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--learn-mb", type=int, default=1000)
    parser.add_argument("--dask-mb", type=int, default=40)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    if args.learn_mb:
        learn_memory(args.data_dir, args.learn_mb)
    if args.dask_mb:
        dask_speedup(args.data_dir, args.dask_mb)


if __name__ == "__main__":
    main()
