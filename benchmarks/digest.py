"""One digest per corpus document of everything ``Cleaner.clean`` returns, to compare two runs.

Usage: python benchmarks/digest.py [../shared/bench/zyte] [--out digests.json] [--against old.json]
       CLEANER_PURE=1 python benchmarks/digest.py ...   (the pure-Python reference path)

The documents: the real-world corpus (corpus/realworld/docs.jsonl), the labelled sample and
the Zyte articleBody sample, the seed, and, given the Zyte benchmark directory, each page's
trafilatura text and full visible text; each also with CRLF and lone-CR line breaks and a
byte-order mark, so the line table's parse meets every convention. A digest covers the text,
every removal (code, name, line, column, text, reason, offsets), the title, the metadata and
the warnings. Run it on two trees (``PYTHONPATH``) or with and without ``CLEANER_PURE=1``,
then compare with ``--against``: the compiled line table must change no digest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import cleaner
from cleaner import Cleaner, CleanResult

REPO = Path(__file__).resolve().parent.parent


def documents(zyte_dir: Path | None) -> dict[str, str]:
    """Every corpus text by a stable name, with its line-break variants."""
    base: dict[str, str] = {}
    for path in ("corpus/realworld/docs.jsonl", "corpus/labelled/sample.jsonl",
                 "corpus/zyte-articlebody/sample.jsonl"):
        for number, line in enumerate((REPO / path).read_text("utf-8").splitlines()):
            record = json.loads(line)
            for field in ("text", "articleBody"):
                if isinstance(record.get(field), str):
                    base[f"{path}:{number}:{field}"] = record[field]
    for seed in sorted((REPO / "corpus" / "seed").glob("*.txt")):
        base[f"seed:{seed.name}"] = seed.read_text("utf-8")
    if zyte_dir is not None:
        sys.path.insert(0, str(REPO / "benchmarks"))
        import throughput
        import zyte

        for view, texts in throughput.views(zyte.load(zyte_dir)).items():
            for number, text in enumerate(texts):
                base[f"zyte:{view}:{number}"] = text
    out: dict[str, str] = {}
    for name, text in base.items():
        out[name] = text
        lf = text.replace("\r\n", "\n")
        out[f"{name}:crlf"] = lf.replace("\n", "\r\n")
        out[f"{name}:cr"] = lf.replace("\n", "\r")
        out[f"{name}:bom"] = "\ufeff" + text
    return out


def digest(result: CleanResult) -> str:
    """A hash of every field of ``result`` that a caller can see."""
    payload = json.dumps([
        result.text, [list(r) for r in result.removed], result.title,
        sorted(result.metadata.items()), list(result.warnings),
    ], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("zyte_dir", type=Path, nargs="?")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--against", type=Path, help="digests of another run to compare with")
    args = parser.parse_args()
    texts = documents(args.zyte_dir)
    engine = Cleaner()
    digests = {name: digest(engine.clean(text)) for name, text in texts.items()}
    print(f"{len(digests)} documents, accelerated={getattr(cleaner, 'accelerated', None)}, "
          f"cleaner from {Path(cleaner.__file__).parent}")
    if args.out:
        args.out.write_text(json.dumps(digests, indent=0, sort_keys=True), "utf-8")
    if args.against:
        other = json.loads(args.against.read_text("utf-8"))
        differ = sorted(n for n in digests.keys() | other.keys()
                        if digests.get(n) != other.get(n))
        print(f"compared with {args.against}: {len(digests.keys() & other.keys())} in both, "
              f"{len(differ)} differ")
        for name in differ[:20]:
            print(f"  differs: {name}")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
