"""The desk at scale, as behaviour: a save through what the desk already parsed writes the
bytes a full save writes, and the next page parses nothing again. (Times are in
bench/serve.py.)"""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from serve_workspace import MATCHED, make_workspace
from test_serve import PREFIX, RITA, ROOT, TOKEN, client, csrf, decide
from tirage import entry_view, review
from tirage.po.pofile import format_entry, read_po, save_po
from tirage.quality.checks import check_entry
from tirage.review import Decision, apply_decision, load_catalog
from tirage.serve import app, memo, pages
from tirage.serve.app import STATIC
from tirage.serve.memo import Memo
from tirage.serve.pages import dashboard
from tirage.workspace import load_workspace


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    make_workspace(tmp_path / "ws")
    return tmp_path / "ws"


def test_a_planned_save_writes_what_a_full_save_writes(desk: Path, tmp_path: Path) -> None:
    ws = load_workspace(desk)
    catalog = desk / "locales" / "es" / "doc.po"
    twin = desk / "locales" / "es" / "twin.po"
    shutil.copy(catalog, twin)
    for entry in read_po(catalog):
        if not entry.msgid or not entry.msgstr:
            continue
        known = load_catalog(catalog)
        for path, given in ((catalog, known), (twin, None)):
            made = Decision(path, "es", entry.msgid, entry.msgctxt, entry.msgstr + " ¡ok!",
                            entry.msgstr, "Rita <rita@example.org>")  # fmt: skip
            saved = apply_decision(ws, made, None, given)
            assert (saved.stamp is not None) == (given is not None)
        assert catalog.read_bytes() == twin.read_bytes()
        assert known.data == catalog.read_bytes()  # kept in step with the file
    # Changed on disk behind the desk's back: the save is made on the file as it is now.
    known = load_catalog(catalog)
    po = read_po(catalog)
    po.find("Bien sûr.").tcomment = "Poedit was here"
    save_po(catalog, po)
    first = next(e for e in po if e.msgid and e.msgid != "Bien sûr." and e.msgstr)
    made = Decision(catalog, "es", first.msgid, None, "Nuevo.", first.msgstr, "Rita")
    saved = apply_decision(ws, made, None, known)
    assert saved.stamp is None and known.data is None  # not to be trusted any more
    after = read_po(catalog)
    assert after.find("Bien sûr.").tcomment == "Poedit was here"
    assert after.find(first.msgid).msgstr == "Nuevo."


def test_many_planned_saves_through_one_catalog_keep_its_blocks_in_place(
    desk: Path,
) -> None:
    """A sitting: saves one after another through the catalog the desk read, each entry's
    block found where the earlier saves moved it (then found again from scratch); every
    save writes what a full save writes."""
    ws = load_workspace(desk)
    catalog = desk / "locales" / "es" / "doc.po"
    twin = desk / "locales" / "es" / "twin.po"
    shutil.copy(catalog, twin)
    known = load_catalog(catalog)
    texts = {e.msgid: e.msgstr for e in known.active if e.msgstr}
    rounds = review.MOVES_KEPT // 2 + 3  # two moves a save: past the point of finding again
    for number in range(rounds):
        for msgid in list(texts)[number % 2 :: 2]:  # every other entry, back and forth
            entry = known.entry(msgid, None)
            assert entry is not None and known.data is not None
            at, _ = known.block_at(entry)  # where the saves before moved it
            assert known.data.startswith(b"\n\n" + format_entry(entry).encode(), at)
            new = f"{texts[msgid]} ({number})" + "!" * (number % 3)
            for path, given in ((catalog, known), (twin, None)):
                made = Decision(path, "es", msgid, None, new, texts[msgid], "Rita <r@example.org>")
                assert (apply_decision(ws, made, None, given).stamp is not None) == bool(given)
            texts[msgid] = new
            assert catalog.read_bytes() == twin.read_bytes()
    assert known.data == catalog.read_bytes()


