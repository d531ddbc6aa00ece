"""A working day at the desk, in real Chromium (Debian's chromium and chromium-driver, as in
test_serve_browser.py): document order, back to a saved entry, translating from scratch,
search across filters, errors in the page, drafts that survive a reload and a restart,
a phone's width, the dark theme, Arabic text direction, and axe-core's verdict.

axe-core comes from the npm registry, installed by `.ci/run` into .ci/node; nothing is
downloaded here."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from serve_workspace import MATCHED, make_workspace
from test_serve_browser import browser, current, entry, moved_on_from, press, shoot, webdriver
from tirage.history import History
from tirage.po.pofile import read_po, save_po
from tirage.review import Decision, apply_decision
from tirage.workspace import load_workspace

from conftest import REPO

pytestmark = pytest.mark.loopback  # the module's browser tests are skipped with it
assert webdriver  # imported for its skip: no Selenium, no test here
from selenium.common.exceptions import (  # noqa: E402
    NoAlertPresentException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

__all__ = ["browser"]  # a fixture, used by name
AXE = REPO / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
UNTRANSLATED = "Au niveau international, c'est bien."


class Desk:
    """`tirage serve` on a workspace, on a given port (a restart keeps the browser's origin,
    and with it the drafts the browser keeps)."""

    def __init__(self, root: Path, port: int) -> None:
        argv = [sys.executable, "-m", "tirage", "serve", "--port", str(port), "-w", str(root)]
        self.process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.url = [self.process.stdout.readline() for _ in range(4)][3].strip()
        assert self.url.startswith(f"http://127.0.0.1:{port}/desk-"), self.url
        self.root = self.url.split("?")[0].rstrip("/")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        _, err = self.process.communicate(timeout=20)
        assert self.process.returncode == 0, err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def workspace_es(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A workspace whose Spanish catalog has one entry left untranslated."""
    catalog = make_workspace(tmp_path / "ws")
    po = read_po(catalog)
    left = po.find(UNTRANSLATED)
    left.msgstr, left.flags, left.tcomment = "", [], ""
    save_po(catalog, po)
    yield tmp_path / "ws", catalog


def wait_entry(driver: WebDriver, msgid: str) -> None:
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "entry"))
    WebDriverWait(driver, 10).until(lambda d: current(d) == msgid)


def status(driver: WebDriver) -> str:
    return str(driver.find_element(By.ID, "status").text)


def wait_status(driver: WebDriver, wanted: str) -> None:
    """Wait for the status line to hold `wanted` (across the page that a save loads)."""
    loading = (StaleElementReferenceException, NoSuchElementException)
    WebDriverWait(driver, 10, ignored_exceptions=loading).until(lambda d: wanted in status(d))


