"""Word counts in every script: `tirage stats` against `update`, and the counters side by side.

    .venv/bin/python bench/wordcount.py [--size 20000] [--scripts ru,zh,...]

A throwaway workspace holds one generated French article of `--size` sentences (as
bench/update.py makes them) and one target language; `update` runs once, then `stats` once
(its first run also creates the translation memory, so it is not counted). Then, for each
script, every entry of the catalog is given a translation drawn from that script's sample
sentences (words shuffled, so that no two are alike), and `stats` runs in a new process, as
a user would. Both are CPU times (user + system) of the whole process, start-up included; the
target is stats within 3× update.

Then the counters themselves, in this process, on the same translations: tirage's
`word_count`, translate-toolkit's `pocount.wordcount` (the reference), and the candidate
segmenters on their own: uniseg (pure Python UAX #29, what tirage used outside Latin), the
`regex` module's `(?w)` default word boundaries, and unicode-segmentation-rs (the Rust
UAX #29 that pocount uses). Microseconds a string (best of 5 passes), and whether each agrees
with pocount.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from update import sentences, write_source

from tirage.po.pofile import read_po, save_po
from tirage.quality.stats import word_count

SAMPLES = {
    "Latin (French)": "L'enveloppe financière d'aujourd'hui reste modeste : 3,5 % en 2014 pour "
    "Clust'R, et l'État n'y peut rien.",
    "Vietnamese": "Tiếng Việt có nhiều dấu thanh điệu, và người ta viết chữ Quốc ngữ từ thế kỷ 17.",
    "Cyrillic": "Цифровой сектор Роны-Альп сумел организоваться, и сегодня он должен опираться "
    "на сильные стороны каждой территории.",
    "Greek": "Ο ψηφιακός τομέας της περιοχής κατάφερε να οργανωθεί και σήμερα πρέπει να "
    "αξιοποιήσει τα δυνατά του σημεία.",
    "Arabic": "تمكن القطاع الرقمي في المنطقة من تنظيم نفسه، واليوم يجب أن يستمر في الاعتماد "
    "على نقاط القوة الخاصة بكل منطقة.",
    "Hebrew": "המגזר הדיגיטלי באזור הצליח להתארגן, והיום עליו להמשיך להישען על החוזקות "
    "המיוחדות של כל אזור.",
    "CJK (Chinese)": "罗纳-阿尔卑斯 大区的数字产业 已经组织起来， "
    "今天必须继续 发挥各地的 特殊优势。",
    "CJK (Japanese)": "ローヌ＝アルプ地域の デジタル産業は 組織化に 成功しました。 今日、"
    "各地域の 強みを 活かし続けなければ なりません。",
    "Devanagari": "क्षेत्र का डिजिटल क्षेत्र संगठित होने में कामयाब रहा है, और आज उसे हर क्षेत्र "
    "की विशेष ताकत पर निर्भर रहना होगा।",
    "Thai": "ภาคดิจิทัล ในภูมิภาค สามารถจัดระเบียบ ตัวเองได้ และวันนี้ จะต้องใช้ จุดแข็ง ของแต่ละพื้นที่",
    "pseudo-localised": "[Ļé ñûɱéŕîǫûé éñ ƒêţé à Ļýöñ, ţŕöîš ĵöûŕš đ’àţéļîéŕš ~~~~~~~~~~]",
}


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def run(root: Path, *args: str) -> float:
    """CPU seconds of one `python -m tirage` process."""
    before = _cpu()
    subprocess.run(
        [sys.executable, "-m", "tirage", *args, "--workspace", str(root)],
        capture_output=True,
        check=True,
    )
    return _cpu() - before


def translations(sample: str, count: int, rng: random.Random) -> list[str]:
    words = sample.split()
    out = []
    for _ in range(count):
        rng.shuffle(words)
        out.append(" ".join(words[: rng.randint(4, len(words))]))
    return out


def per_string(func: Callable[[str], int], texts: list[str]) -> tuple[float, list[int]]:
    """Microseconds a string, best of 5 passes (a shared machine's pauses are not the
    counter's), and the counts."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        counts = [func(text) for text in texts]
        best = min(best, time.perf_counter() - start)
    return best / len(texts) * 1e6, counts


def counters() -> dict[str, Callable[[str], int]]:
    import regex
    from translate.tools.pocount import wordcount
    from unicode_segmentation_rs import unicode_words
    from uniseg.wordbreak import words as uniseg_words

    def alnum(pieces: object) -> int:
        return sum(1 for w in pieces if any(c.isalnum() for c in w))  # type: ignore[attr-defined]

    boundary = regex.compile(r"(?wV1)\b")
    return {
        "tirage word_count": word_count,
        "pocount wordcount (reference)": wordcount,
        "uniseg": lambda t: alnum(uniseg_words(t)),
        "regex (?w)": lambda t: alnum(boundary.split(t)),
        "unicode-segmentation-rs": lambda t: len(unicode_words(t)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--scripts", default="", help="comma-separated names (default: all)")
    parser.add_argument("--sample", type=int, default=1000, help="strings per counter")
    args = parser.parse_args()
    wanted = [s for s in SAMPLES if not args.scripts or s in args.scripts.split(",")]
    os.environ["SOURCE_DATE_EPOCH"] = "1795000000"
    rng = random.Random(22)
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "source").mkdir()
        write_source(root, sentences(args.size, random.Random(args.size)))
        (root / "tirage.toml").write_text(
            'source_language = "fr"\ntarget_languages = ["en"]\n', encoding="utf-8"
        )
        update = run(root, "update", "-q")
        path = root / "locales" / "en" / "long.po"
        entries = len(read_po(path))
        first = run(root, "stats")  # the first stats also creates the translation memory
        print(f"{entries:,} entries; update: {update:.2f} s CPU; first stats: {first:.2f} s")
        print("| translations in | stats CPU | stats / update |")
        print("| --- | --- | --- |")
        for script in wanted:
            po = read_po(path)
            for entry, text in zip(po, translations(SAMPLES[script], len(po), rng), strict=True):
                entry.msgstr = text
            save_po(path, po)
            stats = run(root, "stats")
            print(f"| {script} | {stats:.2f} s | {stats / update:.2f}× |", flush=True)
        funcs = counters()
        rows.append("| script | " + " | ".join(funcs) + " |")
        rows.append("| --- |" + " --- |" * len(funcs))
        for script in wanted:
            texts = translations(SAMPLES[script], args.sample, rng)
            timings = {name: per_string(func, texts) for name, func in funcs.items()}
            reference = timings["pocount wordcount (reference)"][1]
            cells = []
            for _name, (micro, counts) in timings.items():
                agree = sum(a == b for a, b in zip(counts, reference, strict=True))
                mark = "" if agree == len(texts) else f", {len(texts) - agree} differ"
                cells.append(f"{micro:.1f} µs{mark}")
            rows.append(f"| {script} | " + " | ".join(cells) + " |")
    print()
    print("\n".join(rows))
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
