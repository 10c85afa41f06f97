"""Running a rule's own examples: the contract that keeps every rule honest.

Each rule in a pack carries documents it must clean (with the lines it must remove) and
documents it must leave alone. The test suite runs them for the built-in packs; ``clean rules
--check`` runs them for a user's own rule files, so extending cleaner needs no Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .engine import Cleaner
from .rule import Example, Rule


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """One example whose outcome differs from what the rule file promises."""

    rule: Rule
    example: Example
    expected: tuple[int, ...]
    got: tuple[int, ...]

    def __str__(self) -> str:
        text = self.example.text if len(self.example.text) < 80 else self.example.text[:77] + "..."
        verb = "remove" if self.expected else "keep"
        return (
            f"{self.rule.where}: {self.rule.code} should {verb} {text!r}: expected lines "
            f"{list(self.expected)}, removed {list(self.got)}"
        )


def check_rule(rule: Rule, rule_files: Iterable[Path | str] = ()) -> list[ExampleFailure]:
    """Run ``rule`` over its examples; return what did not go as written.

    The rule runs alone, or beside the rules its ``examples.with`` names (a kind that judges
    what other rules removed needs them); only its own removals are compared.
    """
    cleaner = Cleaner(select=[rule.code, *rule.example_with], rule_files=rule_files)
    failures = []
    for example in (*rule.remove, *rule.keep):
        expected = tuple(sorted(example.lines or ()))
        got = tuple(
            sorted(r.line for r in cleaner.clean(example.text).removed if r.rule == rule.code)
        )
        if got != expected:
            failures.append(ExampleFailure(rule, example, expected, got))
    return failures
