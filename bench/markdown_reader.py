"""Reading Markdown with its dialects: MB/s, and whether the time stays linear in the size.

    .venv/bin/python bench/markdown_reader.py [--repeat 3]

Input: the dialect corpus (tests/data/dialects, 32 pages of MkDocs, Hugo, Jekyll, Docusaurus
and Pandoc Markdown), each dialect's pages joined into one document, then that document
repeated 4 and 16 times (a long page of the same syntax). Each is read as `tirage update`
reads it (`read_markdown` with the folder's dialect: the dialect pass, markdown-it, sentence
segmentation) and its segments listed.
Peer: markdown-it-py's own parse of the same text (CommonMark preset, tables on), which
tirage's reader runs inside: the ratio is what the dialect pass, locating and segmenting
cost on top of parsing. The best of `--repeat` runs is kept (the machine is shared).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from markdown_it import MarkdownIt  # noqa: E402

from tirage.readers.markdown import read_markdown  # noqa: E402
from tirage.readers.markdown_dialects import MarkdownOptions  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "dialects"
DIALECTS = ("mkdocs", "hugo", "jekyll", "docusaurus", "pandoc")


def best(func: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        func()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    peer = MarkdownIt("commonmark").enable("table")
    print("| dialect | size | tirage | MB/s | markdown-it alone | ratio | s per MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for dialect in DIALECTS:
        pages = sorted(p for p in (CORPUS / dialect).iterdir() if p.suffix in (".md", ".mdx"))
        # Front matter only at the very top: later copies keep their bodies.
        one = "\n\n".join(p.read_text("utf-8").split("\n---\n", 2)[-1] for p in pages)
        options = MarkdownOptions(dialect, code_shortcodes=("highlight", "snippet", "intro"))
        for times in (1, 4, 16):
            text = "\n\n".join([one] * times)
            size = len(text.encode("utf-8")) / 1e6
            path = Path(f"{dialect}.md")

            def read(
                text: str = text, path: Path = path, options: MarkdownOptions = options
            ) -> None:
                read_markdown(path, path.name, text, "fr", options).segments()

            ours = best(read, args.repeat)
            theirs = best(lambda text=text: peer.parse(text), args.repeat)  # type: ignore[misc]
            print(
                f"| {dialect} | {size:.2f} MB | {ours:.3f} s | {size / ours:.2f} | "
                f"{theirs:.3f} s | {ours / theirs:.1f}× | {ours / size:.3f} |"
            )


if __name__ == "__main__":
    main()
