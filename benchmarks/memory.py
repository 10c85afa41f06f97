"""Peak memory of `clean` streaming a large JSONL file (issue 3: < 150 MB at 200 MB) and a large
Parquet file (issue 14: bounded by a row group, shown at 1 GB and more).

Usage: python benchmarks/memory.py ../shared/bench/zyte [--mb 200] [--jobs 1 2]
       python benchmarks/memory.py ../shared/bench/zyte --mb 0 --parquet-mb 1100 \
           [--row-group-mb 64] [--jobs 1 2]

The inputs are built from real text (`corpus.py`: Zyte article bodies and the seed, with cruft
lines spliced in) into a temporary directory under /tmp, and deleted afterwards. The Parquet
run writes its output to a file beside the input (Parquet is not written to stdout) and checks
it holds every row.

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


def tree_memory_kb(pid: int, pss: bool = False) -> tuple[int, int]:
    """Resident kB of a process and its descendants, and (``pss``) their proportional set size.

    RSS counts a page shared by forked workers once per process; PSS splits it between them,
    so its sum over a tree is what the tree really occupies.
    """
    total = total_pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            if pss:
                with open(f"/proc/{current}/smaps_rollup") as rollup:
                    for line in rollup:
                        if line.startswith("Pss:"):
                            total_pss += int(line.split()[1])
            with open(f"/proc/{current}/task/{current}/children") as children:
                stack.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total, total_pss


def tree_rss_kb(pid: int) -> int:
    return tree_memory_kb(pid)[0]


def measure(command: list[str]) -> tuple[float, float]:
    """Peak RSS of the process tree (MB) and wall seconds of one run."""
    peak, _, seconds = measure_pss(command, pss=False)
    return peak, seconds


def measure_pss(command: list[str], pss: bool = True) -> tuple[float, float, float]:
    """Peak RSS and peak PSS of the process tree (MB, sampled every 20 ms), wall seconds."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink)
        peak = peak_pss = 0
        while process.poll() is None:
            rss, proportional = tree_memory_kb(process.pid, pss)
            peak, peak_pss = max(peak, rss), max(peak_pss, proportional)
            time.sleep(0.02)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return peak / 1024, peak_pss / 1024, time.perf_counter() - start


def parquet_runs(data_dir: Path, sizes: list[int], row_group_mb: int, compression: str,
                 jobs_list: list[int]) -> None:
    import pyarrow.parquet as pq

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores (2-core shared VM), Python "
          f"{platform.python_version()}")
    print("| input | row groups | rows | command | peak RSS (MB, process tree) | "
          "peak PSS (MB, process tree) | seconds | MB/s |")
    print("|---|---|---|---|---|---|---|---|")
    for size_mb in sizes:
        with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
            path = Path(tmp) / "bench.parquet"
            # Built in a child process, so this one stays small: the measured runs are forks
            # of it.
            subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                            "from corpus import write_parquet; write_parquet(Path(sys.argv[1]), "
                            "Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])",
                            str(path), str(data_dir), str(size_mb << 20), str(row_group_mb << 20),
                            compression], check=True, cwd=Path(__file__).parent)
            metadata = pq.ParquetFile(path).metadata
            rows, groups = metadata.num_rows, metadata.num_row_groups
            size = path.stat().st_size / (1 << 20)
            for jobs in jobs_list:
                out = Path(tmp) / "out.parquet"
                command = [sys.executable, "-m", "cleaner", "--isolated", "-j", str(jobs),
                           str(path), "-o", str(out)]
                peak, pss, seconds = measure_pss(command)
                written = pq.ParquetFile(out).metadata
                if written.num_rows != rows or written.num_row_groups != groups:
                    raise SystemExit(f"output holds {written.num_rows} rows in "
                                     f"{written.num_row_groups} groups, not {rows} in {groups}")
                out.unlink()
                print(f"| {size:.0f} MB Parquet ({compression}, {row_group_mb} MB row groups) | "
                      f"{groups} | {rows} | clean -j {jobs} FILE -o OUT | {peak:.0f} | "
                      f"{pss:.0f} | {seconds:.1f} | {size / seconds:.1f} |",
                      flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--mb", type=int, default=200, help="JSONL input size; 0: no JSONL run")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--parquet-mb", type=int, nargs="*", default=[],
                        help="Parquet input sizes (MB of text) to run; none by default")
    parser.add_argument("--row-group-mb", type=int, default=64)
    parser.add_argument("--compression", default="none", help="Parquet codec of the input")
    args = parser.parse_args()
    if args.parquet_mb:
        parquet_runs(args.data_dir, args.parquet_mb, args.row_group_mb, args.compression,
                     args.jobs)
    if not args.mb:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.jsonl"
        records = write_jsonl(path, args.data_dir, args.mb << 20)
        size = path.stat().st_size / (1 << 20)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}")
        print(f"input: {size:.0f} MB JSONL, {records} records")
        # RSS summed over a forked tree counts the pages workers share with the parent once
        # per process; PSS splits them, so it is what the tree occupies. Both are shown.
        print("| command | peak RSS (MB, process tree) | peak PSS (MB, process tree) | seconds "
              "| MB/s |")
        print("|---|---|---|---|---|")
        for jobs in args.jobs:
            command = [sys.executable, "-m", "cleaner", "--format", "jsonl", "-j", str(jobs),
                       str(path)]
            peak, peak_pss, seconds = measure_pss(command)
            print(f"| clean --format jsonl -j {jobs} | {peak:.0f} | {peak_pss:.0f} | "
                  f"{seconds:.1f} | {size / seconds:.1f} |")


if __name__ == "__main__":
    main()
