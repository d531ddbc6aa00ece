"""The translation memory: reuse across documents, post-edit records, TMX round trip, index."""

from __future__ import annotations

import random
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tirage import memory as memory_module
from tirage.cli import main
from tirage.errors import CatalogError
from tirage.interchange.tmx import export_tmx, import_tmx
from tirage.memory import CANDIDATES, TranslationMemory, edit_ratio
from tirage.po.pofile import read_po, save_po
from tirage.provenance import Provenance, set_provenance
from tirage.workspace import load_workspace

from conftest import INTERVIEW

SENTENCES = {
    "Bien sûr.": "Of course.",
    "Aujourd'hui, la province a une longueur d'avance et doit en profiter.": (
        "Today, the provinces are a step ahead and must make the most of it."
    ),
    "Le label nous a poussés à fédérer notre écosystème.": (
        "The label pushed us to bring our ecosystem together."
    ),
}


def write_catalog(path: Path, entries: list[polib.POEntry], lang: str = "en") -> None:
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Language": lang, "Content-Type": "text/plain; charset=UTF-8"}
    for entry in entries:
        po.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_po(path, po)


def reviewed(source: str, target: str) -> polib.POEntry:
    return polib.POEntry(msgid=source, msgstr=target)


def test_reuse_across_two_documents(workspace: Path) -> None:
    ws = load_workspace(workspace)
    write_catalog(
        ws.po_path("en", "first"),
        [reviewed(s, t) for s, t in SENTENCES.items()]
        + [polib.POEntry(msgid="Pas encore traduit.", msgstr="")],
    )
    with TranslationMemory.open(ws) as memory:
        assert memory.refresh(ws) == 3
        assert memory.refresh(ws) == 0  # nothing new the second time
        exact = memory.lookup("Bien sûr.", "fr", "en")
        assert exact is not None
        assert (exact.target, exact.score, exact.doc) == ("Of course.", 100.0, "first")
        similar = memory.lookup(
            "Aujourd'hui, la province a une longueur d'avance et elle doit en profiter.", "fr", "en"
        )
        assert similar is not None
        assert similar.target.startswith("Today, the provinces")
        assert 75 <= similar.score < 100
        assert similar.doc == "first"
        assert memory.lookup("Bien sûr.", "fr", "es") is None  # another target language
        assert memory.lookup("Une phrase sans rapport avec les autres.", "fr", "en") is None
        assert memory.lookup("Pas encore traduit.", "fr", "en") is None  # not reviewed


