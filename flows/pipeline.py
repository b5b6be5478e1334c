"""The Prefect flow: raw folder in, validated Parquet and a DuckDB warehouse out.

Tasks are thin wrappers around the plain functions of the other modules, one task per
stage or per batch of documents (a task costs milliseconds; one per document would
dominate the run). Without a configured server Prefect starts a temporary local one,
so `python -m flows run` needs nothing started by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flows.prefect_env import configure_prefect

configure_prefect()

import polars as pl  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings  # noqa: E402

from flows import publish as writer  # noqa: E402
from flows.extract import (  # noqa: E402
    EXTRACTED_TABLES,
    Reference,
    cross_document_tables,
    extract_tables,
    load_reference,
    text_tables,
)
from flows.lock import output_lock  # noqa: E402
from flows.manifest import Plan, Versions, distinct_sources, manifest, plan_run  # noqa: E402
from flows.schemas import TABLES, empty_table, polars_schema  # noqa: E402
from flows.sources import DEFAULT_MAX_BYTES, discover_sources, orphan_sidecars, read_sources  # noqa: E402
from flows.validation import validated_tables  # noqa: E402
from flows.versions import PIPELINE_VERSION, REFERENCE_DIR, code_version, reference_version, text_rules_version  # noqa: E402

DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    out_dir: Path
    counts: dict[str, int]
    rows: dict[str, int]
    rejected: pl.DataFrame
    seconds: float


def make_run_id(started_at: dt.datetime, raw_dir: Path) -> str:
    """Sortable by time, unique per folder: '20201121T101500123456Z-1a2b3c4d'."""
    digest = hashlib.sha256(f"{started_at.isoformat()}|{raw_dir.resolve()}".encode()).hexdigest()[:8]
    return f"{started_at:%Y%m%dT%H%M%S%fZ}-{digest}"


def batches(doc_ids: list[str], size: int) -> list[list[str]]:
    """Split doc ids into batches of at most `size`, keeping their order.

    >>> batches(["a", "b", "c"], 2)
    [['a', 'b'], ['c']]
    """
    return [doc_ids[i:i + size] for i in range(0, len(doc_ids), size)]


def rows_of(table: pl.DataFrame, doc_ids: frozenset[str] | set[str]) -> pl.DataFrame:
    return table.filter(pl.col("doc_id").is_in(sorted(doc_ids)))


def run_record(run_id: str, started_at: dt.datetime, finished_at: dt.datetime, status: str,
               counts: dict[str, int], version: str) -> pl.DataFrame:
    return pl.DataFrame([{"run_id": run_id, "started_at": started_at, "finished_at": finished_at, "status": status,
                          **{f"sources_{k}": v for k, v in counts.items()}, "pipeline_version": version}],
                        schema=polars_schema(TABLES["runs"]))


@task(name="read sources", cache_policy=NO_CACHE)
def read_task(raw_dir: Path, max_bytes: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    found, rejected_found = discover_sources(raw_dir, max_bytes)
    sources, rejected_read = read_sources(raw_dir, found)
    return sources, pl.concat([rejected_found, rejected_read, orphan_sidecars(raw_dir, found)])


@task(name="clean and describe documents", cache_policy=NO_CACHE)
def text_task(sources: pl.DataFrame, reference: Reference, ingested_at: dt.datetime):
    return text_tables(sources, reference, ingested_at)


@task(name="extract batch", cache_policy=NO_CACHE)
def extract_task(docs: pl.DataFrame, sents: pl.DataFrame, reference: Reference) -> dict[str, pl.DataFrame]:
    return extract_tables(docs, sents, reference)


@task(name="cross-document steps", cache_policy=NO_CACHE)
def cross_document_task(tables: dict[str, pl.DataFrame], reference: Reference) -> dict[str, pl.DataFrame]:
    return cross_document_tables(tables, reference)


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(tables: dict[str, pl.DataFrame]):
    return validated_tables(tables)


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(out_dir: Path, snapshot_id: str, tables: dict[str, pl.DataFrame]) -> Path:
    return writer.publish(out_dir, snapshot_id, tables)


def previous_tables(out_dir: Path) -> dict[str, pl.DataFrame]:
    snapshot = writer.current_dir(out_dir)
    if snapshot is None:
        return {name: empty_table(model) for name, model in TABLES.items()}
    return {name: writer.read_table(snapshot, name) for name in TABLES}


@contextmanager
def batch_progress(total: int) -> Iterator[Callable[[], None]]:
    """A progress bar over extraction batches on a terminal; silent in logs, CI and tests."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("extracting", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True) as bar:
        job = bar.add_task("batches", total=total)
        yield lambda: bar.advance(job)


