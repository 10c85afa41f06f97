"""Score clean() on the labelled real-world corpus, line by line, against jusText and C4.

Usage: python benchmarks/realworld_quality.py [corpus/realworld/docs.jsonl] [--no-peers]
       [--learn] [--misses N] [--tag TAG] [--source REPO]

The corpus (``corpus/realworld``, labelled as ``../shared/LABELLING.md`` says) marks every
non-blank line of ``text.split("\\n")`` as body or one cruft tag; ``unsure`` lines are left
out. A removed cruft line is a true positive, a removed body line a false positive. Reported:
line precision / recall / F1, the share of body characters lost, recall per tag and figures
per source repository, for

- ``clean()`` with every built-in rule;
- jusText, each line wrapped as a paragraph, with the stop-word list of the language whose
  list covers most of the document's words (its default settings otherwise);
- the C4 line rules as FineWeb sets them: datatrove's
  ``C4QualityFilter(filter_no_terminal_punct=False)`` with the document-dropping checks off
  (``min_num_sentences=-1``, no lorem-ipsum or curly-bracket drop), one line at a time.

Leave one source out: rules were written while reading the corpus, so the figure on a source
can flatter them. For each source L, every rule whose correct removals on the corpus all lie
in L (it may have been written for L alone) is switched off while L is scored; what is left
was justified by other sources. That is the honest figure, reported beside the full one.

``--learn`` learns a profile per source repository from that source's own texts (no labels:
what a pipeline learns from a shard before cleaning it, default thresholds) and reports what
the learned lines add.
"""

from __future__ import annotations

import argparse
import bisect
import html
import json
import platform
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import text_quality

from cleaner import Cleaner

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "realworld" / "docs.jsonl"
_REPO = re.compile(r"github\.com/([^/\s]+/[^/\s]+)")
_WORD = re.compile(r"\w+")


# A line of nothing but HTML tags (and the space between them).
_MARKUP_ONLY = re.compile(r"\s*(?:<[^<>\n]+>\s*)+")


@dataclass
class Doc:
    id: str
    source: str  # the repository, OWNER/REPO
    publisher: str
    text: str
    lines: list[str]
    tags: dict[int, str]  # cruft line index -> tag
    scored: list[int]  # non-blank, not unsure

    def is_body(self, index: int) -> bool:
        return index not in self.tags


def load(path: Path) -> list[Doc]:
    docs = []
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            record = json.loads(raw)
            found = _REPO.search(record["source"])
            if found is None:
                sys.exit(f"{path}:{number}: source {record['source']!r} names no repository")
            lines = record["text"].split("\n")
            unsure = set(record.get("unsure", []))
            docs.append(Doc(
                id=record["id"], source=found.group(1), publisher=record["publisher"],
                text=record["text"], lines=lines,
                tags={int(k): v for k, v in record["cruft"].items()},
                scored=[i for i, line in enumerate(lines) if line.strip() and i not in unsure],
            ))
    return docs


@dataclass
class Tally(text_quality.Tally):
    """The line tally of ``text_quality`` (added field by field), with recall per tag."""

    tag_total: Counter[str] = field(default_factory=Counter)
    tag_found: Counter[str] = field(default_factory=Counter)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self, name: str) -> str:
        return (f"| {name} | {self.removed} | {self.precision:.3f} | {self.recall:.3f} | "
                f"{self.f1:.3f} | {self.loss:.3%} |")


HEADER = ("| tool | removed | precision | recall | F1 | body characters lost |\n"
          "|---|---|---|---|---|---|")

# A remover returns the indices (into text.split("\n")) of the lines it deletes.
Remover = Callable[[Doc], set[int]]


def score(doc: Doc, removed: set[int] | dict[int, str]) -> Tally:
    t = Tally()
    for i in doc.scored:
        tag = doc.tags.get(i)
        gone = i in removed
        if tag is None:
            t.body_chars += len(doc.lines[i].strip())
            if gone:
                t.removed += 1
                t.body_chars_lost += len(doc.lines[i].strip())
        else:
            t.cruft += 1
            t.tag_total[tag] += 1
            if gone:
                t.removed += 1
                t.removed_cruft += 1
                t.tag_found[tag] += 1
    return t


def line_starts(text: str) -> list[int]:
    starts = [0]
    for found in re.finditer("\n", text):
        starts.append(found.end())
    return starts


