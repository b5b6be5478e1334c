"""Re-run planning: what changed since the last published run, and what can be reused.

Sources are compared by path and by content (sha256). Counts are by path (a renamed
file is one removed and one added), while reuse is by content: a document's rows are
keyed by doc_id, which derives from its bytes, so a renamed or copied file costs nothing.
Reuse also needs the versions the rows were made with to match (see flows/versions.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from flows.schemas import Manifest, polars_schema
from flows.sources import REJECT_SCHEMA



@dataclass(frozen=True)
class Versions:
    code: str
    text_rules: str
    reference: str


@dataclass(frozen=True)
class Plan:
    added: int
    changed: int
    removed: int
    unchanged: int
    reuse_text: frozenset[str]        # doc_ids whose documents and sentences rows are reused
    reuse_extracted: frozenset[str]   # doc_ids whose extracted rows are reused as well


def distinct_sources(sources: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Keep the first path (in path order) of each content; the others are duplicates.

    >>> s = pl.DataFrame({"source_path": ["b.txt", "a.txt", "c.txt"], "content_sha256": ["1" * 64, "1" * 64, "2" * 64]})
    >>> kept, dupes = distinct_sources(s)
    >>> kept["source_path"].to_list(), dupes["detail"].to_list()
    (['a.txt', 'c.txt'], ['same content as a.txt; published once under that path'])
    """
    ordered = sources.sort("source_path")
    first = ordered.unique("content_sha256", keep="first", maintain_order=True)
    dupes = ordered.join(first.select("source_path", pl.col("source_path").alias("first_path"), "content_sha256"),
                         on="content_sha256", how="inner", suffix="_first")
    dupes = dupes.filter(pl.col("source_path") != pl.col("first_path"))
    rejected = dupes.select(
        "source_path",
        pl.lit("duplicate").alias("reason"),
        pl.format("same content as {}; published once under that path", "first_path").alias("detail"),
    )
    return first, rejected.cast(REJECT_SCHEMA)


def plan_run(sources: pl.DataFrame, previous: pl.DataFrame, versions: Versions) -> Plan:
    """Compare this run's sources (source_path, content_sha256) with the previous manifest."""
    now = dict(sources.select("source_path", "content_sha256").iter_rows())
    before = dict(previous.select("source_path", "content_sha256").iter_rows())
    changed = sum(1 for p, sha in now.items() if p in before and before[p] != sha)
    unchanged = sum(1 for p, sha in now.items() if before.get(p) == sha)
    documents = previous.filter(pl.col("status") == "document")
    same_code = documents.filter(pl.col("extractor_version") == versions.code)
    text_ok = same_code.filter(pl.col("text_version") == versions.text_rules)
    extracted_ok = text_ok.filter(pl.col("reference_version") == versions.reference)
    wanted = {sha[:16] for sha in now.values()}
    return Plan(
        added=sum(1 for p in now if p not in before),
        changed=changed,
        removed=sum(1 for p in before if p not in now),
        unchanged=unchanged,
        reuse_text=frozenset(set(text_ok["doc_id"].to_list()) & wanted),
        reuse_extracted=frozenset(set(extracted_ok["doc_id"].to_list()) & wanted),
    )


def manifest(sources: pl.DataFrame, documents: pl.DataFrame, rejected: pl.DataFrame, versions: Versions) -> pl.DataFrame:
    """One row per source this run saw: what became of it, and with which versions."""
    published = set(documents["doc_id"].to_list())
    status = dict(rejected.select("source_path", "reason").iter_rows())
    rows = []
    for path, sha, size, mtime in sources.select("source_path", "content_sha256", "size_bytes", "modified_ns").iter_rows():
        doc_id = sha[:16]
        if path in status:
            state = "duplicate" if status[path] == "duplicate" else "rejected"
        else:
            state = "document" if doc_id in published else "rejected"
        rows.append({"source_path": path, "doc_id": doc_id if state != "rejected" else None,
                     "content_sha256": sha, "size_bytes": size, "modified_ns": mtime, "extractor_version": versions.code,
                     "text_version": versions.text_rules, "reference_version": versions.reference, "status": state})
    return pl.DataFrame(rows, schema=polars_schema(Manifest)).sort("source_path")