@flow(name="extremism-pipeline", log_prints=False)
def pipeline_flow(raw_dir: Path, out_dir: Path, run_id: str, started_at: dt.datetime,
                  max_bytes: int = DEFAULT_MAX_BYTES, batch_size: int = DEFAULT_BATCH_SIZE,
                  reference_dir: Path = REFERENCE_DIR) -> dict:
    versions = Versions(code=code_version(), text_rules=text_rules_version(reference_dir),
                        reference=reference_version(reference_dir))
    reference = load_reference(reference_dir)
    previous = previous_tables(out_dir)

    sources, rejected = read_task(raw_dir, max_bytes)
    unique_sources, duplicates = distinct_sources(sources)
    plan: Plan = plan_run(sources, previous["manifest"], versions)

    to_read = unique_sources.filter(~pl.col("content_sha256").str.slice(0, 16).is_in(sorted(plan.reuse_text)))
    fresh, rejected_text = text_task(to_read, reference, started_at)
    paths = unique_sources.select(pl.col("content_sha256").str.slice(0, 16).alias("doc_id"), "source_path")
    docs = pl.concat([rows_of(previous["documents"], plan.reuse_text), fresh["documents"]])
    # ingested_at is when the content first entered the warehouse, even if later re-extracted.
    first_seen = previous["documents"].select("doc_id", pl.col("ingested_at").alias("first_ingested_at"))
    docs = (docs.drop("source_path").join(paths, on="doc_id").join(first_seen, on="doc_id", how="left")
            .with_columns(pl.coalesce("first_ingested_at", "ingested_at").alias("ingested_at"))
            .select(list(polars_schema(TABLES["documents"]))))
    sents = pl.concat([rows_of(previous["sentences"], plan.reuse_text), fresh["sentences"]])

    tables = {name: [rows_of(previous[name], plan.reuse_extracted)] for name in EXTRACTED_TABLES}
    pending = batches(sorted(set(docs["doc_id"].to_list()) - plan.reuse_extracted), batch_size)
    with batch_progress(len(pending)) as advance:
        for batch in pending:
            found = extract_task(rows_of(docs, batch), rows_of(sents, batch), reference)
            for name in EXTRACTED_TABLES:
                tables[name].append(found[name])
            advance()
    tables = {name: pl.concat(parts, how="vertical_relaxed") for name, parts in tables.items()}
    tables = cross_document_task({**tables, "documents": docs, "sentences": sents}, reference)

    rejected = pl.concat([rejected, duplicates, rejected_text])
    tables, rejected_invalid = validate_task(tables)
    rejected = pl.concat([rejected, rejected_invalid]).unique("source_path", keep="first").sort("source_path")
    counts = {"seen": sources.height + rejected.filter(~pl.col("source_path").is_in(sources["source_path"].to_list())).height,
              "added": plan.added, "changed": plan.changed, "removed": plan.removed,
              "unchanged": plan.unchanged, "rejected": rejected.height}
    tables["manifest"] = manifest(sources, tables["documents"], rejected, versions)
    tables["rejected_sources"] = rejected.with_columns(pl.lit(run_id).alias("run_id"))
    finished_at = dt.datetime.now(dt.timezone.utc)
    tables["runs"] = pl.concat([previous["runs"], run_record(run_id, started_at, finished_at, "succeeded",
                                                             counts, PIPELINE_VERSION)])
    publish_task(out_dir, run_id, tables)
    return {"run_id": run_id, "counts": counts, "rows": {name: t.height for name, t in tables.items()},
            "rejected": tables["rejected_sources"]}


def record_failed_run(out_dir: Path, run_id: str, started_at: dt.datetime) -> None:
    """Put a failed run on record in `runs`, leaving every other published table as it was."""
    snapshot = writer.current_dir(out_dir)
    runs = writer.read_table(snapshot, "runs") if snapshot else empty_table(TABLES["runs"])
    failed = run_record(run_id, started_at, dt.datetime.now(dt.timezone.utc), "failed",
                        dict.fromkeys(("seen", "added", "changed", "removed", "unchanged", "rejected"), 0),
                        PIPELINE_VERSION)
    writer.publish(out_dir, run_id, {"runs": pl.concat([runs, failed])}, keep_others=True)


def run_pipeline(raw_dir: Path, out_dir: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 batch_size: int = DEFAULT_BATCH_SIZE, wait_seconds: float = 0.0,
                 reference_dir: Path = REFERENCE_DIR) -> RunSummary:
    """Run the flow once, holding the output folder's lock for the whole run."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist or is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    with output_lock(out_dir, wait_seconds):
        started_at = dt.datetime.now(dt.timezone.utc)
        run_id = make_run_id(started_at, raw_dir)
        try:
            with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
                result = pipeline_flow(raw_dir.resolve(), out_dir.resolve(), run_id, started_at, max_bytes,
                                       batch_size, reference_dir)
        except Exception:
            record_failed_run(out_dir, run_id, started_at)
            raise
        seconds = (dt.datetime.now(dt.timezone.utc) - started_at).total_seconds()
    return RunSummary(run_id=result["run_id"], out_dir=out_dir, counts=result["counts"], rows=result["rows"],
                      rejected=result["rejected"], seconds=seconds)
