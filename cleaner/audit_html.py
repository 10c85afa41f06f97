"""The audit report as one self-contained HTML page: inline CSS, inline SVG, a little inline JS.

The page must open offline years later and on a machine with no network, so it links to
nothing. Every string that came from a document, a source field or a rule pack goes through
``esc`` (scraped text is hostile input: a ``<script>`` in a page must show as text). Colours
and CSS classes are derived from a category's position, never from its name.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime

from .audit import HISTOGRAM_BINS, Sample, Tally

MAX_SOURCES = 60  # table rows; the rest are summed into one row
PALETTE = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39",
           "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363", "#9c9ede",
           "#cedb9c")

CSS = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1b1b1b;
background:#f6f6f4}
main{max-width:1180px;margin:0 auto;padding:18px 24px 60px}
h1{font-size:24px;margin:6px 0 2px}h2{font-size:19px;margin:28px 0 8px}
.meta{color:#555;font-size:13px}
.totals{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 16px;min-width:150px}
.card b{display:block;font-size:24px}.card span{color:#555;font-size:13px}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.panel{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 14px;overflow:auto}
svg text{font:12px system-ui,sans-serif;fill:#222}
table{border-collapse:collapse;background:#fff;font-size:13px;width:100%}
th,td{border-bottom:1px solid #e3e3e3;padding:4px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}
.filters button{margin:2px;border:1px solid #bbb;background:#fff;border-radius:12px;
padding:2px 9px;cursor:pointer;font-size:12px}
.filters button.on{background:#222;color:#fff}
.doc{background:#fff;border:1px solid #ddd;border-radius:8px;margin:10px 0;padding:8px 14px}
.doc h3{font-size:14px;margin:2px 0 6px;font-weight:600;overflow-wrap:anywhere}
.doc .lines{font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;
overflow-wrap:anywhere;max-height:420px;overflow:auto}
.doc del{color:#555;text-decoration-thickness:2px;border-left:4px solid;padding-left:4px;
display:block}
.doc .k{display:block;padding-left:8px}
.doc del .code{font-size:11px;font-weight:600;margin-right:6px;text-decoration:none}
.legend span{display:inline-block;margin:2px 10px 2px 0;font-size:12px}
.legend i{display:inline-block;width:11px;height:11px;margin-right:4px;vertical-align:-1px}
.hidden{display:none}
@media (max-width:900px){.charts{grid-template-columns:1fr}}
"""

# Filter the sampled documents by rule: show those with a removal by that rule and fade the
# other rules' lines. Without JS the page still shows everything.
JS = """
(function(){
var docs=document.querySelectorAll('.doc'),buttons=document.querySelectorAll('[data-filter]');
function pick(code){
  buttons.forEach(function(b){b.classList.toggle('on',b.getAttribute('data-filter')===code);});
  var shown=0;
  docs.forEach(function(d){
    var rules=(d.getAttribute('data-rules')||'').split(' ');
    var on=!code||rules.indexOf(code)>=0; d.classList.toggle('hidden',!on); if(on)shown++;
    d.querySelectorAll('del').forEach(function(x){
      x.style.opacity=(!code||x.getAttribute('data-rule')===code)?'1':'0.35';});
  });
  document.getElementById('shown').textContent=String(shown);
}
buttons.forEach(function(b){b.addEventListener('click',function(e){
  e.preventDefault(); pick(b.getAttribute('data-filter'));});});
var h=decodeURIComponent(location.hash.replace(/^#rule-/,''));
if(h&&location.hash.indexOf('#rule-')===0)pick(h);
})();
"""


def esc(value: object) -> str:
    """HTML-escape text and attribute values (quotes included)."""
    return html.escape(str(value), quote=True)


def _num(value: int) -> str:
    return f"{value:,}"


def _pct(value: float) -> str:
    return f"{value * 100:.1f} %"


