"""Build benchmark inputs from real text: the seed plus Zyte articleBody texts with cruft.

Shared by the benchmark scripts so they all time the same kind of document. Nothing here is
committed data: the Zyte texts are read from the data folder given on the command line.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "corpus" / "seed" / "000_72fe2c800ecb310f.txt"

# Cruft lines of the kinds the rules target, spliced into gold bodies so the engine has real
# work (the seed supplies the founding example as it is).
CRUFT_HEAD = ["by Pelican Press", "3 minutes read", "By Jane Doe, Associated Press"]
CRUFT_TAIL = ["Source link", "Add Comment", "You may also like", "Share this article",
              "Follow us on Twitter", "Advertisement", "Sign up for our daily newsletter"]


def zyte_bodies(data_dir: Path) -> list[str]:
    truth = json.loads((data_dir / "ground-truth.json").read_text("utf-8"))
    return [record["articleBody"] for record in truth.values()]


def documents(data_dir: Path, seed: int = 0) -> Iterator[str]:
    """An endless stream of realistic documents (deterministic for a given seed)."""
    rng = random.Random(seed)
    bodies = [*zyte_bodies(data_dir), SEED.read_text("utf-8")]
    while True:
        body = rng.choice(bodies)
        if rng.random() < 0.5:
            title = body.split("\n", 1)[0][:90]
            parts = [title, rng.choice(CRUFT_HEAD), body, *rng.sample(CRUFT_TAIL, 3)]
            body = "\n\n".join(parts)
        yield body


def write_parquet(path: Path, data_dir: Path, size: int, row_group: int,
                  compression: str = "none") -> tuple[int, int]:
    """Write ``size`` bytes (about) of text as Parquet rows (id, source, text); (rows, groups).

    Row groups hold ``row_group`` bytes of text each. Uncompressed and without dictionaries by
    default, so the file on disk is as large as the text in it (the documents repeat, which a
    dictionary or codec would fold away). Needs pyarrow (``cleaner[parquet]``).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("id", pa.int64()), ("source", pa.string()), ("text", pa.string())])
    rows = groups = written = 0
    texts: list[str] = []
    held = 0
    with pq.ParquetWriter(path, schema, compression=compression, use_dictionary=False) as out:
        for text in documents(data_dir):
            texts.append(text)
            held += len(text.encode("utf-8"))
            if held < row_group and written + held < size:
                continue
            ids = range(rows + 1, rows + len(texts) + 1)
            table = pa.table({"id": pa.array(ids, pa.int64()),
                              "source": [f"site{i % 50}.example" for i in ids],
                              "text": texts}, schema=schema)
            out.write_table(table, row_group_size=len(texts))
            rows, groups, written = rows + len(texts), groups + 1, written + held
            texts, held = [], 0
            if written >= size:
                break
    return rows, groups


def write_jsonl(path: Path, data_dir: Path, size: int) -> int:
    """Write ``size`` bytes (about) of JSONL records; return the record count."""
    count = 0
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        for count, text in enumerate(documents(data_dir), start=1):
            line = json.dumps({"id": count, "source": "bench", "text": text}) + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            if written >= size:
                break
    return count
