"""Is a small statistical line scorer worth adding after the rules? Train it and measure honestly.

Usage: python benchmarks/train_scorer.py [corpus/realworld/docs.jsonl] [--zyte DIR]
       [--precision 0.97] [--l2 1.0] [--show N]

The candidate lines are the non-blank lines ``Cleaner().clean`` keeps; the label is cruft or
body from the labelled corpus (``../shared/LABELLING.md``). Each line is described by shallow,
cheap binary features of itself and its neighbours (length buckets, terminal punctuation,
capitalised-word share, digits, stop-word density, links/@/#, markup, position, whether a rule
removed the line before or after it, a short run of short lines, a few generic cue words; in
the spirit of boilerpipe's shallow text features and jusText's stop-word density) and scored
by an L2-regularised logistic regression written here with numpy.

The evaluation is leave one source out: for each of the 12 source repositories, train on the
other 11, choose the threshold on those 11 alone (inner leave-one-source-out scores, the
lowest threshold whose removals reach ``--precision``), then score the held-out source. What
it reports, per fold and pooled: extra cruft lines caught, body lines removed, body characters
lost, and the corpus line P/R/F1 and per-tag recall of clean() + scorer against clean() alone,
both over the full rule set and over the leave-one-source-out rule set of
``realworld_quality``. With ``--zyte``, a scorer trained on the whole corpus (threshold chosen
the same way) is applied to the Zyte views (a) and (b), scored as ``text_quality`` scores them:
it is out of domain, and the body it loses there is the test that it does not memorise.

Measured on ce07711's rules (649 documents, 15,217 candidate lines, 1,839 of them cruft): no
fold's training sources reach precision 0.97 with 20 removals or more, so the scorer removes
nothing. Out of source, the 200 best-scored candidates are 11 % cruft (in sample 94 %): a line
shape that is cruft in eleven sources is body in the twelfth (one source splits links out of
its paragraphs onto lines of their own). Not integrated; kept to re-measure on a larger corpus.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import realworld_quality as rq

from cleaner import Cleaner

# --- features -------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk|html?)\b", re.IGNORECASE)
_TERMINAL = frozenset(".!?…。！？")
_CLOSERS = "\"'”’)]»"
_MARKUP = re.compile(r"^\s*(?:[-*•>#|+]|\d+[.)])\s")
_LINK_ONLY = re.compile(r"^\W*\[[^\]]*\]\([^)]*\)\W*$")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

# Function words of seven languages: a line of prose is dense with them, a caption, a menu or a
# teaser headline much less so (jusText's observation).
STOP_WORDS = frozenset("""
a about after all also an and are as at be been but by can could did do does for from had has
have he her his how i if in into is it its just more my no not of on one or our out she so
than that the their them then there these they this to up was we were what when which who
will with would you your
der die das und ist nicht ein eine zu den mit von im auf für sich dem des es auch als an wie
le la les et un une des du dans est que qui pour pas sur il elle au avec ce sont
el los las y en del por con para una es lo como más pero se su al
il di che e la per un non sono della del con una gli
o os as de da do em um uma com não para que se por
de het een en van in is op te dat die voor met niet zijn
""".split())

# Generic cue words of the cruft kinds the rules miss most (captions, teasers, promos, bios):
# words of the trade, never a publisher's name or a sentence.
CUES = {
    "photo": "photo", "photos": "photo", "photograph": "photo", "image": "photo",
    "images": "photo", "picture": "photo", "pictured": "photo", "getty": "photo",
    "credit": "credit", "courtesy": "credit", "file": "credit",
    "subscribe": "subscribe", "subscription": "subscribe", "subscriber": "subscribe",
    "subscribers": "subscribe", "newsletter": "subscribe", "newsletters": "subscribe",
    "follow": "follow", "share": "share", "read": "read", "more": "more", "related": "read",
    "comment": "comment", "comments": "comment", "reply": "comment",
    "reporter": "staff", "editor": "staff", "correspondent": "staff", "writer": "staff",
    "journalist": "staff", "email": "contact", "contact": "contact",
    "video": "video", "watch": "video", "listen": "video", "podcast": "video",
    "click": "click", "here": "click", "sign": "sign", "download": "click", "app": "click",
    "copyright": "copyright", "rights": "copyright", "reserved": "copyright",
    "advertisement": "ad", "sponsored": "ad",
}


def _shape(line: str) -> tuple[int, bool]:
    """(length in characters, ends a sentence) of a stripped line; (0, False) for none."""
    if not line:
        return 0, False
    end = line.rstrip(_CLOSERS)
    return len(line), bool(end) and end[-1] in _TERMINAL


def line_features(lines: Sequence[str], removed: set[int], index: int,
                  nonblank: Sequence[int], rank: int) -> list[str]:
    """The names of the binary features that hold for ``lines[index]`` (stripped inside).

    ``nonblank`` lists the indices of the non-blank lines, ``rank`` is this line's place in it;
    neighbours are the previous and next non-blank lines, whether removed or not.
    """
    text = lines[index].strip()
    out = ["bias"]
    size, ends = _shape(text)
    words = _WORD.findall(text)
    count = len(words)
    out.append("chars<20" if size < 20 else "chars<40" if size < 40 else "chars<80"
               if size < 80 else "chars<160" if size < 160 else "chars>=160")
    out.append("words<=2" if count <= 2 else "words<=5" if count <= 5 else "words<=10"
               if count <= 10 else "words<=20" if count <= 20 else "words>20")
    if ends:
        out.append("terminal")
    elif text.endswith(":"):
        out.append("colon")
    if count:
        caps = sum(w[0].isupper() for w in words) / count
        if caps >= 0.75 and count >= 2:
            out.append("capitalised")
        elif caps <= 0.25:
            out.append("lowercase")
        stops = sum(w.casefold() in STOP_WORDS for w in words) / count
        out.append("stop=0" if stops == 0 else "stop<.15" if stops < 0.15 else "stop<.3"
                   if stops < 0.3 else "stop>=.3")
        cues = {CUES[w.casefold()] for w in words if w.casefold() in CUES}
        out.extend(f"cue:{c}" for c in sorted(cues))
    else:
        out.append("no-words")
    digits = sum(c.isdigit() for c in text)
    if digits and digits / size > 0.15:
        out.append("digits")
    if _LINK_ONLY.match(text):
        out.append("link-only")
    elif _URL.search(text):
        out.append("url")
    if _TAG.search(text):
        out.append("html")
    if _CJK.search(text):
        out.append("cjk")
    if "@" in text:
        out.append("at")
    if "#" in text:
        out.append("hash")
    if "©" in text or "(c)" in text.casefold():
        out.append("cue:copyright")
    if "|" in text or " • " in text or " · " in text:
        out.append("separator")
    if _MARKUP.match(text):
        out.append("markup")
    if text[:1] in "([" and text[-1:] in ")]":
        out.append("bracketed")
    # position among the non-blank lines
    last = len(nonblank) - 1
    if rank == 0:
        out.append("first")
    elif rank < 4:
        out.append("top4")
    if rank == last:
        out.append("last")
    elif last - rank < 4:
        out.append("bottom4")
    relative = rank / last if last else 0.0
    out.append("rel<.2" if relative < 0.2 else "rel>.8" if relative > 0.8 else "rel-mid")
    # neighbours
    prev_i = nonblank[rank - 1] if rank else None
    next_i = nonblank[rank + 1] if rank < last else None
    for side, other in (("prev", prev_i), ("next", next_i)):
        if other is None:
            out.append(f"{side}:none")
            continue
        if other in removed:
            out.append(f"{side}:removed")
        o_size, o_ends = _shape(lines[other].strip())
        if side == "prev" and o_size >= 40 and not o_ends and lines[other].strip()[-1:] not in ":|":
            out.append("prev:open")
        elif o_size < 40 and not o_ends:
            out.append(f"{side}:short")
        elif o_ends and o_size >= 80:
            out.append(f"{side}:prose")
    distance = min((abs(r - rank) for r in _ranks_removed(nonblank, removed, rank)),
                   default=None)
    if distance is None:
        out.append("no-removal")
    elif distance <= 2:
        out.append("removal<=2")
    elif distance <= 5:
        out.append("removal<=5")
    short = size < 60 and not ends
    if short and "prev:short" in out and "next:short" in out:
        out.append("short-run")
    elif short:
        out.append("short")
    return out


def _ranks_removed(nonblank: Sequence[int], removed: set[int], rank: int) -> list[int]:
    """Ranks (places among non-blank lines) of removed lines within 5 of ``rank``."""
    lo, hi = max(0, rank - 5), min(len(nonblank), rank + 6)
    return [r for r in range(lo, hi) if nonblank[r] in removed]


INTERACT = True
# Post hoc (found by reading the held-out gtcode failures, so not an honest design choice): leave
# out lines that continue a sentence, i.e. the line before ends open or the line after starts
# in lower case, as a link or emphasis split out of a paragraph does.
SKIP_FRAGMENTS = False


def _fragment(lines: Sequence[str], index: int) -> bool:
    before = lines[index - 1].strip() if index else ""
    after = lines[index + 1].strip() if index + 1 < len(lines) else ""
    open_before = len(before) > 20 and before[-1] not in ".!?:\"'”)]|"
    return open_before or (bool(after) and (after[0].islower() or after[0] in ",.;:)"))
_CONTEXT = frozenset({"bias", "prev:removed", "next:removed", "removal<=2", "removal<=5",
                      "no-removal"})


def doc_candidates(lines: Sequence[str], removed: set[int]) -> list[tuple[int, list[str]]]:
    """(index, features) of every non-blank line not in ``removed``."""
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        return []
    ends = sum(_shape(lines[i].strip())[1] for i in nonblank) / len(nonblank)
    links = sum(bool(_URL.search(lines[i])) for i in nonblank) / len(nonblank)
    prose = "doc:prose<.3" if ends < 0.3 else "doc:prose<.6" if ends < 0.6 else "doc:prose>=.6"
    out = []
    for rank, i in enumerate(nonblank):
        if i in removed or (SKIP_FRAGMENTS and _fragment(lines, i)):
            continue
        feats = line_features(lines, removed, i, nonblank, rank)
        if "terminal" not in feats:
            feats.append("open&" + prose)
        if links >= 0.2 and ("url" in feats or "link-only" in feats):
            feats.append("url&doc:links")
        if INTERACT and ("prev:removed" in feats or "next:removed" in feats):
            feats.extend([f"adj&{f}" for f in feats if f not in _CONTEXT])
        out.append((i, feats))
    return out


# --- model ----------------------------------------------------------------------------------

class Vocabulary:
    def __init__(self, names: Sequence[str]) -> None:
        self.names = sorted(set(names))
        self.index = {n: i for i, n in enumerate(self.names)}

    def matrix(self, rows: Sequence[list[str]]) -> np.ndarray:
        x = np.zeros((len(rows), len(self.names)))
        for r, feats in enumerate(rows):
            for f in feats:
                j = self.index.get(f)
                if j is not None:
                    x[r, j] = 1.0
        return x


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised:
    it is the column of ones, feature 'bias', which we find by its constant value)."""
    _, d = x.shape
    w = np.zeros(d)
    penalty = np.full(d, l2)
    penalty[np.all(x == 1.0, axis=0)] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(d)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    return w


