"""The review desk over HTTP, in process (Starlette's TestClient): access control, escaping,
paths, saving and conflicts. The browser tests are in test_serve_browser.py."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.request import HTTPCookieProcessor, build_opener

import polib
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from serve_workspace import MATCHED, make_workspace
from tirage.cli import main
from tirage.memory import TranslationMemory
from tirage.po.pofile import read_po, save_po
from tirage.review import Reviewer
from tirage.serve.app import STATIC, create_app
from tirage.workspace import load_workspace

TOKEN = "t0k3n-for-tests"
PREFIX = "desk-pr3fix"
ORIGIN = "http://127.0.0.1:8470"
ROOT = f"{ORIGIN}/{PREFIX}"
RITA = Reviewer("Rita Reviewer <rita@example.org>", "--reviewer")
HOSTILE_ID = 'Il dit <script>alert("id")</script> et "><img src=x onerror=alert(1)> \x1b[2J fin.'
HOSTILE_STR = "He says </textarea><script>alert('str')</script> \x1b[31;1mred\u202e end."
HOSTILE_DOC = 'x"><svg onload=alert(9)>'


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    make_workspace(tmp_path / "ws")
    return tmp_path / "ws"


def client(root: Path, login: bool = True) -> TestClient:
    """A browser on the desk: paths are relative to its prefix (`/x` is `/<prefix>/x`)."""
    app = create_app(load_workspace(root), RITA, TOKEN, PREFIX)
    assert app.warmed is not None and app.warmed.wait(60)  # the memory's matches are in
    web = TestClient(app, base_url=ROOT + "/")
    if login:
        assert web.get(f"/?token={TOKEN}").status_code == 200
    return web


def csrf(web: TestClient) -> str:
    """The session's CSRF token, as the desk's pages give it to their script."""
    found = re.search(r'<meta name="csrf" content="([^"]+)">', web.get("/").text)
    assert found is not None
    return found.group(1)


def decide(web: TestClient, **body: object) -> tuple[int, dict[str, object]]:
    response = web.post(
        "/api/decide", json=body, headers={"X-Tirage-CSRF": csrf(web), "Origin": ORIGIN}
    )
    return response.status_code, response.json()


def test_the_token_is_needed_and_becomes_a_cookie(desk: Path) -> None:
    web = client(desk, login=False)
    for path in ("/", "/review/es/doc", "/preview/es/doc", "/static/desk.js"):
        response = web.get(path)
        assert response.status_code == 403, path
        assert "Open the address that <code>tirage serve</code> printed" in response.text
    assert web.get("/?token=wrong").status_code == 403
    assert web.post("/api/decide", json={}).status_code == 403
    first = web.get(f"/review/es/doc?token={TOKEN}&filter=all", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == f"{ROOT}/review/es/doc?filter=all"  # token gone
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert f"Path=/{PREFIX}/" in cookie  # sent to the desk's path only, on any port
    assert TOKEN not in cookie  # a random session, not the token
    assert web.get("/review/es/doc").status_code == 200  # the cookie does now
    # The token is no good outside the prefix: the port answers nothing else.
    for path in (f"{ORIGIN}/?token={TOKEN}", f"{ORIGIN}/review/es/doc", f"{ORIGIN}/static/desk.js"):
        assert web.get(path).status_code == 403, path


def test_a_foreign_host_is_refused(desk: Path) -> None:
    web = client(desk)
    for host in ("evil.example", "evil.example:8470", "127.0.0.1.evil.example", "10.0.0.1"):
        response = web.get("/", headers={"Host": host})
        assert response.status_code == 403, host
    for host in ("127.0.0.1:8470", "localhost:8470", "[::1]:8470"):
        assert web.get("/", headers={"Host": host}).status_code == 200, host


def test_state_changes_need_the_csrf_token(desk: Path) -> None:
    web = client(desk)
    path = desk / "locales" / "es" / "doc.po"
    before = path.read_bytes()
    body = {"lang": "es", "doc": "doc", "msgid": "Bien sûr.", "msgstr": "Claro.", "base": ""}
    assert web.post("/api/decide", json=body).status_code == 403
    wrong = {"X-Tirage-CSRF": "0" * 64}
    assert web.post("/api/decide", json=body, headers=wrong).status_code == 403
    foreign = {"X-Tirage-CSRF": csrf(web), "Origin": "http://evil.example"}
    assert web.post("/api/decide", json=body, headers=foreign).status_code == 403
    assert path.read_bytes() == before


def test_pages_forbid_outside_resources(desk: Path) -> None:
    web = client(desk)
    for path in ("/", "/review/es/doc"):
        response = web.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert not re.search(r"(src|href)=\"(https?:)?//", response.text)
        assert " style=" not in response.text and "<script>" not in response.text
    for asset in STATIC.iterdir():
        text = asset.read_text(encoding="utf-8")
        assert "http" not in text and "@import" not in text and "url(" not in text, asset.name
    preview = web.get("/preview/es/doc")
    assert "script-src" not in preview.headers["content-security-policy"]  # no script at all
    assert "<script" not in preview.text


def hostile_catalog(root: Path) -> None:
    path = root / "locales" / "es" / "doc.po"
    po = read_po(path)
    po.append(polib.POEntry(msgid=HOSTILE_ID, msgstr=HOSTILE_STR, flags=["fuzzy"]))
    po[-1].comment = '"><b>role</b>'
    po[-1].occurrences = [("source/<i>doc</i>.md", "9")]
    po[-1].msgctxt = "<ctx>"
    save_po(path, po)
    save_po(root / "locales" / "es" / f"{HOSTILE_DOC}.po", po)


def test_hostile_strings_come_back_escaped(desk: Path) -> None:
    hostile_catalog(desk)
    web = client(desk)
    dashboard = web.get("/").text
    review = web.get("/review/es/doc?filter=all&n=6").text
    hostile_page = web.get("/review/es/" + HOSTILE_DOC.replace('"', "%22")).text
    for page in (dashboard, review, hostile_page):
        assert "<script>alert" not in page
        assert "<img src=x" not in page and "<svg onload" not in page
        assert "<b>role</b>" not in page and "<i>doc</i>" not in page and "<ctx>" not in page
        assert "\x1b" not in page and "\u202e" not in page  # shown, not sent as they are
    assert "&lt;svg onload=alert(9)&gt;" in dashboard
    assert "&lt;script&gt;alert(&#34;id&#34;)&lt;/script&gt;" in review
    assert "&lt;/textarea&gt;&lt;script&gt;alert(&#39;str&#39;)&lt;/script&gt;" in review
    assert "\\x1b[2J fin." in review  # a visible escape where the text is shown
    # The text box and the keys the page sends back hold the exact text, escaped.
    box = re.search(r'<textarea id="msgstr"[^>]*>(.*?)</textarea>', review, re.S)
    assert box is not None and "&lt;/textarea&gt;" in box.group(1)
    assert "&#x1b;[31;1mred&#x202e; end." in box.group(1)  # the browser decodes them back
    status, answer = decide(
        web, lang="es", doc="doc", msgid=HOSTILE_ID, msgctxt="<ctx>",
        msgstr="Dice algo.", base=HOSTILE_STR,
    )  # fmt: skip
    assert status == 200, answer
    saved = read_po(desk / "locales" / "es" / "doc.po").find(HOSTILE_ID, msgctxt="<ctx>")
    assert saved.msgstr == "Dice algo." and not saved.fuzzy


def test_paths_come_only_from_the_workspace(desk: Path) -> None:
    (desk / "locales" / "secret.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    web = client(desk)
    for path in (
        "/review/es/..%2Fsecret",
        "/review/es/%2E%2E%2F%2E%2E%2Ftirage",
        "/review/..%2Flocales/secret",
        "/review/fr/doc",  # the source language has no catalog to review
        "/review/es/doc.po",
        "/preview/es/..%2F..%2Ftirage",
        "/static/..%2Fapp.py",
    ):
        response = web.get(path)
        assert response.status_code == 404, path
        assert "msgid" not in response.text and "source_language" not in response.text
    for doc, lang in (("../secret", "es"), ("doc", "../es"), ("secret", "..")):
        status, _ = decide(web, lang=lang, doc=doc, msgid="x", msgstr="y", base="")
        assert status == 404


def test_a_save_writes_the_catalog_and_a_stale_page_conflicts(desk: Path) -> None:
    web = client(desk)
    path = desk / "locales" / "es" / "doc.po"
    first = web.get("/review/es/doc").text  # the document's first entry to do
    assert 'data-msgid="Le rapport annuel"' in first
    page = web.get("/review/es/doc?filter=review&order=confidence").text  # least confident
    assert f'data-msgid="{MATCHED}"' in page
    assert "¿Tiene él los medios?" in page  # the memory's match
    status, answer = decide(
        web, lang="es", doc="doc", msgid=MATCHED, msgstr="¿Tiene ella los medios?",
        base="Ha los medios ?",
    )  # fmt: skip
    assert status == 200, answer
    po = read_po(path)
    assert po.find(MATCHED).msgstr == "¿Tiene ella los medios?" and not po.find(MATCHED).fuzzy
    assert po.metadata["Last-Translator"] == RITA.name
    assert "tirage-mt: engine=apertium" in po.find(MATCHED).tcomment  # post-edited MT
    with TranslationMemory.open(load_workspace(desk)) as memory:  # the save reached the memory
        found = memory.lookup(MATCHED, "fr", "es")
        assert found is not None and found.target == "¿Tiene ella los medios?"
        assert [(s.engine, s.segments) for s in memory.post_edit_summary(("es",))] == [
            ("apertium", 1)
        ]
    # Someone else saves the entry; a page that still shows the old text must not win.
    po.find("Bien sûr.").msgstr = "Claro."
    save_po(path, po)
    status, answer = decide(
        web, lang="es", doc="doc", msgid="Bien sûr.", msgstr="Por supuesto.",
        base="Por supuesto.",
    )  # fmt: skip
    assert status == 409
    assert answer == {"conflict": True, "disk": "Claro.", "disk_fuzzy": True}
    assert read_po(path).find("Bien sûr.").msgstr == "Claro."
    status, _ = decide(  # the reviewer has seen it, and keeps theirs
        web, lang="es", doc="doc", msgid="Bien sûr.", msgstr="Por supuesto.", base="Claro."
    )
    assert status == 200 and read_po(path).find("Bien sûr.").msgstr == "Por supuesto."
    status, answer = decide(web, lang="es", doc="doc", msgid="Gone.", msgstr="x", base="")
    assert status == 409 and answer["disk"] is None


def test_checks_are_recomputed_for_the_text_being_typed(desk: Path) -> None:
    web = client(desk)
    headers = {"X-Tirage-CSRF": csrf(web)}
    body = {"lang": "es", "msgid": "Il a 35 ans.", "msgstr": "Tiene 53 años."}
    found = web.post("/api/check", json=body, headers=headers).json()
    assert {"check": "numbers", "severity": "error"}.items() <= found[0].items()
    body["msgstr"] = "Tiene 35 años."
    assert web.post("/api/check", json=body, headers=headers).json() == []


def test_dashboard_shows_the_numbers_of_tirage_stats(desk: Path, runner: CliRunner) -> None:
    web = client(desk)
    page = web.get("/").text
    stats = json.loads(runner.invoke(main, ["stats", "--json", "-w", str(desk)]).output)
    assert len(stats) == 4
    for row in stats:
        cells = re.search(
            rf'<tr data-doc="{row["doc"]}" data-lang="{row["lang"]}">(.*?)</tr>', page, re.S
        )
        assert cells is not None
        bars = re.findall(r'<td class="progress"[^>]*>(.*?)</td>', cells.group(1), re.S)
        segments, words = (
            {k: int(v) for k, v in re.findall(r'data-state="(\w+)">(\d+)<', bar)} for bar in bars
        )
        for state in ("translated", "fuzzy_mt", "fuzzy_source", "untranslated"):
            assert segments.get(state, 0) == row[state]
            if state != "translated":
                assert words.get(state, 0) == row["words"][state]
        assert words.get("translated", 0) == row["words"]["translated"]
        assert f"{row['reviewed_share']:.1f} %" in cells.group(1)
    assert re.search(r'<tr data-doc="other" data-lang="es">.*?published', page, re.S)
    assert re.search(r'<tr data-doc="doc" data-lang="es">.*?held back', page, re.S)


def test_the_preview_marks_unreviewed_passages(desk: Path) -> None:
    web = client(desk)
    page = web.get("/preview/es/doc").text
    assert 'lang="es"' in page
    assert '<span lang="fr">Depuis 2008, nous portons l&#x27;ambition.</span>' in page or (
        '<span lang="fr">Depuis 2008' in page
    )
    assert "Preview as exported now" in page and "main span[lang]{background" in page


def test_filters_and_search(desk: Path) -> None:
    web = client(desk)
    path = desk / "locales" / "es" / "doc.po"
    po = read_po(path)
    entry = po.find("Depuis 2008, nous portons l'ambition.")
    entry.previous_msgid = "En 2008, nous portions l'ambition."
    po.find("Bien sûr.").msgstr = ""
    po.find("Bien sûr.").flags = []
    save_po(path, po)
    changed = web.get("/review/es/doc?filter=changed").text
    assert "<del>En</del><ins>Depuis</ins> 2008, nous <del>portions</del><ins>portons</ins>" in (
        changed
    )
    untranslated = web.get("/review/es/doc?filter=untranslated").text
    assert 'data-msgid="Bien sûr."' in untranslated
    found = web.get("/review/es/doc?filter=all&q=AMBICI").text
    assert found.count('<li class="changed') == 1 and "ambición" in found
    assert web.get("/review/es/doc?filter=all&q=nowhere").text.count("Nothing here.") == 1


@pytest.mark.loopback
def test_the_command_prints_a_tokened_url_and_stops_on_ctrl_c(desk: Path) -> None:
    argv = [sys.executable, "-m", "tirage", "serve", "--port", "0", "-w", str(desk)]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        url = lines[3].strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/desk-[\w-]{20,}/\?token=[\w-]{40,}", url)
        assert "Last-Translator: Rita Reviewer <rita@example.org>" in lines[1]
        assert "[team] translator in tirage.toml" in lines[1]
        browser = build_opener(HTTPCookieProcessor())  # keeps the cookie the token became
        with browser.open(url, timeout=10) as response:
            assert response.status == 200 and b"Catalogs" in response.read()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "stopped" in out


def test_binding_beyond_loopback_warns(desk: Path) -> None:
    argv = [sys.executable, "-m", "tirage", "serve", "--host", "0.0.0.0", "--port", "0"]
    process = subprocess.Popen(
        [*argv, "-w", str(desk)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = [process.stdout.readline() for _ in range(4)][3]
        assert url.strip().startswith(f"http://{socket.gethostname()}:")
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert "warning: listening on 0.0.0.0: anyone who can reach it" in err
    assert "It answers to: " in err and socket.gethostname().lower() in err


def test_a_long_list_shows_a_window_around_the_current_entry(desk: Path) -> None:
    po = polib.POFile()
    po.metadata = {"Language": "es", "Content-Type": "text/plain; charset=UTF-8"}
    for number in range(400):
        po.append(
            polib.POEntry(msgid=f"Frase {number}.", msgstr=f"Frase {number}.", flags=["fuzzy"])
        )
    save_po(desk / "locales" / "es" / "big.po", po)
    page = client(desk).get("/review/es/big?filter=all&n=350").text
    assert "251–400 of 400" in page and '<ol class="entries" start="251">' in page
    current = f'class="fuzzy current"><a href="/{PREFIX}/review/es/big?filter=all&amp;n=350"'
    assert re.search(re.escape(current) + r' aria-current="page"><span [^>]*>Frase 350\.', page)
    assert "Frase 249." not in page


def test_the_preview_is_what_export_writes(desk: Path, runner: CliRunner) -> None:
    """Glossary names included: typography leaves Clust'R's apostrophe as written."""
    source = desk / "source" / "doc.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nLe Clust'R Numérique l'a dit.\n", encoding="utf-8"
    )
    assert runner.invoke(main, ["update", "-q", "-w", str(desk)]).exit_code == 0
    path = desk / "locales" / "es" / "doc.po"
    po = read_po(path)
    for entry in po:
        if entry.msgid:
            entry.msgstr = entry.msgstr or "El Clust'R Numérique lo dijo."
            entry.flags = []
    save_po(path, po)
    done = runner.invoke(main, ["export", "-q", "--threshold", "0", "-w", str(desk)])
    assert done.exit_code == 0, done.output
    exported = (desk / "editions" / "es" / "doc.html").read_text(encoding="utf-8")
    preview = client(desk).get("/preview/es/doc").text
    assert "Clust'R Numérique lo dijo" in exported and "Clust'R Numérique lo dijo" in preview
    article = re.search(r"<article.*</article>", exported, re.S)  # the text, as exported
    assert article is not None and article.group(0) in preview


def test_an_entry_shows_its_glossary_terms_and_other_languages(desk: Path) -> None:
    with (desk / "glossary.csv").open("a", encoding="utf-8") as glossary:
        glossary.write("rapport annuel,translate,annual report,informe anual,,\n")
    web = client(desk)
    page = web.get("/review/es/doc?filter=all&n=0").text
    terms = re.search(r'<ul class="terms">(.*?)</ul>', page, re.S)
    assert terms is not None
    shown = " ".join(re.sub(r"<[^>]+>", " ", terms.group(1)).split())
    assert shown == "rapport annuel : translate as “informe anual”"
    other = web.get("/review/es/other?filter=all&n=0").text  # reviewed in English too
    assert '<dt>English</dt><dd lang="en" dir="ltr">Another letter</dd>' in other
    assert '<dl class="others">' not in page  # nothing reviewed elsewhere for that one


def test_only_a_warning_can_be_ignored(desk: Path) -> None:
    web = client(desk)
    headers = {"X-Tirage-CSRF": csrf(web), "Origin": ORIGIN}
    body = {"lang": "es", "doc": "doc", "msgid": "Il a 35 ans.", "check": "numbers"}
    response = web.post("/api/ignore", json=body, headers=headers)
    assert response.status_code == 400 and "never an error" in response.json()["error"]
    body["check"] = "end-punctuation"
    assert web.post("/api/ignore", json=body, headers=headers).status_code == 200
    check = {"lang": "es", "doc": "doc", "msgid": "Il a 35 ans.", "msgstr": "Tiene 53 años"}
    found = {f["check"] for f in web.post("/api/check", json=check, headers=headers).json()}
    assert "numbers" in found and "end-punctuation" not in found
