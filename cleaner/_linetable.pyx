# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The line table in C: the per-line and per-hit loops of the text path, compiled.

The compiled twin of ``cleaner._linetable_py`` (the reference, which documents the API and
the behaviour this module must reproduce exactly). The gain is in the layout: one pass over
the characters of the text finds every line's bounds and stripped bounds as C integers,
and Python objects are made only for the lines that hold text; trigger hits are mapped to
lines by a binary search over a C array of line starts, their word bounds tested on the raw
bytes, with no Python frame per line or per hit.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.unicode cimport (
    Py_UNICODE_ISSPACE,
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_READ,
)
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from libc.string cimport memcpy, memset


cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(object o)
    unsigned char* PyUnicode_1BYTE_DATA(object o)

# ASCII bytes that belong to a word (letters, digits, '_'), for the '\b' ends of triggers.
cdef bint WORD[256]
memset(WORD, 0, sizeof(WORD))
for _byte in list(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"):
    WORD[<int>_byte] = True

# ASCII lowercasing, the mapping ``str.lower`` makes of an ASCII-only string.
cdef unsigned char LOWER[128]
for _byte in range(128):
    LOWER[_byte] = _byte + 32 if 65 <= _byte <= 90 else _byte


def lowered(list texts):
    """See ``cleaner._linetable_py.lowered``: ASCII texts lowered straight into the bytes."""
    cdef Py_ssize_t count = len(texts), i, j, n, total = 0, at = 0
    cdef list encoded = [None] * count
    cdef list starts = [0] * (count + 1)
    cdef object text, piece
    cdef const unsigned char* source
    cdef char* out
    for i in range(count):
        text = texts[i]
        if PyUnicode_IS_ASCII(text):
            n = len(<str>text)
        else:
            piece = (<str>text).lower().encode("utf-8", "surrogatepass")
            encoded[i] = piece
            n = len(<bytes>piece)
        total += n + 1
    data = PyBytes_FromStringAndSize(NULL, max(total - 1, 0))
    out = PyBytes_AS_STRING(data)
    for i in range(count):
        starts[i] = at
        piece = encoded[i]
        if piece is None:
            text = texts[i]
            source = PyUnicode_1BYTE_DATA(text)
            n = len(<str>text)
            for j in range(n):
                out[at + j] = <char>LOWER[source[j]]
        else:
            n = len(<bytes>piece)
            memcpy(out + at, PyBytes_AS_STRING(piece), n)
        at += n
        if i + 1 < count:
            out[at] = 10  # "\n"
        at += 1
    starts[count] = at
    return data, starts


def parse_lines(str body, str newline, Py_ssize_t base, object block):
    """See ``cleaner._linetable_py.parse_lines``."""
    cdef Py_ssize_t n = len(body)
    cdef int kind = PyUnicode_KIND(body)
    cdef void* data = PyUnicode_DATA(body)
    cdef bint strip_cr = newline == "\r\n"
    cdef Py_UCS4 sep = "\n" if strip_cr else newline[0]
    cdef Py_ssize_t line_start = 0, i, raw_end, s, e, number = 0, index = 0
    cdef bint blank = False, last, final_newline = False
    cdef list blocks = []
    while True:
        i = line_start
        while i < n and PyUnicode_READ(kind, data, i) != sep:
            i += 1
        last = i >= n
        if last and i == line_start and number > 0:  # an empty last piece: the final break
            final_newline = True
            break
        number += 1
        raw_end = i
        if strip_cr and raw_end > line_start and PyUnicode_READ(kind, data, raw_end - 1) == "\r":
            raw_end -= 1
        s = line_start
        e = raw_end
        while s < e and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, s)):
            s += 1
        while e > s and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, e - 1)):
            e -= 1
        if e > s:
            raw = body[line_start:raw_end]
            text = raw if (s == line_start and e == raw_end) else body[s:e]
            blocks.append(block(index, number, s - line_start + 1, base + s, base + e, text,
                                raw, blank))
            index += 1
            blank = False
        elif index:  # a blank line counts once a block stands before it
            blank = True
        if last:
            break
        line_start = i + 1
    return blocks, final_newline