def predict(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ w)))


def pick_threshold(scores: np.ndarray, y: np.ndarray, target: float) -> float:
    """The lowest threshold whose removals (score >= t) reach precision ``target``, with at
    least 20 removals so a lucky handful does not set it; 1.01 (remove nothing) if none does."""
    order = np.argsort(-scores)
    hits = np.cumsum(y[order])
    counts = np.arange(1, len(order) + 1)
    precision = hits / counts
    ok = np.nonzero((precision >= target) & (counts >= 20))[0]
    if not len(ok):
        return 1.01
    k = ok[-1]
    return float(scores[order[k]])


# --- data -----------------------------------------------------------------------------------

@dataclass
class Row:
    doc: int  # index into the docs list
    line: int
    feats: list[str]
    cruft: bool
    scored: bool


def build_rows(docs: Sequence[rq.Doc], removals: dict[str, dict[int, str]]) -> list[Row]:
    rows = []
    for d, doc in enumerate(docs):
        scored = set(doc.scored)
        for i, feats in doc_candidates(doc.lines, set(removals[doc.id])):
            rows.append(Row(d, i, feats, not doc.is_body(i), i in scored))
    return rows


def train(rows: Sequence[Row], groups: Sequence[str], l2: float, target: float,
          inner: bool = True) -> tuple[Vocabulary, np.ndarray, float]:
    """Fit on ``rows``; the threshold comes from leave-one-group-out scores within them."""
    usable = [r for r in rows if r.scored]
    usable_groups = [g for r, g in zip(rows, groups, strict=True) if r.scored]
    vocab = Vocabulary([f for r in usable for f in r.feats])
    x = vocab.matrix([r.feats for r in usable])
    y = np.array([r.cruft for r in usable], dtype=float)
    w = fit(x, y, l2)
    if inner:
        oof = np.zeros(len(y))
        g = np.array(usable_groups)
        for name in sorted(set(usable_groups)):
            held = g == name
            oof[held] = predict(x[held], fit(x[~held], y[~held], l2))
        threshold = pick_threshold(oof, y, target)
    else:
        threshold = pick_threshold(predict(x, w), y, target)
    return vocab, w, threshold


