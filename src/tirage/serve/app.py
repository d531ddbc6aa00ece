"""The web review desk: a Starlette app over one workspace.

Security is in `guard` (the secret prefix, sessions, CSRF, host check, bounded bodies).
Pages are rendered by Jinja2 with autoescaping on; catalogs are looked up among the
workspace's own, never built from request paths. Work that reads or writes catalogs or
runs checks goes to Starlette's thread pool, so one slow request never stalls the others.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route

from tirage.catalog import timestamp
from tirage.editions.credit import credit_from_po, credit_line
from tirage.editions.html import render_html
from tirage.editions.render import Translations
from tirage.entry_view import ignorable
from tirage.errors import TirageError
from tirage.history import History
from tirage.languages import text_direction
from tirage.memory import TranslationMemory
from tirage.po.pofile import read_po
from tirage.quality.checks import CHECKS, ERROR, check_pair
from tirage.review import (
    FORM_SEPARATOR,
    Conflict,
    Decision,
    Reviewer,
    apply_decision,
    catalog_path,
    reviewer_notice,
)
from tirage.serve.guard import (
    LOOPBACK,
    NOT_DONE,
    Guard,
    Refused,
    first_line,
    parse_json,
    read_body,
    text_field,
    text_list,
)
from tirage.serve.memo import FILTERS, ORDERS, Memo
from tirage.serve.pages import dashboard, review_page
from tirage.terminal import visible
from tirage.text.glossary import load_glossary
from tirage.workspace import Workspace, language_name

# The preview is an edition: its style sheet is inline, and it runs no script at all.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
STATIC = Path(__file__).parent / "static"
PREVIEW_STYLE = (STATIC / "preview.css").read_text(encoding="utf-8")
MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
IMMUTABLE = "public, max-age=31536000, immutable"


def hashed_assets() -> dict[str, tuple[str, bytes]]:
    """`desk.css` → (`desk.<hash>.css`, its bytes): a name that changes with the content,
    so the browser may keep the file for good."""
    assets = {}
    for path in sorted(STATIC.iterdir()):
        if path.suffix in MEDIA_TYPES:
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:16]
            assets[path.name] = (f"{path.stem}.{digest}{path.suffix}", data)
    return assets


STATE_WORDS = {
    "reviewed": "reviewed",
    "fuzzy": "needs review",
    "changed": "source changed",
    "untranslated": "untranslated",
}
STATE_NAMES = {
    "translated": "reviewed",
    "fuzzy_mt": "machine",
    "fuzzy_source": "source changed",
    "untranslated": "untranslated",
}


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


COUNTING_WAIT = 1.0  # seconds the first dashboard waits for the start-up's counts


class Desk:
    """The routes, over one workspace and one reviewer, under the prefix `root`."""

    def __init__(self, ws: Workspace, reviewer: Reviewer, root: str) -> None:
        self.ws = ws
        self.reviewer = reviewer
        self.root = root
        self.memo = Memo(ws)
        self.saving = threading.Lock()  # one save at a time: the memory has one writer
        self.warmed = threading.Event()
        self.counted = threading.Event()  # every catalog's dashboard numbers are known
        self.templates = Environment(
            loader=PackageLoader("tirage.serve", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=shown,
        )
        self.templates.filters["exact"] = exact
        self.assets = hashed_assets()
        self.served = {hashed: (name, data) for name, (hashed, data) in self.assets.items()}
        self.templates.globals.update(
            filters=FILTERS,
            orders=ORDERS,
            language_name=language_name,
            review_url=self.review_url,
            root=root,
            asset=lambda name: f"{root}/static/{self.assets[name][0]}",
            source_lang=ws.source_lang,
            direction=text_direction,
            reviewer_name=reviewer.name,
            state_words=STATE_WORDS,
            state_names=STATE_NAMES,
        )

    def warm(self) -> None:
        """What a first page would otherwise wait for: the dashboard's numbers, the memory's
        matches from what translators saved while no desk was running, then every catalog
        parsed and checked."""
        try:
            try:
                dashboard(self.ws, self.memo)  # what the first page needs, first
            finally:
                self.counted.set()
            with self.saving, TranslationMemory.open(self.ws) as memory:
                memory.refresh(self.ws)
            self.memo.warm()
        except (TirageError, OSError, sqlite3.Error) as exc:
            line = exc.format() if isinstance(exc, TirageError) else first_line(exc)
            print(f"tirage serve: {line}", file=sys.stderr)
        finally:
            self.warmed.set()

    def review_url(
        self,
        lang: str,
        doc: str,
        filter_name: str,
        query: str,
        n: int | None,
        order: str = "document",
    ) -> str:
        params: dict[str, str] = {"filter": filter_name}
        if order != "document":
            params["order"] = order
        if query:
            params["q"] = query
        if n is not None:
            params["n"] = str(n)
        return f"{self.root}/review/{quote(lang)}/{quote(doc)}?{urlencode(params)}"

    def render(self, request: Request, name: str, status: int = 200, **values: Any) -> Response:
        page = self.templates.get_template(name).render(
            csrf=request.state.csrf,
            notice=reviewer_notice(self.reviewer),
            workspace=self.ws.root.resolve().name,
            **values,
        )
        return HTMLResponse(page, status)

    async def static(self, request: Request) -> Response:
        found = self.served.get(str(request.path_params["name"]))
        if found is None:
            return Response("Not found\n", 404, media_type="text/plain")
        name, data = found
        media_type = MEDIA_TYPES[Path(name).suffix]
        return Response(data, media_type=media_type, headers={"cache-control": IMMUTABLE})

    async def dashboard(self, request: Request) -> Response:
        # On a first run, counting every catalog's words takes seconds: the dashboard is
        # shown after COUNTING_WAIT at most, the rows not yet counted marked so, and the
        # page fills them in as they come (desk.js).
        counted = await run_in_threadpool(self.counted.wait, COUNTING_WAIT)
        board = await run_in_threadpool(dashboard, self.ws, self.memo, counted)
        return self.render(request, "dashboard.html", board=board)

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
            return self.render(request, "missing.html", 404)
        wanted = request.query_params.get("n", "")
        page = await run_in_threadpool(
            review_page,
            self.ws,
            self.memo,
            lang,
            path,
            request.query_params.get("filter", "todo"),
            request.query_params.get("order", "document"),
            request.query_params.get("q", "").strip(),
            int(wanted) if wanted.isdigit() else None,
        )
        return self.render(request, "review.html", page=page, threshold=self.ws.threshold)

    async def preview(self, request: Request) -> Response:
        try:
            lang, doc, path = self._catalog(request)
        except LookupError:
            return self.render(request, "missing.html", 404)
        html = await run_in_threadpool(self._preview, lang, doc, path)
        if html is None:
            return self.render(request, "missing.html", 404)
        response = HTMLResponse(html)
        response.headers["content-security-policy"] = PREVIEW_CSP
        return response

    def _preview(self, lang: str, doc: str, path: Path) -> str | None:
        document = self.memo.document(doc)
        if document is None:
            return None
        po = read_po(path)
        credit = credit_line(credit_from_po(po, self.ws.source_lang, False), lang)
        keep = load_glossary(self.ws.glossary_path).keep  # as export: names left as written
        html = render_html(
            document, Translations.from_po(po), lang, self.ws.source_lang, False, credit,
            keep=keep,
        )  # fmt: skip
        banner = (
            # Inline: the edition's own meta CSP allows inline styles and nothing else.
            f"<style>\n{PREVIEW_STYLE}</style>\n</head>",
            '<body>\n<aside class="tirage-preview" aria-label="About this preview"><p>Preview '
            "as exported now: passages still in the source language (untranslated or not "
            "yet reviewed) are marked.</p></aside>",
        )
        html = html.replace("</head>", banner[0], 1).replace("<body>", banner[1], 1)
        if text_direction(lang) != text_direction(self.ws.source_lang):
            # A passage left in the source language keeps its own direction in the page.
            source = self.ws.source_lang
            mark = f'<span lang="{source}" dir="{text_direction(source)}">'
            html = html.replace(f'<span lang="{source}">', mark)
        return html

    async def api(
        self, request: Request, work: Callable[[dict[str, Any]], tuple[int, Any]]
    ) -> Response:
        """Read the body (bounded), then parse, validate and do the work in the pool;
        every refusal is a JSON answer with a sentence the page shows."""
        try:
            body = await read_body(request)
            status, answer = await run_in_threadpool(lambda: work(parse_json(body)))
        except Refused as refused:
            return JSONResponse({"error": refused.message}, refused.status)
        return JSONResponse(answer, status)

    async def decide(self, request: Request) -> Response:
        return await self.api(request, self._decide)

    def _decide(self, body: dict[str, Any]) -> tuple[int, Any]:
        lang, doc = text_field(body, "lang"), text_field(body, "doc")
        msgid = text_field(body, "msgid")
        msgctxt = text_field(body, "msgctxt") if body.get("msgctxt") is not None else None
        forms = base_forms = None
        if "forms" in body:  # a plural entry, form by form
            forms = tuple(f.strip() for f in text_list(body, "forms", new=True))
            base_forms = tuple(text_list(body, "base_forms"))
            if not all(forms):
                raise Refused(400, "Every plural form needs a translation.")
            msgstr, base = FORM_SEPARATOR.join(forms), FORM_SEPARATOR.join(base_forms)
        else:
            msgstr, base = text_field(body, "msgstr", new=True), text_field(body, "base")
        path = catalog_path(self.ws, lang, doc)
        if path is None:
            return 404, {"error": "no such catalog"}
        decision = Decision(
            path, lang, msgid, msgctxt, msgstr.strip(), base, self.reviewer.name,
            forms=forms, base_forms=base_forms,
        )  # fmt: skip
        try:
            with self.saving, TranslationMemory.open(self.ws) as memory:
                known = self.memo.catalog(path)
                saved = None
                try:
                    saved = apply_decision(self.ws, decision, memory, known)
                finally:
                    self.memo.saved(lang, path, known, saved)
        except Conflict as conflict:
            answer: dict[str, object] = {
                "conflict": True,
                "disk": conflict.disk,
                "disk_fuzzy": conflict.disk_fuzzy,
            }
            if conflict.disk_forms is not None:
                answer["disk_forms"] = conflict.disk_forms
            return 409, answer
        except TirageError as exc:
            return 500, {"error": exc.format()}
        return 200, {"saved": decision.msgstr, "fuzzy": saved.entry.fuzzy}

    async def check(self, request: Request) -> Response:
        return await self.api(request, self._check)

    def _check(self, body: dict[str, Any]) -> tuple[int, Any]:
        lang, msgid = text_field(body, "lang"), text_field(body, "msgid")
        msgstr = text_field(body, "msgstr", new=True)
        if lang not in self.ws.targets:
            return 404, {"error": "not a target language"}
        found = check_pair(msgid, msgstr, self.memo.context(lang)) if msgstr else []
        if isinstance(body.get("doc"), str) and History.exists(self.ws):
            msgctxt = text_field(body, "msgctxt") if body.get("msgctxt") is not None else None
            with History.open(self.ws) as kept:
                ignored = kept.ignored(lang, text_field(body, "doc"), msgid, msgctxt)
            found = [(c, e) for c, e in found if not ignorable(c, ignored)]
        return 200, [{"check": c.name, "severity": c.severity, "evidence": e} for c, e in found]

    async def ignore(self, request: Request) -> Response:
        return await self.api(request, self._ignore)

    def _ignore(self, body: dict[str, Any]) -> tuple[int, Any]:
        """Ignore one check's warnings for one entry, from now on."""
        lang, doc, msgid = (text_field(body, name) for name in ("lang", "doc", "msgid"))
        msgctxt = text_field(body, "msgctxt") if body.get("msgctxt") is not None else None
        check = text_field(body, "check")
        if catalog_path(self.ws, lang, doc) is None:
            return 404, {"error": "no such catalog"}
        severity = {c.name: c.severity for c in CHECKS}.get(check, ERROR)
        if severity == ERROR:
            return 400, {"error": "only a warning can be ignored, never an error"}
        with History.open(self.ws) as kept:
            kept.ignore(lang, doc, msgid, msgctxt, check, self.reviewer.name, timestamp())
        return 200, {"ignored": check}


