"""The language of a query or passage: Finnish, Swedish or English.

Short keyword queries fool statistical detectors ("Kemi valtionosuudet" is not Estonian), so
Finnish morphology decides first: when Voikko recognises most words, the text is Finnish. Otherwise
langdetect (seeded, so the answer is stable) chooses among the languages we analyse.
"""

from __future__ import annotations

import re
import threading

from langdetect import DetectorFactory, LangDetectException, detect_langs

from indexer.analyze import LANGUAGES, Analyzer

DetectorFactory.seed = 0
_WORD = re.compile(r"[^\W\d_]{2,}")
_lock = threading.Lock()  # langdetect's factory is shared state


def detect_language(text: str, analyzer: Analyzer | None = None) -> str:
    words = _WORD.findall(text)
    if not words:
        return "fi"
    known = analyzer.finnish_share(words) if analyzer is not None else None
    if known is not None and known >= 0.6:
        return "fi"
    try:
        with _lock:
            guesses = detect_langs(text)
    except LangDetectException:
        return "fi"
    for guess in guesses:
        if guess.lang in LANGUAGES:
            return guess.lang
    return "fi"


def warm_up() -> None:
    """Load langdetect's profiles now (≈ 0.5 s) rather than in the first non-Finnish request."""
    with _lock:
        detect_langs("warm up the language profiles")
