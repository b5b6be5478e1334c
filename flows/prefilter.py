"""Necessary literals of a regex: a substring test that lets a scan skip text a cue cannot match.

Scanning a document with every reviewed cue regex is the costly part of the claim and
allegation rules, and most cues occur in few sentences. Each pattern is reduced once to a
set of literals of which at least one must occur (lowercased) in any text it matches, as
RE2's FilteredRE2 does; one Aho-Corasick pass over a document then finds every literal of
every pattern, and a pattern is run only where one of its literals is. A pattern with no
such literal is always run.

`gated` applies the same test to every span a rule asks about in one document: the literals are
found once per document, and a pattern bound to that document answers a search of a span that
holds none of them with no match, without running. `guarded` and `alternation_guard` work out
the characters a match can start with, so that a scan passes over the other positions at once.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from re import _constants as c  # noqa: PLC2701 - the parser of the re module itself, stable in 3.11+
from re import _parser

MIN_LITERAL = 3  # shorter literals occur in nearly every document and filter nothing
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
_GROUPS = (c.SUBPATTERN, c.ATOMIC_GROUP)


def _best(options: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective requirement: the one whose shortest literal is longest, then the fewest."""
    useful = [o for o in options if o and min(map(len, o)) >= MIN_LITERAL]
    return max(useful, key=lambda o: (min(map(len, o)), -len(o)), default=None)


def _required(items) -> frozenset[str] | None:
    """Literals one of which any match of the parsed sequence `items` contains, or None."""
    options: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            options.append(frozenset(["".join(run).lower()]))
            run.clear()

    for op, arg in items:
        if op is c.LITERAL:
            run.append(chr(arg))
            continue
        close_run()
        if op is c.BRANCH:
            branches = [_required(branch) for branch in arg[1]]
            if all(b is not None for b in branches):
                options.append(frozenset().union(*branches))
        elif op in _GROUPS:
            inner = _required(arg[-1])
            if inner is not None:
                options.append(inner)
        elif op in _REPEATS and arg[0] >= 1:
            inner = _required(arg[2])
            if inner is not None:
                options.append(inner)
    close_run()
    return _best(options)


_ZERO_WIDTH = (c.AT, c.ASSERT, c.ASSERT_NOT)
_CATEGORIES = {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_NOT_DIGIT: r"\D", c.CATEGORY_SPACE: r"\s",
               c.CATEGORY_NOT_SPACE: r"\S", c.CATEGORY_WORD: r"\w", c.CATEGORY_NOT_WORD: r"\W"}


def _plain(code: int, ignorecase: bool) -> bool:
    """A character a class matches as the literal does: any, read with case; ignoring case, ASCII or caseless (a few
    other letters have case partners the literal and the class may not both know)."""
    ch = chr(code)
    return not ignorecase or ch.isascii() or ch.lower() == ch == ch.upper()


