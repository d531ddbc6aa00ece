"""The web review desk: a Starlette app over one workspace.

Security, in one place (`Guard`), for every request:
- the Host header must name this machine (or the explicit `--host`), so a DNS-rebinding
  page cannot reach the server under another name;
- the access token of the printed URL, exchanged at once for a cookie (as Jupyter does);
- state-changing requests carry a CSRF token that only our pages know, and a same-origin
  Origin header when the browser sends one;
- a strict Content-Security-Policy: scripts and styles only from tirage's own static files.

Pages are rendered by Jinja2 with autoescaping on; catalogs are looked up among the
workspace's own, never built from request paths.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tirage.editions.credit import credit_from_po, credit_line
from tirage.editions.html import render_html
from tirage.editions.render import Translations
from tirage.errors import TirageError
from tirage.memory import TranslationMemory
from tirage.po.pofile import read_po
from tirage.quality.checks import check_pair
from tirage.review import (
    Conflict,
    Decision,
    Reviewer,
    apply_decision,
    reviewer_notice,
)
from tirage.serve.pages import FILTERS, Memo, catalog_path, dashboard, review_page
from tirage.terminal import visible
from tirage.workspace import Workspace, language_name

LOOPBACK = ("127.0.0.1", "localhost", "::1")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The preview is an edition: its style sheet is inline, and it runs no script at all.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
STATIC = Path(__file__).parent / "static"
PREVIEW_STYLE = (STATIC / "preview.css").read_text(encoding="utf-8")
STATE_NAMES = {
    "translated": "reviewed",
    "fuzzy_mt": "machine",
    "fuzzy_source": "source changed",
    "untranslated": "untranslated",
}


def hostname(host_header: str) -> str:
    """`127.0.0.1:8765` → `127.0.0.1`; `[::1]:8765` → `::1`."""
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0].lower()
    return host_header.rpartition(":")[0].lower() if ":" in host_header else host_header.lower()


class Guard:
    """Host check, token, CSRF and security headers, before any route runs."""

    def __init__(self, app: ASGIApp, token: str, hosts: Iterable[str]) -> None:
        self.app = app
        self.token = token
        self.csrf = csrf_token(token)
        self.cookie = "tirage-" + hashlib.sha256(token.encode()).hexdigest()[:12]
        self.hosts = {host.lower() for host in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        response = self.refuse(request)
        if response is None and hmac.compare_digest(
            request.query_params.get("token", ""), self.token
        ):
            # The token leaves the address bar (and history, and Referer) for a cookie.
            query = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            response = RedirectResponse(str(request.url.replace(query=urlencode(query))), 303)
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict")
        if response is not None:
            await self.secure(response)(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                extra = [(k.encode(), v.encode()) for k, v in security_headers().items()]
                message["headers"] = list(message.get("headers", [])) + [
                    item for item in extra if item[0] not in headers
                ]
            await send(message)

        await self.app(scope, receive, send_secured)

    def refuse(self, request: Request) -> Response | None:
        if hostname(request.headers.get("host", "")) not in self.hosts:
            return forbidden("This server answers only to its own address.")
        if request.query_params.get("token"):
            if hmac.compare_digest(request.query_params["token"], self.token):
                return None
            return forbidden("Wrong token: open the address that `tirage serve` printed.")
        if not hmac.compare_digest(request.cookies.get(self.cookie, ""), self.token):
            return forbidden("Open the address that `tirage serve` printed (it has a token).")
        if request.method not in ("GET", "HEAD"):
            if not hmac.compare_digest(request.headers.get("x-tirage-csrf", ""), self.csrf):
                return forbidden("Missing or wrong CSRF token.")
            origin = request.headers.get("origin")
            if origin is not None and hostname(URL(origin).netloc) not in self.hosts:
                return forbidden("Cross-origin request refused.")
        return None

    @staticmethod
    def secure(response: Response) -> Response:
        for key, value in security_headers().items():
            response.headers.setdefault(key, value)
        return response


def security_headers() -> dict[str, str]:
    return {
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
        "cache-control": "no-store",
    }


def forbidden(text: str) -> Response:
    return Response(text + "\n", 403, media_type="text/plain")


def csrf_token(token: str) -> str:
    return hmac.new(token.encode(), b"tirage-csrf", hashlib.sha256).hexdigest()


def exact(value: str) -> Markup:
    """A value that must reach the browser unchanged (the text being edited, a key the page
    sends back): HTML-escaped, with control characters as character references, so the
    page's bytes carry none and the DOM gets the exact text."""
    return Markup(
        "".join(
            ch if visible(ch, newlines=True) == ch else f"&#x{ord(ch):x};"
            for ch in str(escape(value))
        )
    )


