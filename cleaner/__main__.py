"""``python -m cleaner``: the same as the ``clean`` command."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
