"""Allegations: who accuses whom of what.

(Being written: see issue 6. The signatures below are the contract with flows/extract.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from flows.schemas import Allegations, empty_table

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@dataclass(frozen=True)
class AllegationLexicon:
    """Reviewed accusation cues from data/reference/allegations.yaml."""


@lru_cache(maxsize=4)
def load_allegation_lexicon(path: Path = REFERENCE_DIR / "allegations.yaml") -> AllegationLexicon:
    return AllegationLexicon()


def allegations(documents: pl.DataFrame, sentences: pl.DataFrame, mentions: pl.DataFrame, events: pl.DataFrame,
                entities: pl.DataFrame, lexicon: AllegationLexicon) -> pl.DataFrame:
    """One row per (accuser, accused) pair in a sentence, for a batch of documents."""
    return empty_table(Allegations)
