"""Validate every table with its pandera model before anything is published.

Rows that fail a check are traced back to their document: that source is rejected
(reason `invalid`, with the table, column, check and failing values in the detail)
and all of its rows leave every table, while the rest of the run goes on. A failure
that belongs to no document (a wrong column type, a bad registry row) is a defect of
the pipeline, not of a source, and stops the run with the same detail.
"""

from __future__ import annotations

import polars as pl
import pandera.polars as pa

from flows.schemas import TABLES
from flows.sources import REJECT_SCHEMA

MAX_VALUES_SHOWN = 3


class TableInvalid(RuntimeError):
    """A table failed validation in a way no single source explains."""


def describe_failures(table: str, failures: pl.DataFrame) -> str:
    """'events.killed_low: greater_than_or_equal_to(0) failed for -3' style, one per check."""
    parts = []
    for (column, check), group in failures.group_by(["column", "check"], maintain_order=True):
        values = ", ".join(repr(v) for v in group["failure_case"].head(MAX_VALUES_SHOWN).to_list())
        parts.append(f"{table}.{column}: {check} failed for {values}")
    return "; ".join(parts)


def failing_documents(table: str, frame: pl.DataFrame, error: pa.errors.SchemaErrors) -> dict[str, str]:
    """doc_id -> what failed, for the rows behind a validation error."""
    failures = error.failure_cases
    if "doc_id" not in frame.columns or failures["index"].null_count() > 0:
        raise TableInvalid(describe_failures(table, failures))
    doc_ids = frame["doc_id"].gather(failures["index"].cast(pl.UInt32))
    failures = failures.with_columns(doc_ids.alias("doc_id"))
    return {doc_id: describe_failures(table, group)
            for (doc_id,), group in failures.group_by(["doc_id"], maintain_order=True)}


def validated_tables(tables: dict[str, pl.DataFrame], only: tuple[str, ...] | None = None
                     ) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """Check every table (or those named in `only`); returns (tables without invalid documents, rejected rows).

    An invalid document's rows leave every table given, checked or not.
    """
    paths = dict(tables["documents"].select("doc_id", "source_path").iter_rows())
    rejected: dict[str, str] = {}
    while True:
        found: dict[str, str] = {}
        for name, model in TABLES.items():
            if name not in tables or (only is not None and name not in only):
                continue
            try:
                model.validate(tables[name], lazy=True)
            except pa.errors.SchemaErrors as error:
                for doc_id, detail in failing_documents(name, tables[name], error).items():
                    found.setdefault(doc_id, detail)
        if not found:
            break
        rejected.update(found)
        bad = sorted(found)
        tables = {name: t.filter(~pl.col("doc_id").is_in(bad)) if "doc_id" in t.columns else t
                  for name, t in tables.items()}
    rows = [{"source_path": paths.get(doc_id, doc_id), "reason": "invalid", "detail": detail}
            for doc_id, detail in sorted(rejected.items())]
    return tables, pl.DataFrame(rows, schema=REJECT_SCHEMA)
