"""URLs and e-mail addresses: text that is data, never translated, never split.

One definition for the segmenter (no sentence ends inside one), the readers (a segment that
is only an address is not translatable), the masks before machine translation, and the
checks (a translation must keep them).
"""

from __future__ import annotations

import re

# A URL ends before trailing punctuation that belongs to the sentence ("… sur https://x.fr.").
# It may hold an apostrophe (…/Maison%20de%20l'Europe) but not end with one, and it stops at
# square brackets ("[https://x.fr](https://x.fr)"), except around an IPv6 host.
URL = re.compile(
    r"(?:\b(?:https?|ftp)://(?:\[[0-9A-Fa-f:.]+\])?|\bwww\.)"
    r"[^\s<>\"«»“”\[\]]*[^\s<>\"'«»“”.,;:!?)\]’\[]",
    re.IGNORECASE,
)
# The local part is bounded so that a long run of word characters cannot make matching slow.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")


def without_addresses(text: str, replacement: str = " ") -> str:
    return EMAIL.sub(replacement, URL.sub(replacement, text))
