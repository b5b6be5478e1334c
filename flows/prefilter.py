"""Necessary literals of a regex: a substring test that lets a scan skip text a cue cannot match.

Scanning a document with every reviewed cue regex is the costly part of the claim and
allegation rules, and most cues occur in few sentences. Each pattern is reduced once to a
set of literals of which at least one must occur (lowercased) in any text it matches, as
RE2's FilteredRE2 does; one Aho-Corasick pass over a document then finds every literal of
every pattern, and a pattern is run only where one of its literals is. A pattern with no
such literal is always run.
"""

from __future__ import annotations

import bisect
import re
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


@lru_cache(maxsize=16)
def literal_index(patterns: tuple[re.Pattern, ...]) -> LiteralIndex:
    """Built once per list of patterns (a lexicon's cues), then reused for every document."""
    owners: dict[str, list[int]] = {}
    unfiltered = []
    for k, pattern in enumerate(patterns):
        literals = required_literals(pattern)
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
    return LiteralIndex(automaton, tuple(unfiltered), len(patterns))


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