def test_after_a_save_the_next_page_parses_no_catalog(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = client(desk)
    token = csrf(web)
    assert token and web.get("/review/es/doc").status_code == 200
    parsed: list[str] = []
    real = review.parse_po

    def counted(text: str, path: Path | None = None) -> object:
        parsed.append(str(path))
        return real(text, path)

    monkeypatch.setattr(review, "parse_po", counted)
    status, answer = decide(web, lang="es", doc="doc", msgid=MATCHED, msgstr="¿Tiene ella?",
                            base="Ha los medios ?")  # fmt: skip
    assert status == 200, answer
    assert web.get("/review/es/doc?filter=all").status_code == 200
    assert web.get("/").status_code == 200
    assert parsed == []
    assert read_po(desk / "locales" / "es" / "doc.po").find(MATCHED).msgstr == "¿Tiene ella?"
    # Someone else writes the file: the desk reads it again.
    path = desk / "locales" / "es" / "doc.po"
    po = read_po(path)
    po.find("Bien sûr.").msgstr = "Claro."
    save_po(path, po)
    assert "Claro." in web.get("/review/es/doc?filter=all&n=1").text
    assert parsed == [str(path)]


def test_assets_have_content_hashed_names_and_are_kept(desk: Path) -> None:
    web = client(desk)
    page = web.get("/").text
    assert web.get("/").headers["cache-control"] == "no-store"  # pages are never kept
    for name in ("desk.css", "desk.js"):
        stem, suffix = name.split(".")
        found = re.search(rf'"/desk-pr3fix/static/({stem}\.[0-9a-f]{{16}}\.{suffix})"', page)
        assert found is not None, name
        response = web.get(f"/static/{found.group(1)}")
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.content == (STATIC / name).read_bytes()
        assert web.get(f"/static/{name}").status_code == 404  # only by the hashed name


def test_a_restarted_desk_counts_only_what_changed(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = load_workspace(desk)
    first = dashboard(ws, Memo(ws))
    parsed: list[str] = []
    real = review.parse_po

    def counted(text: str, path: Path | None = None) -> object:
        parsed.append(Path(str(path)).name)
        return real(text, path)

    monkeypatch.setattr(review, "parse_po", counted)
    again = dashboard(ws, Memo(ws))  # as after a restart: nothing changed, nothing parsed
    assert parsed == []
    assert [(r.stats.segments, r.stats.words, r.coverage) for r in again.rows] == [
        (r.stats.segments, r.stats.words, r.coverage) for r in first.rows
    ]
    path = desk / "locales" / "es" / "doc.po"
    po = read_po(path)
    po.find("Bien sûr.").flags = []
    save_po(path, po)
    changed = dashboard(ws, Memo(ws))
    assert parsed == ["doc.po"]
    row = next(r for r in changed.rows if (r.stats.doc, r.stats.lang) == ("doc", "es"))
    assert row.stats.segments["translated"] == 1
    (desk / ".tirage" / "desk-cache.json").write_text("[1, {", encoding="utf-8")
    assert len(dashboard(ws, Memo(ws)).rows) == 4  # a broken cache is only ignored


def test_a_first_dashboard_comes_at_once_and_is_filled_in(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A first run (no desk cache) whose counting is slow: the dashboard does not wait for it.
    (desk / ".tirage" / "desk-cache.json").unlink(missing_ok=True)
    release = threading.Event()
    real = pages._measure

    def slow(*args: Any) -> Any:
        assert release.wait(30)
        return real(*args)

    monkeypatch.setattr(pages, "_measure", slow)
    monkeypatch.setattr(app, "COUNTING_WAIT", 0.2)
    desk_app = app.create_app(load_workspace(desk), RITA, TOKEN, PREFIX)
    web = TestClient(desk_app, base_url=ROOT + "/")
    first = web.get(f"/?token={TOKEN}")
    assert first.status_code == 200
    assert 'role="status" data-pending="4"' in first.text
    assert "Counting 4 catalogs" in first.text and first.text.count("counting…") == 4
    assert "Review doc in Spanish" in first.text  # each catalog can be opened meanwhile
    release.set()
    assert desk_app.counted is not None and desk_app.counted.wait(30)
    then = web.get("/").text
    assert 'data-pending="0"' in then and "counting…" not in then
    assert "passes the publish threshold" in then or "below the publish threshold" in then
    assert desk_app.warmed is not None and desk_app.warmed.wait(60)


def test_check_findings_kept_are_bounded(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memo, "FINDINGS_KEPT", 3)
    ws = load_workspace(desk)
    kept = Memo(ws)
    entries = [e for e in read_po(desk / "locales" / "es" / "doc.po") if e.msgid]
    for number in range(10):  # a sitting of saves: each one a new translation to check
        entries[0].msgstr = f"Versión {number}"
        kept.findings("es", entries[0])
    assert len(kept._findings) == 3
    again = [kept.findings("es", e) for e in entries]
    assert again == [check_entry(e, kept.context("es")) for e in entries]


def test_an_entry_page_lists_only_its_latest_decisions(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(entry_view, "HISTORY_SHOWN", 2)
    web = client(desk)
    before = "Ha los medios ?"
    for text in ("Uno.", "Dos.", "Tres."):  # the same entry saved over and over
        status, answer = decide(web, lang="es", doc="doc", msgid=MATCHED, msgstr=text, base=before)
        assert status == 200, answer
        before = text
    page = web.get("/review/es/doc?filter=all&q=moyens").text
    listed = page.split('<ol class="history">')[1].split("</ol>")[0]
    assert "“Tres.”" in listed and "“Dos.”" in listed and "→ <span" in listed
    assert '“Uno.”</span> (reviewed) → <span class="after"' in listed  # Dos's "before"
    assert listed.count('<span class="when">') == 2
    assert "Earlier decisions are kept in" in listed


def test_an_entry_is_shown_in_its_paragraph_of_the_source_as_it_is_now(desk: Path) -> None:
    memo = Memo(load_workspace(desk))
    assert memo.paragraph("doc", MATCHED) == [
        ("Bien sûr.", False),
        (MATCHED, True),
        ("Le label nous a poussés.", False),
    ]
    assert memo.paragraph("doc", "Absent.") == [("Absent.", True)]
    assert memo.paragraph("nodoc", MATCHED) == [(MATCHED, True)]
    source = desk / "source" / "doc.md"
    text = source.read_text(encoding="utf-8").replace("Bien sûr. ", "")
    source.write_text(text + "\nBien sûr. Encore.\n", encoding="utf-8")
    assert memo.paragraph("doc", MATCHED) == [(MATCHED, True), ("Le label nous a poussés.", False)]
    # A sentence in two paragraphs is shown in the first.
    source.write_text(text + "\nEncore. Le label nous a poussés.\n", encoding="utf-8")
    assert memo.paragraph("doc", "Le label nous a poussés.")[0] == (MATCHED, False)
