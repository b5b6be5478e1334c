"""Events: what happened, when, where, by whom, and how many were killed and wounded.

(Being written: see issue 5. The signatures below are the contract with flows/extract.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from flows.schemas import EventMentions, Events, empty_table

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"


@dataclass(frozen=True)
class EventLexicon:
    """Reviewed trigger words and cue lists from data/reference/events.yaml."""


@lru_cache(maxsize=4)
def load_event_lexicon(path: Path = REFERENCE_DIR / "events.yaml") -> EventLexicon:
    return EventLexicon()


def events(documents: pl.DataFrame, sentences: pl.DataFrame, mentions: pl.DataFrame, date_mentions: pl.DataFrame,
           entities: pl.DataFrame, lexicon: EventLexicon) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Events of a batch of documents and the sentences supporting them: (events, event_mentions)."""
    return empty_table(Events), empty_table(EventMentions)


def event_clusters(events: pl.DataFrame) -> pl.DataFrame:
    """events with event_cluster_id shared by reports of the same real-world event."""
    return events
