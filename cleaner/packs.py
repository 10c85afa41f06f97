"""Reading rule packs: TOML files of ``[[rule]]`` tables, checked before any rule runs.

Validation happens here, once, with messages that point at ``file:line``: a rule file written by
a user is input like any other, and a typo in it must not surface as a traceback halfway through
a ten-hour job.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import regex

from .errors import RuleError, SelectionError
from .rule import DEFAULT_ZONE_SIZE, Example, Rule, Zone

CODE_RE = regex.compile(r"^[A-Z]{2,4}[0-9]{3}$")
NAME_RE = regex.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
DEFINE_RE = regex.compile(r"\$\{([a-z_][a-z0-9_]*)\}")
HEADER_RE = regex.compile(r"^[ \t]*\[\[[ \t]*rule[ \t]*\]\]", regex.MULTILINE)

COMMON_KEYS = frozenset(
    {"code", "name", "category", "description", "kind", "why", "aliases", "zone", "zone_size",
     "examples"}
)


def builtin_pack_dir() -> Path:
    """Find the packs shipped with cleaner.

    A wheel installs them as ``cleaner/_rules/`` (pyproject maps the top-level ``rules/`` there);
    a source checkout or editable install reads ``rules/`` beside the package.
    """
    package = Path(__file__).resolve().parent
    installed = package / "_rules"
    return installed if installed.is_dir() else package.parent / "rules"


def builtin_pack_paths() -> list[Path]:
    """List the built-in packs in a stable order (by file name)."""
    return sorted(builtin_pack_dir().glob("*.toml"))


def load_packs(paths: Iterable[Path | str], *, trusted: bool) -> list[Rule]:
    """Read every pack in ``paths``; refuse a code defined twice, naming both places."""
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path in paths:
        for rule in load_pack(Path(path), trusted=trusted):
            for code in (rule.code, *rule.aliases):
                if code in seen:
                    raise RuleError(
                        f"{rule.where}: code {code} is already used by {seen[code].where}"
                    )
                seen[code] = rule
            rules.append(rule)
    return rules


def load_pack(path: Path, *, trusted: bool) -> list[Rule]:
    """Read one pack; ``trusted`` packs (our own) run without the regex timeout guard."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path}: rule file is not UTF-8 (byte {exc.start})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: invalid TOML: {exc}") from exc
    unknown = set(data) - {"rule", "define"}
    if unknown:
        raise RuleError(f"{path}:1: unknown top-level key(s): {', '.join(sorted(unknown))}")
    defines = _resolve_defines(data.get("define", {}), str(path))
    tables = data.get("rule", [])
    if not isinstance(tables, list):
        raise RuleError(f"{path}: 'rule' must be an array of tables ([[rule]])")
    header_lines = [text.count("\n", 0, m.start()) + 1 for m in HEADER_RE.finditer(text)]
    rules = []
    for number, table in enumerate(tables):
        line = header_lines[number] if number < len(header_lines) else 1
        rules.append(_rule_from_table(table, defines, str(path), line, trusted))
    return rules


def _rule_from_table(
    table: Mapping[str, Any], defines: Mapping[str, str], source: str, line: int, trusted: bool
) -> Rule:
    where = f"{source}:{line}"

    def need_str(key: str) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise RuleError(f"{where}: rule {table.get('code', '?')}: '{key}' must be a string")
        return value.strip()

    code = need_str("code")
    if not CODE_RE.match(code):
        raise RuleError(f"{where}: code {code!r} must be 2-4 capitals and 3 digits, like SRC001")
    name = need_str("name")
    if not NAME_RE.match(name):
        raise RuleError(f"{where}: rule {code}: name {name!r} must be kebab-case")
    description = need_str("description")
    if "\n" in description:
        raise RuleError(f"{where}: rule {code}: 'description' must be one line")
    aliases = table.get("aliases", [])
    if not isinstance(aliases, list) or not all(
        isinstance(a, str) and CODE_RE.match(a) for a in aliases
    ):
        raise RuleError(f"{where}: rule {code}: 'aliases' must be a list of codes")
    zone_name = table.get("zone", "anywhere")
    if zone_name not in DEFAULT_ZONE_SIZE:
        raise RuleError(f"{where}: rule {code}: 'zone' must be head, tail or anywhere")
    zone_size = table.get("zone_size", DEFAULT_ZONE_SIZE[zone_name])
    if not isinstance(zone_size, int) or zone_size < 0:
        raise RuleError(f"{where}: rule {code}: 'zone_size' must be a non-negative integer")
    params = {
        key: _substitute(value, defines, where, code, key)
        for key, value in table.items()
        if key not in COMMON_KEYS
    }
    remove, keep, example_with = _examples(table.get("examples", {}), where, code)
    why = table.get("why", "")
    if not isinstance(why, str):
        raise RuleError(f"{where}: rule {code}: 'why' must be a string")
    return Rule(
        code=code,
        name=name,
        category=need_str("category"),
        description=description,
        kind=need_str("kind"),
        params=params,
        source=source,
        line=line,
        why=why.strip(),
        aliases=tuple(aliases),
        remove=remove,
        keep=keep,
        example_with=example_with,
        trusted=trusted,
        zone=Zone(zone_name, zone_size),
    )


