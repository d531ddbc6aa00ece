"""Per-page counts for the real-page corpus (tests/data/corpus), as a Markdown table.

    .venv/bin/python bench/corpus.py

For each page: its format and size, the segments and distinct msgids tirage reads, the source
words of the POT (as `tirage stats` counts them), the protected spans those segments hold
(code, macros, URLs, link targets and labels, tags…), the words of the page's prose that are
missing from the POT (tests/test_corpus.py asserts 0), the protected spans lost by a pseudo
translation's Markdown or text edition (asserted 0), the error and warning findings of
`tirage check` on the pseudo translation (leaving out the finding that says it is
pseudo-localised). The run's total time is printed last.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))

from test_corpus import PAGES, prose_words  # noqa: E402
from tirage.catalog import build_template  # noqa: E402
from tirage.editions import Translations, render_text  # noqa: E402
from tirage.editions.markdown import render_markdown_source  # noqa: E402
from tirage.mt.pseudo import PseudoEngine  # noqa: E402
from tirage.quality.checks import ERROR, Context, check_catalog  # noqa: E402
from tirage.quality.stats import word_count  # noqa: E402
from tirage.readers import read_document  # noqa: E402
from tirage.text.protect import find_protected, translate_protected  # noqa: E402

_WORD = re.compile(r"[^\W\d_]+")


def main() -> None:
    print(
        "| page | format | bytes | segments | msgids | words | protected | prose words "
        "missing | protected lost | check errors | check warnings |"
    )
    print("| --- |" + " --- |" * 10)
    started = time.perf_counter()
    totals: Counter[str] = Counter()
    for page in PAGES:
        doc = read_document(page, page.parent)
        segments = doc.segments()
        msgids = list(dict.fromkeys(s.text for s in segments))
        words = sum(word_count(m) for m in msgids)
        wanted: Counter[str] = Counter()
        for segment in segments:
            wanted.update(segment.text[s:e] for s, e in find_protected(segment.text))
        in_pot = {w for m in msgids for w in _WORD.findall(m)}
        missing = len(set(prose_words(page)) - in_pot)
        out = translate_protected(PseudoEngine(), msgids)
        pseudo = {m: o.text for m, o in zip(msgids, out, strict=True)}
        translations = Translations.from_dict(pseudo)
        render = render_markdown_source if doc.format == "markdown" else render_text
        edition = render(doc, translations, "en")
        lost = sum(1 for value, n in wanted.items() if edition.count(value) < n)
        po = build_template(doc)
        for entry in po:
            entry.msgstr = pseudo[entry.msgid]
        findings = [
            f for f in check_catalog(po, page.name, Context("fr", "en")) if f.check != "leftovers"
        ]
        errors = sum(f.severity == ERROR for f in findings)
        row = {
            "bytes": len(page.read_bytes()),
            "segments": len(segments),
            "msgids": len(msgids),
            "words": words,
            "protected": sum(wanted.values()),
            "missing": missing,
            "lost": lost,
            "errors": errors,
            "warnings": len(findings) - errors,
        }
        totals.update(row)
        cells = " | ".join(str(v) for v in row.values())
        print(f"| `{page.name}` | {doc.format} | {cells} |")
    cells = " | ".join(str(totals[k]) for k in row)
    print(f"| **{len(PAGES)} pages** | | {cells} |")
    elapsed = time.perf_counter() - started
    print(f"\nread, pseudo-translate, render and check all pages: {elapsed:.2f} s")


if __name__ == "__main__":
    main()
