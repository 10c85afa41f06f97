"""One settings object for library and CLI, and where it comes from: config file, then flags.

The CLI never hands an argparse namespace further down; it builds ``Settings``, and everything
below works from that (trafilatura's habit). Config lives in ``[tool.cleaner]`` of
``pyproject.toml`` or at the top level of ``.cleaner.toml``, the nearest one walking up from the
working directory, so a corpus repository configures its linter once.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import regex

from .engine import Cleaner
from .errors import CleanerError


class ConfigError(CleanerError):
    """A config file is malformed; the message names the file and the key (and its line)."""


CONFIG_KEYS = frozenset(
    {"select", "ignore", "extend-rules", "per-file-ignores", "exclude", "keep-captions"}
)


@dataclass(frozen=True)
class Settings:
    """Everything that decides what gets cleaned and how, independent of any one run."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    rule_files: tuple[str, ...] = ()
    keep_captions: bool = False
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    config_path: str | None = None
    root: str = "."
    profile: str | None = None

    def cleaner_for(self, path: str | None) -> Cleaner:
        """The cleaner for one file: the global selection plus that file's per-file ignores."""
        extra = self.ignores_for(path) if path else ()
        return cached_cleaner(
            self.select, tuple(dict.fromkeys((*self.ignore, *extra))), self.rule_files,
            self.keep_captions, self.profile,
        )

    def ignores_for(self, path: str) -> tuple[str, ...]:
        """Codes ignored for ``path`` by ``per-file-ignores`` globs (relative to the config)."""
        relative = relative_posix(path, self.root)
        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores:
            if glob_match(relative, pattern):
                codes.extend(ignored)
        return tuple(codes)

    def excluded(self, path: str) -> bool:
        """Whether ``path`` matches an ``exclude`` glob (by relative path or by any part)."""
        relative = relative_posix(path, self.root)
        return any(glob_match(relative, pattern) for pattern in self.exclude)


_CLEANERS: dict[tuple[Any, ...], Cleaner] = {}


def cached_cleaner(
    select: tuple[str, ...] | None, ignore: tuple[str, ...], rule_files: tuple[str, ...],
    keep_captions: bool, profile: str | None = None,
) -> Cleaner:
    """Compile each distinct rule selection once per process."""
    key = (select, ignore, rule_files, keep_captions, profile)
    cleaner = _CLEANERS.get(key)
    if cleaner is None:
        cleaner = Cleaner(select=select, ignore=ignore or None, rule_files=rule_files,
                          keep_captions=keep_captions, profile=profile)
        _CLEANERS[key] = cleaner
    return cleaner


def relative_posix(path: str, root: str) -> str:
    """``path`` relative to ``root`` in POSIX form, or as given when it lies elsewhere."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return PurePosixPath(Path(path).as_posix()).as_posix()


def glob_match(relative: str, pattern: str) -> bool:
    """Match like ruff: the whole relative path, its file name, or any directory part."""
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern + "/*"):
        return True
    parts = relative.split("/")
    return any(fnmatch.fnmatch(part, pattern) for part in parts)


def find_config(start: Path) -> Path | None:
    """The nearest ``.cleaner.toml`` or ``pyproject.toml`` with ``[tool.cleaner]``, walking up."""
    for directory in (start.resolve(), *start.resolve().parents):
        dotfile = directory / ".cleaner.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
                raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from exc
            if "cleaner" in data.get("tool", {}):
                return pyproject
    return None


def load_settings(config: Path | None) -> Settings:
    """Read a config file into ``Settings``; every mistake names the file, key and line."""
    if config is None:
        return Settings()
    try:
        text = config.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{config}: cannot read config: {exc.strerror or exc}") from exc
    table = data.get("tool", {}).get("cleaner", {}) if config.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{config}: [tool.cleaner] must be a table")
    return _settings_from_table(table, config, text)


def _settings_from_table(table: Mapping[str, Any], config: Path, text: str) -> Settings:
    def where(key: str) -> str:
        found = regex.search(rf"(?m)^[ \t]*\"?{regex.escape(key)}\"?[ \t]*=", text)
        line = text.count("\n", 0, found.start()) + 1 if found else 1
        return f"{config}:{line}: '{key}'"

    unknown = set(table) - CONFIG_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(
            f"{where(key)}: unknown key (known: {', '.join(sorted(CONFIG_KEYS))})"
        )

    def strings(key: str) -> tuple[str, ...] | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where(key)}: must be a list of strings")
        return tuple(value)

    base = config.parent
    keep = table.get("keep-captions", False)
    if not isinstance(keep, bool):
        raise ConfigError(f"{where('keep-captions')}: must be true or false")
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict) or not all(
        isinstance(v, list) and all(isinstance(c, str) for c in v) for v in per_file.values()
    ):
        raise ConfigError(f"{where('per-file-ignores')}: must map globs to lists of codes")
    rule_files = tuple(str(base / p) for p in strings("extend-rules") or ())
    return Settings(
        select=strings("select"),
        ignore=strings("ignore") or (),
        rule_files=rule_files,
        keep_captions=keep,
        per_file_ignores=tuple((k, tuple(v)) for k, v in per_file.items()),
        exclude=strings("exclude") or (),
        config_path=str(config),
        root=str(base),
    )


@dataclass(frozen=True)
class Overrides:
    """Command-line flags, applied on top of the config file.

    ``select`` replaces the file's selection, ``extend_select`` adds to it, ``ignore`` adds to
    the file's ignores (an ignore never silently drops away), ``rule_files`` add packs.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rule_files: tuple[str, ...] = ()
    keep_captions: bool | None = None
    exclude: tuple[str, ...] = field(default_factory=tuple)
    profile: str | None = None


def merge(settings: Settings, flags: Overrides) -> Settings:
    """Apply command-line flags on top of the file's settings."""
    select = flags.select if flags.select is not None else settings.select
    if flags.extend_select and select is not None:
        select = (*select, *flags.extend_select)
    return replace(
        settings,
        select=select,
        ignore=(*settings.ignore, *flags.ignore),
        rule_files=(*settings.rule_files, *flags.rule_files),
        keep_captions=(
            settings.keep_captions if flags.keep_captions is None else flags.keep_captions
        ),
        exclude=(*settings.exclude, *flags.exclude),
        profile=flags.profile or settings.profile,
    )
