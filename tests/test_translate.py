"""`tirage translate` end to end, on real engines (never mocked) and real catalogs."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polib
import pytest
from click.testing import CliRunner

from tirage.cli import main
from tirage.mt.apertium import find_mode
from tirage.po.pofile import read_po, save_po
from tirage.provenance import get_provenance
from tirage.text.glossary import load_glossary
from tirage.translate import translate_language
from tirage.workspace import load_workspace

DOC = "interview-thierry-alvergnat"


def run(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    return result


def update(ws: Path) -> None:
    result = run("update", "-w", str(ws), "--quiet")
    assert result.exit_code == 0, result.output


def entries(path: Path) -> list[polib.POEntry]:
    return [e for e in read_po(path) if e.msgid and not e.obsolete]


def test_fills_every_entry_fuzzy_with_provenance(
    workspace: Path, argos_installed: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    update(workspace)
    attempts: list[Any] = []

    def guard(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", guard)
    result = run("translate", "-w", str(workspace), "--to", "en")
    assert result.exit_code == 0, result.output
    assert attempts == []
    po = entries(workspace / "locales" / "en" / f"{DOC}.po")
    assert po and all(e.msgstr and "fuzzy" in e.flags for e in po)
    records = {get_provenance(e) for e in po}
    assert {(r.engine, r.model, r.version) for r in records if r} == {
        ("argos", "translate-fr_en", "0.1")
    }
    assert all(r is not None and r.score is not None for r in records)
    keep = load_glossary(workspace / "glossary.csv").keep
    for entry in po:  # glossary terms survive the gibberish model (fallback between masks)
        for term in keep:
            assert entry.msgid.count(term) <= entry.msgstr.count(term), (term, entry.msgstr)
    assert "masks lost, translated between them: source/" in result.output
    # A second run has nothing to do and changes nothing.
    before = (workspace / "locales" / "en" / f"{DOC}.po").read_bytes()
    again = run("translate", "-w", str(workspace), "--to", "en")
    assert again.exit_code == 0 and "nothing to translate" in again.output
    assert (workspace / "locales" / "en" / f"{DOC}.po").read_bytes() == before


def test_pivot_records_the_chain(workspace: Path, argos_installed: dict[str, str]) -> None:
    update(workspace)
    result = run("translate", "-w", str(workspace), "--to", "es", "--quiet")
    assert result.exit_code == 0 and result.output == ""
    po = entries(workspace / "locales" / "es" / f"{DOC}.po")
    records = {get_provenance(e) for e in po}
    assert {(r.model, r.version) for r in records if r} == {
        ("translate-fr_en+translate-en_es", "0.1+0.1")
    }


def test_protected_content_survives(workspace: Path, argos_installed: dict[str, str]) -> None:
    (workspace / "source" / "links.txt").write_text(
        "Liens\n\n"
        "Écrivez à contact@clustr-numerique.fr pour le programme.\n\n"
        "Le rapport est sur https://www.example.org/rapport_2015.pdf depuis mai.\n\n"
        "Bonjour {user_name}, il vous reste %(count)d jours et %s places.\n\n"
        "Le label FrenchTech a dopé le GRILOG en Rhône-Alpes.\n",
        encoding="utf-8",
    )
    update(workspace)
    result = run("translate", "-w", str(workspace), "--to", "en", "--doc", "links")
    assert result.exit_code == 0, result.output
    got = {e.msgid: e.msgstr for e in entries(workspace / "locales" / "en" / "links.po")}
    protected = [
        "contact@clustr-numerique.fr", "https://www.example.org/rapport_2015.pdf",
        "{user_name}", "%(count)d", "%s", "FrenchTech", "GRILOG", "Rhône-Alpes",
    ]  # fmt: skip
    for value in protected:
        source = next(m for m in got if value in m)
        assert value in got[source], (value, got[source])
    # Only the requested document was translated.
    assert all(not e.msgstr for e in entries(workspace / "locales" / "en" / f"{DOC}.po"))


def test_human_work_is_never_touched(workspace: Path, argos_installed: dict[str, str]) -> None:
    update(workspace)
    path = workspace / "locales" / "en" / f"{DOC}.po"
    po = read_po(path)
    live = [e for e in po if e.msgid and not e.obsolete]
    live[0].msgstr = "A human's translation."
    live[1].msgstr = "An old human translation of a changed source."
    live[1].flags.append("fuzzy")
    save_po(path, po)
    result = run("translate", "-w", str(workspace), "--to", "en")
    assert result.exit_code == 0, result.output
    after = entries(path)
    assert after[0].msgstr == "A human's translation." and "fuzzy" not in after[0].flags
    assert after[1].msgstr == "An old human translation of a changed source."
    assert get_provenance(after[0]) is None and get_provenance(after[1]) is None
    assert all(e.msgstr and "fuzzy" in e.flags for e in after[2:])


def test_concurrent_edit_is_kept(workspace: Path, argos_installed: dict[str, str]) -> None:
    update(workspace)
    ws = load_workspace(workspace)
    path = ws.po_path("en", DOC)
    longest = max((e.msgid for e in entries(path)), key=len)  # sorted last: the last batch

    def translator_saves(lang: str, done: int, total: int) -> None:
        if done == 0:  # after the run read the catalog, before it saves anything
            po = read_po(path)
            next(e for e in po if e.msgid == longest).msgstr = "Saved by a translator."
            save_po(path, po)

    report = translate_language(ws, "en", [path], "argos", [], translator_saves, chunk=8)
    assert report.kept == 1 and report.engine == report.pending - 1
    entry = next(e for e in entries(path) if e.msgid == longest)
    assert entry.msgstr == "Saved by a translator." and "fuzzy" not in entry.flags


def test_no_engine_still_applies_memory(workspace: Path, argos_empty: dict[str, str]) -> None:
    pytest.importorskip("tirage.memory")
    sentence = "Bien sûr."
    (workspace / "source" / "bref.txt").write_text(f"Bref\n\n{sentence}\n", encoding="utf-8")
    update(workspace)
    path = workspace / "locales" / "en" / f"{DOC}.po"
    po = read_po(path)
    next(e for e in po if e.msgid == sentence).msgstr = "Of course."
    save_po(path, po)
    result = run("translate", "-w", str(workspace), "--to", "en", "--doc", "bref")
    assert result.exit_code == 1
    assert "1 filled from the translation memory" in result.output
    assert "1 left untranslated" in result.output
    assert result.output.splitlines()[-1].startswith("tirage: no Argos package for fr→en")
    entry = next(e for e in entries(workspace / "locales" / "en" / "bref.po") if e.msgstr)
    # Reviewed in the interview's catalog: not translated twice, not sent back for review.
    assert entry.msgid == sentence and entry.msgstr == "Of course." and "fuzzy" not in entry.flags
    record = get_provenance(entry)
    assert record is not None and (record.engine, record.score) == ("memory", 100.0)


@pytest.mark.skipif(find_mode("fr", "es") is None, reason="apertium fr-es not installed")
def test_apertium_end_to_end(workspace: Path) -> None:
    update(workspace)
    result = run("translate", "-w", str(workspace), "--to", "es", "--engine", "apertium")
    assert result.exit_code == 0, result.output
    got = {e.msgid: e for e in entries(workspace / "locales" / "es" / f"{DOC}.po")}
    entry = got["En a-t-elle los moyens ?".replace("los", "les")]
    assert "medios" in entry.msgstr and "fuzzy" in entry.flags
    record = get_provenance(entry)
    assert record is not None and (record.engine, record.model) == ("apertium", "fr-es")
    standfirst = got["La filière numérique en Rhône-Alpes a su se structurer."].msgstr
    assert standfirst == "La filière numérica en Rhône-Alpes ha sabido estructurarse."


@pytest.mark.skipif(find_mode("fr", "es") is None, reason="apertium fr-es not installed")
def test_fallback_engine_takes_a_pair_argos_lacks(
    workspace: Path, argos_empty: dict[str, str]
) -> None:
    # tirage.toml: engine = "argos", fallback = ["apertium"]; no Argos package is installed.
    update(workspace)
    result = run("translate", "-w", str(workspace), "--to", "es,de")
    assert result.exit_code == 1  # German: neither engine has the pair
    assert "es: 48 untranslated entries: 48 machine-translated by apertium (fr-es" in result.output
    last = result.output.splitlines()[-1]
    assert last.startswith("tirage: no Argos package for fr→de") and "apertium:" in last
    spanish = entries(workspace / "locales" / "es" / f"{DOC}.po")
    assert all(e.msgstr and "fuzzy" in e.flags for e in spanish)
    assert {get_provenance(e).engine for e in spanish} == {"apertium"}  # type: ignore[union-attr]
    assert not any(e.msgstr for e in entries(workspace / "locales" / "de" / f"{DOC}.po"))


def test_pseudo_end_to_end(workspace: Path) -> None:
    update(workspace)
    result = run("translate", "-w", str(workspace), "--to", "de", "--engine", "pseudo", "-q")
    assert result.exit_code == 0 and result.output == ""
    po = entries(workspace / "locales" / "de" / f"{DOC}.po")
    assert all(e.msgstr.startswith("[") and "fuzzy" in e.flags for e in po)
    assert any("Rhône-Alpes" in e.msgstr for e in po)  # a keep term, not accented


def _big_workspace(root: Path, count: int) -> Path:
    rng = random.Random(7)
    words = ["la", "filière", "numérique", "région", "marque", "acteurs"]
    words += ["entreprises", "moyens", "province", "label"]
    lines = ["Un long document", ""]
    for i in range(count):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(6, 16)))
        lines += [f"Phrase {i} : {body}.", ""]
    (root / "source" / "long.txt").write_text("\n".join(lines), encoding="utf-8")
    return root


def test_resume_after_kill_9(workspace: Path, argos_installed: dict[str, str]) -> None:
    ws = _big_workspace(workspace, 2500)
    update(ws)
    path = ws / "locales" / "en" / "long.po"
    total = len(entries(path))
    env = {**os.environ, **argos_installed, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    cmd = [sys.executable, "-m", "tirage", "translate", "-w", str(ws), "--to", "en"]
    cmd += ["--doc", "long"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and b"tirage-mt" not in path.read_bytes():
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    first = {e.msgid: e.msgstr for e in entries(path) if e.msgstr}  # parses: not corrupted
    assert 0 < len(first) < total
    leftovers = [p.name for p in path.parent.iterdir() if p.name != "long.po"]
    assert all(not name.startswith("long.po") or name.endswith(".po") for name in leftovers)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{total - len(first)} untranslated entries" in done.stdout
    final = entries(path)
    assert all(e.msgstr and "fuzzy" in e.flags for e in final)
    assert all(e.msgstr == first[e.msgid] for e in final if e.msgid in first)


def test_no_network_namespace(workspace: Path, argos_installed: dict[str, str]) -> None:
    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        pytest.skip("needs unshare and root")
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("network namespaces are not allowed here")
    update(workspace)
    env = {**os.environ, **argos_installed, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    done = subprocess.run(
        [unshare, "-n", sys.executable, "-m", "tirage", "translate", "-w", str(workspace),
         "--to", "en,es"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "en: 48 untranslated entries: 48 machine-translated by argos" in done.stdout
    assert "es: 48 untranslated entries: 48 machine-translated by argos" in done.stdout


@pytest.mark.skipif(find_mode("fr", "es") is None, reason="apertium fr-es not installed")
def test_redo_replaces_machine_output_only(workspace: Path) -> None:
    """`--redo` translates again what an engine wrote and nobody touched (pseudo drafts,
    here, replaced by an Apertium pass); a reviewed entry, a human's edit left fuzzy, a
    human's translation and another engine's output all stay."""
    update(workspace)
    path = workspace / "locales" / "es" / f"{DOC}.po"
    po = read_po(path)
    live = [e for e in po if e.msgid and not e.obsolete]
    live[0].msgstr = "Una traducción humana."  # a human's, no record
    save_po(path, po)
    result = run("translate", "-w", str(workspace), "--to", "es", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    po = read_po(path)
    live = [e for e in po if e.msgid and not e.obsolete]
    live[1].flags.remove("fuzzy")  # reviewed machine output
    live[2].msgstr = "Corregido a mano."  # edited by a human, still fuzzy
    raw = {e.msgid: e.msgstr for e in live}
    save_po(path, po)
    # Without --redo, or redoing another engine's output, nothing is translated again.
    for extra in ([], ["--redo", "argos"]):
        again = run("translate", "-w", str(workspace), "--to", "es", "--engine", "apertium", *extra)
        assert again.exit_code == 0 and "by apertium" not in again.output, again.output
        assert "es: nothing to translate" in again.output
    assert {e.msgid: e.msgstr for e in entries(path)} == raw
    result = run(
        "translate", "-w", str(workspace), "--to", "es", "--engine", "apertium", "--redo", "pseudo"
    )
    assert result.exit_code == 0, result.output
    redone = len(live) - 3
    assert f"0 untranslated entries, {redone} machine translations to redo: " in result.output
    assert "machine-translated by apertium" in result.output  # some may come from memory
    after = {e.msgid: e for e in entries(path)}
    assert after[live[0].msgid].msgstr == "Una traducción humana."
    assert after[live[1].msgid].msgstr == raw[live[1].msgid]
    assert "fuzzy" not in after[live[1].msgid].flags
    assert get_provenance(after[live[1].msgid]).engine == "pseudo"  # type: ignore[union-attr]
    assert after[live[2].msgid].msgstr == "Corregido a mano."
    engines = []
    for entry in live[3:]:
        again = after[entry.msgid]
        engines.append(get_provenance(again).engine)  # type: ignore[union-attr]
        assert "fuzzy" in again.flags
        assert engines[-1] == "memory" or not again.msgstr.startswith("[")
    # Memory fills what resembles a reviewed sentence; Apertium does the rest.
    assert engines.count("apertium") >= redone - 2 and "pseudo" not in engines


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("none", True),
        ("edited", False),
        ("reviewed", False),
        ("source changed", False),
        ("no record", False),
        ("no raw on record", False),
    ],
)
def test_is_machine_output(change: str, expected: bool) -> None:
    from tirage.provenance import Provenance, set_provenance
    from tirage.translate import is_machine_output

    entry = polib.POEntry(msgid="Oui.", msgstr="[Öûî. ~~]", flags=["fuzzy"])
    set_provenance(entry, Provenance("pseudo", "pseudo", "1"))
    raw: str | None = entry.msgstr
    if change == "edited":
        entry.msgstr = "Yes."
    elif change == "reviewed":
        entry.flags.remove("fuzzy")
    elif change == "source changed":
        entry.previous_msgid = "Oui !"
    elif change == "no record":
        set_provenance(entry, None)
    elif change == "no raw on record":
        raw = None
    assert is_machine_output(entry, raw) is expected
