"""Write view (b), the visible text of the 181 Zyte pages, as JSONL for ``clean report``.

The recipe is that of ``views.build`` (every visible block's text, one a line), without
trafilatura or labels, which the report does not need. Run from the repository root:

    PYTHONPATH=. python benchmarks/zyte_visible_jsonl.py /tmp/zyte-visible.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlparse

import zyte

from cleaner.html import parse_html
from cleaner.htmlblocks import blocks


def main(out_path: str, data_dir: str = "../shared/bench/zyte") -> int:
    count = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for page in zyte.load(Path(data_dir)):
            root = parse_html(page.html)
            visible = "\n".join(b.text for b in blocks(root)) if root is not None else ""
            record = {"key": page.key, "url": page.url, "site": urlparse(page.url).netloc,
                      "text": visible}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


if __name__ == "__main__":
    print(main(*sys.argv[1:2] or ["/tmp/zyte-visible.jsonl"]))
