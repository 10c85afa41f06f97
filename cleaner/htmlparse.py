"""HTML bytes to an lxml tree, bounded in time whatever the page: encoding, hostile markup, depth.

Three costs used to grow without bound here. Encoding detection: bytes with no usable charset
went to chardet (through UnicodeDammit) over the whole page, about 1.2 s for 67 KB; now a
cheap single-byte guess comes first and the detector only sees a prefix. Attributes: libxml2
checks each attribute of a tag against the others, so one tag with 100,000 attributes took
over 20 s to parse; such tags lose their attributes (all but the few the structure signals
read) before parsing. Depth: libxml2 stops at 256 levels (2,048 with ``huge_tree``) and drops
the rest of the page; the parse reports that, and the caller falls back to the page's text.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser as _StdlibParser

import regex
from lxml import etree

from .htmlbalance import close_blocks

_CHARSET = regex.compile(rb"""(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""")
# Up to the first ">", not "?>": a declaration left unclosed (seen with a keyword list pasted
# into its encoding) would otherwise stay, and lxml refuses text that declares an encoding.
_XML_DECL = regex.compile(r"^\s*<\?xml[^>]*>")
# The page's <title> start tag, looked for in the first TITLE_WITHIN characters, and what may
# end its text: the first thing after it that looks like a tag.
TITLE_WITHIN = 65_536
_TITLE_OPEN = re.compile(r"<title\b[^<>]*>", re.IGNORECASE)
_TAG_START = re.compile(r"<[A-Za-z/!]")
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
# A tag whose inside runs this long is looked at for its attribute count. The scan stops at
# the first "<" or ">", so each tag start costs at most this many characters.
LONG_TAG_CHARS = 2000
# More attributes than this and a tag keeps only the ones the structure signals read.
MAX_ATTRIBUTES = 200
# The stdlib engine: this simple scan runs at over 300 MB/s there, about 3x ``regex``.
# No group on the tag name: the backtracking into it tripled the cost on ordinary pages.
_LONG_TAG = re.compile(rf"<[A-Za-z][^<>]{{{LONG_TAG_CHARS}}}")
_TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)")
_KEPT_ATTRIBUTE = regex.compile(
    r"""(?i)(?<=\s)(?:class|id|style|role|hidden|aria-hidden)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+)"""
)
# Of bytes that are not UTF-8 and declare nothing usable, a page with at most this share of
# non-ASCII bytes is taken as cp1252 (Western text with a few accented letters); more than that
# looks like a multi-byte legacy encoding, which the detector is asked about.
SINGLE_BYTE_SHARE = 0.1
# The slow detector sees this much of the page at most.
DETECT_PREFIX = 8_192
_ASCII = bytes(range(128))


def decode_html(data: bytes) -> str:
    """Bytes to text: BOM, strict UTF-8, the declared charset, a cp1252 guess, then a detector.

    UTF-8 goes before the declared charset because text that decodes as UTF-8 almost never
    was meant as anything else, while pages declaring latin-1 over UTF-8 bytes are common, and
    a single-byte charset decodes any bytes at all (into mojibake). The detector (chardet via
    UnicodeDammit) reads only a prefix: it is the one step whose cost grows with the page.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff")
    candidates = ["utf-8"]
    declared = _CHARSET.search(data[:4096])
    if declared:
        candidates.append(declared.group(1).decode("ascii", "replace"))
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    non_ascii = len(data.translate(None, _ASCII))  # what is left once ASCII is deleted
    if non_ascii <= SINGLE_BYTE_SHARE * len(data):
        return data.decode("cp1252", errors="replace")
    from bs4.dammit import UnicodeDammit  # only for the hard cases: it is slow

    # A prefix may end inside a multi-byte character, which strict detectors (charset-
    # normalizer) refuse outright: the cut is moved back a byte at a time, up to three.
    guess = None
    for cut in range(4):
        end = max(1, min(len(data), DETECT_PREFIX) - cut)
        guess = UnicodeDammit(data[:end], is_html=True).original_encoding
        if guess and guess.lower().replace("-", "") not in ("utf8", "ascii"):
            break
    try:
        return data.decode(guess or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def strip_attribute_floods(text: str) -> str:
    """Tags with more than ``MAX_ATTRIBUTES`` attributes keep only class, id, style and role.

    Only tags longer than ``LONG_TAG_CHARS`` are counted, so ordinary pages (long tags there
    are data URIs and JSON in data attributes, with few "=") come back unchanged and unread
    past the scan.
    """
    pieces: list[str] = []
    last = 0
    for match in _LONG_TAG.finditer(text):
        start = match.start()
        end = text.find(">", match.end())
        if start < last or end < 0 or text.count("=", start, end) <= MAX_ATTRIBUTES:
            continue
        kept = " ".join(_KEPT_ATTRIBUTE.findall(text, start, end))
        name = _TAG_NAME.match(text, start)
        pieces += (text[last:start], f"<{name.group(1) if name else 'span'} {kept}>")
        last = end + 1
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def close_title(text: str) -> str:
    """The page with its ``<title>`` closed before the first tag inside it.

    A title's text is read raw up to ``</title>``: a page whose title lost its end tag (cut
    short or mistyped, ``</titlevalue="true" -->``) becomes one title holding the whole
    document, and no block of it is text (six L3S-GN1 pages, 15-36 KB, parsed to nothing).
    A title holds no markup, so the first tag after its start ends it.
    """
    opened = _TITLE_OPEN.search(text, 0, TITLE_WITHIN)
    if opened is None:
        return text
    tag = _TAG_START.search(text, opened.end())
    if tag is None or _TITLE_CLOSE.match(text, tag.start()):
        return text
    return f"{text[: tag.start()]}</title>{text[tag.start() :]}"


def drop_early_html_end(text: str) -> str:
    """The page without its ``</html>`` end tags when text follows the first one.

    libxml2 (2.14) stops reading at ``</html>``: what follows is dropped, where a browser
    shows it. Pages stitched from several documents (a header include with its own
    ``</html>``, then the story page with its own doctype) lost their article that way (an
    L3S-GN1 page parsed to its weather box). The end tags carry nothing a parser needs.
    """
    end = _HTML_END.search(text)
    if end is None or not text[end.end() :].strip():
        return text
    return _HTML_END.sub("", text)


def prepare(html: str | bytes) -> str:
    """The page as text ready for lxml.

    Decoded, without XML declaration, NUL or attribute flood, its title closed, no
    ``</html>`` before its end, and the end tags libxml2 would ignore made explicit
    (``htmlbalance``).
    """
    text = decode_html(html) if isinstance(html, bytes) else html
    declaration = _XML_DECL.match(text)
    if declaration:
        text = text[declaration.end() :]
    if "\x00" in text:
        text = text.replace("\x00", "")
    return close_blocks(drop_early_html_end(close_title(strip_attribute_floods(text))))


def parse(text: str) -> tuple[etree._Element | None, bool]:
    """The lxml tree of prepared text, and whether the parser cut the page short (depth)."""
    if not text.strip():
        return None, False
    # libxml2's HTML parser as ``lxml.html`` runs it, less its element classes: those are
    # looked up by a Python callback for every element the walk touches (3 % of clean_html),
    # and nothing here uses their methods.
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None, False
    if root is None:  # nothing the parser could build a document from
        return None, False
    cut = any("depth" in entry.message.lower() for entry in parser.error_log)
    return root, cut


class _TextCollector(_StdlibParser):
    """Visible text with a paragraph break at each block tag; no tree, so no depth limit."""

    BREAKS = frozenset({"p", "div", "br", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6",
                        "section", "article", "blockquote", "pre", "table", "ul", "ol", "dd"})
    SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """A ``<![KEYWORD[`` the standard library does not know ends at the next ``>``.

        The stdlib raises ``AssertionError`` for it ("unknown status keyword 'CDATI'"): a
        broken page must not stop the fallback that exists for broken pages (found by
        fuzzing). Browsers read such a section as a bogus comment, up to the next ``>``.
        """
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1


_BLANK_RUN = regex.compile(r"[ \t\r\f\v]*\n\s*\n\s*")
_SPACES = regex.compile(r"[ \t\r\f\v]+")
_TAG = regex.compile(r"<[^<>]{0,2000}>")


def visible_text(text: str) -> str:
    """The page's text without markup, paragraphs split at block tags: the fallback view."""
    collector = _TextCollector()
    try:
        collector.feed(text)
        collector.close()
    except AssertionError:  # the stdlib's other "unexpected char" asserts: strip tags crudely
        collector.parts = [_TAG.sub(" ", text)]
    joined = _SPACES.sub(" ", "".join(collector.parts))
    return _BLANK_RUN.sub("\n\n", joined).strip()