def _first_of_item(op, arg, ignorecase: bool) -> tuple[list[tuple[str, bool]] | None, bool]:
    """(class items the item's match can start with, each with whether it is read ignoring case; can it match
    empty); None when not worked out."""
    if op is c.LITERAL:
        return ([(re.escape(chr(arg)), ignorecase)] if _plain(arg, ignorecase) else None), False
    if op is c.IN:
        items = []
        for kind, value in arg:
            if kind is c.LITERAL and _plain(value, ignorecase):
                items.append((re.escape(chr(value)), ignorecase))
            elif kind is c.RANGE and (not ignorecase or value[1] < 128):
                items.append((f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}", ignorecase))
            elif kind is c.CATEGORY and value in _CATEGORIES:
                items.append((_CATEGORIES[value], ignorecase))
            else:
                return None, False
        return items, False
    if op is c.BRANCH:
        items, nullable = [], False
        for branch in arg[1]:
            first, empty = _first_of(branch, ignorecase)
            if first is None:
                return None, False
            items += first
            nullable |= empty
        return items, nullable
    if op is c.SUBPATTERN:
        _, add, remove, inner = arg
        return _first_of(inner, (ignorecase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE)
    if op is c.ATOMIC_GROUP:
        return _first_of(arg, ignorecase)
    if op in _REPEATS:
        first, empty = _first_of(arg[2], ignorecase)
        return first, empty or arg[0] == 0
    return None, False


def _first_of(items, ignorecase: bool) -> tuple[list[tuple[str, bool]] | None, bool]:
    """The class items a match of the parsed sequence can start with, and whether it can match empty."""
    first: list[tuple[str, bool]] = []
    for op, arg in items:
        if op in _ZERO_WIDTH:
            continue
        head, empty = _first_of_item(op, arg, ignorecase)
        if head is None:
            return None, False
        first += head
        if not empty:
            return first, False
    return first, True


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def guarded(pattern: re.Pattern) -> re.Pattern:
    """`pattern` behind a lookahead for the characters its matches start with (when they can be worked out): the
    same matches, but a position no match can start at is passed over at once instead of trying every alternative.

    >>> guarded(re.compile(r"\\b(?:but|whereas)\\b|,\\s+and")).pattern
    '(?=(?-i:[bw,]))(?:\\\\b(?:but|whereas)\\\\b|,\\\\s+and)'
    >>> guarded(re.compile(r"x*")).pattern, guarded(re.compile(r"(?i:on)\\s|\\d")).pattern
    ('x*', '(?=(?-i:[\\\\d])|(?i:[o]))(?:(?i:on)\\\\s|\\\\d)')
    """
    if pattern.flags & re.VERBOSE or _GLOBAL_FLAGS.match(pattern.pattern):
        return pattern  # its source cannot be wrapped as it is
    first, empty = _first_of(_parser.parse(pattern.pattern, pattern.flags), bool(pattern.flags & re.IGNORECASE))
    if first is None or empty:
        return pattern
    exact = "".join(dict.fromkeys(item for item, folded in first if not folded))
    folded_ = "".join(dict.fromkeys(item for item, folded in first if folded))
    guard = "|".join([*([f"(?-i:[{exact}])"] if exact else []), *([f"(?i:[{folded_}])"] if folded_ else [])])
    return re.compile(f"(?={guard})(?:{pattern.pattern})", pattern.flags)


def alternation_guard(alternatives: Sequence[str], tail: str = "") -> str:
    """A lookahead holding exactly where one of `alternatives` (regex sources), followed by `tail`, matches.

    re tries every alternative of an alternation at every position it scans; the lookahead tests only the
    alternatives that can start with the character there, so that at most positions it fails after one test.

    >>> guard = alternation_guard(["attack", "bomb(?:ing)?", "(?:car|truck) bomb"], r"\\b")
    >>> [m.start() for m in re.finditer(guard, "a bombing, the attacker, a truck bomb")]
    [2, 27, 33]
    """
    by_first: dict[str, list[str]] = {}
    anywhere = []
    for alternative in alternatives:
        first, empty = _first_of(_parser.parse(alternative), False)
        if first is None or empty or any(folded or len(item) != 1 for item, folded in first):
            anywhere.append(alternative)  # no plain first characters: tested everywhere
            continue
        for item, _ in first:
            by_first.setdefault(item, []).append(alternative)
    branches = [f"{ch}(?<=(?=(?:{'|'.join(alts)}){tail}){ch})" for ch, alts in by_first.items()]
    branches += [f"(?=(?:{'|'.join(anywhere)}){tail})"] if anywhere else []
    return f"(?={'|'.join(branches)})"


@lru_cache(maxsize=4096)
def required_literals(pattern: re.Pattern) -> frozenset[str] | None:
    """Lowercased literals one of which occurs in every match of `pattern` (None: no such set).

    >>> sorted(required_literals(re.compile(r"(?:claimed|took)\\s+responsibility")))
    ['responsibility']
    >>> sorted(required_literals(re.compile(r"(?:accus|blam)(?:ed|es)\\s+\\w+")))
    ['accus', 'blam']
    >>> required_literals(re.compile(r"\\w+\\s+(?:it|he)")) is None
    True
    """
    return _required(_parser.parse(pattern.pattern, pattern.flags))


def may_match(pattern: re.Pattern, lowered_text: str) -> bool:
    """False only when `pattern` cannot match within the text whose lowercase form is `lowered_text`."""
    literals = required_literals(pattern)
    return literals is None or any(literal in lowered_text for literal in literals)


@dataclass(frozen=True)
class LiteralIndex:
    """The necessary literals of a list of patterns, in one automaton."""

    automaton: ahocorasick.Automaton | None = field(repr=False)
    unfiltered: tuple[int, ...]   # positions of the patterns that have no necessary literal
    n_patterns: int


def literal_index(patterns: Sequence[re.Pattern], *, ascii_only: bool = False) -> LiteralIndex:
    """Built once per list of patterns (a lexicon's cues), then reused for every document; `ascii_only`
    leaves unfiltered a pattern with a non-ASCII literal, which `folded` text may not show as written."""
    return _literal_index(tuple((pattern.pattern, pattern.flags) for pattern in patterns), ascii_only)


@lru_cache(maxsize=16)
def _literal_index(sources: tuple[tuple[str, int], ...], ascii_only: bool) -> LiteralIndex:
    """`literal_index`, cached by the patterns' sources (hashing a compiled pattern hashes its whole program)."""
    owners: dict[str, list[int]] = {}
    unfiltered = []
    for k, (source, flags) in enumerate(sources):
        literals = _required(_parser.parse(source, flags))
        if literals is not None and ascii_only and not all(literal.isascii() for literal in literals):
            literals = None
        if literals is None:
            unfiltered.append(k)
        for literal in literals or ():
            owners.setdefault(literal, []).append(k)
    automaton = None
    if owners:
        automaton = ahocorasick.Automaton()
        for literal, ks in owners.items():
            automaton.add_word(literal, (len(literal), tuple(ks)))
        automaton.make_automaton()
    return LiteralIndex(automaton, tuple(unfiltered), len(sources))


def candidate_spans(patterns: Sequence[re.Pattern], lowered: str, spans: Sequence[tuple[int, int]]
                    ) -> list[list[int]]:
    """For each pattern, the positions of the `spans` (sorted, disjoint (start, end) of `lowered`)
    that wholly hold one of its necessary literals: the only spans where a match inside one span can be.

    >>> pats = [re.compile("claimed"), re.compile(r"\\w+")]
    >>> candidate_spans(pats, "it was claimed. no. claimed", [(0, 15), (16, 19), (20, 27)])
    [[0, 2], [0, 1, 2]]
    """
    index = literal_index(tuple(patterns))
    found: list[set[int]] = [set() for _ in patterns]
    starts = [start for start, _ in spans]
    if index.automaton is not None:
        for last, (length, owners) in index.automaton.iter(lowered):
            begin = last + 1 - length
            i = bisect.bisect_right(starts, begin) - 1
            if i >= 0 and last < spans[i][1]:
                for k in owners:
                    found[k].add(i)
    everywhere = set(range(len(spans)))
    for k in index.unfiltered:
        found[k] = everywhere
    return [sorted(f) for f in found]


# The non-ASCII letters re.IGNORECASE matches to ASCII ones, as those (the fourth, the Kelvin sign, lowers to "k")
_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def folded(lowered: str) -> str:
    """A same-length lowercase text in which an ASCII literal occurs wherever a case-insensitive regex could match
    it: "ſ" matches "s" under re.IGNORECASE but does not lower to it.

    >>> folded("ıſtanbul")
    'istanbul'
    """
    return lowered.translate(_FOLD) if not lowered.isascii() and any(ch in lowered for ch in "İıſ") else lowered


@dataclass(frozen=True)
class LiteralHits:
    """Where the necessary literals of each pattern of a LiteralIndex occur in one text, in the order of their ends."""

    starts: tuple[tuple[int, ...], ...]  # per pattern
    ends: tuple[tuple[int, ...], ...]
    unfiltered: frozenset[int]  # the patterns without necessary literals

    def holds(self, k: int, lo: int, hi: int) -> bool:
        """Whether text[lo:hi] wholly holds one of the literals of pattern k (always, for a pattern without any)."""
        if k in self.unfiltered:
            return True
        starts, ends = self.starts[k], self.ends[k]
        i = bisect.bisect_right(ends, hi)
        while i and ends[i - 1] > lo:
            i -= 1
            if starts[i] >= lo:
                return True
        return False


def literal_hits(index: LiteralIndex, folded_text: str) -> LiteralHits:
    """One Aho-Corasick pass over a document for every literal of every pattern of `index`.

    >>> index = literal_index((re.compile("claimed"), re.compile("denied|refused"), re.compile(r"\\w+")))
    >>> hits = literal_hits(index, "it claimed. it denied it.")
    >>> hits.holds(0, 0, 11), hits.holds(0, 4, 11), hits.holds(1, 0, 11), hits.holds(1, 12, 25), hits.holds(2, 0, 1)
    (True, False, False, True, True)
    """
    starts: list[list[int]] = [[] for _ in range(index.n_patterns)]
    ends: list[list[int]] = [[] for _ in range(index.n_patterns)]
    if index.automaton is not None:
        for last, (length, owners) in index.automaton.iter(folded_text):
            for k in owners:
                starts[k].append(last + 1 - length)
                ends[k].append(last + 1)
    return LiteralHits(tuple(map(tuple, starts)), tuple(map(tuple, ends)), frozenset(index.unfiltered))


class GatedPattern:
    """A compiled regex bound to one document: on the document's text (or its same-length lowercase form) a
    search, match or finditer over a span holding none of the regex's necessary literals finds nothing without
    running the regex; on any other string it is the regex itself. Offsets, groups and matches are the regex's own.
    """

    __slots__ = ("regex", "pattern", "flags", "_text", "_lowered", "_hits", "_k")

    def __init__(self, regex: re.Pattern, text: str, lowered: str, hits: LiteralHits, k: int):
        self.regex, self.pattern, self.flags = regex, regex.pattern, regex.flags
        self._text, self._lowered, self._hits, self._k = text, lowered, hits, k

    def _skips(self, string: str, pos: int, endpos: int) -> bool:
        return (string is self._text or string is self._lowered) and not self._hits.holds(self._k, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return None if self._skips(string, pos, endpos) else self.regex.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return None if self._skips(string, pos, endpos) else self.regex.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return None if self._skips(string, pos, endpos) else self.regex.fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize):
        return iter(()) if self._skips(string, pos, endpos) else self.regex.finditer(string, pos, endpos)

    def sub(self, repl, string: str, count: int = 0) -> str:
        return self.regex.sub(repl, string, count)


def gated(patterns: Sequence[re.Pattern], text: str, lowered: str) -> list[re.Pattern | GatedPattern]:
    """`patterns` bound to one document (`lowered`: its same-length lowercase form): each pattern with necessary
    ASCII literals as a GatedPattern, any other as it is. Most cues occur in few sentences of a document, and the
    rules ask for them in every sentence and clause.

    >>> text = "Police said it. The group claimed the attack."
    >>> claimed, word = gated([re.compile("claimed", re.I), re.compile(r"\\w+")], text, text.lower())
    >>> claimed.search(text, 0, 15) is None, claimed.search(text, 16).group(), word.search(text).group()
    (True, 'claimed', 'Police')
    """
    hits = literal_hits(literal_index(patterns, ascii_only=True), folded(lowered))
    return [p if k in hits.unfiltered else GatedPattern(p, text, lowered, hits, k) for k, p in enumerate(patterns)]
