"""The optional compiled line table (issue 15): built when it can be, skipped when it cannot.

Everything else about the package is declared in pyproject.toml; this file exists only because
an extension whose build may fail needs a ``build_ext`` that forgives the failure. Without a C
compiler (or without Cython) the install still succeeds and ``cleaner`` runs its pure-Python
reference path, which gives the same results more slowly; the build says so once on stderr and
``cleaner.accelerated`` is False at run time.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

WARNING = (
    "WARNING: cleaner's compiled line table (cleaner._linetable) was not built ({why}); "
    "cleaner will run its pure-Python path, with the same results, more slowly. "
    "Install a C compiler and Cython, then reinstall, to build it."
)


class OptionalBuildExt(build_ext):
    """A ``build_ext`` whose failure is a warning, not a failed install."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no compiler, a broken toolchain
            _warn(exc)

    def build_extension(self, ext: Any) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            # An extension an earlier build left in build/lib would otherwise go into the
            # wheel as if this build had made it (pip builds a source directory in place).
            stale = Path(self.get_ext_fullpath(ext.name))
            if stale.exists():
                stale.unlink()
            _warn(exc)


def _warn(exc: BaseException) -> None:
    print(WARNING.format(why=f"{type(exc).__name__}: {exc}".strip()), file=sys.stderr)


def _extensions() -> list[Extension]:
    try:
        from Cython.Build import cythonize
    except ImportError as exc:
        _warn(exc)
        return []
    try:
        return list(cythonize(
            [Extension("cleaner._linetable", ["cleaner/_linetable.pyx"])],
            compiler_directives={"language_level": "3"},
            quiet=True,
        ))
    except Exception as exc:  # a Cython error: still install the pure path
        _warn(exc)
        return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