def axe(driver: WebDriver, where: str) -> None:
    """axe-core's rules, every impact: none may be violated."""
    if not AXE.is_file():
        pytest.skip("axe-core is installed by .ci/run (npm install --prefix .ci/node axe-core@4)")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map(v => ["
        "v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0, 3)])));"
    )
    assert found == [], f"{where}: {json.dumps(found, ensure_ascii=False)}"


def test_a_sitting_in_document_order(workspace_es: tuple[Path, Path], browser: WebDriver) -> None:
    root, catalog = workspace_es
    desk = Desk(root, free_port())
    try:
        browser.get(desk.url)
        link = browser.find_element(
            By.CSS_SELECTOR, 'tr[data-doc="doc"][data-lang="es"] a.review-link'
        )
        assert link.text == "Review doc in Spanish (6 to do)"
        link.click()
        wait_entry(browser, "Le rapport annuel")
        axe(browser, "review page")
        # The help key never types into the text.
        box = browser.find_element(By.ID, "msgstr")
        text = box.get_attribute("value")
        press(browser, Keys.F1)
        assert browser.find_element(By.ID, "help").is_displayed()
        browser.find_element(By.ID, "help").send_keys(Keys.ESCAPE)
        assert browser.find_element(By.ID, "msgstr").get_attribute("value") == text

        # Accept: the next entry in document order, and a visible, announced "Saved".
        press(browser, Keys.CONTROL, Keys.ENTER)
        assert moved_on_from(browser, "Le rapport annuel") == "Bien sûr."
        wait_status(browser, "Saved: “")
        assert browser.find_element(By.ID, "status").get_attribute("role") == "status"
        assert entry(catalog, "Le rapport annuel")[1] is False
        # Back to the entry just saved: it stays in the list, reviewed now.
        press(browser, Keys.ALT, Keys.ARROW_UP)
        assert moved_on_from(browser, "Bien sûr.") == "Le rapport annuel"
        assert browser.find_element(By.CSS_SELECTOR, ".meta .state").text == "reviewed"
        for msgid in ("Bien sûr.", MATCHED, "Le label nous a poussés.",
                      "Depuis 2008, nous portons l'ambition.", UNTRANSLATED):  # fmt: skip
            press(browser, Keys.ALT, Keys.ARROW_DOWN)
            wait_entry(browser, msgid)

        # The untranslated entry is translated here.
        assert browser.find_element(By.ID, "msgstr").get_attribute("value") == ""
        press(browser, "A escala internacional, está bien.")
        press(browser, Keys.CONTROL, Keys.ENTER)
        wait_status(browser, "Saved: “A escala")
        assert entry(catalog, UNTRANSLATED) == ("A escala internacional, está bien.", False)

        # An error-level finding is shown in the page, with "Save anyway"; no confirm().
        press(browser, Keys.ALT, Keys.ARROW_UP)
        wait_entry(browser, "Depuis 2008, nous portons l'ambition.")
        box = browser.find_element(By.ID, "msgstr")
        box.clear()
        box.send_keys("Desde 2009, llevamos la ambición.")
        WebDriverWait(browser, 10).until(
            lambda d: "numbers" in d.find_element(By.ID, "findings").text
        )
        press(browser, Keys.CONTROL, Keys.ENTER)
        panel = browser.find_element(By.ID, "errors-found")
        WebDriverWait(browser, 10).until(lambda d: panel.is_displayed())
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018
        assert (
            "numbers" in panel.text and entry(catalog, "Depuis 2008, nous portons l'ambition.")[1]
        )
        axe(browser, "review page with an error shown")
        browser.find_element(By.ID, "save-anyway").click()
        moved_on_from(browser, "Depuis 2008, nous portons l'ambition.")
        assert entry(catalog, "Depuis 2008, nous portons l'ambition.") == (
            "Desde 2009, llevamos la ambición.",
            False,
        )

        # Search: Ctrl+K, across every filter (the hit is reviewed, the list is "to do").
        press(browser, Keys.CONTROL, "k")
        search = browser.switch_to.active_element
        assert search.get_attribute("id") == "search"
        search.send_keys("AMBICIÓN", Keys.ENTER)
        WebDriverWait(browser, 10).until(lambda d: "q=" in d.current_url)
        hits = browser.find_element(By.CSS_SELECTOR, ".hits").text
        assert hits.startswith("1 entry matches “AMBICIÓN” in the whole catalog")
        listed = browser.find_element(By.CSS_SELECTOR, "ol.entries").text
        assert "Depuis 2008" in listed and "entry 5, reviewed" in listed
        assert current(browser) == "Depuis 2008, nous portons l'ambition."
        assert "Entry 5 of 6" in browser.title
    finally:
        desk.stop()


def test_drafts_survive_a_reload_and_a_restart(
    workspace_es: tuple[Path, Path], browser: WebDriver
) -> None:
    root, catalog = workspace_es
    port = free_port()
    desk = Desk(root, port)
    try:
        browser.get(desk.url)
        browser.get(desk.root + "/review/es/doc?filter=all&n=1")
        wait_entry(browser, "Bien sûr.")
        box = browser.find_element(By.ID, "msgstr")
        box.clear()
        box.send_keys("Claro que sí.")
        browser.refresh()
        wait_entry(browser, "Bien sûr.")
        assert browser.find_element(By.ID, "msgstr").get_attribute("value") == "Claro que sí."
        assert status(browser) == "Your unsaved draft is back."
    finally:
        desk.stop()
    again = Desk(root, port)  # a restart: a new address, the same origin
    try:
        press(browser, Keys.CONTROL, Keys.ENTER)  # the old page's session is gone
        wait_status(browser, "no longer signed in")
        assert "open the address tirage serve printed" in status(browser)
        assert entry(catalog, "Bien sûr.") == ("Por supuesto.", True)
        browser.get(desk.root + "/review/es/doc")
        assert "Open the address that" in browser.find_element(By.TAG_NAME, "body").text
        browser.get(again.url)
        browser.get(again.root + "/review/es/doc?filter=all&n=1")
        wait_entry(browser, "Bien sûr.")
        assert browser.find_element(By.ID, "msgstr").get_attribute("value") == "Claro que sí."
        press(browser, Keys.CONTROL, Keys.ENTER)
        moved_on_from(browser, "Bien sûr.")
        assert entry(catalog, "Bien sûr.") == ("Claro que sí.", False)
        browser.get(again.root + "/review/es/doc?filter=all&n=1")  # saved: no draft left
        wait_entry(browser, "Bien sûr.")
        assert (
            status(browser) == "" and browser.find_element(By.ID, "discard").is_displayed() is False
        )
    finally:
        again.stop()


def test_phone_width_dark_theme_arabic_and_accessibility(
    workspace_es: tuple[Path, Path], browser: WebDriver
) -> None:
    root, catalog = workspace_es
    toml = root / "tirage.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('["en", "es"]', '["en", "es", "ar"]'),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "tirage", "update", "-q", "-w", str(root)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    arabic = root / "locales" / "ar" / "doc.po"
    po = read_po(arabic)
    po.find("Depuis 2008, nous portons l'ambition.").msgstr = "منذ عام (2008)، نحمل الطموح."
    po.find("Depuis 2008, nous portons l'ambition.").flags = ["fuzzy"]
    save_po(arabic, po)
    desk = Desk(root, free_port())
    try:
        browser.get(desk.url)
        axe(browser, "dashboard")
        browser.get(desk.root + "/review/es/doc?filter=review&order=confidence")
        wait_entry(browser, MATCHED)
        assert browser.find_elements(By.CSS_SELECTOR, "button.match")
        axe(browser, "review page with a memory match")
        # A conflict, shown.
        po = read_po(catalog)
        po.find(MATCHED).msgstr = "Texto de Poedit."
        save_po(catalog, po)
        press(browser, Keys.CONTROL, Keys.ENTER)
        WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "conflict").is_displayed())
        axe(browser, "review page with a conflict")

        # Arabic: every text box and passage in the target language runs right to left,
        # the French source left to right inside the page.
        browser.get(desk.root + "/review/ar/doc?filter=all&n=4")
        wait_entry(browser, "Depuis 2008, nous portons l'ambition.")
        box = browser.find_element(By.ID, "msgstr")
        assert (box.get_attribute("lang"), box.get_attribute("dir")) == ("ar", "rtl")
        source = browser.find_element(By.CSS_SELECTOR, "blockquote.paragraph")
        assert (source.get_attribute("lang"), source.get_attribute("dir")) == ("fr", "ltr")
        for passage in browser.find_elements(By.CSS_SELECTOR, "#disk-text, #your-text"):
            assert passage.get_attribute("dir") == "rtl"
        assert box.value_of_css_property("direction") == "rtl"
        axe(browser, "Arabic review page")
        shoot(browser, "serve-arabic.png")
        # The HTML editions that export writes, opened as files.
        done = subprocess.run(
            [sys.executable, "-m", "tirage", "export", "-q", "--threshold", "0", "-w", str(root)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        editions = sorted((root / "editions").rglob("*.html"))
        assert editions
        for edition in editions:
            browser.get(edition.as_uri())
            axe(browser, f"edition {edition.relative_to(root)}")
        browser.get(desk.root + "/preview/ar/doc")
        fallbacks = browser.find_elements(By.CSS_SELECTOR, 'main span[lang="fr"]')
        assert fallbacks and {f.get_attribute("dir") for f in fallbacks} == {"ltr"}
        axe(browser, "preview")

        # A phone: 360 px wide, nothing wider than the screen, the text box in full.
        browser.set_window_size(360, 800)
        browser.get(desk.root + "/review/es/doc?filter=all&n=1")
        wait_entry(browser, "Bien sûr.")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= browser.execute_script("return window.innerWidth")
        box = browser.find_element(By.ID, "msgstr")
        assert box.rect["x"] >= 0 and box.rect["x"] + box.rect["width"] <= 360
        shoot(browser, "serve-phone.png")
        browser.get(desk.root + "/")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
        shoot(browser, "serve-phone-dashboard.png")

        # The dark theme follows the system's preference.
        browser.set_window_size(1280, 860)
        browser.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
        )
        browser.get(desk.root + "/review/es/doc?filter=all&n=1")
        wait_entry(browser, "Bien sûr.")
        background = browser.find_element(By.TAG_NAME, "body").value_of_css_property(
            "background-color"
        )
        assert background == "rgba(21, 24, 29, 1)"
        axe(browser, "review page, dark theme")
        shoot(browser, "serve-dark.png")
        browser.get(desk.root + "/")
        axe(browser, "dashboard, dark theme")
    finally:
        desk.stop()
    assert re.sub(r"\s", "", catalog.read_text(encoding="utf-8"))  # still a catalog


def test_history_revert_and_ignored_warnings(
    workspace_es: tuple[Path, Path], browser: WebDriver
) -> None:
    root, catalog = workspace_es
    ws = load_workspace(root)
    # A decision in the terminal queue (the same core: review.apply_decision).
    made = Decision(catalog, "es", "Bien sûr.", None, "Claro.", "Por supuesto.", "Terry <t@x.org>")
    apply_decision(ws, made)
    desk = Desk(root, free_port())
    try:
        browser.get(desk.url)
        browser.get(desk.root + "/review/es/doc?filter=all&n=1")
        wait_entry(browser, "Bien sûr.")
        box = browser.find_element(By.ID, "msgstr")
        box.clear()
        box.send_keys("Claro que sí.")
        press(browser, Keys.CONTROL, Keys.ENTER)
        moved_on_from(browser, "Bien sûr.")
        press(browser, Keys.ALT, Keys.ARROW_UP)
        wait_entry(browser, "Bien sûr.")
        history = browser.find_elements(By.CSS_SELECTOR, "ol.history li")
        assert [item.text.split(" · ", 1)[1].removesuffix(" Bring back the version before")
                for item in history] == [
            "Rita Reviewer <rita@example.org>: “Claro.” (reviewed) → “Claro que sí.”",
            "Terry <t@x.org>: “Por supuesto.” (needs review) → “Claro.”",
        ]  # fmt: skip
        axe(browser, "review page with a history")
        history[1].find_element(By.CSS_SELECTOR, "button.revert").click()
        assert browser.find_element(By.ID, "msgstr").get_attribute("value") == "Por supuesto."
        press(browser, Keys.CONTROL, Keys.ENTER)
        moved_on_from(browser, "Bien sûr.")
        assert entry(catalog, "Bien sûr.") == ("Por supuesto.", False)
        # A warning ignored for one entry stays ignored, after a reload and while typing.
        browser.get(desk.root + "/review/es/doc?filter=all&n=2")
        wait_entry(browser, MATCHED)
        findings = browser.find_element(By.ID, "findings")
        assert "end-punctuation" in findings.text and "punctuation-spacing" in findings.text
        findings.find_element(By.CSS_SELECTOR, 'button[data-check="end-punctuation"]').click()
        wait_status(browser, "end-punctuation is ignored for this entry from now on.")
        browser.refresh()
        wait_entry(browser, MATCHED)
        assert "Ignored for this entry: end-punctuation." in browser.page_source
        press(browser, " ")
        WebDriverWait(browser, 10).until(
            lambda d: d.find_element(By.ID, "findings").text.count("warning") == 1
        )
        findings = browser.find_element(By.ID, "findings").text
        assert "punctuation-spacing" in findings and "end-punctuation" not in findings
        axe(browser, "review page with an ignored warning")
        with History.open(ws) as kept:
            assert [c.after for c in kept.of("es", "doc", "Bien sûr.", None)] == [
                "Por supuesto.", "Claro que sí.", "Claro.",
            ]  # fmt: skip
    finally:
        desk.stop()


def test_a_plural_entry_is_edited_form_by_form(
    workspace_es: tuple[Path, Path], browser: WebDriver
) -> None:
    root, catalog = workspace_es
    po = read_po(catalog)
    po.append(
        polib.POEntry(
            msgid="%d fichier",
            msgid_plural="%d fichiers",
            msgstr_plural={0: "%d archivo", 1: "%d de archivos", 2: "%d archivo"},
            flags=["fuzzy", "c-format"],
        )
    )
    save_po(catalog, po)
    desk = Desk(root, free_port())
    try:
        browser.get(desk.url)
        link = browser.find_element(
            By.CSS_SELECTOR, 'tr[data-doc="doc"][data-lang="es"] a.review-link'
        )
        assert link.text == "Review doc in Spanish (7 to do)"  # the plural entry is work too
        browser.get(desk.root + "/review/es/doc?filter=all&n=6")
        wait_entry(browser, "%d fichier")
        labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "label.form-label")]
        assert labels == ["one (1)", "many (1000000, 2000000, 10000000…)", "other (0, 2, 3…)"]
        forms = browser.find_elements(By.CSS_SELECTOR, "textarea.form")
        assert [f.get_attribute("value") for f in forms] == ["%d archivo", "%d de archivos",
                                                             "%d archivo"]  # fmt: skip
        axe(browser, "review page of a plural entry")
        forms[2].clear()
        forms[2].send_keys("%d archivos")
        browser.refresh()  # the draft keeps every form
        wait_entry(browser, "%d fichier")
        forms = browser.find_elements(By.CSS_SELECTOR, "textarea.form")
        assert forms[2].get_attribute("value") == "%d archivos"
        forms[2].send_keys(Keys.CONTROL, Keys.ENTER)
        wait_status(browser, "Saved: “")
        saved = read_po(catalog).find("%d fichier")
        assert saved.msgstr_plural == {0: "%d archivo", 1: "%d de archivos", 2: "%d archivos"}
        assert not saved.fuzzy
    finally:
        desk.stop()