# --- evaluation -----------------------------------------------------------------------------

def tally_row(name: str, t: rq.Tally) -> str:
    return (f"| {name} | {t.removed} | {t.precision:.4f} | {t.recall:.4f} | {t.f1:.4f} | "
            f"{t.loss:.3%} |")


def evaluate(docs: Sequence[rq.Doc], base: dict[str, dict[int, str]], label: str,
             args: argparse.Namespace, train_base: dict[str, dict[int, str]],
             show: int) -> tuple[rq.Tally, rq.Tally]:
    """Leave one source out over ``base`` removals (the held-out fold's rule removals);
    training always uses ``train_base`` (full rules) on the other sources."""
    train_rows = build_rows(docs, train_base)
    test_rows = build_rows(docs, base)
    groups = [docs[r.doc].source for r in train_rows]
    sources = sorted({d.source for d in docs})
    print(f"\n## Leave one source out, {label}\n")
    print("| held-out source | threshold | scorer removals | extra cruft | body lines | "
          "body chars lost | P before → after | R before → after | F1 before → after |")
    print("|---|---|---|---|---|---|---|---|---|")
    before_all, after_all = rq.Tally(), rq.Tally()
    examples: list[tuple[float, str, str, str]] = []
    for source in sources:
        tr = [r for r, g in zip(train_rows, groups, strict=True) if g != source]
        tg = [g for g in groups if g != source]
        vocab, w, threshold = train(tr, tg, args.l2, args.precision)
        te = [r for r in test_rows if docs[r.doc].source == source]
        scores = predict(vocab.matrix([r.feats for r in te]), w)
        extra: dict[str, dict[int, str]] = defaultdict(dict)
        for r, s in zip(te, scores, strict=True):
            if s >= threshold:
                extra[docs[r.doc].id][r.line] = "SCR"
                doc = docs[r.doc]
                if r.scored:
                    examples.append((float(s), doc.tags.get(r.line, "BODY"), doc.id,
                                     doc.lines[r.line].strip()[:110]))
        members = [d for d in docs if d.source == source]
        before = rq.total(members, {d.id: base[d.id] for d in members})
        after = rq.total(members, {d.id: {**base[d.id], **extra[d.id]} for d in members})
        before_all.add(before)
        after_all.add(after)
        added = after.removed - before.removed
        caught = after.removed_cruft - before.removed_cruft
        lost = after.body_chars_lost - before.body_chars_lost
        print(f"| {source} | {threshold:.3f} | {added} | {caught} | {added - caught} | "
              f"{lost} | {before.precision:.3f} → {after.precision:.3f} | "
              f"{before.recall:.3f} → {after.recall:.3f} | {before.f1:.3f} → {after.f1:.3f} |")
    added = after_all.removed - before_all.removed
    caught = after_all.removed_cruft - before_all.removed_cruft
    print(f"| **pooled** | | {added} | {caught} | {added - caught} | "
          f"{after_all.body_chars_lost - before_all.body_chars_lost} | "
          f"{before_all.precision:.4f} → {after_all.precision:.4f} | "
          f"{before_all.recall:.4f} → {after_all.recall:.4f} | "
          f"{before_all.f1:.4f} → {after_all.f1:.4f} |")
    print("\n| | removed | P | R | F1 | body lost |\n|---|---|---|---|---|---|")
    print(tally_row("clean()", before_all))
    print(tally_row("clean() + scorer", after_all))
    print("\n| tag | lines | recall before | after |\n|---|---|---|---|")
    for tag, n in before_all.tag_total.most_common():
        print(f"| {tag} | {n} | {before_all.tag_found[tag] / n:.3f} | "
              f"{after_all.tag_found[tag] / n:.3f} |")
    if show:
        body = [e for e in examples if e[1] == "BODY"]
        print(f"\nBody lines removed by the scorer ({len(body)}):")
        for s, _, doc_id, text in sorted(body, reverse=True)[:show]:
            print(f"- {s:.3f} {doc_id}: {text!r}")
        print("\nCruft caught (sample):")
        for s, tag, doc_id, text in sorted(examples)[: show]:
            if tag != "BODY":
                print(f"- {s:.3f} {tag} {doc_id}: {text!r}")
    return before_all, after_all


