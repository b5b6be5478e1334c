"""Claims: responsibility, announcements, statements and denials, with who made them.

(Being written: see issue 6. The signatures below are the contract with flows/extract.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from flows.schemas import Claims, empty_table

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@dataclass(frozen=True)
class ClaimLexicon:
    """Reviewed claim cues from data/reference/claims.yaml."""


@lru_cache(maxsize=4)
def load_claim_lexicon(path: Path = REFERENCE_DIR / "claims.yaml") -> ClaimLexicon:
    return ClaimLexicon()


def claims(documents: pl.DataFrame, sentences: pl.DataFrame, mentions: pl.DataFrame, events: pl.DataFrame,
           entities: pl.DataFrame, lexicon: ClaimLexicon) -> pl.DataFrame:
    """Claims of a batch of documents, linked to the events of the same batch."""
    return empty_table(Claims)


def competing_claims(claims: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """claims with `competing` set where another claimant claims the same (clustered) event."""
    return claims
