"""One pandera model per published table: its grain, its keys and its types.

These models are the single source of truth for the warehouse's columns: the writer
builds typed empty tables from them and `python -m flows dictionary` renders the data
dictionary (docs/DATA_DICTIONARY.md) from them, so neither can drift from the code.
A model's docstring states the grain; `unique` in its Config states the key.
"""

from __future__ import annotations

import polars as pl
import pandera.polars as pa

UTC_TIMESTAMP = pl.Datetime(time_unit="us", time_zone="UTC")
STRINGS = pl.List(pl.Utf8)

DOC_TYPES = ["news", "interview", "analysis"]
ENTITY_TYPES = ["armed_group", "state_agency", "state", "person", "location", "organisation", "media", "other"]
EVENT_TYPES = ["attack", "bombing", "abduction", "security_operation", "formation", "pledge", "plot", "other"]
CLAIM_TYPES = ["responsibility", "announcement", "statement", "denial"]
ALLEGATION_TYPES = ["responsibility", "support", "control", "collaboration", "infiltration", "arms_supply", "other"]
PRECISIONS = ["day", "month", "year"]
REJECT_REASONS = ["empty", "binary", "too_large", "encoding", "unreadable", "outside_raw", "invalid", "duplicate"]


class _Provenance(pa.DataFrameModel):
    """Columns every extracted row carries to point back at its words."""

    doc_id: str = pa.Field(description="The document (documents.doc_id).")
    sentence_idx: pl.Int32 = pa.Field(ge=0, description="The sentence, numbered from 0 in text order.")
    char_start: pl.Int32 = pa.Field(ge=0, description="Start offset into documents.text (0-based).")
    char_end: pl.Int32 = pa.Field(ge=0, description="End offset into documents.text (exclusive).")


class Documents(pa.DataFrameModel):
    """One row per source file, deduplicated by content. Key: doc_id."""

    doc_id: str = pa.Field(description="Stable id: the first 16 hex digits of the source's sha256.")
    source_path: str = pa.Field(description="Path of the source under the raw folder (POSIX separators).")
    title: str = pa.Field(nullable=True, description="Headline; null when the source has none.")
    outlet: str = pa.Field(nullable=True, description="Publisher or wire credited by the source or its metadata.")
    authors: STRINGS = pa.Field(description="Bylined authors, honorifics removed; empty when none.")
    url: str = pa.Field(nullable=True, description="From the sidecar metadata, when given.")
    published_date: pl.Date = pa.Field(nullable=True, description="Dateline date; null when neither text nor metadata gives one.")
    published_date_source: str = pa.Field(nullable=True, isin=["text", "metadata"], description="Which of the two gave published_date.")
    published_date_text: str = pa.Field(nullable=True, description="The words published_date came from.")
    doc_type: str = pa.Field(isin=DOC_TYPES, description="news, interview or analysis.")
    language: str = pa.Field(nullable=True, description="ISO 639-1 code; null when undetermined.")
    n_words: pl.Int32 = pa.Field(ge=0)
    n_chars: pl.Int32 = pa.Field(ge=0)
    content_sha256: str = pa.Field(str_length={"min_value": 64, "max_value": 64}, description="sha256 of the source's bytes.")
    encoding: str = pa.Field(description="The encoding the bytes were decoded with (+html for web pages).")
    is_day_first: bool = pa.Field(description="Numeric dates such as 11/03/2016 read day first (sidecar day_first).")
    text: str = pa.Field(description="The cleaned text every character offset in the warehouse indexes into.")
    ingested_at: UTC_TIMESTAMP = pa.Field(description="Start of the run in which this content first entered the warehouse.")

    class Config:
        strict = True
        unique = ["doc_id"]


class Sentences(_Provenance):
    """One row per sentence of a document. Key: (doc_id, sentence_idx). text[char_start:char_end] is the sentence."""

    text: str

    class Config:
        strict = True
        unique = ["doc_id", "sentence_idx"]


class Entities(pa.DataFrameModel):
    """One row per canonical entity of the reviewed registry. Key: entity_id."""

    entity_id: str
    canonical_name: str
    entity_type: str = pa.Field(isin=ENTITY_TYPES)
    aliases: STRINGS
    parent_entity_id: str = pa.Field(nullable=True, description="A province of a group -> the group; a faction -> its movement.")
    country_iso2: str = pa.Field(nullable=True)
    latitude: pl.Float64 = pa.Field(nullable=True, ge=-90, le=90)
    longitude: pl.Float64 = pa.Field(nullable=True, ge=-180, le=180)
    admin1: str = pa.Field(nullable=True, description="First-level division name, for places.")
    acts_as_entity_id: str = pa.Field(nullable=True, description="A capital used as a metonym: 'Islamabad' acting = Pakistan.")

    class Config:
        strict = True
        unique = ["entity_id"]


