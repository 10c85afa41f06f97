# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
from __future__ import annotations

import os
from pathlib import Path

import pytest

from cleaner import Cleaner

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SEED = CORPUS / "seed" / "000_72fe2c800ecb310f.txt"
SEED_GOLD = CORPUS / "seed" / "000_72fe2c800ecb310f.gold.txt"
SHARED = Path(os.environ.get("CLEANER_SHARED", REPO.parent / "shared"))
ZYTE = SHARED / "bench" / "zyte"


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")
