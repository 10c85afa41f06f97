# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""`pip install .` ships the packs of rules/ inside the wheel, and cleaner finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO, SEED, SEED_GOLD, read

import cleaner
from cleaner.packs import builtin_pack_dir


def test_wheel_ships_every_rule_pack(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
         str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("cleaner-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = {f"cleaner/_rules/{p.name}" for p in (REPO / "rules").glob("*.toml")}
    assert packs and packs <= names


def test_installed_package_finds_its_packs():
    where = builtin_pack_dir()
    if Path(cleaner.__file__).resolve().parent == REPO / "cleaner":
        # running from the source tree (editable install): packs come from rules/
        assert where == REPO / "rules" or where.resolve() == (REPO / "rules").resolve()
    else:
        # a regular install (CI): packs come from inside the installed package
        assert where.parent == Path(cleaner.__file__).resolve().parent
    assert sorted(where.glob("*.toml"))


def test_clean_command_runs_outside_the_repo(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", str(SEED)], cwd=tmp_path, capture_output=True,
        text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == read(SEED_GOLD)
