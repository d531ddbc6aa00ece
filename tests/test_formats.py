"""What only `msgfmt -c` refuses is an error finding in `tirage check`, and only that.

Each case is a catalog that plain `msgfmt` accepts; tirage must report a `msgfmt` finding
exactly when `msgfmt -c` refuses it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tirage.po.pofile import read_po
from tirage.quality.checks import Context, check_catalog

from gettext_tools import requires_gettext

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: fr\\n"\n'
PLURALS = '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'


def entry(flag: str, msgid: str, msgstr: str) -> str:
    return f'\n#, {flag}\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n'


CASES = {
    "c same": HEADER + entry("c-format", "%d files in %s", "%d fichiers dans %s"),
    "c swapped": HEADER + entry("c-format", "%d files in %s", "%s fichiers dans %d"),
    "c positional": HEADER + entry("c-format", "%1$s and %2$d", "%2$d et %1$s"),
    "c lost": HEADER + entry("c-format", "%s and %d", "%s et"),
    "c width star": HEADER + entry("c-format", "%*d items", "%*d éléments"),
    "c long": HEADER + entry("c-format", "%ld items", "%d éléments"),
    "c percent": HEADER + entry("c-format", "100%% of %s", "100 %% de %s"),
    "python named": HEADER + entry("python-format", "%(n)s files", "%(n)s fichiers"),
    "python named lost": HEADER + entry("python-format", "%(n)s files %(m)s", "%(n)s fichiers"),
    "python named extra": HEADER + entry("python-format", "%(n)s files", "%(m)s fichiers"),
    "python type": HEADER + entry("python-format", "%s or %d", "%s ou %s"),
    "brace same": HEADER + entry("python-brace-format", "{n} files {m}", "{m} {n} fichiers"),
    "brace lost": HEADER + entry("python-brace-format", "{n} files {m}", "{n} fichiers"),
    "fuzzy ignored": HEADER + entry("fuzzy, c-format", "%d files", "%s fichiers"),
    "plural without header": HEADER
    + '\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "plusieurs"\n',
    "plural with header": HEADER
    + PLURALS
    + '\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "plusieurs"\n',
    "plural forms count": HEADER
    + PLURALS
    + '\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "deux"\nmsgstr[2] "trois"\n',
    "plural c omits": HEADER + PLURALS + '\n#, c-format\nmsgid "%d file"\nmsgid_plural "%d files"\n'
    'msgstr[0] "un fichier"\nmsgstr[1] "%d fichiers"\n',
}


@requires_gettext
@pytest.mark.parametrize("name", sorted(CASES))
def test_msgfmt_c_refusals_are_error_findings(name: str, tmp_path: Path) -> None:
    path = tmp_path / "case.po"
    path.write_text(CASES[name], encoding="utf-8")
    plain = subprocess.run(["msgfmt", "-o", "/dev/null", str(path)], capture_output=True)
    assert plain.returncode == 0, plain.stderr  # the reader's business, not check's
    strict = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True)
    po = read_po(path)
    findings = [f for f in check_catalog(po, "case.po", Context("en", "fr")) if f.check == "msgfmt"]
    assert all(f.severity == "error" for f in findings)
    assert bool(findings) == (strict.returncode != 0), (strict.stderr, findings)
