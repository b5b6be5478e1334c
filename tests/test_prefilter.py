"""The regex prefilters change no match: a gated, guarded or dispatched pattern finds exactly what the plain one does,
also on letters that match other letters when case is ignored ("ſ" and "s", "ı" and "i", the Kelvin sign and "k")."""

from __future__ import annotations

import random
import re

import pytest

from flows.prefilter import alternation_guard, folded, gated, guarded
from flows.registry import same_length_lower

ALPHABET = list("abikst ,;:-'’") + ["ſ", "ı", "İ", "K", "S", "I", "Σ", "\n", "1", "9", "0"]
WORDS = ["attack", "Attacks", "ATTACK", "attaſk", "atta\u212ak", "bomb", "bombing", "bombıng", "truck  bomb", "car bomb",
         "kill", "KILLED", "kılled", "sikh", "ſikh", "SıKH", "SİKHS", "ſiKh", "no", "not", "it", "is", "1990s", "'90s",
         "late", "but", "whereas", "and", "as well", "after the", "-"]


def _texts(n: int = 300) -> list[str]:
    rng = random.Random(11)
    texts = []
    for _ in range(n):
        parts = [rng.choice(WORDS) if rng.random() < 0.6 else "".join(rng.choices(ALPHABET, k=rng.randint(1, 4)))
                 for _ in range(rng.randint(1, 12))]
        texts.append(" ".join(parts))
    return texts


PATTERNS = [
    re.compile(r"(?<![\w-])(?:attacks?|bomb(?:ing)?|killed)(?![\w])", re.I),
    re.compile(r"(?<![\w-])(?:no|not)(?:\W+[\w'’-]+){0,2}\W*$", re.I),
    re.compile(r"\b(?:but|whereas)\b|,\s+and|[;:]|\s-\s"),
    re.compile(r"(?i:the\s+)?(?:(?P<mod>(?i:early|mid|late))[\s-]+)?(?:(?P<dec>(?:19|20)[0-9]0)['’]?s|['’](?P<short>[0-9]0)s)"),
    re.compile(r"(?<!\w)sikhs?\b|(?:s|k)ik+h", re.I),
    re.compile(r"x*|attack"),
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=range(len(PATTERNS)))
def test_guarded_finds_the_same_matches(pattern):
    fast = guarded(pattern)
    for text in _texts():
        for lo in (0, 3):
            assert [m.span() for m in fast.finditer(text, lo)] == [m.span() for m in pattern.finditer(text, lo)]


def test_alternation_guard_holds_exactly_where_an_alternative_matches():
    alternatives = ["attacks?", "bomb(?:ing)?", "(?:car|truck)\\s+bomb", "kill(?:ed|ing)", "[0-9]+s", "'[0-9]0s"]
    either, guard = "|".join(alternatives), alternation_guard(alternatives, r"(?![\w])")
    plain = re.compile(rf"(?<![\w-])(?:{either})(?![\w])")
    fast = re.compile(rf"(?<![\w-]){guard}(?:{either})(?![\w])")
    for text in _texts():
        text = text.lower()
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_gated_patterns_find_the_same_matches_in_every_span():
    for text in _texts(120):
        lowered = same_length_lower(text)
        for plain, bound in zip(PATTERNS, gated(PATTERNS, text, lowered)):
            for string in (text, lowered):
                for lo in range(0, len(text), 3):
                    for hi in range(lo, len(text) + 1, 4):
                        assert [m.span() for m in bound.finditer(string, lo, hi)] == [
                            m.span() for m in plain.finditer(string, lo, hi)]
                        assert bool(bound.search(string, lo, hi)) == bool(plain.search(string, lo, hi))
                        assert bool(bound.match(string, lo, hi)) == bool(plain.match(string, lo, hi))


def test_folded_text_keeps_its_length():
    text = "İSTANBUL ıſ Kelvin Σ"
    assert len(folded(same_length_lower(text))) == len(text)
