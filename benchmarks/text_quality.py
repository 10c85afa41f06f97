"""Score the text cleaner on real scraped text against its gold, and against peers.

Usage: python benchmarks/text_quality.py ../shared/bench/zyte [--profile profile.json]
       python benchmarks/text_quality.py <wcxb>/dev --types article --view a --raw-labels
           (another set's pages, labelled against its gold; --kind, --skip-in FOLDER)

For view (a) (trafilatura's text of each Zyte page) and view (b) (the page's full visible
text), both labelled line by line against the page's articleBody (``views.py``):

- line level: precision and recall of the lines clean removes (cruft = positive), and the
  share of body characters lost; per rule category and per page language;
- the benchmark's shingle F1 / precision / recall of the view as it is, after clean, after
  jusText (each line wrapped as a paragraph), and of trafilatura on the HTML for reference.

The gold holds no headline. View (b) carries the page's headline, so it is scored with the
title left out (``CleanResult.body``), the left-out line counting as a removal in the line
figures. View (a) is scored whole: trafilatura already dropped the headline, and what
``clean`` would take for a title there is the first body line (measured: leaving it out lost
20 body lines of 80 and 0.007 of recall).
"""

from __future__ import annotations

import argparse
import os
import platform
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import extraction_sets
import views
import zyte

from cleaner import Cleaner
from cleaner.html import STRUCTURE_RULES


@dataclass
class Tally:
    removed: int = 0
    removed_cruft: int = 0
    cruft: int = 0
    body_chars: int = 0
    body_chars_lost: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.removed_cruft / self.removed if self.removed else 1.0

    @property
    def recall(self) -> float:
        return self.removed_cruft / self.cruft if self.cruft else 1.0

    @property
    def loss(self) -> float:
        return self.body_chars_lost / self.body_chars if self.body_chars else 0.0


@dataclass
class DocOutcome:
    tally: Tally
    cleaned: str
    by_category: dict[str, Tally] = field(default_factory=dict)


def categories(cleaner: Cleaner) -> dict[str, str]:
    found = {rule.code: rule.category for rule in cleaner.all_rules}
    found.update({code: "html-structure" for code in STRUCTURE_RULES})
    found["LRN001"] = "learned"
    found["TITLE"] = "title (left out)"
    return found


def score_doc(doc: views.LabelledDoc, cleaner: Cleaner, kinds: dict[str, str]) -> DocOutcome:
    result = cleaner.clean(doc.text)
    numbered = [(n, line.strip()) for n, line in enumerate(doc.text.splitlines(), start=1)
                if line.strip()]
    position = {n: i for i, (n, _) in enumerate(numbered)}
    removed = {position[r.line]: r.rule for r in result.removed if r.line in position}
    if doc.view == "b" and result.title is not None:  # left out of what is scored: count it
        first = next((i for i, (_, line) in enumerate(numbered) if line == result.title), None)
        if first is not None:
            removed.setdefault(first, "TITLE")
    tally = Tally()
    by_category: dict[str, Tally] = defaultdict(Tally)
    for index, ((_, line), body) in enumerate(zip(numbered, doc.labels, strict=True)):
        tally.cruft += not body
        tally.body_chars += len(line) if body else 0
        code = removed.get(index)
        if code is None:
            continue
        category = by_category[kinds.get(code, code)]
        for t in (tally, category):
            t.removed += 1
            t.removed_cruft += not body
            t.body_chars_lost += len(line) if body else 0
    return DocOutcome(tally, result.body if doc.view == "b" else result.text, dict(by_category))


