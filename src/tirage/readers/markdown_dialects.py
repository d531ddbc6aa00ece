"""The syntax that Markdown generators add to CommonMark, read before markdown-it sees the page.

MkDocs (Python-Markdown), Docusaurus (remark-directive, MDX), Hugo, Jekyll (Liquid, kramdown)
and Pandoc each add constructs that CommonMark would read as prose: `!!! tip "Titre"`,
`:::note`, `{{< highlight >}}`, `{% raw %}`, `{: .class }`, `*[HTML]: …`. This module makes a
*view* of the source with exactly the same lines, in which each such construct is blanked
(its line emptied) or taken off the end of its line, and the body of an indented container
(an admonition, a tab) is moved left. markdown-it then parses the view, and the reader finds
each inline run of the view in the source itself (`markdown._locate`), so the constructs stay
outside every segment span and reach every edition byte for byte.

The prose a construct carries (an admonition's or a directive's title, a tab's label, an
abbreviation's expansion) becomes a segment of its own, found here; the code a construct
holds (`{% highlight %}`, Hugo's code shortcodes) becomes a code block.

Fenced code is never looked into. A construct that is prose in some dialect (`!!!`, `===`,
MDX `import` lines, Pandoc's `%` title block) is read as syntax only when `[markdown] dialect`
names a dialect that has it, and otherwise noted (`View.notes`, printed by `update`) where it
was read as text; every other construct is read as syntax in every dialect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tirage.document import Block, Span, line_of
from tirage.readers.segments import segment_pieces

DIALECTS = ("auto", "commonmark", "mkdocs", "docusaurus", "hugo", "jekyll", "pandoc")
FRONT_MATTER_KEYS = (
    "title",
    "subtitle",
    "description",
    "summary",
    "excerpt",
    "abstract",
    "sidebar_label",
    "nav_title",
    "linkTitle",
    "caption",
)
CODE_SHORTCODES = ("highlight", "code", "codeblock", "prism", "src")


@dataclass(frozen=True)
class MarkdownOptions:
    """`[markdown]` in tirage.toml."""

    dialect: str = "auto"
    front_matter: tuple[str, ...] = FRONT_MATTER_KEYS  # keys whose values are prose
    code_shortcodes: tuple[str, ...] = CODE_SHORTCODES  # Hugo shortcodes that hold code
    mdx: bool = False  # an .mdx file: MDX lines whatever the dialect

    def has(self, dialect: str) -> bool:
        """Whether the constructs that only `dialect` reads as syntax are syntax here."""
        return self.dialect == dialect or (dialect == "docusaurus" and self.mdx)


@dataclass
class View:
    """The lines markdown-it parses, and what the dialect pass found itself."""

    lines: list[str]
    blocks: list[Block] = field(default_factory=list)
    html: list[Span] = field(default_factory=list)  # {::nomarkdown} bodies: read as HTML
    notes: list[tuple[int, str]] = field(default_factory=list)  # see `_note_unnamed`

    @property
    def text(self) -> str:
        return "".join(self.lines)


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_ADMONITION = re.compile(r'^(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*[ \t]*(?:"(.*)")?[ \t]*$')
_MARKED_BLOCK = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)]|:)[ \t]+)((?:!!!|\?\?\?|===).*)$")
_TAB = re.compile(r'^===[!+]?[ \t]+"(.*)"[ \t]*$')
_BLOCKS_HEAD = re.compile(r"^/{3,}[ \t]*[\w-]+(?:[ \t]*\|[ \t]*(.*?))?[ \t]*$")  # /// note | T
_BLOCKS_END = re.compile(r"^/{3,}[ \t]*$")
_DIRECTIVE = re.compile(
    r"^:{3,}[ \t]*(?:\{[^}]*\}|([\w-]+)(?:\[(.*)\])?(?:\{[^}]*\})?)?[ \t]*(.*)$"
)
_LEAF_DIRECTIVE = re.compile(r"^::[\w-]+(?:\[(.*)\])?(?:\{[^}\n]*\})?[ \t]*$")
_ABBREVIATION = re.compile(r"^\*\[[^\]\n]+\]:[ \t]*(.*?)[ \t]*$")
_SNIPPET = re.compile(r"^-{1,3}8<-{1,3}")
_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)[^\n]*?(/?)\s*[>%]\}\}")
_OPEN_SHORTCODE = re.compile(r"\{\{[<%]\s*([\w./-]*)(?:(?![<%]\}\}|[>%]\}\}).)*$")
_HEAD_END = re.compile(r"[>%]\}\}")
# Shortcode parameters whose values are prose: `{{< tab title="Premier onglet" >}}`.
PROSE_PARAMETERS = ("title", "caption", "alt", "label", "description", "summary")
_PARAMETER = re.compile(rf'(?<![\w-])(?:{"|".join(PROSE_PARAMETERS)})[ \t]*=[ \t]*"([^"\\\n]*)"')
_SHORTCODE_LINE = re.compile(r"^(?:\{\{[<%].*?[>%]\}\}[ \t]*)+$")
_LIQUID_LINE = re.compile(r"^(?:\{%-?\s*(\w+).*?-?%\}[ \t]*)+$")
_LIQUID_OUTPUT_LINE = re.compile(r"^\{\{(?![<%]).*\}\}[ \t]*$")
_OPEN_MACRO = re.compile(r"^\{\{(?![<%])(?:(?!\}\}).)*$")
_CLOSE_MACRO = re.compile(r"^[\"')\s]*\}\}$")
_LIQUID_NAME = re.compile(r"\{%-?\s*(\w+)")
# kramdown IAL/ALD/extensions ({: .x}, {:toc}, {::options /}, {:/}), attribute lists
# ({ .x }, {#id}, {: #id .x key=v }): alone on a line, or at the end of one.
_ATTRIBUTES = r"\{(?::[^{}\n]*|[ \t]*[.#][\w-][^{}\n]*|[ \t]*[\w-]+=[^{}\n]*)\}"
_ATTRIBUTE_LINE = re.compile(rf"^(?:{_ATTRIBUTES}[ \t]*)+$")
_TRAILING_ATTRIBUTES = re.compile(rf"(?<=\S)(?:[ \t]*{_ATTRIBUTES})+[ \t]*$")
# `Texte{{< /md >}}|`: closing shortcodes (and a table's bar) that end a line of prose.
_TRAILING_CLOSERS = re.compile(r"(?<=\S)(?:[ \t]*\{\{[<%]\s*/[^{}\n]*?[>%]\}\}[ \t|]*)+$")
_EXTENSION_OPEN = re.compile(r"^\{::(nomarkdown|comment)\b[^{}\n]*(?<!/)\}[ \t]*$")
_EXTENSION_CLOSE = re.compile(r"^\{:/(nomarkdown|comment)?\}[ \t]*$")
_MDX_START = re.compile(r"^(?:import|export)[ \t]+\S")
_JSX_LINE = re.compile(r"^(?:</?[A-Z][\w.]*(?:\s[^<>]*)?/?>[ \t]*)+$")
_JSX_OPEN = re.compile(r"^<[A-Z][\w.]*(?:\s[^<>]*)?$")
_MDX_COMMENT = re.compile(r"^\{/\*.*\*/\}[ \t]*$")
# Python-Markdown's md_in_html: an HTML element alone on its line whose `markdown` attribute
# makes its content Markdown (`<div class="result" markdown>`), and its closing tag.
_MD_IN_HTML = re.compile(r"^<([A-Za-z][\w-]*)\b[^<>]*?\smarkdown(?=[\s=/>])[^<>]*>[ \t]*$")
_CLOSING_TAG = re.compile(r"^</([A-Za-z][\w-]*)\s*>[ \t]*$")
_ALERT = re.compile(r"^((?:[ \t]*>)+[ \t]*)\[!(\w+)\][+-]?")
_TASK = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[[ xX]\][ \t]+")
_LEADING = re.compile(r"[ \t]*")
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")
_LETTER = re.compile(r"[^\W\d_]")
# Two letters or more between spaces: outside every mask unless the text has a mask that
# may hold spaces (code, templates, tags, citations).
_PLAIN_WORD = re.compile(r"(?:^|(?<= ))[^\W\d_]{2,}[,;.!?]?(?= |$)")
_MASKED_WORDS = re.compile(r"[`{<]|\[-?@")
# What text/protect.py masks, for this one question, in one cheap pass: code, templates,
# attribute lists and placeholders, tags, citations, URLs, emoji, link targets.
_SYNTAX = re.compile(
    r"(`+).+?\1|\{\{.*?\}\}|\{%.*?%\}|\{[^{}\n]*\}|</?[A-Za-z][^<>]*>|\[-?@[^\]\n]*\]"
    r"|\w+://\S+|(?<![\w:]):[a-z0-9_+-]+:(?![\w:])|\]\([^()\s]*\)|&#?\w+;"
)


def make_view(text: str, options: MarkdownOptions, lang: str) -> View:
    """The view of `text` (see the module notes): the same number of lines."""
    # Lines as markdown-it counts them: only "\n" ends one (not U+2028, which splitlines takes).
    lines = _LINE.findall(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    view = View(list(lines))
    mkdocs = options.has("mkdocs")
    mdx = options.has("docusaurus")
    indented: list[int] = []  # body columns of the open admonitions and tabs
    fence: str | None = None
    fence_end: re.Pattern[str] | None = None
    until: re.Pattern[str] | None = None  # the end of a block being blanked
    code_from = -1  # first line of a code block being blanked, -1 when none
    html_from = -1
    in_import = False
    after_head: re.Pattern[str] | None = None  # in a shortcode's head: what follows it
    # The open md_in_html elements: tag name, and how many plain ones of it are open inside.
    md_html: list[tuple[str, int]] = []
    front = _front_matter_end(lines)
    if front and lines[0].startswith("+"):  # TOML: markdown-it would read it as paragraphs
        view.lines[:front] = ["\n"] * front
    if options.has("pandoc") and not front:
        front = _title_block(view, text, lines, lang)
    elif not front and lines and _TITLE_LINE.match(lines[0]):
        what = 'a Pandoc title block, read as text ([markdown] dialect = "pandoc" reads it)'
        view.notes.append((1, what))

    def put(at: int, content: str) -> None:
        """Line `at` of the view is `content`, with the source line's own ending."""
        line = lines[at]
        view.lines[at] = content + line[len(line.rstrip("\r\n")) :]

    def title(group: str | None, match: re.Match[str], number: int, role: str, at: int) -> None:
        """A segment for the prose a construct carries (`at`: where `match` was run)."""
        if group and group.strip():
            span = (at + match.start(number), at + match.end(number))
            _add(view, text, span, role, lang)

    for index, line in enumerate(lines):
        if index < front:
            continue
        body = line.rstrip("\r\n")
        stripped = body.strip()
        # The open indented containers: a line indented less than a body ends it.
        if stripped and indented:
            column = _column(body)
            while indented and column < indented[-1]:
                indented.pop()
        shift = 4 * len(indented) if stripped else 0
        if (
            until is None
            and fence is None
            and not in_import
            and stripped[:1].isalnum()
            and "{" not in stripped
            and "}" not in stripped
            and not stripped.startswith(("import", "export"))
        ):
            # A line of prose: nothing of any dialect; in a container, moved left.
            if shift:
                put(index, _dedent(body, shift))
            continue
        moved = _dedent(body, shift)
        inner = moved.lstrip(" \t")

        if until is not None:  # inside a construct whose lines are all syntax, or code
            put(index, "")
            if after_head is not None:  # the parameters of a shortcode, over several lines
                _parameters(view, text, starts[index], body, lang)
                if _HEAD_END.search(body):
                    if after_head is _HEAD_END:  # no code after it
                        until = None
                    else:
                        until, code_from = after_head, index + 1
                    after_head = None
                continue
            if until.search(body):
                if code_from >= 0:
                    span = (starts[code_from], starts[index])
                    if span[0] < span[1]:
                        view.blocks.append(Block("code", span, code_from + 1))
                if html_from >= 0 and starts[html_from] < starts[index]:
                    view.html.append((starts[html_from], starts[index]))
                until, code_from, html_from = None, -1, -1
            continue
        if fence is not None:
            put(index, moved)
            if fence_end is not None and fence_end.match(moved):
                fence = None
            continue
        opening = _FENCE.match(moved)
        if opening:
            fence = opening.group(1)
            # It closes at the same character, as long, indented at most three columns more
            # than it opened (as CommonMark has it inside a container): an indented fence
            # shown inside a code block is code.
            most = opening.start(1) + 3
            fence_end = re.compile(rf"^ {{0,{most}}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
            put(index, moved)
            continue
        if in_import:
            put(index, "")
            in_import = not _import_ends(stripped)
            continue
        if not stripped:
            put(index, moved)
            continue
        start = starts[index] + body.index(stripped)

        # Hugo shortcodes, Liquid tags and kramdown extensions: syntax in every dialect.
        opened = _OPEN_SHORTCODE.search(moved)
        if opened and not _SHORTCODE_LINE.match(stripped):
            # A shortcode whose parameters run over the next lines: the rest of this line
            # and those lines are syntax (but for prose parameters), and its body too when
            # it holds code.
            before = moved[: opened.start()]
            put(index, before if before.strip() else "")
            at = starts[index] + len(body) - len(moved) + opened.start()
            _parameters(view, text, at, opened.group(0), lang)
            name = opened.group(1)
            until = after_head = _HEAD_END  # then, for a code shortcode, its code
            if name in options.code_shortcodes:
                after_head = re.compile(rf"\{{\{{[<%]\s*/\s*{re.escape(name)}\s*[>%]\}}\}}")
            continue
        if _SHORTCODE_LINE.match(stripped):
            put(index, "")
            _parameters(view, text, start, stripped, lang)
            found = _SHORTCODE.match(stripped)
            if found and not found.group(2) and not found.group(4):
                name = found.group(3)
                closing = re.compile(rf"\{{\{{[<%]\s*/\s*{re.escape(name)}\s*[>%]\}}\}}")
                if name in options.code_shortcodes and not closing.search(stripped):
                    until, code_from = closing, index + 1
            continue
        if _LIQUID_LINE.match(stripped):
            put(index, "")
            names = _LIQUID_NAME.findall(stripped)
            last = names[-1] if names else ""
            if last == "highlight":
                until, code_from = re.compile(r"\{%-?\s*endhighlight\s*-?%\}"), index + 1
            elif last == "comment":
                until = re.compile(r"\{%-?\s*endcomment\s*-?%\}")
            continue
        if stripped.startswith("{%") and "%}" not in stripped:
            put(index, "")  # a tag over several lines
            until = re.compile(r"%\}")
            continue
        if _OPEN_MACRO.match(stripped) or _CLOSE_MACRO.match(stripped):
            # `{{ correction(True,` … `") }}`: a macro call whose Markdown argument runs
            # over the lines between, which are read as any others.
            put(index, "")
            continue
        if _LIQUID_OUTPUT_LINE.match(stripped):
            put(index, "")
            continue
        extension = _EXTENSION_OPEN.match(stripped)
        if extension:
            put(index, "")
            until = re.compile(r"^[ \t]*\{:/(?:" + extension.group(1) + r")?\}")
            if extension.group(1) == "nomarkdown":
                html_from = index + 1
            continue
        if _ATTRIBUTE_LINE.match(stripped) or _EXTENSION_CLOSE.match(stripped):
            put(index, "")
            continue
        if _SNIPPET.match(stripped):
            put(index, "")
            if stripped.rstrip("-8<") == "":  # a block of file names, up to the next --8<--
                until = _SNIPPET
            continue
        abbreviation = _ABBREVIATION.match(stripped)
        if abbreviation:
            put(index, "")
            title(abbreviation.group(1), abbreviation, 1, "abbreviation", start)
            continue
        leaf = _LEAF_DIRECTIVE.match(inner) if inner.startswith("::") else None
        if leaf:  # remark-directive's leaf form, `::youtube[Légende]{#id}`
            put(index, "")
            title(leaf.group(1), leaf, 1, "directive_title", start)
            continue
        directive = _DIRECTIVE.match(inner) if inner.startswith(":::") else None
        if directive:
            put(index, "")
            label, rest = directive.group(2), directive.group(3)
            if label:
                title(label, directive, 2, "directive_title", start)
            elif directive.group(1) and rest and not rest.startswith("{"):
                title(rest, directive, 3, "directive_title", start)
            continue
        if mkdocs:
            element = _MD_IN_HTML.match(inner)
            if element:  # its tags are syntax, its content is read as Markdown
                put(index, "")
                md_html.append((element.group(1).lower(), 0))
                continue
            if md_html:
                name, plain = md_html[-1]
                ends = _CLOSING_TAG.match(inner)
                if ends and ends.group(1).lower() == name and not plain:
                    put(index, "")
                    md_html.pop()
                    continue
                lowered = inner.lower()
                opened_here = len(re.findall(rf"<{re.escape(name)}\b", lowered))
                md_html[-1] = (name, max(0, plain + opened_here - lowered.count(f"</{name}")))
            head = _ADMONITION.match(inner) or _TAB.match(inner)
            if head:
                put(index, "")
                title(head.group(1), head, 1, "admonition_title", start)
                indented.append(_column(body) + 4)
                continue
            marked = _MARKED_BLOCK.match(moved)
            head = marked and (_ADMONITION.match(marked.group(2)) or _TAB.match(marked.group(2)))
            if marked and head:
                # `:   !!! note` or `- !!! note`: the block opens a definition or an item,
                # whose marker stays; its body is indented from the `!!!`.
                # The marks alone stay in the view, so that the item or definition is one;
                # with no letter, they make no segment.
                put(index, marked.group(1) + marked.group(2)[:3])
                at = starts[index] + len(body) - len(moved) + marked.start(2)
                title(head.group(1), head, 1, "admonition_title", at)
                indented.append(_column(marked.group(1).expandtabs(4)) + 4 * len(indented) + 4)
                continue
            blocks = _BLOCKS_HEAD.match(stripped) or _BLOCKS_END.match(stripped)
            if blocks:
                put(index, "")
                if blocks.re is _BLOCKS_HEAD:
                    title(blocks.group(1), blocks, 1, "admonition_title", start)
                continue
        if not mkdocs or not mdx:
            _note_unnamed(view, lines, index, inner, mkdocs, mdx)
        if mdx and not indented and _column(body) == 0 and _MDX_START.match(stripped):
            put(index, "")
            in_import = not _import_ends(stripped)
            continue
        if mdx and _MDX_COMMENT.match(stripped):
            put(index, "")
            continue
        if mdx and _JSX_LINE.match(stripped):
            # A line of JSX component tags (`<TabItem value="x">`, `</Tabs>`): in MDX the
            # lines after it are Markdown, not the rest of an HTML block.
            put(index, "")
            continue
        if mdx and _JSX_OPEN.match(stripped):
            put(index, "")  # a component whose props run over several lines
            until = re.compile(r">[ \t]*$")
            continue
        # Marks at the start or the end of a line: the rest of the line stays as it is.
        if "[" in moved:
            moved = _ALERT.sub(r"\1", moved, count=1)
            moved = _TASK.sub(r"\1", moved, count=1)
        if "}" in stripped[-3:]:
            moved = _TRAILING_ATTRIBUTES.sub("", moved)
            moved = _TRAILING_CLOSERS.sub("", moved)
        put(index, moved)
    if until is not None and code_from >= 0:  # an unclosed code shortcode: code to the end
        view.blocks.append(Block("code", (starts[code_from], len(text)), code_from + 1))
    return view


_MDX_IMPORT = re.compile(r"^import\s+[\w{}*,\s]+\s+from\s+['\"]")


def _note_unnamed(
    view: View, lines: list[str], index: int, inner: str, mkdocs: bool, mdx: bool
) -> None:
    """A note (printed by `update`) where a construct of a dialect not named in the settings
    was read as text: an MkDocs admonition or tab with an indented body, an MDX import."""
    if len(view.notes) >= 20:  # enough to point the way
        return
    if not mkdocs and (_ADMONITION.match(inner) or _TAB.match(inner)):
        following = next((line for line in lines[index + 1 :] if line.strip()), "")
        if _column(following) >= _column(lines[index]) + 4:
            what = "an MkDocs admonition or tab, read as text"
            what += ' ([markdown] dialect = "mkdocs" reads it)'
            view.notes.append((index + 1, what))
    elif not mdx and _MDX_IMPORT.match(inner) and _column(lines[index]) == 0:
        view.notes.append(
            (index + 1, 'read as text: it is an MDX import with [markdown] dialect = "docusaurus"')
        )


def _title_block(view: View, text: str, lines: list[str], lang: str) -> int:
    """Pandoc's title block (`% Titre`, `% Auteur`, `% Date` on the first lines): syntax, but
    for the title. How many lines it takes."""
    count = 0
    while count < min(3, len(lines)) and lines[count].startswith("%"):
        view.lines[count] = "\n"
        count += 1
    title = _TITLE_LINE.match(lines[0]) if count else None
    if title and title.group(1):  # the page's title: a first-level heading
        _add(view, text, (title.start(1), title.end(1)), "heading", lang)
        if view.blocks and view.blocks[-1].role == "heading":
            view.blocks[-1].attrs["level"] = "1"
    return count


_TITLE_LINE = re.compile(r"^%[ \t]+(.*?)[ \t]*$", re.M)


def _front_matter_end(lines: list[str]) -> int:
    """How many lines the front matter takes (YAML `---` or TOML `+++`), 0 when none."""
    if not lines or lines[0].rstrip() not in ("---", "+++"):
        return 0
    mark = lines[0].rstrip()
    for index in range(1, len(lines)):
        if lines[index].rstrip() == mark:
            return index + 1
    return 0


def _import_ends(stripped: str) -> bool:
    """Whether an MDX import/export statement ends on this line."""
    return stripped.endswith((";", "'", '"')) or " from " in stripped or stripped.endswith("}")


def _column(line: str) -> int:
    lead = _LEADING.match(line)
    return len(lead.group(0).expandtabs(4)) if lead else 0


def _dedent(line: str, shift: int) -> str:
    """`line` moved left by `shift` columns (tabs count 4), never into its text."""
    if shift <= 0:
        return line
    lead = _LEADING.match(line)
    width = len(lead.group(0).expandtabs(4)) if lead else 0
    return " " * max(0, width - shift) + line[lead.end() if lead else 0 :]


def has_prose(msgid: str) -> bool:
    """Whether a letter is left outside the spans MT never touches (`{{< /tab >}}|`,
    `{{ exercice() }}` have none)."""
    if _PLAIN_WORD.search(msgid) and not _MASKED_WORDS.search(msgid):
        return True  # a word between spaces, and no mask that could hold one
    return _LETTER.search(_SYNTAX.sub(" ", msgid)) is not None


def _parameters(view: View, text: str, at: int, chunk: str, lang: str) -> None:
    """A segment for each prose parameter of a shortcode (`chunk` starts at `at` in `text`);
    a value with a backslash is left as written."""
    if "=" not in chunk:
        return
    for found in _PARAMETER.finditer(chunk):
        if found.group(1).strip():
            _add(view, text, (at + found.start(1), at + found.end(1)), "shortcode_parameter", lang)


def _add(view: View, text: str, span: Span, role: str, lang: str) -> None:
    segments = [s for s in segment_pieces(text, [span], role, lang) if has_prose(s.text)]
    if segments:
        view.blocks.append(Block(role, span, line_of(text, span[0]), segments))
