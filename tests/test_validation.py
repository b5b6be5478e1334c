"""Validation: a source whose rows fail goes aside with a detail; the others are published."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from flows.schemas import TABLES, Documents, Mentions, empty_table, polars_schema
from flows.validation import TableInvalid, validated_tables


def doc(doc_id: str, path: str) -> dict:
    return {"doc_id": doc_id, "source_path": path, "title": None, "outlet": None, "authors": [], "url": None,
            "published_date": None, "published_date_source": None, "published_date_text": None, "doc_type": "news",
            "language": "en", "n_words": 1, "n_chars": 4, "content_sha256": doc_id * 4, "encoding": "utf-8",
            "is_day_first": False, "text": "Text", "ingested_at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)}


def test_invalid_rows_reject_their_source_and_keep_the_rest():
    tables = {name: empty_table(model) for name, model in TABLES.items()}
    tables["documents"] = pl.DataFrame([doc("a" * 16, "good.txt"), doc("b" * 16, "bad.txt")], schema=polars_schema(Documents))
    tables["mentions"] = pl.DataFrame([
        {"doc_id": "a" * 16, "sentence_idx": 0, "char_start": 0, "char_end": 4, "surface_text": "Text",
         "entity_id": None, "entity_type": "other", "match_method": "unresolved"},
        {"doc_id": "b" * 16, "sentence_idx": 0, "char_start": 0, "char_end": 4, "surface_text": "Text",
         "entity_id": None, "entity_type": "spaceship", "match_method": "unresolved"},
    ], schema=polars_schema(Mentions))
    tables, rejected = validated_tables(tables)
    assert tables["documents"]["source_path"].to_list() == ["good.txt"]
    assert tables["mentions"]["doc_id"].to_list() == ["a" * 16]
    assert rejected.select("source_path", "reason").rows() == [("bad.txt", "invalid")]
    assert "mentions.entity_type" in rejected["detail"][0] and "spaceship" in rejected["detail"][0]


def test_a_wrong_column_type_is_a_pipeline_defect_that_stops_the_run():
    tables = {name: empty_table(model) for name, model in TABLES.items()}
    tables["runs"] = tables["runs"].with_columns(pl.col("sources_seen").cast(pl.Int64))
    with pytest.raises(TableInvalid, match="runs.sources_seen"):
        validated_tables(tables)
