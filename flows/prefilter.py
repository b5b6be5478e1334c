"""Necessary literals of a regex: a substring test that lets a scan skip text a cue cannot match.

Scanning a document with every reviewed cue regex is the costly part of the claim and
allegation rules, and most cues occur in few documents. Python's `in` finds a plain
substring far faster than the regex engine finds a pattern, so each pattern is reduced
once to a set of literals of which at least one must occur (lowercased) in any text it
matches, as RE2's FilteredRE2 does. A pattern with no such literal is always scanned.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
    """False only when `pattern` cannot match the text whose lowercase form is `lowered_text`."""
    literals = required_literals(pattern)
    return literals is None or any(literal in lowered_text for literal in literals)
