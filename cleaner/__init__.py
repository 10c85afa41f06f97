"""cleaner: strip boilerplate and syndication noise from scraped articles.

``clean(text)`` uses every built-in rule; ``Cleaner(...)`` compiles a chosen rule set once for
reuse across many documents; ``clean_html(page)`` extracts
and cleans the article of an HTML page. Both return a ``CleanResult`` that says what went and why.
``accelerated`` says whether the compiled line table was built and loaded (``cleaner.accel``).
"""

from __future__ import annotations

from .accel import ACCELERATED as accelerated
from .budget import (
    Budget,
    BudgetExceeded,
    DocumentTimeout,
    DocumentTooLarge,
    clean_html_within,
    clean_within,
)
from .engine import Cleaner, clean
from .errors import CleanerError, RuleError, SelectionError
from .html import clean_html
from .result import CleanResult, Removal, replay

__all__ = [
    "Budget",
    "BudgetExceeded",
    "CleanResult",
    "Cleaner",
    "CleanerError",
    "DocumentTimeout",
    "DocumentTooLarge",
    "Removal",
    "RuleError",
    "SelectionError",
    "accelerated",
    "clean",
    "clean_html",
    "clean_html_within",
    "clean_within",
    "replay",
]
__version__ = "0.1.0"
