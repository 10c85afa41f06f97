# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""The hooks in .pre-commit-hooks.yaml, run by pre-commit itself against this repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SEED, SEED_GOLD, read

PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
pytestmark = pytest.mark.skipif(
    not Path(PRE_COMMIT).exists() or not (REPO / ".git").exists(),
    reason="pre-commit or a git checkout of this repo is not available",
)


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def corpus_repo(tmp_path):
    repo = tmp_path / "corpus"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "user.name", "test")
    return repo


def try_repo(repo, home, hook, *files):
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(REPO), hook, "--files", *files],
        cwd=repo, capture_output=True, text=True, check=False,
        env={"PRE_COMMIT_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home)},
    )


def test_check_hook_fails_on_cruft_passes_clean_and_fix_hook_repairs(corpus_repo, tmp_path):
    home = tmp_path / "pre-commit-home"
    (corpus_repo / "dirty.txt").write_text(read(SEED), encoding="utf-8")
    (corpus_repo / "clean.txt").write_text(read(SEED_GOLD), encoding="utf-8")
    git(corpus_repo, "add", "dirty.txt", "clean.txt")

    failed = try_repo(corpus_repo, home, "cleaner-check", "dirty.txt")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "dirty.txt:58:1: TAG001" in failed.stdout

    passed = try_repo(corpus_repo, home, "cleaner-check", "clean.txt")
    assert passed.returncode == 0, passed.stdout + passed.stderr

    fixed = try_repo(corpus_repo, home, "cleaner-fix", "dirty.txt")
    assert fixed.returncode == 1, fixed.stdout  # a fixer fails the commit by changing files
    assert "files were modified by this hook" in fixed.stdout
    assert (corpus_repo / "dirty.txt").read_text(encoding="utf-8") == read(SEED_GOLD)

    git(corpus_repo, "add", "dirty.txt")
    again = try_repo(corpus_repo, home, "cleaner-check", "dirty.txt", "clean.txt")
    assert again.returncode == 0, again.stdout