def cleaner_removals(cleaner: Cleaner, doc: Doc, source: str | None = None) -> dict[int, str]:
    """Line index -> rule code, mapped through character offsets (a BOM or a lone-CR text
    numbers its lines differently from ``split("\\n")``)."""
    starts = line_starts(doc.text)
    result = cleaner.clean(doc.text, source)
    return {bisect.bisect_right(starts, r.start) - 1: r.rule for r in result.removed}


def justext_remover() -> Remover:
    import justext

    lists = {name: justext.get_stoplist(name) for name in justext.get_stoplists()}

    def remove(doc: Doc) -> set[int]:
        words = [w.casefold() for w in _WORD.findall(doc.text)] or [""]
        language = max(lists, key=lambda name: sum(w in lists[name] for w in words))
        indices = [i for i, line in enumerate(doc.lines) if line.strip()]
        markup = "<html><body>" + "".join(
            f"<p>{html.escape(doc.lines[i].strip())}</p>" for i in indices
        ) + "</body></html>"
        paragraphs = justext.justext(markup.encode("utf-8"), lists[language])
        if len(paragraphs) != len(indices):  # never seen; say so rather than guess
            raise RuntimeError(f"{doc.id}: jusText returned {len(paragraphs)} paragraphs "
                               f"for {len(indices)} lines")
        return {i for i, p in zip(indices, paragraphs, strict=True) if p.is_boilerplate}

    return remove


def c4_remover() -> Remover:
    from datatrove.data import Document
    from datatrove.pipeline.filters import C4QualityFilter

    c4 = C4QualityFilter(filter_no_terminal_punct=False, min_num_sentences=-1,
                         filter_lorem_ipsum=False, filter_curly_bracket=False)

    def remove(doc: Doc) -> set[int]:
        gone = set()
        for i, line in enumerate(doc.lines):
            if not line.strip():
                continue
            one = Document(text=line, id=f"{doc.id}:{i}")
            if c4.filter(one) is not True or not one.text.strip():
                gone.add(i)
        return gone

    return remove


def total(docs: Iterable[Doc], removals: dict[str, set[int] | dict[int, str]]) -> Tally:
    t = Tally()
    for doc in docs:
        t.add(score(doc, removals[doc.id]))
    return t


def leave_one_source_out(
    docs: Sequence[Doc], full: dict[str, dict[int, str]],
    cleaner_for: Callable[[frozenset[str]], Cleaner],
) -> tuple[Tally, list[str]]:
    """Score each source with the rules whose correct removals are not all in that source."""
    support: dict[str, set[str]] = defaultdict(set)  # rule -> sources with a correct removal
    for doc in docs:
        for i, code in full[doc.id].items():
            if doc.tags.get(i) is not None and i in doc.scored:
                support[code].add(doc.source)
    by_source: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_source[doc.source].append(doc)
    overall = Tally()
    rows = []
    for source, members in sorted(by_source.items()):
        alone = frozenset(code for code, where in support.items() if where == {source})
        cleaner = cleaner_for(alone)
        t = total(members, {d.id: cleaner_removals(cleaner, d) for d in members})
        overall.add(t)
        rows.append(f"| {source} | {', '.join(sorted(alone)) or '-'} | {t.precision:.3f} | "
                    f"{t.recall:.3f} | {t.f1:.3f} | {t.loss:.3%} |")
    return overall, rows


def learned(docs: Sequence[Doc], base: dict[str, dict[int, str]]) -> None:
    from cleaner.learn import learn

    by_source: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_source[doc.source].append(doc)
    print("\n## Learned boilerplate (a profile per source, learned from its own texts)\n")
    print("| source | documents | learned lines removed | of them cruft | recall before | "
          "recall after | precision after |")
    print("|---|---|---|---|---|---|---|")
    before_all, after_all = Tally(), Tally()
    for source, members in sorted(by_source.items()):
        profile = learn((d.text, "") for d in members)
        cleaner = Cleaner(profile=profile)
        after = {d.id: cleaner_removals(cleaner, d) for d in members}
        extra = [(d, i) for d in members for i, code in after[d.id].items()
                 if code == "LRN001" and i in d.scored]
        before = total(members, {d.id: base[d.id] for d in members})
        now = total(members, after)
        before_all.add(before)
        after_all.add(now)
        print(f"| {source} | {len(members)} | {len(extra)} | "
              f"{sum(not d.is_body(i) for d, i in extra)} | {before.recall:.3f} | "
              f"{now.recall:.3f} | {now.precision:.3f} |")
    print(f"| all | {len(docs)} | | | {before_all.recall:.3f} | {after_all.recall:.3f} | "
          f"{after_all.precision:.3f} |")