class Mentions(_Provenance):
    """One row per entity mention. Key: (doc_id, char_start, char_end)."""

    surface_text: str
    entity_id: str = pa.Field(nullable=True, description="Null when the name is not in the registry.")
    entity_type: str = pa.Field(isin=ENTITY_TYPES)
    match_method: str

    class Config:
        strict = True
        unique = ["doc_id", "char_start", "char_end"]


class DateMentions(_Provenance):
    """One row per date expression. Key: (doc_id, char_start)."""

    date_text: str
    date_start: pl.Date = pa.Field(nullable=True)
    date_end: pl.Date = pa.Field(nullable=True)
    date_precision: str = pa.Field(nullable=True, isin=PRECISIONS)
    date_anchor: pl.Date = pa.Field(nullable=True)
    date_kind: str

    class Config:
        strict = True
        unique = ["doc_id", "char_start"]


class Events(_Provenance):
    """One row per event reported in a document. Key: event_id."""

    event_id: str
    evidence_text: str = pa.Field(str_length={"max_value": 600})
    event_type: str = pa.Field(isin=EVENT_TYPES)
    trigger_text: str = pa.Field(description="The trigger word or phrase the event was detected from.")
    is_suicide: bool
    event_date_start: pl.Date = pa.Field(nullable=True)
    event_date_end: pl.Date = pa.Field(nullable=True)
    date_precision: str = pa.Field(nullable=True, isin=PRECISIONS)
    date_text: str = pa.Field(nullable=True)
    date_anchor: pl.Date = pa.Field(nullable=True)
    location_text: str = pa.Field(nullable=True)
    location_name: str = pa.Field(nullable=True)
    location_entity_id: str = pa.Field(nullable=True)
    admin1: str = pa.Field(nullable=True)
    country_iso2: str = pa.Field(nullable=True)
    latitude: pl.Float64 = pa.Field(nullable=True, ge=-90, le=90)
    longitude: pl.Float64 = pa.Field(nullable=True, ge=-180, le=180)
    perpetrator_ids: STRINGS = pa.Field(description="Registry ids of the perpetrators; a group the registry lacks appears only in perpetrator_names.")
    perpetrator_names: STRINGS = pa.Field(description="Canonical names of the perpetrators (the text's words for an unregistered group).")
    target_text: str = pa.Field(nullable=True)
    killed_low: pl.Int32 = pa.Field(nullable=True, ge=0)
    killed_high: pl.Int32 = pa.Field(nullable=True, ge=0)
    wounded_low: pl.Int32 = pa.Field(nullable=True, ge=0)
    wounded_high: pl.Int32 = pa.Field(nullable=True, ge=0)
    is_unclaimed: bool = pa.Field(description="The text says no group claimed it.")
    event_cluster_id: str = pa.Field(description="Shared by reports of the same real-world event across documents.")

    class Config:
        strict = True
        unique = ["event_id"]


class EventMentions(_Provenance):
    """One row per sentence that supports an event. Key: (event_id, sentence_idx)."""

    event_id: str
    evidence_text: str = pa.Field(str_length={"max_value": 600})

    class Config:
        strict = True
        unique = ["event_id", "sentence_idx"]


class Claims(_Provenance):
    """One row per claim (responsibility, announcement, statement, denial). Key: claim_id."""

    claim_id: str
    evidence_text: str = pa.Field(str_length={"max_value": 600})
    claim_type: str = pa.Field(isin=CLAIM_TYPES)
    claimant_id: str = pa.Field(nullable=True)
    claimant_name: str = pa.Field(nullable=True)
    claimant_movement_id: str = pa.Field(
        nullable=True, description="The claimant's movement: the top of its parent chain (ISKP -> Islamic State).")
    channel_id: str = pa.Field(nullable=True, description="The outlet the claim came through (e.g. Amaq).")
    channel_name: str = pa.Field(nullable=True)
    claim_text: str
    cue: str
    event_id: str = pa.Field(nullable=True)
    competing: bool = pa.Field(description="Another movement claims the same event, in this or another document.")
    is_competing_in_document: bool = pa.Field(
        description="Competing within this document alone; kept so a re-run recomputes `competing` across documents.")
    is_hedged: bool

    class Config:
        strict = True
        unique = ["claim_id"]