cdef class HitMap:
    """See ``cleaner._linetable_py.HitMap``: the per-pattern columns as C arrays."""

    cdef int* _bounds
    cdef Py_ssize_t* _limits
    cdef int* _tiers
    cdef list _rules
    cdef Py_ssize_t _count

    def __cinit__(self, bounds, limits, tiers, rules):
        cdef Py_ssize_t i, count = len(rules)
        if not (len(bounds) == len(limits) == len(tiers) == count):
            raise ValueError("HitMap: columns of unequal length")
        self._count = count
        self._bounds = <int*>PyMem_Malloc(max(count, 1) * sizeof(int))
        self._limits = <Py_ssize_t*>PyMem_Malloc(max(count, 1) * sizeof(Py_ssize_t))
        self._tiers = <int*>PyMem_Malloc(max(count, 1) * sizeof(int))
        if not self._bounds or not self._limits or not self._tiers:
            raise MemoryError()
        for i in range(count):
            self._bounds[i] = bounds[i]
            self._limits[i] = limits[i]
            self._tiers[i] = tiers[i]
        self._rules = list(rules)

    def __dealloc__(self):
        PyMem_Free(self._bounds)
        PyMem_Free(self._limits)
        PyMem_Free(self._tiers)

    def __reduce__(self):
        bounds = [self._bounds[i] for i in range(self._count)]
        limits = [self._limits[i] for i in range(self._count)]
        tiers = [self._tiers[i] for i in range(self._count)]
        return (HitMap, (bounds, limits, tiers, self._rules))

    def assign(self, matches, bytes data, starts, sizes):
        """See ``cleaner._linetable_py.HitMap.assign``."""
        cdef const unsigned char* raw = data
        cdef Py_ssize_t size = len(data)
        cdef Py_ssize_t lines = len(starts)
        cdef Py_ssize_t* first = <Py_ssize_t*>PyMem_Malloc(max(lines, 1) * sizeof(Py_ssize_t))
        cdef Py_ssize_t* length = <Py_ssize_t*>PyMem_Malloc(max(lines, 1) * sizeof(Py_ssize_t))
        cdef Py_ssize_t i, lo, hi, mid, start, end, text
        cdef int trigger, bound, tier
        cdef dict found = {}
        cdef dict tiers = {}
        cdef set here
        if not first or not length:
            PyMem_Free(first)
            PyMem_Free(length)
            raise MemoryError()
        try:
            for i in range(lines):
                first[i] = starts[i]
            for i in range(len(sizes)):
                length[i] = sizes[i]
            for match in matches:
                trigger, start, end = match
                if trigger < 0 or trigger >= self._count:
                    raise IndexError("HitMap.assign: pattern number out of range")
                bound = self._bounds[trigger]
                if bound and not _at_bounds(data, raw, size, start, end, bound):
                    continue
                # bisect_right(starts, start) - 1
                lo = 0
                hi = lines
                while lo < hi:
                    mid = (lo + hi) >> 1
                    if start < first[mid]:
                        hi = mid
                    else:
                        lo = mid + 1
                text = lo - 1
                if length[text] > self._limits[trigger]:
                    continue
                tier = self._tiers[trigger]
                found_here = found.get(text)
                if found_here is None:
                    found[text] = set(self._rules[trigger])
                    tiers[text] = tier
                else:
                    here = <set>found_here
                    here |= self._rules[trigger]
                    if tier < <int>tiers[text]:
                        tiers[text] = tier
        finally:
            PyMem_Free(first)
            PyMem_Free(length)
        return found, tiers


    @staticmethod
    def spread(dict found, dict tiers, of_line, sizes, list lines, dict fired):
        """See ``cleaner._linetable_py.HitMap.spread``."""
        cdef Py_ssize_t line, count = len(lines)
        cdef bint shared = of_line is not None
        cdef list of = of_line if shared else None
        cdef list hits, bucket
        cdef dict by_tier = {}
        cdef set known
        cdef object text
        if not found:
            return
        if shared:
            hits = []
            for line in range(count):
                if of[line] in found:
                    hits.append(line)
        else:
            hits = list(found)
        for item in hits:
            text = of[<Py_ssize_t>item] if shared else item
            tier = tiers[text]
            bucket_of = by_tier.get(tier)
            if bucket_of is None:
                by_tier[tier] = [item]
            else:
                (<list>bucket_of).append(item)
        key = sizes.__getitem__
        for tier in sorted(by_tier):
            bucket = sorted(by_tier[tier], key=key)
            for item in bucket:
                line = item
                rules_here = found[of[line] if shared else item]
                index = (<object>lines[line]).index
                known_of = fired.get(index)
                if known_of is None:
                    fired[index] = (<set>rules_here).copy() if shared else rules_here
                else:
                    known = <set>known_of
                    known |= rules_here