def create_app(
    ws: Workspace,
    reviewer: Reviewer,
    token: str,
    prefix: str,
    hosts: Iterable[str] = LOOPBACK,
) -> Guard:
    """The desk under `/<prefix>/`, entered with `/<prefix>/?token=<token>`. It answers at
    once; the memory's refresh and the catalogs' parse and checks go on in the background
    (a page that needs a catalog not yet read reads it itself)."""
    root = "/" + prefix
    desk = Desk(ws, reviewer, root)
    threading.Thread(target=desk.warm, name="tirage-warm", daemon=True).start()
    for name in desk.templates.list_templates():
        desk.templates.get_template(name)  # compiled now, not on a reviewer's first page
    routes = [
        Route("/", desk.dashboard),
        Route("/review/{lang}/{doc}", desk.review),
        Route("/preview/{lang}/{doc}", desk.preview),
        Route("/api/decide", desk.decide, methods=["POST"]),
        Route("/api/check", desk.check, methods=["POST"]),
        Route("/api/ignore", desk.ignore, methods=["POST"]),
        Route("/static/{name}", desk.static),
    ]
    desk_app = Starlette(routes=[Mount(root, routes=routes)], exception_handlers=NOT_DONE)
    guard = Guard(desk_app, token, prefix, hosts)
    guard.warmed, guard.counted = desk.warmed, desk.counted
    return guard
