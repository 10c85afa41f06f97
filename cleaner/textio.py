"""Bytes in and out: encodings, byte-order marks, gzip, atomic rewrites and finding files.

Everything that can go wrong with input is turned into an ``InputError`` naming the file (and
the line where there is one) here, so the layers above never see a ``UnicodeDecodeError`` or a
half-written file.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import stat
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import CleanerError

BINARY_SNIFF = 8192
TEXT_SUFFIXES = (".txt", ".text", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
HTML_SUFFIXES = (".html", ".htm")
PARQUET_SUFFIXES = (".parquet",)
DEFAULT_INCLUDE = (
    *(f"*{suffix}{gz}" for suffix in (*TEXT_SUFFIXES, *JSONL_SUFFIXES) for gz in ("", ".gz")),
    *(f"*{suffix}" for suffix in PARQUET_SUFFIXES),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


class InputError(CleanerError):
    """Input that cannot be read as asked: the message starts with ``path`` or ``path:line``."""


@dataclass(frozen=True, slots=True)
class Encoding:
    """How a file's text was stored, so a fix writes it back the same way."""

    codec: str = "utf-8"
    bom: bytes = b""


def decode(raw: bytes, path: str, codec: str = "utf-8") -> tuple[str, Encoding]:
    """Decode a whole file, keeping its BOM aside; refuse binary data and bad bytes clearly."""
    for bom, bom_codec in _BOMS:
        if raw.startswith(bom):
            body, encoding = raw[len(bom) :], Encoding(bom_codec, bom)
            break
    else:
        body, encoding = raw, Encoding(codec)
        nul = body.find(b"\x00", 0, BINARY_SNIFF)
        if nul >= 0 and not codec.startswith("utf-16"):
            raise InputError(f"{path}: binary file (NUL byte at offset {nul}); not cleaned")
    try:
        return body.decode(encoding.codec), encoding
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{path}:{line}: invalid {encoding.codec} (byte 0x{body[exc.start]:02x} at offset "
            f"{exc.start + len(encoding.bom)}); pass --encoding if the file is not "
            f"{encoding.codec}"
        ) from exc
    except LookupError as exc:
        raise InputError(f"{path}: unknown encoding {encoding.codec!r}") from exc


def encode(text: str, encoding: Encoding, path: str) -> bytes:
    """Encode text the way it came in (same codec, same BOM)."""
    try:
        return encoding.bom + text.encode(encoding.codec)
    except UnicodeEncodeError as exc:
        raise InputError(f"{path}: cannot write back as {encoding.codec}: {exc.reason}") from exc


def is_gzip(path: str) -> bool:
    """Whether a path names a gzip file (read and written transparently)."""
    return path.endswith(".gz")


def read_file(path: str) -> bytes:
    """Read a whole file, decompressing ``.gz``; a truncated archive is an input error."""
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if not is_gzip(path):
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(f"{path}: truncated or corrupt gzip file ({exc})") from exc


def iter_lines(path: str, opener: Callable[[], Iterable[bytes]] | None = None) -> Iterator[bytes]:
    """Stream a file's lines (with their endings) in constant memory, gzip included."""
    try:
        if opener is not None:
            yield from opener()
            return
        handle = gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")  # noqa: SIM115
        with handle:
            yield from handle
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(f"{path}: truncated or corrupt gzip file ({exc})") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def check_writable(path: str) -> os.stat_result:
    """Refuse to fix a read-only file (even as root, where rename would quietly succeed).

    Also refuses a file with more than one hard link: the fix is a new file renamed over the
    old name, which would leave the other names holding the old text, silently split from
    this one.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot stat: {exc.strerror or exc}") from exc
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise InputError(f"{path}: file is read-only; not fixed")
    if info.st_nlink > 1:
        raise InputError(f"{path}: file has {info.st_nlink} hard links, which a fix (a new file "
                         "renamed over this name) would split from it; not fixed")
    return info


def content_digest(chunks: Iterable[bytes]) -> bytes:
    """A digest of a file's content (as read: ``.gz`` decompressed), to notice a change."""
    digest = hashlib.blake2b(digest_size=16)
    for chunk in chunks:
        digest.update(chunk)
    return digest.digest()


