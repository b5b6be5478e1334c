"""Per-document extraction: the steps that read one document at a time, composed.

`text_tables` turns cleaned sources into documents and sentences; `extract_tables`
derives everything else from those two tables and the reference data. Both work on a
batch of documents and know nothing of other batches, so the flow can run batches in
any order, in parallel, or reuse a previous run's rows for unchanged documents.
Cross-document steps (event clusters, competing claims across documents) run after,
on narrow projections of every batch's events and claims, in `cross_document_keys`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from flows.allegations import AllegationLexicon, allegations, load_allegation_lexicon
from flows.claims import ClaimLexicon, claims, competing_claims, load_claim_lexicon
from flows.cleaning import CleaningRules, cleaned_sources, load_cleaning_rules
from flows.dates import date_mentions
from flows.documents import documents
from flows.events import EventLexicon, attributed_perpetrators, event_clusters, events, load_event_lexicon
from flows.mentions import mentions
from flows.registry import Registry, entities_table, load_registry
from flows.sentences import SentenceRules, load_sentence_rules, sentences
from flows.sources import read_sources
from flows.versions import REFERENCE_DIR

# What the cross-document steps read: batches hand back only these columns, so the flow
# never holds the corpus's evidence text.
CLUSTER_COLUMNS = ("event_id", "doc_id", "event_type", "event_date_start", "event_date_end", "date_precision",
                   "location_entity_id", "admin1", "perpetrator_ids")
COMPETING_COLUMNS = ("claim_id", "doc_id", "event_id", "claim_type", "claimant_movement_id", "claimant_id",
                     "claimant_name", "is_competing_in_document")


@dataclass(frozen=True)
class Reference:
    """All reviewed reference data, loaded once per run and passed to every step."""

    cleaning: CleaningRules
    sentences: SentenceRules
    registry: Registry
    entities: pl.DataFrame
    events: EventLexicon
    claims: ClaimLexicon
    allegations: AllegationLexicon


@lru_cache(maxsize=2)
def load_reference(reference_dir: Path = REFERENCE_DIR) -> Reference:
    """Loaded once per process: batch workers call it with the same folder for every batch."""
    registry = load_registry(reference_dir)
    return Reference(
        cleaning=load_cleaning_rules(reference_dir / "documents.yaml"),
        sentences=load_sentence_rules(reference_dir / "sentences.yaml"),
        registry=registry,
        entities=entities_table(registry),
        events=load_event_lexicon(reference_dir / "events.yaml"),
        claims=load_claim_lexicon(reference_dir / "claims.yaml"),
        allegations=load_allegation_lexicon(reference_dir / "allegations.yaml"),
    )


def text_tables(sources: pl.DataFrame, reference: Reference, ingested_at: dt.datetime) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """Cleaned documents and their sentences from read sources; returns (tables, rejected)."""
    cleaned, rejected_cleaning = cleaned_sources(sources, reference.cleaning)
    docs, rejected_docs = documents(cleaned, reference.cleaning, ingested_at)
    tables = {"documents": docs, "sentences": sentences(docs, reference.sentences)}
    return tables, pl.concat([rejected_cleaning, rejected_docs])


def extract_tables(docs: pl.DataFrame, sents: pl.DataFrame, reference: Reference) -> dict[str, pl.DataFrame]:
    """Everything extracted from a batch of documents and their sentences."""
    dated = docs.select("doc_id", "text", "published_date", pl.col("is_day_first").alias("day_first"))
    found_mentions = mentions(docs, sents, reference.registry)
    found_dates = date_mentions(dated, sents)
    found_events, found_event_mentions = events(docs, sents, found_mentions, found_dates, reference.entities, reference.events)
    found_claims = claims(docs, sents, found_mentions, found_events, reference.entities, reference.claims)
    found_allegations = allegations(docs, sents, found_mentions, found_events, reference.entities, reference.allegations)
    return {
        "mentions": found_mentions,
        "date_mentions": found_dates,
        # the groups claiming an event or accused of it are its perpetrators too, wherever the document says so
        "events": attributed_perpetrators(found_events, found_event_mentions, found_claims, found_allegations, reference.entities),
        "event_mentions": found_event_mentions,
        "claims": found_claims,
        "allegations": found_allegations,
    }


def source_batch_tables(raw_dir: Path, listed: pl.DataFrame, reference: Reference,
                        ingested_at: dt.datetime) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """Read, clean, describe and extract a batch of listed sources; returns (tables, rejected).

    The only step that reads source bytes: a batch holds its own sources' bytes and
    nothing else, so memory follows the batch size, not the corpus.
    """
    sources, rejected_read = read_sources(raw_dir, listed)
    text, rejected_text = text_tables(sources, reference, ingested_at)
    return {**text, **extract_tables(text["documents"], text["sentences"], reference)}, pl.concat([rejected_read, rejected_text])


def cross_document_keys(events: pl.DataFrame, claims: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Steps over the whole set of documents, recomputed every run from the narrow projections
    (CLUSTER_COLUMNS of events, COMPETING_COLUMNS of claims): returns (event_id, event_cluster_id)
    and (claim_id, competing) for every event and claim."""
    clusters = (event_clusters(events.select(CLUSTER_COLUMNS)).select("event_id", "event_cluster_id")
                if not events.is_empty() else pl.DataFrame(schema={"event_id": pl.String, "event_cluster_id": pl.String}))
    within = claims.select(COMPETING_COLUMNS).with_columns(pl.col("is_competing_in_document").alias("competing"))
    return clusters, competing_claims(within, clusters).select("claim_id", "competing")


def with_cross_document_keys(table: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """Rows of events (claims) with the cluster ids (competing flags) of cross_document_keys, in their order."""
    key, value = keys.columns
    return table.drop(value).join(keys, on=key, how="left", maintain_order="left").select(table.columns)