def render(tally: Tally, inputs: Sequence[str], title: str = "cleaner audit report") -> str:
    """The whole page as a string."""
    categories = sorted(set(tally.category_lines) | {tally.category(c) for c in tally.rule_lines})
    colour = {cat: PALETTE[i % len(PALETTE)] for i, cat in enumerate(categories)}
    css_class = {cat: f"c{i}" for i, cat in enumerate(categories)}
    # Struck text stays dark for reading; the category colour goes on the bar, the strike
    # and the rule code.
    cat_css = "".join(f".doc del.{css_class[c]}{{border-color:{colour[c]};"
                      f"text-decoration-color:{colour[c]}}}"
                      f".doc del.{css_class[c]} .code{{color:{colour[c]}}}"
                      for c in categories)
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">",
        # No network, even by accident: nothing may load from anywhere but this page.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{esc(title)}</title><style>{CSS}{cat_css}</style></head><body><main>",
        f"<h1>{esc(title)}</h1>",
        f"<p class=\"meta\">{esc(', '.join(inputs))} &middot; generated "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC &middot; sample of {len(tally.samples)} "
        f"(seed {tally.seed})</p>",
        _totals(tally),
        "<div class=\"charts\">",
        _panel("Removed lines per rule", _bars(
            [(code, tally.rule_lines[code], colour[tally.category(code)],
              f"{code} {tally.rule_names.get(code, '')}")
             for code, _ in tally.rule_lines.most_common()], link=True)),
        _panel("Removed lines per category", _bars(
            [(cat, n, colour[cat], cat) for cat, n in tally.category_lines.most_common()])),
        "</div>",
        "<h2>Share of each document removed</h2>",
        _panel("", _histogram(tally.histogram)),
        "<h2>Per source</h2>",
        _sources(tally),
        "<h2>Sampled documents</h2>",
        "<div class=\"legend\">" + "".join(
            f"<span><i style=\"background:{colour[c]}\"></i>{esc(c)}</span>" for c in categories)
        + "</div>",
        _filters(tally),
        f"<p class=\"meta\">showing <span id=\"shown\">{len(tally.samples)}</span> of "
        f"{len(tally.samples)} sampled documents; hover a struck line for its rule and reason</p>",
        *(_sample(s, tally, css_class) for s in tally.samples),
        f"</main><script>{JS}</script></body></html>\n",
    ]
    return "".join(parts)


def _totals(tally: Tally) -> str:
    cards = [
        ("documents", _num(tally.documents), f"{_num(tally.changed_documents)} changed"),
        ("lines removed", _num(tally.lines_removed), f"of {_num(tally.lines)}"),
        ("characters removed", _num(tally.chars_removed), f"of {_num(tally.chars)}"),
        ("body kept", _pct(tally.kept_share), "share of characters"),
    ]
    return "<div class=\"totals\" id=\"totals\">" + "".join(
        f"<div class=\"card\" data-total=\"{esc(key)}\"><span>{esc(key)}</span><b>{value}</b>"
        f"<span>{esc(sub)}</span></div>" for key, value, sub in cards) + "</div>"


def _panel(heading: str, body: str) -> str:
    head = f"<h2 style=\"margin-top:4px\">{esc(heading)}</h2>" if heading else ""
    return f"<div class=\"panel\">{head}{body}</div>"


def _bars(rows: list[tuple[str, int, str, str]], link: bool = False) -> str:
    """Horizontal SVG bars: label, bar, count. ``link`` makes each label filter by rule."""
    if not rows:
        return "<p class=\"meta\">nothing removed</p>"
    top = max(n for _, n, _, _ in rows)
    label_w, bar_w, row_h = 230, 260, 20
    height = row_h * len(rows) + 6
    out = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{label_w + bar_w + 70}\" "
           f"height=\"{height}\" role=\"img\">"]
    for i, (key, n, fill, label) in enumerate(rows):
        y = i * row_h + 3
        width = max(1, round(bar_w * n / top))
        shown = label if len(label) <= 34 else label[:33] + "\u2026"
        text = (f"<text x=\"{label_w - 6}\" y=\"{y + 14}\" text-anchor=\"end\">"
                f"<title>{esc(label)}</title>{esc(shown)}</text>")
        if link:
            text = f"<a href=\"#rule-{esc(key)}\" data-filter=\"{esc(key)}\">{text}</a>"
        out.append(f"{text}<rect x=\"{label_w}\" y=\"{y + 2}\" width=\"{width}\" "
                   f"height=\"{row_h - 6}\" fill=\"{fill}\"><title>{esc(label)}: {_num(n)} "
                   f"lines</title></rect><text x=\"{label_w + width + 5}\" y=\"{y + 14}\">"
                   f"{_num(n)}</text>")
    out.append("</svg>")
    return "".join(out)