def file_digest(path: str) -> bytes:
    """``content_digest`` of the file as it is on disk now, streamed."""
    return content_digest(iter_lines(path))


class AtomicWriter:
    """Write a replacement beside the target, then rename it over the target in one step.

    Readers see the old file or the new one, never half of one; on any failure the temporary
    file goes and the original stays untouched. ``.gz`` targets are written compressed.

    A symbolic link is written through: the temporary file goes beside the file the link
    points to and replaces that file, so the link stays a link. The file's permission bits
    (and, where allowed, owner and group) are kept. With ``expected`` (the ``content_digest``
    of what was read and cleaned), the commit refuses to replace a file whose content changed
    since: someone else's edit is not overwritten with a fix of the old text.
    """

    def __init__(self, path: str, expected: bytes | None = None) -> None:
        self.path = path
        self.expected = expected
        # The file itself, through any chain of links: what gets replaced.
        self.target = os.path.realpath(path)
        info = check_writable(self.target)
        self.mode = stat.S_IMODE(info.st_mode)
        self.owner = (info.st_uid, info.st_gid)
        target = Path(self.target)
        try:
            fd, self.tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                            suffix=".tmp")
        except OSError as exc:
            raise InputError(f"{path}: cannot write a fix beside {self.target}: "
                             f"{exc.strerror or exc}; not fixed") from exc
        raw = os.fdopen(fd, "wb")
        self._raw = raw
        self.handle = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if is_gzip(path) else raw

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        """Flush, sync and rename over the original, keeping its permissions."""
        try:
            if self.handle is not self._raw:
                self.handle.close()
            self._raw.flush()
            os.fsync(self._raw.fileno())
            self._raw.close()
            os.chmod(self.tmp, self.mode)
            if (os.getuid(), os.getgid()) != self.owner:
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.chown(self.tmp, *self.owner)
            self._check_unchanged()
            os.replace(self.tmp, self.target)
        except OSError as exc:
            self.abort()
            raise InputError(f"{self.path}: cannot write fix: {exc.strerror or exc}") from exc
        except InputError:
            self.abort()
            raise

    def _check_unchanged(self) -> None:
        """Refuse if the file no longer holds what was read (edited while being cleaned).

        What remains is the moment between this look and the rename.
        """
        if self.expected is None:
            return
        try:
            changed = file_digest(self.target) != self.expected
        except InputError as exc:
            raise InputError(f"{self.path}: changed while being cleaned ({exc}); not fixed") \
                from exc
        if changed:
            raise InputError(f"{self.path}: changed on disk while being cleaned; not fixed "
                             "(run again to clean the new content)")

    def abort(self) -> None:
        """Drop the temporary file; the original is left as it was."""
        with contextlib.suppress(OSError):
            self.handle.close()
        with contextlib.suppress(OSError):
            self._raw.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.tmp)


def write_atomic(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Replace ``path``'s content with ``data`` atomically (see ``AtomicWriter``)."""
    writer = AtomicWriter(path, expected)
    try:
        writer.write(data)
    except BaseException:
        writer.abort()
        raise
    writer.commit()


def detect_format(path: str, forced: str | None) -> str:
    """``--format`` if given, else from the extension (``.gz`` looked through); text by default."""
    if forced:
        return forced
    name = path[:-3] if is_gzip(path) else path
    name = name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(PARQUET_SUFFIXES) and not is_gzip(path):  # compressed inside already
        return "parquet"
    return "text"


def discover(
    paths: Iterable[str], include: Iterable[str], excluded: Callable[[str], bool]
) -> Iterator[str]:
    """Expand directories recursively (sorted, so runs are reproducible) into matching files.

    Files named explicitly are always taken (unless excluded), whatever their extension, the
    way linters treat explicit arguments; directory walks take only ``include`` globs.
    """
    import fnmatch

    patterns = tuple(include)
    for path in paths:
        if path == "-":
            yield path
            continue
        if excluded(path):
            continue
        if not os.path.isdir(path):
            yield path
            continue
        for directory, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(
                d for d in dirnames
                if not d.startswith(".") and not excluded(os.path.join(directory, d))
            )
            for name in sorted(filenames):
                full = os.path.normpath(os.path.join(directory, name))
                if any(fnmatch.fnmatch(name, p) for p in patterns) and not excluded(full):
                    yield full
