"""`tirage translate`'s progress bar: one per language, in segments, with throughput and ETA.

The bar is drawn on a terminal only (quiet in pipes and with --quiet); these tests read the
line it would draw, with the timing figures set by hand rather than measured."""

from __future__ import annotations

import io

from tirage.cli.translate import progress_bar, throughput


def test_bar_line_shows_progress_throughput_and_eta() -> None:
    bar = progress_bar("fr", 100, io.StringIO())
    assert "segments/s" not in bar.format_progress_line()  # nothing measured yet
    bar.pos, bar.avg, bar.eta_known = 10, [0.08], True  # 0.08 s a segment so far
    line = bar.format_progress_line()
    assert line.startswith("fr ")
    assert "10%" in line
    assert "00:00:07" in line  # 90 segments left at 12.5 a second
    assert line.endswith("12.5 segments/s")


def test_throughput_wording() -> None:
    assert throughput(0.0) is None
    assert throughput(0.5) == "2.0 segments/s"
    assert throughput(0.001) == "1000 segments/s"
