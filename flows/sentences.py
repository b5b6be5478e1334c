"""Sentence splitting with character offsets into the cleaned document text.

A paragraph (a line of the cleaned text) never spans two sentences. Inside one, a
sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets after it)
when white space and a plausible sentence start follow, unless the word before the
stop is an abbreviation ("Dr", "Col", "Gen", "No"), an initial ("J. Smith") or a dotted
acronym ("U.S.", "U.N.") that is not followed by a common sentence opener.
The abbreviation lists live in data/reference/sentences.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml

from flows.schemas import Sentences, polars_schema
from flows.versions import REFERENCE_DIR


_PARAGRAPH = re.compile(r"[^\n]+")
# A stop, its closing quotes/brackets, white space, then what may open a sentence.
_BOUNDARY = re.compile(r"([.!?…]+)(['\"”’)\]]*)(\s+)(?=['\"“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.'’-]+)$")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_WORD_AFTER = re.compile(r"['\"“‘(\[]?(\w+)")

SENTENCE_SCHEMA = polars_schema(Sentences)


@dataclass(frozen=True)
class SentenceRules:
    abbreviations: frozenset[str]
    openers: frozenset[str]


@lru_cache(maxsize=4)
def load_sentence_rules(path: Path = REFERENCE_DIR / "sentences.yaml") -> SentenceRules:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return SentenceRules(
        abbreviations=frozenset(a.lower().rstrip(".") for a in raw["abbreviations"].split()),
        openers=frozenset(raw["sentence_openers"].split()),
    )


def is_false_stop(before: str, stop: str, after: str, rules: SentenceRules) -> bool:
    """Whether a full stop after `before` belongs to an abbreviation, not a sentence end.

    >>> rules = load_sentence_rules()
    >>> is_false_stop("Dr", ".", "Shalini", rules), is_false_stop("J", ".", "Smith", rules)
    (True, True)
    >>> is_false_stop("U.S", ".", "The", rules), is_false_stop("U.S", ".", "Army", rules)
    (False, True)
    >>> is_false_stop("attack", ".", "The", rules)
    False
    """
    if stop != ".":
        return False
    word = before.split("-")[-1]
    if word.lower() in rules.abbreviations:
        return True
    if len(word) == 1 and word.isupper():
        return True
    if _DOTTED_ACRONYM.match(word + "."):
        return after not in rules.openers
    return False


def split_sentences(text: str, rules: SentenceRules) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence; text[start:end] is the stripped sentence.

    >>> rules = load_sentence_rules()
    >>> t = 'Col. Ryan Dillon spoke in the U.S. Army base. "It is over." Then he left.'
    >>> [t[s:e] for s, e in split_sentences(t, rules)]
    ['Col. Ryan Dillon spoke in the U.S. Army base.', '"It is over."', 'Then he left.']
    """
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        start = para.start()
        body = para.group()
        for stop in _BOUNDARY.finditer(body):
            before = _WORD_BEFORE.search(body, max(0, stop.start() - 40), stop.start())
            after = _WORD_AFTER.match(body, stop.end())
            if is_false_stop(before.group(1) if before else "", stop.group(1), after.group(1) if after else "", rules):
                continue
            end = para.start() + stop.end(2)
            spans.append((start, end))
            start = para.start() + stop.end()
        spans.append((start, para.end()))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(documents: pl.DataFrame, rules: SentenceRules) -> pl.DataFrame:
    """One row per sentence of each document, numbered from 0 in text order."""
    rows = [
        {"doc_id": doc_id, "sentence_idx": i, "char_start": s, "char_end": e, "text": text[s:e]}
        for doc_id, text in documents.select("doc_id", "text").iter_rows()
        for i, (s, e) in enumerate(split_sentences(text, rules))
    ]
    return pl.DataFrame(rows, schema=SENTENCE_SCHEMA).sort("doc_id", "sentence_idx")
