"""What the desk's API takes before it does anything: credentials that are text, bodies of
a bounded size and depth, translations that are text; and work off the event loop."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import httpx
import pytest

from serve_workspace import make_workspace
from test_serve import ORIGIN, PREFIX, RITA, ROOT, TOKEN, client, csrf
from tirage.serve import app as desk_app
from tirage.serve.app import create_app
from tirage.serve.guard import BODY_LIMIT
from tirage.workspace import load_workspace


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    make_workspace(tmp_path / "ws")
    return tmp_path / "ws"


def test_credentials_that_are_not_ascii_are_refused_not_a_crash(desk: Path) -> None:
    stranger = client(desk, login=False)
    assert stranger.get("/?token=t0k3n-f\u00f6r-tests").status_code == 403
    assert stranger.get("/?token=%FF%FE").status_code == 403
    for cookie in ("tirage-desk=s\u00e9ance".encode(), b"tirage-desk=\xff\xfe"):
        assert stranger.get("/", headers={"Cookie": cookie}).status_code == 403
    web = client(desk)
    body = {"lang": "es", "msgid": "Bien sûr.", "msgstr": "Claro."}
    for header in ("\u00e9t\u00e9".encode(), b"\xff" * 40, "\u2603".encode()):
        response = web.post("/api/check", json=body, headers={"X-Tirage-CSRF": header})
        assert response.status_code == 403
    odd_origin = {"X-Tirage-CSRF": csrf(web), "Origin": "http://[\u00e9".encode()}
    assert web.post("/api/check", json=body, headers=odd_origin).status_code == 403


def test_bodies_are_bounded_in_size_and_depth(desk: Path) -> None:
    web = client(desk)
    headers = {"X-Tirage-CSRF": csrf(web), "Content-Type": "application/json"}
    big = json.dumps({"lang": "es", "msgid": "x", "msgstr": "a" * BODY_LIMIT})
    response = web.post("/api/check", content=big, headers=headers)
    assert response.status_code == 413 and "larger than 1 MB" in response.json()["error"]

    def chunks() -> object:  # no Content-Length: counted as it arrives
        for _ in range(200):
            yield b" " * 10_000

    response = web.post("/api/check", content=chunks(), headers=headers)  # type: ignore[arg-type]
    assert response.status_code == 413
    for deep in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = web.post("/api/decide", content=deep, headers=headers)
        assert response.status_code == 400 and "nests deeper" in response.json()["error"]
    for broken in ("{", "[1, 2]", '"text"', "\xff"):
        response = web.post("/api/decide", content=broken.encode("latin-1"), headers=headers)
        assert response.status_code == 400, broken


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Claro\x00.", "a control character (U+0000) at character 6"),
        ("Cla\ud800ro.", "an unpaired surrogate (U+D800) at character 4"),
        ("Claro\x1b[2J.", "a control character (U+001B)"),
        ("Claro\r.", "a control character (U+000D)"),
    ],
)
def test_a_translation_must_be_text(desk: Path, text: str, shown: str) -> None:
    web = client(desk)
    catalog = desk / "locales" / "es" / "doc.po"
    before = catalog.read_bytes()
    headers = {"X-Tirage-CSRF": csrf(web), "Origin": ORIGIN, "Content-Type": "application/json"}
    body = {"lang": "es", "doc": "doc", "msgid": "Bien sûr.", "msgstr": text, "base": ""}
    # json.dumps writes a lone surrogate as the escape \ud800, as a browser's JSON would.
    for path in ("/api/decide", "/api/check"):
        response = web.post(path, content=json.dumps(body), headers=headers)
        assert response.status_code == 400, path
        assert shown in response.json()["error"]
    assert catalog.read_bytes() == before
    body["msgstr"] = "Claro,\tpor supuesto.\nSí."  # tab and newline are text
    assert web.post("/api/check", content=json.dumps(body), headers=headers).status_code == 200


def test_a_slow_check_does_not_stall_other_requests(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check that cannot finish until a page has been served: on the event loop it would
    hold the page back, and the two would wait for each other until the check gives up."""
    page_served, check_started = threading.Event(), threading.Event()
    real_check = desk_app.check_pair
    checked: list[str] = []

    def slow_check(*args: object) -> object:
        check_started.set()
        checked.append("waited" if page_served.wait(timeout=10) else "gave up")
        return real_check(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(desk_app, "check_pair", slow_check)
    app = create_app(load_workspace(desk), RITA, TOKEN, PREFIX)
    order: list[str] = []

    async def sitting() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=ROOT + "/") as web:
            await web.get(f"/?token={TOKEN}", follow_redirects=True)
            token = csrf_of((await web.get("/")).text)
            body = {"lang": "es", "msgid": "Il a 35 ans.", "msgstr": "Tiene 53 años. " * 30_000}

            async def check() -> None:
                response = await web.post("/api/check", json=body, headers={"X-Tirage-CSRF": token})
                assert response.status_code == 200
                order.append("check")

            async def page() -> None:
                while not check_started.is_set():  # asked only once the check is running
                    await asyncio.sleep(0.01)
                response = await web.get("/review/es/doc")
                assert response.status_code == 200
                order.append("page")
                page_served.set()

            await asyncio.gather(check(), page())

    asyncio.run(sitting())
    assert order == ["page", "check"] and checked == ["waited"]


def csrf_of(page: str) -> str:
    return page.split('<meta name="csrf" content="', 1)[1].split('"', 1)[0]


def test_a_catalog_that_cannot_be_read_is_one_line_not_a_traceback(
    desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web = client(desk)
    catalog = desk / "locales" / "es" / "doc.po"
    catalog.unlink()
    catalog.mkdir()  # where a file belongs
    response = web.get("/review/es/doc")
    assert response.status_code == 500
    assert "The desk could not do that" in response.text and "Traceback" not in response.text
    err = capsys.readouterr().err
    assert err.startswith("tirage serve: ") and err.count("\n") == 1 and "Traceback" not in err