def test_translate_fills_the_second_document_from_the_first(
    workspace: Path, runner: CliRunner
) -> None:
    """End to end: a reviewed sentence of one document comes back in another."""
    first, second = "premier", "second"
    (workspace / "source" / f"{first}.txt").write_text(
        "Bien sûr.\n\nLe label nous a poussés à fédérer notre écosystème.\n", encoding="utf-8"
    )
    (workspace / "source" / f"{second}.txt").write_text(
        "Bien sûr.\n\nLe label nous a poussé à fédérer tout notre écosystème.\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["update", "-q", "-w", str(workspace)])
    assert result.exit_code == 0, result.output
    ws = load_workspace(workspace)
    path = ws.po_path("en", first)
    po = read_po(path)
    for entry in po:
        if entry.msgid in SENTENCES:
            entry.msgstr = SENTENCES[entry.msgid]
    save_po(path, po)
    result = runner.invoke(
        main,
        ["translate", "-w", str(workspace), "--to", "en", "--doc", second, "--engine", "pseudo"],
    )
    assert result.exit_code == 0, result.output
    filled = {e.msgid: e for e in read_po(ws.po_path("en", second))}
    exact = filled["Bien sûr."]
    assert exact.msgstr == "Of course." and "fuzzy" not in exact.flags  # reviewed once is enough
    assert "engine=memory" in exact.tcomment and "score=100" in exact.tcomment
    similar = filled["Le label nous a poussé à fédérer tout notre écosystème."]
    assert similar.msgstr == SENTENCES["Le label nous a poussés à fédérer notre écosystème."]
    assert "fuzzy" in similar.flags and "engine=memory" in similar.tcomment


def test_exact_match_imported_from_tmx_stays_fuzzy(workspace: Path, runner: CliRunner) -> None:
    """A TMX unit's review is unknown: even the identical sentence goes to a human."""
    tmx = workspace / "in.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="fr" '
        'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" '
        'creationtoolversion="1"/><body><tu><tuv xml:lang="fr"><seg>Bien sûr.</seg></tuv>'
        '<tuv xml:lang="en"><seg>Sure thing.</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    assert runner.invoke(main, ["update", "-q", "-w", str(workspace)]).exit_code == 0
    done = runner.invoke(main, ["memory", "import", str(tmx), "-w", str(workspace)])
    assert done.exit_code == 0, done.output
    runner.invoke(main, ["translate", "-w", str(workspace), "--to", "en", "--engine", "pseudo"])
    entry = read_po(load_workspace(workspace).po_path("en", INTERVIEW)).find("Bien sûr.")
    assert entry.msgstr == "Sure thing." and "fuzzy" in entry.flags
    assert "engine=memory" in entry.tcomment and "score=100" in entry.tcomment


def test_post_edited_flag_and_raw_machine_output(workspace: Path) -> None:
    ws = load_workspace(workspace)
    path = ws.po_path("es", "doc")
    raw = polib.POEntry(msgid="Bien sûr.", msgstr="Bien seguro.", flags=["fuzzy"])
    set_provenance(raw, Provenance("apertium", "fr-es", "3.8.3"))
    write_catalog(path, [raw], "es")
    with TranslationMemory.open(ws) as memory:
        assert memory.refresh(ws) == 0  # raw MT is kept aside, not offered as a translation
        assert memory.lookup("Bien sûr.", "fr", "es") is None
        po = read_po(path)
        po[0].flags.remove("fuzzy")
        po[0].msgstr = "Por supuesto."
        save_po(path, po)
        assert memory.refresh(ws) == 1
        match = memory.lookup("Bien sûr.", "fr", "es")
        assert match is not None and match.post_edited and match.target == "Por supuesto."
        (summary,) = memory.post_edit_summary()
        assert (summary.engine, summary.lang, summary.segments) == ("apertium", "es", 1)
        assert summary.edit_ratio == pytest.approx(edit_ratio("Bien seguro.", "Por supuesto."))
        assert summary.unchanged == 0


def test_tmx_round_trip_through_translate_toolkit(tmp_path: Path, workspace: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    ws = load_workspace(workspace)
    units = dict(SENTENCES)
    units["Des « guillemets » & <balises> et un\u202fespace fine."] = (
        "“Quotes” & <tags> and a thin\u202fspace."
    )
    with TranslationMemory.open(ws) as memory:
        for source, target in units.items():
            memory.add(source, target, "fr", "en", "interview", post_edited=True)
        memory.add("Bien sûr.", "Por supuesto.", "fr", "es", "interview")
        memory.commit()
        out = tmp_path / "export.tmx"
        assert export_tmx(memory, out, "fr") == len(units) + 1
    store = tmx.tmxfile.parsefile(str(out))
    pairs = {(u.source, u.target) for u in store.units}
    assert pairs >= set(units.items())
    assert ("Bien sûr.", "Por supuesto.") in pairs
    fresh = TranslationMemory.open_path(tmp_path / "other.sqlite")
    try:
        assert import_tmx(fresh, out, "fr", ("en", "es")) == len(units) + 1
        again = {(u.source, u.target, u.tgt_lang, u.doc, u.post_edited) for u in fresh.units()}
        assert ("Bien sûr.", "Of course.", "en", "interview", True) in again
        assert ("Bien sûr.", "Por supuesto.", "es", "interview", False) in again
        assert import_tmx(fresh, out, "fr", ("en", "es")) == 0  # idempotent
    finally:
        fresh.close()


def test_tmx_written_by_translate_toolkit_imports(tmp_path: Path) -> None:
    tmx = pytest.importorskip("translate.storage.tmx")
    store = tmx.tmxfile(sourcelanguage="fr", targetlanguage="de")
    store.addsourceunit("Bien sûr.").target = "Natürlich."
    path = tmp_path / "tt.tmx"
    path.write_bytes(bytes(store))
    memory = TranslationMemory.open_path(tmp_path / "m.sqlite")
    try:
        assert import_tmx(memory, path, "fr", ("en", "de")) == 1
        match = memory.lookup("Bien sûr.", "fr", "de")
        assert match is not None and match.target == "Natürlich."
    finally:
        memory.close()


def test_bad_tmx_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text("<tmx version='1.4'>\n<body>\n<tu>\n</body></tmx>\n", encoding="utf-8")
    memory = TranslationMemory.open_path(tmp_path / "m.sqlite")
    try:
        with pytest.raises(CatalogError) as caught:
            import_tmx(memory, path, "fr", ("en",))
        assert caught.value.format().startswith(f"{path}:4: not a TMX file")
    finally:
        memory.close()


def test_tmx_broken_halfway_adds_nothing(tmp_path: Path) -> None:
    """The import streams, so units before the break are read first: none may stay."""
    unit = (
        '<tu><tuv xml:lang="fr"><seg>Phrase {0}.</seg></tuv>'
        '<tuv xml:lang="en"><seg>Sentence {0}.</seg></tuv></tu>\n'
    )
    units = "".join(unit.format(n) for n in range(50))
    path = tmp_path / "broken.tmx"
    path.write_text(f"<tmx version='1.4'>\n<body>\n{units}<tu><tuv>\n", encoding="utf-8")
    memory = TranslationMemory.open_path(tmp_path / "m.sqlite")
    try:
        with pytest.raises(CatalogError):
            import_tmx(memory, path, "fr", ("en",))
        assert len(memory) == 0
        path.write_text(f"<tmx version='1.4'>\n<body>\n{units}</body></tmx>\n", encoding="utf-8")
        assert import_tmx(memory, path, "fr", ("en",)) == 50
    finally:
        memory.close()


def test_memory_commands(workspace: Path, runner: CliRunner, tmp_path: Path) -> None:
    ws = load_workspace(workspace)
    write_catalog(ws.po_path("de", "doc"), [reviewed("Bien sûr.", "Natürlich.")], "de")
    out = tmp_path / "out.tmx"
    result = runner.invoke(main, ["memory", "export", str(out), "-w", str(workspace)])
    assert result.exit_code == 0, result.output
    assert "1 units" in result.output
    other = tmp_path / "other"
    other.mkdir()
    (other / "tirage.toml").write_text((workspace / "tirage.toml").read_text())
    result = runner.invoke(main, ["memory", "import", str(out), "-w", str(other)])
    assert result.exit_code == 0, result.output
    assert "1 units added" in result.output
    result = runner.invoke(main, ["memory", "import", str(tmp_path / "nope.tmx"), "-w", str(other)])
    assert result.exit_code == 1
    assert "nope.tmx: cannot read" in result.output


def _sentence(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(6, 18))).capitalize() + "."


def test_fuzzy_lookup_uses_the_index_not_a_scan(tmp_path: Path) -> None:
    rng = random.Random(7)
    words = [f"mot{i}" for i in range(3000)] + ["le", "la", "de", "et", "un", "une"] * 50
    memory = TranslationMemory.open_path(tmp_path / "m.sqlite")
    try:
        sources = [_sentence(rng, words) for _ in range(3000)]
        for n, source in enumerate(sources):
            memory.add(source, f"target {n}", "fr", "en", "bench")
        memory.commit()
        query = sources[1234].replace(".", " encore.")
        match = memory.lookup(query, "fr", "en")
        assert match is not None and match.target == "target 1234"
        plan = " ".join(
            str(row[-1])
            for row in memory.db.execute(
                "EXPLAIN QUERY PLAN SELECT rowid FROM sources_fts WHERE sources_fts MATCH ? "
                "ORDER BY rank LIMIT 48",
                ('"mot1"',),
            )
        )
        assert "VIRTUAL TABLE INDEX" in plan and "SCAN sources " not in plan
    finally:
        memory.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(min_size=1, max_size=40).filter(str.strip), min_size=1, max_size=8))