def justext_text(text: str) -> str:
    import html

    import justext

    markup = "<html><body>" + "".join(
        f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip()
    ) + "</body></html>"
    paragraphs = justext.justext(markup.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def shingle_row(name: str, pairs: Iterable[tuple[str, str]]) -> str:
    s = zyte.score(zyte.page_counts(gold, text) for gold, text in pairs)
    return f"| {name} | {s.f1:.3f} | {s.precision:.3f} | {s.recall:.3f} |"


def report(docs: Sequence[views.LabelledDoc], cleaner: Cleaner, peers: bool) -> None:
    kinds = categories(cleaner)
    by_view: dict[str, list[views.LabelledDoc]] = defaultdict(list)
    for doc in docs:
        by_view[doc.view].append(doc)
    for view, members in sorted(by_view.items()):
        outcomes = [score_doc(doc, cleaner, kinds) for doc in members]
        total = Tally()
        per_category: dict[str, Tally] = defaultdict(Tally)
        per_language: dict[str, Tally] = defaultdict(Tally)
        for doc, outcome in zip(members, outcomes, strict=True):
            total.add(outcome.tally)
            per_language[doc.language].add(outcome.tally)
            for category, t in outcome.by_category.items():
                per_category[category].add(t)
        lines = sum(len(d.labels) for d in members)
        title = {"a": "trafilatura's text", "b": "full visible text"}[view]
        print(f"\n## View ({view}): {title}, {len(members)} pages, {lines} lines, "
              f"{total.cruft} labelled cruft\n")
        print("| removed lines | precision | recall | body characters lost |")
        print("|---|---|---|---|")
        print(f"| {total.removed} | {total.precision:.3f} | {total.recall:.3f} | "
              f"{total.loss:.3%} |")
        print("\n| rule category | removed | precision | body characters lost |")
        print("|---|---|---|---|")
        for category, t in sorted(per_category.items(), key=lambda kv: -kv[1].removed):
            print(f"| {category} | {t.removed} | {t.precision:.3f} | {t.body_chars_lost} |")
        print("\n| language | pages | cruft lines | precision | recall | body lost |")
        print("|---|---|---|---|---|---|")
        pages = Counter(d.language for d in members)
        for lang, t in sorted(per_language.items(), key=lambda kv: -pages[kv[0]]):
            print(f"| {lang} | {pages[lang]} | {t.cruft} | {t.precision:.3f} | "
                  f"{t.recall:.3f} | {t.loss:.3%} |")
        print("\n| text | F1 | precision | recall |")
        print("|---|---|---|---|")
        print(shingle_row(f"view ({view}) as it is", ((d.gold, d.text) for d in members)))
        print(shingle_row(f"view ({view}) after clean",
                          ((d.gold, o.cleaned) for d, o in zip(members, outcomes, strict=True))))
        if peers:
            print(shingle_row(f"view ({view}) after jusText",
                              ((d.gold, justext_text(d.text)) for d in members)))


def learned_effect(docs: Sequence[views.LabelledDoc]) -> None:
    """Two-fold: learn a profile from the view (b) text of half the pages (one pooled source,
    since the pages come from different sites), clean the other half with and without it."""
    from cleaner.learn import learn

    keys = sorted({d.key for d in docs})
    fold = {key: number % 2 for number, key in enumerate(keys)}
    base = Cleaner()
    with_profile = {
        f: Cleaner(profile=learn((d.text, "") for d in docs
                                 if d.view == "b" and fold[d.key] != f))
        for f in (0, 1)
    }
    kinds = categories(base)
    print("\n## A learned profile (two-fold, learned on view (b) text of the other half)\n")
    print("| view | cleaner | line precision | line recall | body lost | F1 |")
    print("|---|---|---|---|---|---|")
    for view in ("a", "b"):
        members = [d for d in docs if d.view == view]
        for name, pick in (("rules", lambda d: base),
                           ("rules + profile", lambda d: with_profile[fold[d.key]])):
            outcomes = [score_doc(d, pick(d), kinds) for d in members]
            total = Tally()
            for outcome in outcomes:
                total.add(outcome.tally)
            s = zyte.score(zyte.page_counts(d.gold, o.cleaned)
                           for d, o in zip(members, outcomes, strict=True))
            print(f"| ({view}) | {name} | {total.precision:.4f} | {total.recall:.4f} | "
                  f"{total.loss:.3%} | {s.f1:.4f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--profile", help="a learned profile to clean with as well")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--learn", action="store_true",
                        help="also measure a learned profile (two-fold over the pages)")
    parser.add_argument("--raw-labels", action="store_true",
                        help="ignore the hand-checked label overrides")
    parser.add_argument("--kind", help="the set's layout (extraction_sets.py); default: Zyte's")
    parser.add_argument("--types", help="only pages of these types, comma-separated (WCXB)")
    parser.add_argument("--skip-in", type=Path,
                        help="leave out pages whose key is also in this folder's set")
    parser.add_argument("--view", choices=("a", "b", "both"), default="both")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    pages = None
    if args.kind or args.types or args.skip_in:
        pages = extraction_sets.load(args.data_dir, args.kind)
        if args.types:
            wanted = set(args.types.split(","))
            types = extraction_sets.page_types(args.data_dir)
            pages = [p for p in pages if types.get(p.key) in wanted]
        if args.skip_in:
            pages = extraction_sets.outside(pages, args.skip_in)
        print(f"pages: {len(pages)} of {args.data_dir}"
              + (f", types {args.types}" if args.types else "")
              + (f", none also in {args.skip_in}" if args.skip_in else ""))
    which = ("a", "b") if args.view == "both" else (args.view,)
    docs = views.build(args.data_dir, raw_labels=args.raw_labels, pages=pages, which=which)
    print("labels: " + ("automatic only" if args.raw_labels else
                        "automatic, corrected by corpus/labelled/label-overrides.tsv"))
    print("(trafilatura on the HTML is view (a) as it is: its row is the reference)")
    report(docs, Cleaner(), not args.no_peers)
    if args.learn:
        learned_effect(docs)
    if args.profile:
        print("\n# With the learned profile\n")
        report(docs, Cleaner(profile=args.profile), False)


if __name__ == "__main__":
    main()
