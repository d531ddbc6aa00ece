"""The desk's door: who may read or change anything, and what a request may carry.

Browsers send a 127.0.0.1 cookie to every port of 127.0.0.1, and any page on another local
server can make the browser request anything. So no credential is one a browser sends by
itself to somewhere else:
- the desk lives under a secret path prefix (`/<prefix>/`), printed once with the access
  token; anything else on the port answers 403;
- the access token of the printed URL is exchanged at once for a session: a random id in a
  cookie whose `Path` is the prefix, so the browser sends it nowhere else;
- each session has its own random CSRF token, kept on the server and written only into the
  desk's own pages (another origin cannot read them);
- the Host header must name this machine (DNS rebinding), a same-origin Origin header is
  required of state changes when the browser sends one, and a strict CSP keeps scripts and
  styles to tirage's own files.

Request bodies are bounded in size and JSON depth, and their text must be text: valid
Unicode scalar values without control characters (tab and newline aside), as sources are.
"""

from __future__ import annotations

import hmac
import html
import json
import re
import secrets
import sqlite3
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tirage.errors import TirageError

COOKIE = "tirage-desk"
SESSIONS = 64  # logins kept at once (each browser that opens the printed URL is one)
BODY_LIMIT = 1_000_000  # bytes: a request is one entry, never a catalog
JSON_DEPTH = 8  # the desk's requests are flat objects holding at most a list of strings
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# Lone surrogates (which JSON's \ud800 can carry) and every control but tab and newline.
_NOT_TEXT = re.compile("[\ud800-\udfff]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NOT_WELL_FORMED = re.compile("[\ud800-\udfff]")
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(rb"[\[\]{}]")


class Refused(Exception):
    """A request the desk does not take: its status and the sentence the page shows."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def hostname(host_header: str) -> str:
    """`127.0.0.1:8765` → `127.0.0.1`; `[::1]:8765` → `::1`."""
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0].lower()
    return host_header.rpartition(":")[0].lower() if ":" in host_header else host_header.lower()


def same(given: str, secret: str) -> bool:
    """Constant-time comparison that takes any text a browser can send (non-ASCII
    included: `hmac.compare_digest` raises on it)."""
    return given.isascii() and hmac.compare_digest(given.encode(), secret.encode())


def security_headers() -> dict[str, str]:
    return {
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
        "cache-control": "no-store",
    }


LOGIN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Not signed in · tirage</title></head>
<body><main><h1>Not signed in to this review desk</h1>
<p>{text}</p>
<p>Open the address that <code>tirage serve</code> printed in its terminal (it ends in
<code>?token=…</code>). If the server was restarted, it printed a new one; your unsaved
drafts are kept in this browser and come back on the entry's page.</p></main></body></html>
"""


ERROR_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Not done · tirage</title></head>
<body><main><h1>The desk could not do that</h1><p>{text}</p>
<p>Nothing was changed. Go back and try again once this is fixed.</p></main></body></html>
"""


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


async def not_done(request: Request, exc: Exception) -> Response:
    """A full disk, a catalog that cannot be read: one line, on stderr and in the page,
    never a traceback (Starlette's handler for these exception classes)."""
    line = exc.format() if isinstance(exc, TirageError) else first_line(exc)
    print(f"tirage serve: {line}", file=sys.stderr)
    return HTMLResponse(ERROR_PAGE.format(text=html.escape(line)), 500)


NOT_DONE = {TirageError: not_done, OSError: not_done, sqlite3.Error: not_done}


def forbidden(text: str) -> Response:
    return HTMLResponse(LOGIN_PAGE.format(text=text), 403)


class Guard:
    """Host, prefix, session, CSRF and security headers, before any route runs."""

    warmed: threading.Event | None = None  # set once the desk has read every catalog
    counted: threading.Event | None = None  # set once the dashboard's numbers are known

    def __init__(self, app: ASGIApp, token: str, prefix: str, hosts: Iterable[str]) -> None:
        self.app = app
        self.token = token
        self.root = "/" + prefix
        self.hosts = {host.lower() for host in hosts}
        self.sessions: OrderedDict[str, str] = OrderedDict()  # session id → its CSRF token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            response = self.refuse(request)
        except (ValueError, UnicodeError):  # a header no browser of ours would send
            response = forbidden("This request is not one the desk takes.")
        if response is not None:
            await self.secure(response)(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {key for key, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in security_headers().items()]
                message["headers"] = list(message.get("headers", [])) + [
                    item for item in extra if item[0] not in present
                ]
            await send(message)

        await self.app(scope, receive, send_secured)

    def refuse(self, request: Request) -> Response | None:
        """None to let the request through; otherwise the answer (a 403 or the login)."""
        if hostname(request.headers.get("host", "")) not in self.hosts:
            return forbidden("This server answers only to its own address.")
        path = request.url.path
        if not (path == self.root or path.startswith(self.root + "/")):
            return forbidden("This address is not the review desk's.")
        given = request.query_params.get("token")
        if given is not None:
            if not same(given, self.token):
                return forbidden("Wrong token.")
            return self.login(request)
        session = request.cookies.get(COOKIE, "")
        csrf = self.sessions.get(session) if session.isascii() else None
        if csrf is None:
            return forbidden("This browser has no session with this desk.")
        if request.method not in ("GET", "HEAD"):
            if not same(request.headers.get("x-tirage-csrf", ""), csrf):
                return forbidden("Missing or wrong CSRF token.")
            origin = request.headers.get("origin")
            if origin is not None and hostname(URL(origin).netloc) not in self.hosts:
                return forbidden("Cross-origin request refused.")
        request.scope.setdefault("state", {})["csrf"] = csrf
        return None

    def login(self, request: Request) -> Response:
        """A new session for the browser that holds the token; the token leaves the address
        bar (and history, and Referer) at once."""
        session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.sessions[session] = csrf
        while len(self.sessions) > SESSIONS:
            self.sessions.popitem(last=False)
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        target = request.url.replace(query=urlencode(query))
        if target.path == self.root:
            target = target.replace(path=self.root + "/")
        response = RedirectResponse(str(target), 303)
        response.set_cookie(COOKIE, session, path=self.root + "/", httponly=True, samesite="strict")
        return response

    @staticmethod
    def secure(response: Response) -> Response:
        for key, value in security_headers().items():
            response.headers.setdefault(key, value)
        return response


async def read_body(request: Request) -> bytes:
    """The request's body, refused (413) beyond BODY_LIMIT before it is read whole."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > BODY_LIMIT):
        raise Refused(413, f"The request is larger than {BODY_LIMIT // 1_000_000} MB.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > BODY_LIMIT:
            raise Refused(413, f"The request is larger than {BODY_LIMIT // 1_000_000} MB.")
        chunks.append(chunk)
    return b"".join(chunks)


def json_depth(body: bytes) -> int:
    """How deep the JSON's arrays and objects nest, counted without parsing (the parser
    itself would recurse into a stack overflow): strings out, then the brackets."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub(b'""', body)):
        depth += 1 if bracket in (b"[", b"{") else -1
        deepest = max(deepest, depth)
    return deepest


def parse_json(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or Refused(400) naming what is wrong."""
    if json_depth(body) > JSON_DEPTH:
        raise Refused(400, "The request nests deeper than the desk's requests ever do.")
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        raise Refused(400, "The request is not JSON.") from None
    if not isinstance(value, dict):
        raise Refused(400, "The request is not a JSON object.")
    return value


def text_field(body: dict[str, Any], name: str, *, new: bool = False) -> str:
    """A string of the request. `new` text (a translation to be written) must be plain
    text; the others (keys naming existing entries) must only be well-formed."""
    value = body.get(name)
    if not isinstance(value, str):
        raise Refused(400, f"The request has no text {name!r}.")
    found = (_NOT_TEXT if new else _NOT_WELL_FORMED).search(value)
    if found is not None:
        char = found.group(0)
        what = "an unpaired surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        raise Refused(
            400,
            f"The text holds {what} (U+{ord(char):04X}) at character {found.start() + 1}: "
            "remove it, then save again.",
        )
    return value


def text_list(body: dict[str, Any], name: str, *, new: bool = False) -> list[str]:
    """A list of strings of the request (a plural entry's forms), each checked as
    `text_field` checks one."""
    value = body.get(name)
    if not isinstance(value, list) or not 0 < len(value) <= 6:
        raise Refused(400, f"The request has no list of texts {name!r}.")
    return [text_field({name: item}, name, new=new) for item in value]
