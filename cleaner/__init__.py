"""cleaner: strip boilerplate and syndication noise from scraped articles.

``clean(text)`` uses every built-in rule; ``Cleaner(...)`` compiles a chosen rule set once for
reuse across many documents. Both return a ``CleanResult`` that says what went and why.
"""

from __future__ import annotations

from .engine import Cleaner, clean
from .errors import CleanerError, RuleError, SelectionError
from .result import CleanResult, Removal, replay

__all__ = [
    "CleanResult",
    "Cleaner",
    "CleanerError",
    "Removal",
    "RuleError",
    "SelectionError",
    "clean",
    "replay",
]
__version__ = "0.1.0"
