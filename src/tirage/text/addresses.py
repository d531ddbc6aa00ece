"""URLs and e-mail addresses: text that is data, never translated, never split.

One definition for the segmenter (no sentence ends inside one), the readers (a segment that
is only an address is not translatable), the masks before machine translation, and the
checks (a translation must keep them).
"""

from __future__ import annotations

import re

# A URL ends before trailing punctuation that belongs to the sentence ("… sur https://x.fr.").
# It may hold an apostrophe (…/Maison%20de%20l'Europe) but not end with one; parentheses only
# in pairs (…/wiki/Lyon_(ville)), so "(voir https://x.fr)" and "[a](https://x.fr)b" end
# at the URL; and it stops at square brackets ("[https://x.fr](https://x.fr)"), except around
# an IPv6 host.
_URL_CHAR = r"[^\s<>\"«»“”\[\]()]"
_URL_PAIR = rf"\({_URL_CHAR}*\)"
URL = re.compile(
    r"(?:\b(?:https?|ftp)://(?:\[[0-9A-Fa-f:.]+\])?|\bwww\.)"
    rf"(?:{_URL_CHAR}|{_URL_PAIR})*(?:[^\s<>\"'«»“”.,;:!?\[\]()’]|{_URL_PAIR})",
    re.IGNORECASE,
)
# The local part is bounded so that a long run of word characters cannot make matching slow.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")


# What every URL and every address holds: most text has neither, and looking for these is
# much cheaper than trying the patterns at each character (the segmenter asks per sentence).
_URL_MARK = re.compile(r"://|www\.", re.IGNORECASE)


def without_addresses(text: str, replacement: str = " ") -> str:
    if _URL_MARK.search(text):
        text = URL.sub(replacement, text)
    return EMAIL.sub(replacement, text) if "@" in text else text
