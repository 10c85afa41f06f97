"""The errors cleaner raises on purpose, each carrying where the problem is.

A data pipeline over millions of records is debugged from its log: every message names the file
and line (of a rule pack, a config or an input) so nobody has to bisect a shard to find it.
"""

from __future__ import annotations


class CleanerError(Exception):
    """Base class: anything cleaner reports as the user's to fix, not as a crash."""


class RuleError(CleanerError):
    """A rule pack or a rule in it is malformed; the message starts with ``file:line``."""


class SelectionError(CleanerError):
    """``select`` / ``ignore`` named a code or prefix that matches no rule."""
