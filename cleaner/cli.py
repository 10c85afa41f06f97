"""The ``clean`` command: reads and writes, holds no cleaning logic."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .engine import Cleaner
from .errors import CleanerError


def main(argv: Sequence[str] | None = None) -> int:
    """Clean a file (or stdin) to stdout; return the exit code instead of exiting (testable)."""
    parser = argparse.ArgumentParser(prog="clean", description=__doc__)
    parser.add_argument("path", nargs="?", default="-")
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    args = parser.parse_args(argv)
    try:
        cleaner = Cleaner()
        if args.path == "-":
            text = sys.stdin.read()
        else:
            with open(args.path, encoding="utf-8") as handle:
                text = handle.read()
        sys.stdout.write(cleaner.clean(text).text)
    except (CleanerError, OSError, UnicodeDecodeError) as exc:
        print(f"clean: error: {exc}", file=sys.stderr)
        return 2
    return 0
