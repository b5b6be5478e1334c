"""The Prefect flow: raw folder in, validated Parquet and a DuckDB warehouse out.

Tasks are thin wrappers around the plain functions of the other modules, one task per
stage or per batch of documents (a task costs milliseconds; one per document would
dominate the run). Without a configured server Prefect starts a temporary local one,
so `python -m flows run` needs nothing started by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
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
    CROSS_DOCUMENT_TABLES,
    EXTRACTED_TABLES,
    cross_document_tables,
    extract_tables,
    load_reference,
    source_batch_tables,
)
from flows.lock import output_lock  # noqa: E402
from flows.manifest import Plan, Versions, distinct_sources, manifest, plan_run  # noqa: E402
from flows.schemas import TABLES, empty_table, in_canonical_order, polars_schema  # noqa: E402
from flows.sources import DEFAULT_MAX_BYTES, discover_sources, fingerprint_sources, orphan_sidecars  # noqa: E402
from flows.validation import validated_tables  # noqa: E402
from flows.versions import PIPELINE_VERSION, REFERENCE_DIR, code_version, reference_version, text_rules_version  # noqa: E402

DEFAULT_BATCH_SIZE = 500
DOC_ID = pl.col("content_sha256").str.slice(0, 16)  # documents.doc_id of a listed source
DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, 4))


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


@task(name="list sources", cache_policy=NO_CACHE)
def list_task(raw_dir: Path, max_bytes: int, known: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    found, rejected_found = discover_sources(raw_dir, max_bytes)
    listed, rejected_read = fingerprint_sources(raw_dir, found, known)
    return listed, pl.concat([rejected_found, rejected_read, orphan_sidecars(raw_dir, found)])


@task(name="read and extract sources", cache_policy=NO_CACHE)
def source_batch_task(raw_dir: Path, listed: pl.DataFrame, reference_dir: Path,
                      ingested_at: dt.datetime) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    return source_batch_tables(raw_dir, listed, load_reference(reference_dir), ingested_at)


@task(name="extract documents", cache_policy=NO_CACHE)
def document_batch_task(docs: pl.DataFrame, sents: pl.DataFrame, reference_dir: Path) -> dict[str, pl.DataFrame]:
    return extract_tables(docs, sents, load_reference(reference_dir))


@task(name="cross-document steps", cache_policy=NO_CACHE)
def cross_document_task(tables: dict[str, pl.DataFrame], reference_dir: Path) -> dict[str, pl.DataFrame]:
    return cross_document_tables(tables, load_reference(reference_dir))


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(tables: dict[str, pl.DataFrame], only: tuple[str, ...] | None = None):
    return validated_tables(tables, only)


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


def run_jobs(jobs: list[tuple]) -> Iterator:
    """Results of (task, args) jobs in order: on the task runner when there are several,
    in this process when there is one (a one-source re-run should not start a pool)."""
    if len(jobs) == 1:
        task_, args = jobs[0]
        yield task_(*args)
        return
    for future in [task_.submit(*args) for task_, args in jobs]:
        yield future.result()


@flow(name="extremism-pipeline", log_prints=False)
def pipeline_flow(raw_dir: Path, out_dir: Path, run_id: str, started_at: dt.datetime,
                  max_bytes: int = DEFAULT_MAX_BYTES, batch_size: int = DEFAULT_BATCH_SIZE,
                  reference_dir: Path = REFERENCE_DIR) -> dict:
    versions = Versions(code=code_version(), text_rules=text_rules_version(reference_dir),
                        reference=reference_version(reference_dir))
    previous = previous_tables(out_dir)

    listed, rejected = list_task(raw_dir, max_bytes, previous["manifest"])
    unique_sources, duplicates = distinct_sources(listed)
    plan: Plan = plan_run(listed, previous["manifest"], versions)

    # New content is read and extracted in batches; content whose text is reused but whose
    # reference data changed is re-extracted from its stored text; the rest is reused as is.
    to_read = unique_sources.filter(~DOC_ID.is_in(sorted(plan.reuse_text)))
    kept_docs = rows_of(previous["documents"], plan.reuse_text)
    kept_sents = rows_of(previous["sentences"], plan.reuse_text)
    to_extract = sorted(plan.reuse_text - plan.reuse_extracted)
    jobs = [(source_batch_task, (raw_dir, to_read.slice(i, batch_size), reference_dir, started_at))
            for i in range(0, to_read.height, batch_size)]
    jobs += [(document_batch_task, (rows_of(kept_docs, ids), rows_of(kept_sents, ids), reference_dir))
             for ids in batches(to_extract, batch_size)]

    reused = {name: rows_of(previous[name], plan.reuse_extracted) for name in EXTRACTED_TABLES}
    reused |= {"documents": kept_docs, "sentences": kept_sents}
    fresh_parts: dict[str, list[pl.DataFrame]] = {name: [] for name in reused}
    rejected_parts = [rejected, duplicates]
    with batch_progress(len(jobs)) as advance:
        for found in run_jobs(jobs):
            if isinstance(found, tuple):
                found, rejected_batch = found
                rejected_parts.append(rejected_batch)
            for name, table in found.items():
                fresh_parts[name].append(table)
            advance()
    # Reused rows passed validation when they were made, with the same code and reference data.
    fresh = {name: pl.concat([empty_table(TABLES[name]), *frames], how="vertical_relaxed")
             for name, frames in fresh_parts.items()}
    fresh, rejected_invalid = validate_task(fresh)
    tables = {name: pl.concat([reused[name], fresh[name]], how="vertical_relaxed") for name in reused}

    # A renamed source keeps its doc_id; ingested_at is when its content first arrived.
    paths = unique_sources.select(DOC_ID.alias("doc_id"), "source_path")
    first_seen = previous["documents"].select("doc_id", pl.col("ingested_at").alias("first_ingested_at"))
    tables["documents"] = (tables["documents"].drop("source_path").join(paths, on="doc_id")
                           .join(first_seen, on="doc_id", how="left")
                           .with_columns(pl.coalesce("first_ingested_at", "ingested_at").alias("ingested_at"))
                           .select(list(polars_schema(TABLES["documents"]))))
    tables = cross_document_task(tables, reference_dir)
    tables, rejected_cross = validate_task(tables, CROSS_DOCUMENT_TABLES)
    rejected = (pl.concat([*rejected_parts, rejected_invalid, rejected_cross])
                .unique("source_path", keep="first").sort("source_path"))
    listed_paths = listed["source_path"].to_list()
    counts = {"seen": listed.height + rejected.filter(~pl.col("source_path").is_in(listed_paths)).height,
              "added": plan.added, "changed": plan.changed, "removed": plan.removed,
              "unchanged": plan.unchanged, "rejected": rejected.height}
    tables["manifest"] = manifest(listed, tables["documents"], rejected, versions)
    tables["rejected_sources"] = rejected.with_columns(pl.lit(run_id).alias("run_id"))
    tables["runs"] = pl.concat([previous["runs"], run_record(run_id, started_at, dt.datetime.now(dt.timezone.utc),
                                                             "succeeded", counts, PIPELINE_VERSION)])
    tables = in_canonical_order(tables)
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


def task_runner(kind: str, workers: int, address: str | None, n_sources: int, batch_size: int):
    """The Prefect task runner that executes the batches.

    auto: a process pool when there is more than one batch's worth of sources, else in-process;
    process: a pool of `workers` processes; thread: in-process, one batch at a time;
    dask: a Dask cluster at `address` (a local one when no address is given).
    """
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    if kind == "auto":
        kind = "process" if n_sources > batch_size and workers > 1 else "thread"
    if kind == "process":
        return ProcessPoolTaskRunner(max_workers=workers)
    if kind == "thread":
        return ThreadPoolTaskRunner(max_workers=1)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=address) if address else DaskTaskRunner(
            cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})
    raise ValueError(f"unknown runner {kind!r}: use auto, process, thread or dask")


def count_files(raw_dir: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(raw_dir))


def run_pipeline(raw_dir: Path, out_dir: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 batch_size: int = DEFAULT_BATCH_SIZE, wait_seconds: float = 0.0,
                 reference_dir: Path = REFERENCE_DIR, runner: str = "auto", workers: int = DEFAULT_WORKERS,
                 address: str | None = None) -> RunSummary:
    """Run the flow once, holding the output folder's lock for the whole run."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder {raw_dir} does not exist or is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    runs_on = task_runner(runner, workers, address, count_files(raw_dir), batch_size)
    with output_lock(out_dir, wait_seconds):
        started_at = dt.datetime.now(dt.timezone.utc)
        run_id = make_run_id(started_at, raw_dir)
        try:
            with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
                result = pipeline_flow.with_options(task_runner=runs_on)(
                    raw_dir.resolve(), out_dir.resolve(), run_id, started_at, max_bytes, batch_size, reference_dir)
        except Exception:
            record_failed_run(out_dir, run_id, started_at)
            raise
        seconds = (dt.datetime.now(dt.timezone.utc) - started_at).total_seconds()
    return RunSummary(run_id=result["run_id"], out_dir=out_dir, counts=result["counts"], rows=result["rows"],
                      rejected=result["rejected"], seconds=seconds)
