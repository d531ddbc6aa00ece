"""Apertium, the rule-based offline engine from Debian's `apertium` and its pair packages.

All segments of a batch are streamed through one `apertium` process, one segment a line
(about 100 sentences in 0.2 s, against 0.1 s for each separate call).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from functools import lru_cache

from tirage.errors import EngineError
from tirage.mt.base import DEFAULT_MASK, Hypothesis

# Apertium names some pairs with ISO 639-3 codes (eng-spa), others with 639-1 (fr-es).
ISO3 = {
    "en": "eng", "es": "spa", "fr": "fra", "de": "deu", "it": "ita", "pt": "por",
    "ca": "cat", "nl": "nld", "ro": "ron", "gl": "glg", "eu": "eus", "oc": "oci",
}  # fmt: skip
TIMEOUT = 600.0


def _names(code: str) -> list[str]:
    base = code.split("_")[0].split("-")[0]
    return [base] + ([ISO3[base]] if base in ISO3 else [])


@lru_cache(maxsize=1)
def installed_modes() -> tuple[str, ...]:
    binary = shutil.which("apertium")
    if binary is None:
        return ()
    try:
        listing = subprocess.run(
            [binary, "-l"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in listing.splitlines() if line.strip())


def find_mode(source: str, target: str) -> str | None:
    modes = installed_modes()
    for s in _names(source):
        for t in _names(target):
            if f"{s}-{t}" in modes:
                return f"{s}-{t}"
    return None


class ApertiumEngine:
    name = "apertium"
    mask_template = DEFAULT_MASK

    def __init__(self, binary: str, mode: str) -> None:
        self.binary = binary
        self.model = mode
        self.version = _version(binary)

    @classmethod
    def open(cls, source: str, target: str) -> ApertiumEngine:
        binary = shutil.which("apertium")
        if binary is None:
            raise EngineError(
                "apertium is not installed; install it and a pair, e.g. "
                "`apt install apertium apertium-fr-es`"
            )
        mode = find_mode(source, target)
        if mode is None:
            raise EngineError(
                f"no apertium pair for {source}→{target} (`apertium -l` lists the installed "
                "ones; `apt-cache search apertium` the others)"
            )
        return cls(binary, mode)

    def translate(self, texts: Sequence[str]) -> list[Hypothesis]:
        if not texts:
            return []
        lines = [" ".join(text.split()) for text in texts]
        out = self._run("\n".join(lines) + "\n")
        result = out.split("\n")
        if result and result[-1] == "":
            result.pop()
        if len(result) != len(lines):  # the stream lost a line: one call per segment instead
            result = [self._run(line + "\n").strip() for line in lines]
        return [Hypothesis(line.strip()) for line in result]

    def _run(self, text: str) -> str:
        try:
            done = subprocess.run(
                [self.binary, "-u", self.model],
                input=text,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise EngineError(f"apertium {self.model} failed: {exc}") from None
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise EngineError(f"apertium {self.model} failed: {reason}")
        return done.stdout

    def close(self) -> None:
        pass


@lru_cache(maxsize=1)
def _version(binary: str) -> str:
    try:
        out = subprocess.run([binary, "-V"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    words = out.split()
    return words[-1] if words else ""