def shown(value: Any) -> Any:
    """Every value a template prints: control characters shown as escapes (`\\x1b`)."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return visible(value, newlines=True)


class Desk:
    """The routes, over one workspace and one reviewer."""

    def __init__(self, ws: Workspace, reviewer: Reviewer, token: str) -> None:
        self.ws = ws
        self.reviewer = reviewer
        self.csrf = csrf_token(token)
        self.memo = Memo(ws)
        self.templates = Environment(
            loader=PackageLoader("tirage.serve", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=shown,
        )
        self.templates.filters["exact"] = exact
        self.templates.globals.update(
            filters=FILTERS,
            language_name=language_name,
            review_url=review_url,
            source_lang=ws.source_lang,
            state_names=STATE_NAMES,
        )

    def render(self, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        page = self.templates.get_template(name).render(
            csrf=self.csrf,
            notice=reviewer_notice(self.reviewer),
            workspace=self.ws.root.resolve().name,
            **values,
        )
        return HTMLResponse(page, status)

    async def dashboard(self, request: Request) -> Response:
        return self.render("dashboard.html", board=dashboard(self.ws, self.memo))

    def _catalog(self, request: Request) -> tuple[str, str, Path]:
        lang = str(request.path_params["lang"])
        doc = str(request.path_params["doc"])
        path = catalog_path(self.ws, lang, doc)
        if path is None:
            raise LookupError(doc)
        return lang, doc, path

    async def review(self, request: Request) -> Response:
        try:
            lang, _doc, path = self._catalog(request)
        except LookupError:
            return self.render("missing.html", 404)
        wanted = request.query_params.get("n", "")
        page = review_page(
            self.ws,
            self.memo,
            lang,
            path,
            request.query_params.get("filter", "review"),
            request.query_params.get("q", "").strip(),
            int(wanted) if wanted.isdigit() else None,
        )
        return self.render("review.html", page=page, threshold=self.ws.threshold)

    async def preview(self, request: Request) -> Response:
        try:
            lang, doc, path = self._catalog(request)
        except LookupError:
            return self.render("missing.html", 404)
        document = self.memo.document(doc)
        if document is None:
            return self.render("missing.html", 404)
        po = read_po(path)
        credit = credit_line(credit_from_po(po, self.ws.source_lang, False), lang)
        html = render_html(
            document, Translations.from_po(po), lang, self.ws.source_lang, False, credit
        )
        banner = (
            # Inline: the edition's own meta CSP allows inline styles and nothing else.
            f"<style>\n{PREVIEW_STYLE}</style>\n</head>",
            '<body>\n<p class="tirage-preview">Preview as exported now: passages '
            "still in the source language (untranslated or not yet reviewed) are marked.</p>",
        )
        html = html.replace("</head>", banner[0], 1).replace("<body>", banner[1], 1)
        response = HTMLResponse(html)
        response.headers["content-security-policy"] = PREVIEW_CSP
        return response

    async def decide(self, request: Request) -> Response:
        try:
            body = await request.json()
            lang, doc = str(body["lang"]), str(body["doc"])
            msgid, msgstr, base = str(body["msgid"]), str(body["msgstr"]), str(body["base"])
            msgctxt = body.get("msgctxt")
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "malformed request"}, 400)
        path = catalog_path(self.ws, lang, doc)
        if path is None:
            return JSONResponse({"error": "no such catalog"}, 404)
        decision = Decision(
            path,
            lang,
            msgid,
            None if msgctxt is None else str(msgctxt),
            msgstr.strip(),
            base,
            self.reviewer.name,
        )
        try:
            with TranslationMemory.open(self.ws) as memory:
                saved = apply_decision(self.ws, decision, memory)
        except Conflict as conflict:
            return JSONResponse(
                {"conflict": True, "disk": conflict.disk, "disk_fuzzy": conflict.disk_fuzzy}, 409
            )
        except TirageError as exc:
            return JSONResponse({"error": exc.format()}, 500)
        return JSONResponse({"saved": saved.entry.msgstr, "fuzzy": saved.entry.fuzzy})

    async def check(self, request: Request) -> Response:
        try:
            body = await request.json()
            lang, msgid, msgstr = str(body["lang"]), str(body["msgid"]), str(body["msgstr"])
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "malformed request"}, 400)
        if lang not in self.ws.targets:
            return JSONResponse({"error": "not a target language"}, 404)
        found = check_pair(msgid, msgstr, self.memo.context(lang)) if msgstr else []
        return JSONResponse(
            [{"check": c.name, "severity": c.severity, "evidence": e} for c, e in found]
        )


def review_url(lang: str, doc: str, filter_name: str, query: str, n: int | None) -> str:
    params: dict[str, str] = {"filter": filter_name}
    if query:
        params["q"] = query
    if n is not None:
        params["n"] = str(n)
    return f"/review/{quote(lang)}/{quote(doc)}?{urlencode(params)}"


def create_app(
    ws: Workspace, reviewer: Reviewer, token: str, hosts: Iterable[str] = LOOPBACK
) -> ASGIApp:
    with TranslationMemory.open(ws) as memory:
        memory.refresh(ws)  # matches from what translators saved while no desk was running
    desk = Desk(ws, reviewer, token)
    desk.memo.warm()
    for name in desk.templates.list_templates():
        desk.templates.get_template(name)  # compiled now, not on a reviewer's first page
    app = Starlette(
        routes=[
            Route("/", desk.dashboard),
            Route("/review/{lang}/{doc}", desk.review),
            Route("/preview/{lang}/{doc}", desk.preview),
            Route("/api/decide", desk.decide, methods=["POST"]),
            Route("/api/check", desk.check, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ]
    )
    return Guard(app, token, hosts)