def _histogram(bins: list[int]) -> str:
    top = max(bins) or 1
    width, height, pad = 720, 170, 34
    step = (width - pad) / HISTOGRAM_BINS
    top_pad = 16  # room for the tallest bar's count
    out = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 {-top_pad} {width} "
           f"{height + 36 + top_pad}\" width=\"100%\" style=\"max-height:260px\" "
           "role=\"img\" id=\"histogram\">"]
    for i, n in enumerate(bins):
        h = round(height * n / top)
        x = pad + i * step
        lo, hi = 100 * i // HISTOGRAM_BINS, 100 * (i + 1) // HISTOGRAM_BINS
        out.append(f"<rect x=\"{x:.1f}\" y=\"{height - h}\" width=\"{step - 2:.1f}\" "
                   f"height=\"{h}\" fill=\"#1f77b4\"><title>{lo}-{hi} % removed: {_num(n)} "
                   f"documents</title></rect>")
        if n:
            out.append(f"<text x=\"{x + step / 2:.1f}\" y=\"{height - h - 3}\" "
                       f"text-anchor=\"middle\">{_num(n)}</text>")
        if i % 2 == 0:
            out.append(f"<text x=\"{x:.1f}\" y=\"{height + 15}\">{lo}%</text>")
    out.append(f"<text x=\"{pad}\" y=\"{height + 32}\">share of a document's characters "
               "removed (documents per 5 % bin)</text></svg>")
    return "".join(out)


def _sources(tally: Tally) -> str:
    ranked = sorted(tally.sources.items(), key=lambda kv: (-kv[1].documents, kv[0]))
    rows = ranked[:MAX_SOURCES]
    rest = ranked[MAX_SOURCES:]
    out = ["<div class=\"panel\"><table id=\"sources\"><tr><th>source</th><th>documents</th>"
           "<th>lines removed</th><th>characters removed</th><th>body kept</th></tr>"]

    def row(name: str, docs: int, lines: int, lines_removed: int, chars: int,
            removed: int) -> str:
        kept = 1 - removed / chars if chars else 1.0
        return (f"<tr><td>{esc(name)}</td><td>{_num(docs)}</td><td>{_num(lines_removed)} / "
                f"{_num(lines)}</td><td>{_num(removed)} / {_num(chars)}</td>"
                f"<td>{_pct(kept)}</td></tr>")

    for name, t in rows:
        out.append(row(name or "(no source)", t.documents, t.lines, t.lines_removed, t.chars,
                       t.chars_removed))
    if rest:
        out.append(row(f"{len(rest):,} more sources", sum(t.documents for _, t in rest),
                       sum(t.lines for _, t in rest), sum(t.lines_removed for _, t in rest),
                       sum(t.chars for _, t in rest), sum(t.chars_removed for _, t in rest)))
    out.append("</table></div>")
    return "".join(out)


def _filters(tally: Tally) -> str:
    buttons = ["<button data-filter=\"\" class=\"on\">all</button>"]
    buttons += [f"<button data-filter=\"{esc(code)}\" title=\"{esc(tally.rule_names.get(code))}"
                f"\">{esc(code)} ({_num(n)})</button>"
                for code, n in tally.rule_lines.most_common()]
    return "<div class=\"filters\">filter by rule: " + "".join(buttons) + "</div>"


def _sample(sample: Sample, tally: Tally, css_class: dict[str, str]) -> str:
    lines = []
    for line in sample.lines:
        r = line.removal
        if r is None:
            lines.append(f"<span class=\"k\">{esc(line.text)}</span>")
            continue
        cat = tally.category(r.rule)
        lines.append(f"<del class=\"{css_class[cat]}\" data-rule=\"{esc(r.rule)}\" "
                     f"title=\"{esc(r.rule)} {esc(r.name)} ({esc(cat)}): {esc(r.reason)}\">"
                     f"<span class=\"code\">{esc(r.rule)}</span>{esc(line.text)}</del>")
    source = f" &middot; source {esc(sample.source)}" if sample.source else ""
    note = f" &middot; {esc(sample.note)}" if sample.note else ""
    return (f"<section class=\"doc\" data-rules=\"{esc(' '.join(sorted(sample.rules)))}\">"
            f"<h3>{esc(sample.name)}{source} &middot; {_pct(sample.share_removed)} removed"
            f"{note}</h3><div class=\"lines\">{''.join(lines)}</div></section>")
