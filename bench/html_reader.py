"""Reading and segmenting HTML sources: MB/s on the corpus, next to Markdown's, and a 50 MB page.

Run from the repository root:  .venv/bin/python bench/html_reader.py [--big-mb 50]

1. The HTML corpus (tests/data/corpus/html, 16 real French pages) is read and segmented
   (`read_document`: charset, parse, sentences) several times; the same pages' prose, as
   Markdown (one paragraph per segment, headings as `#`), is read the same way: the peer.
2. A big page (the Le Monde article's body repeated to --big-mb MB) is read at a tenth of the
   size and at full size, each in a fresh process: time ratio (linear means ~10×) and the
   peak resident memory of each.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tirage.readers import read_document  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus" / "html"


def throughput(paths: list[Path], rounds: int) -> tuple[float, int]:
    """MB/s (CPU time) of read_document over `paths` (bytes on disk), and segments per round."""
    size = sum(p.stat().st_size for p in paths)
    segments = 0
    start = time.process_time()
    for _ in range(rounds):
        segments = sum(len(read_document(p, p.parent).segments()) for p in paths)
    elapsed = time.process_time() - start
    return size * rounds / elapsed / 1e6, segments


def as_markdown(pages: list[Path], folder: Path) -> list[Path]:
    """Each page's segments as a Markdown document: the same prose, Markdown's markup."""
    out = []
    for page in pages:
        doc = read_document(page, page.parent)
        lines = []
        for block in doc.blocks:
            text = " ".join(s.text for s in block.segments)
            lines.append(("## " if block.role == "heading" else "") + text)
        path = folder / f"{page.stem}.md"
        path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        out.append(path)
    return out


def big_page(mb: float, folder: Path) -> Path:
    body = (CORPUS / "readability-lemonde-1.html").read_text(encoding="utf-8")
    start, end = body.index("<body"), body.rindex("</body>")
    chunk = body[start:end]
    repeat = max(1, int(mb * 1e6 / len(chunk.encode("utf-8"))))
    path = folder / f"big-{mb:g}.html"
    path.write_text(body[:end] + chunk * repeat + body[end:], encoding="utf-8")
    return path


# Peak memory from /proc (VmHWM): getrusage's ru_maxrss carries the parent's peak across fork.
CHILD = """
import sys, time
sys.path.insert(0, {src!r})
from pathlib import Path
from tirage.readers import read_document
start = time.process_time()  # CPU time: the machine is shared, wall time is noise
doc = read_document(Path({path!r}), Path({folder!r}))
n = len(doc.segments())
elapsed = time.process_time() - start
peak = next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(elapsed, n, peak)
"""


def read_in_child(path: Path) -> tuple[float, int, int]:
    code = CHILD.format(src=str(ROOT / "src"), path=str(path), folder=str(path.parent))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, segments, peak_kb = done.stdout.split()
    return float(seconds), int(segments), int(peak_kb)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big-mb", type=float, default=50.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pages = sorted(CORPUS.glob("*.html"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        markdown = as_markdown(pages, folder)
        html_rate, html_segments = throughput(pages, args.rounds)
        md_rate, md_segments = throughput(markdown, args.rounds)
        print(f"corpus: {len(pages)} pages, {sum(p.stat().st_size for p in pages) / 1e6:.2f} MB")
        print(f"HTML     {html_rate:6.2f} MB/s  ({html_segments} segments)")
        print(f"Markdown {md_rate:6.2f} MB/s  ({md_segments} segments, same prose)")
        prose_html = sum(p.stat().st_size for p in pages)
        prose_md = sum(p.stat().st_size for p in markdown)
        print(
            f"per segment: HTML {html_rate * 1e6 / (prose_html / html_segments):,.0f} seg/s, "
            f"Markdown {md_rate * 1e6 / (prose_md / md_segments):,.0f} seg/s"
        )
        small, big = big_page(args.big_mb / 10, folder), big_page(args.big_mb, folder)
        code = CHILD.format(src=str(ROOT / "src"), path="/dev/null", folder="/")
        code = code.replace(
            "doc = read_document", "import tirage.readers; doc = None and read_document"
        )
        code = code.replace("n = len(doc.segments())", "n = 0")
        base = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        t_small, n_small, m_small = read_in_child(small)
        t_big, n_big, m_big = read_in_child(big)
        for label, path, t, n, m in (
            ("tenth", small, t_small, n_small, m_small),
            ("full", big, t_big, n_big, m_big),
        ):
            mb = path.stat().st_size / 1e6
            print(
                f"big page ({label}): {mb:.1f} MB in {t:.1f} s CPU ({mb / t:.2f} MB/s), "
                f"{n} segments, peak RSS {m / 1024:.0f} MB"
            )
        print(f"CPU time ratio full/tenth: {t_big / t_small:.1f}× for 10× the size")
        print(f"interpreter and tirage.readers alone: {int(base.stdout.split()[2]) / 1024:.0f} MB")


if __name__ == "__main__":
    main()