def zyte_check(data_dir: Path, vocab: Vocabulary, w: np.ndarray,
               thresholds: Sequence[tuple[str, float]]) -> None:
    """Score the Zyte views as ``text_quality.score_doc`` does, with and without the scorer."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import views

    docs = views.build(data_dir)
    for name, threshold in thresholds:
        print(f"\n## Zyte views, scorer trained on the whole corpus, {name} "
              f"(threshold {threshold:.3f})\n")
        zyte_views(docs, vocab, w, threshold)


def zyte_views(docs: Sequence[Any], vocab: Vocabulary, w: np.ndarray,
               threshold: float) -> None:
    import text_quality as tq

    cleaner = Cleaner()
    print("| view | removed | P | R | body lost | scorer removals | of them body |")
    print("|---|---|---|---|---|---|---|")
    shown: list[str] = []
    for view in ("a", "b"):
        totals = {False: tq.Tally(), True: tq.Tally()}
        extra_n = extra_body = 0
        for doc in (d for d in docs if d.view == view):
            result = cleaner.clean(doc.text)
            all_lines = doc.text.splitlines()
            rule_removed = {r.line - 1 for r in result.removed}
            cands = doc_candidates(all_lines, rule_removed)
            scores = predict(vocab.matrix([f for _, f in cands]), w) if cands else []
            hits = {i for (i, _), s in zip(cands, scores, strict=True) if s >= threshold}
            numbered = [(n, line.strip()) for n, line in enumerate(all_lines) if line.strip()]
            title_at = None
            if view == "b" and result.title is not None:
                title_at = next((n for n, line in numbered if line == result.title), None)
            for with_scorer in (False, True):
                gone = rule_removed | (hits if with_scorer else set())
                if title_at is not None:
                    gone = gone | {title_at}
                t = totals[with_scorer]
                for (n, line), body in zip(numbered, doc.labels, strict=True):
                    t.cruft += not body
                    t.body_chars += len(line) if body else 0
                    if n in gone:
                        t.removed += 1
                        t.removed_cruft += not body
                        t.body_chars_lost += len(line) if body else 0
            for (n, line), body in zip(numbered, doc.labels, strict=True):
                if n in hits and n not in rule_removed and n != title_at:
                    extra_n += 1
                    extra_body += body
                    if body and len(shown) < 15:
                        shown.append(f"- ({view}) {doc.key}: {line[:110]!r}")
        for with_scorer, t in totals.items():
            name = "clean() + scorer" if with_scorer else "clean()"
            tail = f"{extra_n} | {extra_body}" if with_scorer else " | "
            print(f"| ({view}) {name} | {t.removed} | {t.precision:.4f} | {t.recall:.4f} | "
                  f"{t.loss:.3%} | {tail} |")
    if shown:
        print("\nBody lines the scorer removed on Zyte (first 15):")
        print("\n".join(shown))


def precision_curve(docs: Sequence[rq.Doc], rows: Sequence[Row], l2: float) -> None:
    """Precision of the top-k scored candidates, out of source (each source scored by the
    model trained on the other 11) against in sample (one model on everything): the gap is
    what the model memorises of its sources' formats."""
    usable = [r for r in rows if r.scored]
    groups = np.array([docs[r.doc].source for r in usable])
    vocab = Vocabulary([f for r in usable for f in r.feats])
    x = vocab.matrix([r.feats for r in usable])
    y = np.array([r.cruft for r in usable], dtype=float)
    oof = np.zeros(len(y))
    for name in sorted(set(groups)):
        held = groups == name
        oof[held] = predict(x[held], fit(x[~held], y[~held], l2))
    inside = predict(x, fit(x, y, l2))
    print(f"\n## Precision of the k best-scored candidates ({len(y)} candidates, "
          f"{int(y.sum())} cruft)\n")
    print("| k | out of source: precision | score at k | in sample: precision |")
    print("|---|---|---|---|")
    a, b = np.argsort(-oof), np.argsort(-inside)
    for k in (20, 50, 100, 200, 300, 500):
        print(f"| {k} | {y[a[:k]].mean():.3f} | {oof[a[k - 1]]:.3f} | {y[b[:k]].mean():.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path, nargs="?", default=rq.DEFAULT_CORPUS)
    parser.add_argument("--zyte", type=Path)
    parser.add_argument("--precision", type=float, default=0.97)
    parser.add_argument("--l2", type=float, default=1.0)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--no-interact", action="store_true",
                        help="no 'next to a rule removal' x line-feature interactions")
    parser.add_argument("--skip-fragments", action="store_true",
                        help="post hoc: never score a line that continues a sentence")
    parser.add_argument("--no-loso-rules", action="store_true",
                        help="skip the evaluation over the leave-one-source-out rule set")
    args = parser.parse_args()
    global INTERACT, SKIP_FRAGMENTS
    INTERACT = not args.no_interact
    SKIP_FRAGMENTS = args.skip_fragments
    docs = rq.load(args.corpus)
    cleaner = Cleaner()
    full = {d.id: rq.cleaner_removals(cleaner, d) for d in docs}
    counts = Counter(d.source for d in docs)
    print(f"# Line scorer: {len(docs)} documents, {len(counts)} sources; "
          f"precision target {args.precision}, L2 {args.l2}")
    evaluate(docs, full, "full rules under the scorer", args, full, args.show)
    if not args.no_loso_rules:
        loso = loso_rule_removals(docs, full)
        evaluate(docs, loso, "leave-one-source-out rules under the scorer", args, full, 0)
    rows = build_rows(docs, full)
    precision_curve(docs, rows, args.l2)
    vocab, w, threshold = train(rows, [docs[r.doc].source for r in rows], args.l2,
                                args.precision)
    print(f"\n## Whole-corpus model: threshold {threshold:.3f}\n")
    for name, weight in sorted(zip(vocab.names, w, strict=True), key=lambda kv: -kv[1]):
        print(f"- {name}: {weight:+.2f}")
    if args.zyte:
        groups = [docs[r.doc].source for r in rows]
        naive = [(f"threshold chosen in sample for precision {p}", train(
            rows, groups, args.l2, p, inner=False)[2]) for p in (args.precision, 0.9)]
        zyte_check(args.zyte, vocab, w,
                   [("threshold chosen out of source", threshold), *naive])


def loso_rule_removals(docs: Sequence[rq.Doc],
                       full: dict[str, dict[int, str]]) -> dict[str, dict[int, str]]:
    """Each document's removals with the rules whose correct removals all lie in its own
    source switched off (``realworld_quality.leave_one_source_out``'s rule set)."""
    support: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for i, code in full[doc.id].items():
            if doc.tags.get(i) is not None and i in doc.scored:
                support[code].add(doc.source)
    out = {}
    cache: dict[str, Cleaner] = {}
    for doc in docs:
        if doc.source not in cache:
            cache[doc.source] = Cleaner(ignore=frozenset(c for c, w in support.items()
                                               if w == {doc.source}))
        out[doc.id] = rq.cleaner_removals(cache[doc.source], doc)
    return out


if __name__ == "__main__":
    main()
