# mypy: allow-untyped-defs, allow-untyped-calls, allow-incomplete-defs
"""Every rule's examples (rules/*.toml: examples.remove / examples.keep) run as tests."""

from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.examples import check_rule
from cleaner.packs import builtin_pack_paths, load_packs

RULES = load_packs(builtin_pack_paths(), trusted=True)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_examples(rule):
    assert rule.remove, f"{rule.code} has no examples to remove"
    assert rule.keep, f"{rule.code} has no examples to keep"
    failures = check_rule(rule)
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_is_documented(rule):
    assert rule.description and "\n" not in rule.description
    assert rule.why, f"{rule.code} needs a 'why' for `clean explain`"


def test_codes_are_unique_and_prefixed_by_category():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    prefixes: dict[str, set[str]] = {}
    for rule in RULES:
        prefixes.setdefault(rule.code[:3], set()).add(rule.category)
    assert all(len(categories) == 1 for categories in prefixes.values()), prefixes


def test_check_rule_reports_a_broken_example(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text(
        "[[rule]]\ncode = 'USR001'\nname = 'x'\ncategory = 'x'\ndescription = 'd'\n"
        "kind = 'line'\npattern = '^Foo$'\n"
        "examples.remove = ['Bar']\nexamples.keep = ['Foo']\n",
        encoding="utf-8",
    )
    cleaner = Cleaner(rule_files=[pack], select=["USR001"])
    (rule,) = cleaner.rules
    failures = check_rule(rule, rule_files=[pack])
    assert [f.example.text for f in failures] == ["Bar", "Foo"]
    assert "mine.toml:1: USR001 should remove 'Bar'" in str(failures[0])