cdef bint _is_word_at(bytes data, const unsigned char* raw, Py_ssize_t size, Py_ssize_t position,
                      bint backwards) except -1:
    """See ``cleaner._linetable_py._is_word_at``: ASCII from a table, else decoded."""
    cdef unsigned char byte = raw[position]
    cdef Py_ssize_t start, end
    if byte < 0x80:
        return WORD[byte]
    start = position
    if backwards:
        while start > 0 and 0x80 <= raw[start] < 0xC0:
            start -= 1
    end = start + 1
    while end < size and 0x80 <= raw[end] < 0xC0:
        end += 1
    # The rare case, in Python's own terms: the same decode and test as the reference.
    return data[start:end].decode("utf-8", "replace").isalnum()


cdef bint _at_bounds(bytes data, const unsigned char* raw, Py_ssize_t size, Py_ssize_t start,
                     Py_ssize_t end, int bounds) except -1:
    """See ``cleaner._linetable_py._at_bounds``."""
    if bounds & 1 and start > 0 and _is_word_at(data, raw, size, start - 1, True):
        return False
    return not (bounds & 2 and end < size and _is_word_at(data, raw, size, end, False))


_new = tuple.__new__


def line_pass(tries, list live, dict fired, dict claims, dict views, dict verdicts,
              dict outcomes, dict rank, allowed, zoned, only, Py_ssize_t count,
              list warnings, claim, timeout, unseen):
    """See ``cleaner._linetable_py.line_pass``."""
    # ``limit`` stays a Python int: a user rule's ``max_length`` may exceed a C integer.
    cdef Py_ssize_t position, size, shortest
    cdef object limit
    cdef bint timed_out, keep = outcomes is not None, cut = only is not None
    cdef object index, candidates, block, text, view, seen = None, known, ordered, outcome
    cdef object matcher, hit, fast, pair
    key = rank.__getitem__
    for pair in tries:
        index, position = pair
        candidates = fired.get(index)
        if candidates is None or index in claims:
            continue
        if cut:
            candidates = candidates & only
            if not candidates:
                continue
        block = live[position]
        text = (<object>block).text
        view = views.get(index) if views else None
        if keep:
            seen = (text, None if view is None else view.text)
            known = outcomes.get(seen, unseen)
            if known is not unseen:
                if known is not None:
                    claims[index] = _new(claim, (known[0].rule, known[1]))
                continue
        size = len(text)
        ordered = sorted(candidates, key=key) if len(candidates) > 1 else candidates
        shortest = size if view is None else min(size, len(view.text))
        outcome = None
        timed_out = False
        for matcher in ordered:
            limit = matcher.max_length
            if shortest > limit or matcher not in allowed:
                continue
            if matcher in zoned and not matcher.zone.contains(position, count):
                continue
            try:
                if size > limit:
                    hit = None
                else:
                    pair = (matcher, text)
                    hit = verdicts.get(pair, unseen)
                    if hit is unseen:
                        fast = matcher.fast
                        if fast is None:
                            hit = matcher.match(block)
                        else:
                            hit = matcher.hit if fast.search(text) is not None else None
                        verdicts[pair] = hit
                if hit is None and view is not None and len(view.text) <= limit:
                    hit = _verdict(matcher, view, verdicts)
            except timeout as exc:
                warnings.append(str(exc))
                timed_out = True
                continue
            if hit is not None:
                claims[index] = _new(claim, (matcher.rule, hit))
                outcome = (matcher, hit)
                break
        if keep and not timed_out and candidates.isdisjoint(zoned):
            outcomes[seen] = outcome


cdef object _verdict(object matcher, object block, dict verdicts):
    """See ``cleaner._linetable_py._verdict``."""
    key = (matcher, block.text)
    hit = verdicts.get(key, _MISSING)
    if hit is not _MISSING:
        return hit
    fast = matcher.fast
    if fast is None:
        hit = matcher.match(block)
    else:
        hit = matcher.hit if fast.search(block.text) is not None else None
    verdicts[key] = hit
    return hit


cdef object _MISSING = object()