def _resolve_defines(raw: Any, where: str) -> dict[str, str]:
    """Expand defines in file order, so a define may use those written above it."""
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise RuleError(f"{where}: [define] must map names to pattern strings")
    resolved: dict[str, str] = {}
    for name, value in raw.items():
        resolved[name] = _substitute(value, resolved, where, "[define]", name)
    return resolved


def _substitute(value: Any, defines: Mapping[str, str], where: str, code: str, key: str) -> Any:
    """Expand ``${name}`` from the pack's ``[define]`` table, so shared sub-patterns live once."""
    if isinstance(value, list):
        return [_substitute(v, defines, where, code, key) for v in value]
    if isinstance(value, dict):  # a table inside a rule (``[[rule.parts]]``)
        return {k: _substitute(v, defines, where, code, f"{key}.{k}") for k, v in value.items()}
    if not isinstance(value, str):
        return value

    def expand(match: regex.Match[str]) -> str:
        name = match.group(1)
        if name not in defines:
            raise RuleError(f"{where}: rule {code}: '{key}' uses undefined ${{{name}}}")
        return defines[name]

    return DEFINE_RE.sub(expand, value)


def _examples(
    examples: Any, where: str, code: str
) -> tuple[tuple[Example, ...], tuple[Example, ...], tuple[str, ...]]:
    if not isinstance(examples, dict) or set(examples) - {"remove", "keep", "with"}:
        raise RuleError(
            f"{where}: rule {code}: 'examples' takes only 'remove' and 'keep' lists and "
            "'with' (codes of rules to run beside it)"
        )
    with_ = examples.get("with", [])
    if not isinstance(with_, list) or not all(isinstance(c, str) for c in with_):
        raise RuleError(f"{where}: rule {code}: 'examples.with' must be a list of rule codes")
    return (
        tuple(_example(e, where, code, removing=True) for e in examples.get("remove", [])),
        tuple(_example(e, where, code, removing=False) for e in examples.get("keep", [])),
        tuple(with_),
    )


def _example(value: Any, where: str, code: str, *, removing: bool) -> Example:
    """Accept a bare string (one line, removed whole) or ``{text, lines}`` for context cases."""
    if isinstance(value, str):
        return Example(value, (1,) if removing else ())
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        lines = value.get("lines", [])
        if not isinstance(lines, list) or not all(isinstance(n, int) for n in lines):
            raise RuleError(f"{where}: rule {code}: example 'lines' must be line numbers")
        if removing and not lines:
            raise RuleError(f"{where}: rule {code}: a 'remove' example needs 'lines'")
        return Example(value["text"], tuple(lines))
    raise RuleError(
        f"{where}: rule {code}: an example is a string or {{text = ..., lines = [...]}}"
    )


def select_rules(
    rules: Sequence[Rule], select: Iterable[str] | None, ignore: Iterable[str] | None
) -> list[Rule]:
    """Apply ruff-style selection: codes or code prefixes, aliases included, ``ALL`` for all.

    A selector matching nothing is an error rather than a silent no-op: a typo in ``--ignore``
    would otherwise leave a rule on that the user believes is off.
    """
    def matches(rule: Rule, selector: str) -> bool:
        sel = selector.strip().upper()
        return sel == "ALL" or any(c.startswith(sel) for c in (rule.code, *rule.aliases)) or (
            selector.strip().lower() in (rule.name, rule.category)
        )

    def check(selectors: list[str]) -> None:
        for selector in selectors:
            if not any(matches(rule, selector) for rule in rules):
                raise SelectionError(f"no rule matches {selector!r}")

    chosen = list(rules)
    if select is not None:
        wanted = list(select)
        check(wanted)
        chosen = [r for r in chosen if any(matches(r, s) for s in wanted)]
    if ignore is not None:
        unwanted = list(ignore)
        check(unwanted)
        chosen = [r for r in chosen if not any(matches(r, s) for s in unwanted)]
    return chosen