def test_every_stored_sentence_is_found_exactly(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / f"h{random.random()}.sqlite"
    memory = TranslationMemory.open_path(path)
    try:
        for n, text in enumerate(texts):
            memory.add(text, f"t{n}", "fr", "en", "doc")
        for text in texts:
            match = memory.lookup(text, "fr", "en")
            assert match is not None and match.score == 100.0 and match.source == text
    finally:
        memory.close()


def test_update_refreshes_the_memory(workspace: Path, runner: CliRunner) -> None:
    assert runner.invoke(main, ["update", "-q", "-w", str(workspace)]).exit_code == 0
    ws = load_workspace(workspace)
    po = read_po(ws.po_path("en", INTERVIEW))
    po.find("Bien sûr.").msgstr = "Of course."
    save_po(ws.po_path("en", INTERVIEW), po)
    assert runner.invoke(main, ["update", "-q", "-w", str(workspace)]).exit_code == 0
    with TranslationMemory.open(ws) as memory:
        match = memory.lookup("Bien sûr.", "fr", "en")
    assert match is not None and (match.target, match.score) == ("Of course.", 100.0)


def test_refresh_skips_catalogs_unchanged_since_the_last_one(
    workspace: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(main, ["update", "-q", "-w", str(workspace)]).exit_code == 0
    ws = load_workspace(workspace)
    parsed: list[str] = []
    real = memory_module.read_po

    def counting(path: Path) -> polib.POFile:
        parsed.append(Path(path).parent.name)
        return real(path)

    monkeypatch.setattr(memory_module, "read_po", counting)
    po = read_po(ws.po_path("de", INTERVIEW))
    po.find("Bien sûr.").msgstr = "Natürlich."
    save_po(ws.po_path("de", INTERVIEW), po)
    with TranslationMemory.open(ws) as memory:
        assert memory.refresh(ws) == 1
        assert parsed == ["de"]  # en and es were read by the update's refresh already
        assert memory.refresh(ws) == 0 and parsed == ["de"]


def test_tmx_tells_accepted_machine_output_from_post_edits(tmp_path: Path, workspace: Path) -> None:
    """Machine output a reviewer accepted unchanged is exported as such, not as post-edited;
    a human's translation as human; and an import reads it back the same."""
    ws = load_workspace(workspace)
    path = ws.po_path("es", "doc")
    entries = []
    for msgid, raw in [("Bien sûr.", "Bien seguro."), ("Oui.", "Sí.")]:
        entry = polib.POEntry(msgid=msgid, msgstr=raw, flags=["fuzzy"])
        set_provenance(entry, Provenance("apertium", "fr-es", "3.8.3"))
        entries.append(entry)
    entries.append(polib.POEntry(msgid="Non.", msgstr="No."))  # a human's
    write_catalog(path, entries, "es")
    with TranslationMemory.open(ws) as memory:
        memory.refresh(ws)  # the raw output is on record
        po = read_po(path)
        for entry in po:
            if entry.msgid == "Bien sûr.":
                entry.msgstr = "Por supuesto."  # post-edited
            entry.flags = [f for f in entry.flags if f != "fuzzy"]  # "Sí." accepted as is
        save_po(path, po)
        memory.refresh(ws)
        out = tmp_path / "out.tmx"
        export_tmx(memory, out, "fr")
    tree = ET.parse(out)
    found = {}
    for tu in tree.getroot().iter("tu"):
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        source = tu.findall("tuv")[0].findtext("seg")
        found[source] = (props["x-tirage-origin"], props["x-tirage-post-edited"])
    assert found == {
        "Bien sûr.": ("mt-post-edited", "1"),
        "Oui.": ("mt-accepted", "0"),
        "Non.": ("human", "0"),
    }
    fresh = TranslationMemory.open_path(tmp_path / "again.sqlite")
    try:
        import_tmx(fresh, out, "fr", ("es",))
        units = {u.source: (u.post_edited, u.mt_accepted) for u in fresh.units()}
        assert units == {"Bien sûr.": (True, False), "Oui.": (False, True), "Non.": (False, False)}
    finally:
        fresh.close()


def test_older_memory_gains_mt_accepted(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    memory = TranslationMemory.open_path(path)
    memory.add("Oui.", "Yes.", "fr", "en", "doc")
    memory.db.execute("INSERT INTO catalogs (path, digest) VALUES ('locales/en/doc.po', 'x')")
    memory.db.execute("ALTER TABLE units DROP COLUMN mt_accepted")
    memory.db.execute("PRAGMA user_version = 1")
    memory.commit()
    memory.close()
    with TranslationMemory.open_path(path) as again:
        assert [(u.target, u.mt_accepted) for u in again.units()] == [("Yes.", False)]
        # Every catalog is recorded again on the next refresh, with the new distinction.
        assert again.db.execute("SELECT count(*) FROM catalogs").fetchone() == (0,)


def test_source_changed_entry_is_not_taken_for_raw_output(workspace: Path) -> None:
    """After a source change, a fuzzy entry with a record may hold a reviewer's text: the
    memory does not keep it as raw machine output (so --redo and post-edit stats leave it)."""
    ws = load_workspace(workspace)
    path = ws.po_path("es", "doc")
    entry = polib.POEntry(msgid="Bien sûr !", msgstr="Por supuesto.", flags=["fuzzy"])
    entry.previous_msgid = "Bien sûr."
    set_provenance(entry, Provenance("apertium", "fr-es", "3.8.3"))
    write_catalog(path, [entry], "es")
    with TranslationMemory.open(ws) as memory:
        memory.refresh(ws)
        assert memory.raw_output("Bien sûr !", "fr", "es", "doc") is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_index_terms_drop_every_combining_mark(text: str) -> None:
    """The terms indexed are the words of the text folded and stripped of combining marks,
    character by character (each distinct character is tested once)."""
    folded = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    assert memory_module._index_terms(text) == list(
        dict.fromkeys(memory_module._WORD.findall(plain))
    )


def test_term_counts_written_once_a_catalog_match_a_recount(workspace: Path) -> None:
    """A catalog's new sentences have their index terms counted in memory and written at
    its end: the counts are those a recount of every stored sentence gives, across two
    catalogs sharing words, sentences added one at a time (outside a catalog) included."""
    ws = load_workspace(workspace)
    rng = random.Random(7)
    words = ["été", "Maison", "l'Europe", "écosystème", "label", "province", "fédérer", "avance"]
    for stem in ("first", "second"):
        entries = [reviewed(_sentence(rng, words), f"{stem} {i}") for i in range(40)]
        write_catalog(ws.po_path("en", stem), entries)
    with TranslationMemory.open(ws) as memory:
        memory.add("Une phrase ajoutée seule, été.", "One sentence", "fr", "en", "third")
        memory.refresh(ws)
        stored = dict(memory.db.execute("SELECT term, df FROM terms"))
        memory_module._count_terms(memory.db)
        assert stored == dict(memory.db.execute("SELECT term, df FROM terms"))
        assert stored["ete"] > 1 and stored["seule"] == 1  # folded, without diacritics


def test_sentences_known_only_for_machine_output_take_no_lookup_place(workspace: Path) -> None:
    """A catalog of raw machine translations teaches no unit: its sentences are not indexed,
    so they neither cost the memory their indexing nor crowd out, among the fuzzy lookup's
    candidates, the one similar sentence a reviewer translated (here every machine-translated
    sentence shares all the query's words, and was stored first)."""
    ws = load_workspace(workspace)
    sentence = "La province a une longueur d'avance et doit en profiter pour fédérer"
    machine = []
    for i in range(CANDIDATES * 3):
        entry = polib.POEntry(msgid=f"{sentence}, numéro {i}.", msgstr=f"MT {i}")
        entry.flags.append("fuzzy")
        set_provenance(entry, Provenance("apertium", "fr-en", "3.8.3"))
        machine.append(entry)
    write_catalog(ws.po_path("en", "a-machine"), machine)
    write_catalog(ws.po_path("en", "b-human"), [reviewed(sentence + ".", "Reviewed.")])
    with TranslationMemory.open(ws) as memory:
        memory.refresh(ws)
        assert memory.raw_output(machine[0].msgid, "fr", "en", "a-machine") == "MT 0"
        # (An external-content table's rows are its content's: the index is read by MATCH.)
        query = "SELECT count(*) FROM sources_fts WHERE sources_fts MATCH ?"
        assert memory.db.execute(query, ("numero",)).fetchone() == (0,)
        assert memory.db.execute(query, ("province",)).fetchone() == (1,)  # the reviewed one
        match = memory.lookup(sentence + " ensemble.", "fr", "en")
        assert match is not None and match.target == "Reviewed."


def test_older_memory_indexes_only_sentences_with_a_unit(tmp_path: Path) -> None:
    """A memory of version 2 indexed every sentence it stored, by a trigger: opened again,
    its index holds only the sentences that have a unit, and their terms' counts."""
    path = tmp_path / "old.sqlite"
    memory = TranslationMemory.open_path(path)
    memory.db.execute(
        "CREATE TRIGGER sources_ai AFTER INSERT ON sources BEGIN "
        "INSERT INTO sources_fts (rowid, text) VALUES (new.id, new.text); END"
    )
    memory.add("Oui, bien sûr.", "Yes, of course.", "fr", "en", "doc")
    raw = Provenance("apertium", "fr-en", "3.8.3")
    memory.record_mt("Non, pas encore.", "No, not yet.", "fr", "en", "doc", raw)
    memory.db.execute("PRAGMA user_version = 2")
    memory.commit()
    memory.close()
    with TranslationMemory.open_path(path) as again:
        rows = again.db.execute("SELECT rowid FROM sources_fts WHERE sources_fts MATCH 'non'")
        assert rows.fetchall() == []
        assert again.lookup("Oui, bien sûr !", "fr", "en") is not None
        assert dict(again.db.execute("SELECT term, df FROM terms")) == {
            "oui": 1,
            "bien": 1,
            "sur": 1,
        }
        again.record_mt("Peut-être.", "Maybe.", "fr", "en", "doc", raw)  # no trigger left
        rows = again.db.execute("SELECT rowid FROM sources_fts WHERE sources_fts MATCH 'peut'")
        assert rows.fetchall() == []
