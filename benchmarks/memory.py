"""Peak memory of `clean --format jsonl` streaming a large JSONL file (issue: < 150 MB at 200 MB).

Usage: python benchmarks/memory.py ../shared/bench/zyte [--mb 200] [--jobs 1 2]

Peak RSS is sampled from /proc every 20 ms over the whole process tree (main process plus any
worker processes), so -j N is measured honestly as the sum of its processes.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_jsonl


def tree_rss_kb(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open(f"/proc/{current}/task/{current}/children") as children:
                stack.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure(command: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.02)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return peak / 1024, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.jsonl"
        records = write_jsonl(path, args.data_dir, args.mb << 20)
        size = path.stat().st_size / (1 << 20)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}")
        print(f"input: {size:.0f} MB JSONL, {records} records")
        print("| command | peak RSS (MB, process tree) | seconds | MB/s |")
        print("|---|---|---|---|")
        for jobs in args.jobs:
            command = [sys.executable, "-m", "cleaner", "--format", "jsonl", "-j", str(jobs),
                       str(path)]
            peak, seconds = measure(command)
            print(f"| clean --format jsonl -j {jobs} | {peak:.0f} | {seconds:.1f} | "
                  f"{size / seconds:.1f} |")


if __name__ == "__main__":
    main()
