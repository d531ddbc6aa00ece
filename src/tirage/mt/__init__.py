"""Machine-translation engines behind one small protocol (see `base.py`).

Importing this package is cheap: ctranslate2 and sentencepiece load only when an Argos
engine is opened.
"""

from tirage.mt.base import ENGINES, Engine, Hypothesis, open_engine

__all__ = ["ENGINES", "Engine", "Hypothesis", "open_engine"]