def misses(docs: Sequence[Doc], removals: dict[str, dict[int, str]], limit: int,
           tag: str | None) -> None:
    """Lines clean gets wrong: body removed (all of them), cruft kept (up to ``limit``)."""
    print("\n## Body lines removed\n")
    for doc in docs:
        for i, code in sorted(removals[doc.id].items()):
            if i in doc.scored and doc.is_body(i):
                print(f"- {doc.id}:{i} {code}: {doc.lines[i].strip()[:160]!r}")
    print("\n## Cruft lines kept\n")
    shown = 0
    for doc in docs:
        for i in doc.scored:
            t = doc.tags.get(i)
            if t is None or i in removals[doc.id] or (tag and t != tag):
                continue
            if shown >= limit:
                return
            shown += 1
            print(f"- {doc.id}:{i} {t}: {doc.lines[i].strip()[:160]!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path, nargs="?", default=DEFAULT_CORPUS)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--learn", action="store_true")
    parser.add_argument("--misses", type=int, default=0, help="list up to N kept cruft lines")
    parser.add_argument("--tag", help="with --misses: only this tag")
    parser.add_argument("--source", help="only the documents of this repository")
    parser.add_argument("--skip-markup-only", action="store_true",
                        help="leave lines of nothing but HTML tags out of scoring (for a batch "
                             "labelled with their wrapped text's label: b26-feeds.jsonl)")
    args = parser.parse_args()

    docs = load(args.corpus)
    if args.skip_markup_only:
        for doc in docs:
            doc.scored = [i for i in doc.scored if _MARKUP_ONLY.fullmatch(doc.lines[i]) is None]
    if args.source:
        docs = [d for d in docs if d.source == args.source]
    sources = Counter(d.source for d in docs)
    publishers = {d.publisher for d in docs}
    lines = sum(len(d.scored) for d in docs)
    print(f"# Real-world corpus: {len(docs)} documents, {len(sources)} sources, "
          f"{len(publishers)} publishers, {lines} scored lines")
    print(f"\nMachine: {platform.platform()}, Python {platform.python_version()}; "
          f"command: python benchmarks/realworld_quality.py {' '.join(sys.argv[1:])}\n")

    cleaner = Cleaner()
    started = time.perf_counter()
    ours = {d.id: cleaner_removals(cleaner, d) for d in docs}
    seconds = time.perf_counter() - started
    results: list[tuple[str, Tally]] = [("clean()", total(docs, ours))]
    if not args.no_peers:
        for name, make in (("jusText", justext_remover), ("C4 line rules (datatrove)", c4_remover)):
            remove = make()
            results.append((name, total(docs, {d.id: remove(d) for d in docs})))
    print(HEADER)
    for name, t in results:
        print(t.row(name))
    mine = results[0][1]
    print(f"\nclean() took {seconds:.2f} s for {sum(len(d.text) for d in docs) / 1e6:.2f} M "
          "characters.")

    print("\n## Recall per tag\n")
    print("| tag | lines | clean() | " + " | ".join(n for n, _ in results[1:]) + " |")
    print("|---|---|---|" + "---|" * (len(results) - 1))
    for tag, count in mine.tag_total.most_common():
        cells = " | ".join(f"{t.tag_found[tag] / count:.2f}" for _, t in results)
        print(f"| {tag} | {count} | {cells} |")

    print("\n## Per source (clean())\n")
    print("| source | documents | cruft lines | precision | recall | F1 | body lost |")
    print("|---|---|---|---|---|---|---|")
    by_source: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_source[doc.source].append(doc)
    for source, members in sorted(by_source.items()):
        t = total(members, ours)
        print(f"| {source} | {len(members)} | {t.cruft} | {t.precision:.3f} | {t.recall:.3f} | "
              f"{t.f1:.3f} | {t.loss:.3%} |")

    loso, rows = leave_one_source_out(docs, ours, lambda off: Cleaner(ignore=off) if off
                                      else cleaner)
    print("\n## Leave one source out\n")
    print("Rules whose correct removals all lie in the scored source are off while it is "
          "scored.\n")
    print("| source | rules off | precision | recall | F1 | body lost |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(row)
    print(f"| **all** | | {loso.precision:.3f} | {loso.recall:.3f} | {loso.f1:.3f} | "
          f"{loso.loss:.3%} |")

    if args.learn:
        learned(docs, ours)
    if args.misses:
        misses(docs, ours, args.misses, args.tag)


if __name__ == "__main__":
    main()