class Allegations(_Provenance):
    """One row per (accuser, accused) pair in a sentence. Key: allegation_id."""

    allegation_id: str
    evidence_text: str = pa.Field(str_length={"max_value": 600})
    accuser_id: str = pa.Field(nullable=True)
    accuser_name: str = pa.Field(nullable=True)
    accused_id: str = pa.Field(nullable=True)
    accused_name: str
    allegation_type: str = pa.Field(isin=ALLEGATION_TYPES)
    cue: str
    is_hedged: bool

    class Config:
        strict = True
        unique = ["allegation_id"]


class Manifest(pa.DataFrameModel):
    """One row per processed source. Key: source_path. What re-runs compare against."""

    source_path: str
    doc_id: str = pa.Field(nullable=True, description="Null for a rejected source.")
    content_sha256: str
    size_bytes: pl.Int64 = pa.Field(ge=0)
    modified_ns: pl.Int64 = pa.Field(description="File modification time (ns); with path and size, lets a re-run skip re-hashing.")
    extractor_version: str = pa.Field(description="Pipeline release and a hash of its code.")
    text_version: str = pa.Field(description="Hash of the reference files that shape the cleaned text.")
    reference_version: str = pa.Field(description="Hash of all reference data (aliases, lexicons).")
    status: str = pa.Field(isin=["document", "duplicate", "rejected"])

    class Config:
        strict = True
        unique = ["source_path"]


class Runs(pa.DataFrameModel):
    """One row per pipeline run, oldest first. Key: run_id."""

    run_id: str
    started_at: UTC_TIMESTAMP
    finished_at: UTC_TIMESTAMP = pa.Field(nullable=True)
    status: str = pa.Field(isin=["succeeded", "failed"])
    sources_seen: pl.Int32 = pa.Field(ge=0)
    sources_added: pl.Int32 = pa.Field(ge=0)
    sources_changed: pl.Int32 = pa.Field(ge=0)
    sources_removed: pl.Int32 = pa.Field(ge=0)
    sources_unchanged: pl.Int32 = pa.Field(ge=0)
    sources_rejected: pl.Int32 = pa.Field(ge=0)
    pipeline_version: str

    class Config:
        strict = True
        unique = ["run_id"]


class RejectedSources(pa.DataFrameModel):
    """One row per source the latest run could not use. Key: source_path."""

    source_path: str
    reason: str = pa.Field(isin=REJECT_REASONS)
    detail: str
    run_id: str

    class Config:
        strict = True
        unique = ["source_path"]


# Published tables in publishing order; the writer and the data dictionary read this.
TABLES: dict[str, type[pa.DataFrameModel]] = {
    "documents": Documents,
    "sentences": Sentences,
    "entities": Entities,
    "mentions": Mentions,
    "date_mentions": DateMentions,
    "events": Events,
    "event_mentions": EventMentions,
    "claims": Claims,
    "allegations": Allegations,
    "manifest": Manifest,
    "runs": Runs,
    "rejected_sources": RejectedSources,
}


def polars_schema(model: type[pa.DataFrameModel]) -> pl.Schema:
    """The polars schema a model describes, columns in declaration order."""
    return pl.Schema({name: col.dtype.type for name, col in model.to_schema().columns.items()})


def empty_table(model: type[pa.DataFrameModel]) -> pl.DataFrame:
    """A typed table with no rows, so a view over it still has every column."""
    return pl.DataFrame(schema=polars_schema(model))


def sort_columns(model: type[pa.DataFrameModel]) -> list[str]:
    """Row order of a published table: text order for extracted rows, then the key."""
    columns = list(model.to_schema().columns)
    lead = ["doc_id", "char_start", "char_end"] if "char_start" in columns else []
    return lead + [c for c in (model.to_schema().unique or []) if c not in lead]


# BI tools filter events and documents by date and country: rows sorted by them first let
# Parquet's row-group statistics skip what a filter excludes.
FILTER_ORDER = {"events": ["event_date_start", "country_iso2"], "documents": ["published_date"]}


def canonical_order(name: str, table: pl.DataFrame) -> pl.DataFrame:
    """A table's rows in its published order, whatever order its batches finished in (runs keep run order)."""
    return table if name == "runs" else table.sort(FILTER_ORDER.get(name, []) + sort_columns(TABLES[name]),
                                                   nulls_last=True)


def in_canonical_order(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Every table in its published order (canonical_order)."""
    return {name: canonical_order(name, table) for name, table in tables.items()}
