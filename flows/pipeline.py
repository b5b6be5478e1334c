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
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from flows.prefect_env import api_shared_with_workers, configure_prefect

configure_prefect()

import polars as pl  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings  # noqa: E402

from flows import publish as writer  # noqa: E402
from flows.extract import (  # noqa: E402
    CLUSTER_COLUMNS,
    COMPETING_COLUMNS,
    cross_document_keys,
    extract_tables,
    load_reference,
    source_batch_tables,
    with_cross_document_keys,
)
from flows.lock import output_lock  # noqa: E402
from flows.manifest import Plan, Versions, distinct_sources, manifest, plan_run  # noqa: E402
from flows.schemas import FILTER_ORDER, TABLES, canonical_order, empty_table, in_canonical_order, polars_schema  # noqa: E402
from flows.sources import DEFAULT_MAX_BYTES, REJECT_SCHEMA, discover_sources, fingerprint_sources, orphan_sidecars  # noqa: E402
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
    stages: dict[str, float]   # wall seconds of each stage of the flow, in order


class StageClock:
    """Wall time of the flow's stages, for the run report (orchestration only, never in a transform)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._last, 2)
        self._last = now


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


def stored_batches(doc_ids: list[str], part_of: dict[str, object], size: int) -> list[list[str]]:
    """Batches of stored documents to re-extract, each drawn from one stored part, so that a
    batch reads one part and not the whole table.

    >>> stored_batches(["a", "b", "c", "d"], {"a": "p1", "b": "p2", "c": "p1", "d": "p2"}, 5)
    [['a', 'c'], ['b', 'd']]
    """
    by_part: dict[object, list[str]] = {}
    for doc_id in doc_ids:
        by_part.setdefault(part_of.get(doc_id), []).append(doc_id)
    return [ids for group in by_part.values() for ids in batches(group, size)]


def doc_ids_of(sources: pl.DataFrame) -> list[str]:
    """The doc_ids listed sources become (their content hashes, shortened)."""
    return sources.select(DOC_ID.alias("doc_id"))["doc_id"].to_list()


def rows_of(table: pl.DataFrame, doc_ids: frozenset[str] | set[str]) -> pl.DataFrame:
    return table.filter(pl.col("doc_id").is_in(sorted(doc_ids)))


def run_record(run_id: str, started_at: dt.datetime, finished_at: dt.datetime, status: str,
               counts: dict[str, int], version: str) -> pl.DataFrame:
    return pl.DataFrame([{"run_id": run_id, "started_at": started_at, "finished_at": finished_at, "status": status,
                          **{f"sources_{k}": v for k, v in counts.items()}, "pipeline_version": version}],
                        schema=polars_schema(TABLES["runs"]))


@dataclass(frozen=True)
class BatchResult:
    """What a batch hands back to the flow: its documents, the narrow projections of its
    events and claims the cross-document steps read, and its rejects; never its tables."""

    doc_ids: list[str]
    events: pl.DataFrame
    claims: pl.DataFrame
    rejected: pl.DataFrame


PER_DOCUMENT_TABLES = ("documents", "sentences", "mentions", "date_mentions", "events", "event_mentions", "claims",
                       "allegations")
TEXT_TABLES = ("documents", "sentences")  # made from the source bytes; the rest is extracted from them
EXTRACTED_PER_DOCUMENT = tuple(name for name in PER_DOCUMENT_TABLES if name not in TEXT_TABLES)


@task(name="list sources", cache_policy=NO_CACHE)
def list_task(raw_dir: Path, max_bytes: int, known: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    found, rejected_found = discover_sources(raw_dir, max_bytes)
    listed, rejected_read = fingerprint_sources(raw_dir, found, known)
    return listed, pl.concat([rejected_found, rejected_read, orphan_sidecars(raw_dir, found)])


@task(name="read and extract sources", cache_policy=NO_CACHE)
def source_batch_task(raw_dir: Path, listed: pl.DataFrame, reference_dir: Path, ingested_at: dt.datetime,
                      first_seen: dict[str, dt.datetime], staging: Path) -> BatchResult:
    tables, rejected = source_batch_tables(raw_dir, listed, load_reference(reference_dir), ingested_at)
    tables["documents"] = with_first_ingestion(tables["documents"], first_seen)
    return store_batch(staging, tables, rejected, PER_DOCUMENT_TABLES)


@task(name="extract documents", cache_policy=NO_CACHE)
def document_batch_task(previous: Path, doc_ids: list[str], parts: dict[str, list[Path]], reference_dir: Path,
                        staging: Path) -> BatchResult:
    docs = writer.read_rows(previous, "documents", doc_ids, parts["documents"])
    sents = writer.read_rows(previous, "sentences", doc_ids, parts["sentences"])
    tables = {"documents": docs, "sentences": sents, **extract_tables(docs, sents, load_reference(reference_dir))}
    return store_batch(staging, tables, pl.DataFrame(schema=REJECT_SCHEMA), EXTRACTED_PER_DOCUMENT)


def store_batch(staging: Path, tables: dict[str, pl.DataFrame], rejected: pl.DataFrame,
                written: tuple[str, ...]) -> BatchResult:
    """Validate a batch and write its per-document tables as parts of the unpublished snapshot."""
    tables, rejected_invalid = validated_tables(tables)
    tables = in_canonical_order(tables)
    doc_ids = tables["documents"]["doc_id"].to_list()
    for name in written:
        writer.write_part(staging, name, tables[name], doc_ids)
    return BatchResult(doc_ids=doc_ids, events=tables["events"].select(CLUSTER_COLUMNS),
                       claims=tables["claims"].select(COMPETING_COLUMNS), rejected=pl.concat([rejected, rejected_invalid]))


def with_first_ingestion(docs: pl.DataFrame, first_seen: dict[str, dt.datetime]) -> pl.DataFrame:
    """A document re-read (new code) keeps the time its content first arrived as ingested_at."""
    if not first_seen:
        return docs
    earlier = pl.DataFrame({"doc_id": list(first_seen), "first_ingested_at": list(first_seen.values())},
                           schema={"doc_id": pl.String, "first_ingested_at": docs.schema["ingested_at"]})
    return (docs.join(earlier, on="doc_id", how="left", maintain_order="left")
            .with_columns(pl.coalesce("first_ingested_at", "ingested_at").alias("ingested_at"))
            .select(docs.columns))


@task(name="cross-document steps", cache_policy=NO_CACHE)
def cross_document_task(staging: Path, events: pl.DataFrame, claims: pl.DataFrame) -> None:
    """Cluster events and flag competing claims over the whole corpus, then write the results
    into the snapshot's events and claims parts (a part whose values did not change stays linked)."""
    clusters, competing = cross_document_keys(events, claims)
    for name, keys in (("events", clusters), ("claims", competing)):
        writer.rewrite_parts(staging, name, partial(with_cross_document_keys, keys=keys), keys.columns)


@task(name="carry over unchanged documents", cache_policy=NO_CACHE)
def carry_over_task(previous: Path | None, staging: Path, keep_text: frozenset[str], keep_extracted: frozenset[str],
                    paths: dict[str, str]) -> None:
    """Link (or, where a document left or was renamed, rewrite) the previous snapshot's parts."""
    if previous is None:
        return
    for name in PER_DOCUMENT_TABLES:
        keep = keep_text if name in TEXT_TABLES else keep_extracted
        if name == "documents":
            writer.carry_over(previous, staging, name, keep, partial(with_current_paths, paths=paths),
                              partial(is_renamed, paths=paths))
        else:
            writer.carry_over(previous, staging, name, keep)


def with_current_paths(docs: pl.DataFrame, paths: dict[str, str]) -> pl.DataFrame:
    """A renamed source keeps its doc_id and takes its new path."""
    return docs.with_columns(pl.col("doc_id").replace_strict(paths, default=pl.col("source_path")).alias("source_path"))


def is_renamed(documents_part: Path, paths: dict[str, str]) -> bool:
    """Whether a documents part names a source by a path other than its current one."""
    held = pl.read_parquet(documents_part, columns=["doc_id", "source_path"])
    return any(paths.get(doc_id, path) != path for doc_id, path in held.iter_rows())


@task(name="publish", cache_policy=NO_CACHE)
def publish_task(out_dir: Path, staging: Path, snapshot_id: str, tables: dict[str, pl.DataFrame]) -> Path:
    for name, table in tables.items():
        writer.write_whole(staging, name, table)
    for name in PER_DOCUMENT_TABLES:
        writer.compact(staging, name, partial(canonical_order, name) if name in FILTER_ORDER else None)
    return writer.finish_snapshot(out_dir, snapshot_id)


def previous_rows(previous: Path | None, table: str, doc_ids: frozenset[str] | None = None,
                  columns: list[str] | None = None) -> pl.DataFrame:
    """A table of the published snapshot (empty before the first run), optionally some documents' rows."""
    if previous is None:
        frame = empty_table(TABLES[table]).select(columns or pl.all())
    else:
        frame = writer.read_table(previous, table, columns)
    return frame if doc_ids is None else rows_of(frame, doc_ids)


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
    clock = StageClock()
    versions = Versions(code=code_version(), text_rules=text_rules_version(reference_dir),
                        reference=reference_version(reference_dir))
    previous = writer.current_dir(out_dir)
    previous_manifest = previous_rows(previous, "manifest")

    listed, rejected = list_task(raw_dir, max_bytes, previous_manifest)
    unique_sources, duplicates = distinct_sources(listed)
    plan: Plan = plan_run(listed, previous_manifest, versions)
    staging = writer.begin_snapshot(out_dir, run_id)
    clock.lap("list")

    # New content is read and extracted in batches; content whose text is reused but whose
    # reference data changed is re-extracted from its stored text; the rest is reused as is.
    # Batches write their per-document tables straight into the unpublished snapshot.
    to_read = unique_sources.filter(~DOC_ID.is_in(sorted(plan.reuse_text)))
    first_seen = dict(previous_rows(previous, "documents", columns=["doc_id", "ingested_at"]).iter_rows())
    jobs = []
    for i in range(0, to_read.height, batch_size):
        part = to_read.slice(i, batch_size)
        seen = {d: first_seen[d] for d in doc_ids_of(part) if d in first_seen}
        jobs.append((source_batch_task, (raw_dir, part, reference_dir, started_at, seen, staging)))
    to_extract = sorted(plan.reuse_text - plan.reuse_extracted)
    if to_extract:
        located = {name: writer.part_index(previous, name) for name in TEXT_TABLES}
        for ids in stored_batches(to_extract, located["documents"], batch_size):
            parts = {name: sorted({where[d] for d in ids if d in where}) for name, where in located.items()}
            jobs.append((document_batch_task, (previous, ids, parts, reference_dir, staging)))

    fresh_ids: list[str] = []
    fresh_events, fresh_claims, rejected_parts = [], [], [rejected, duplicates]
    with api_shared_with_workers(), batch_progress(len(jobs)) as advance:
        for found in run_jobs(jobs):
            fresh_ids += found.doc_ids
            fresh_events.append(found.events)
            fresh_claims.append(found.claims)
            rejected_parts.append(found.rejected)
            advance()
    clock.lap("extract")
    invalid = {path for part in rejected_parts[2:] for path in part.filter(pl.col("reason") == "invalid")["source_path"]}
    invalid_ids = frozenset(doc_ids_of(unique_sources.filter(pl.col("source_path").is_in(sorted(invalid)))))
    keep_text, keep_extracted = plan.reuse_text - invalid_ids, plan.reuse_extracted - invalid_ids
    paths = dict(unique_sources.select(DOC_ID.alias("doc_id"), "source_path").iter_rows())
    carry_over_task(previous, staging, keep_text, keep_extracted, paths)
    clock.lap("carry over")

    # Cross-document steps read narrow projections of the events and claims, never the text.
    events = pl.concat([previous_rows(previous, "events", keep_extracted, list(CLUSTER_COLUMNS)), *fresh_events],
                       how="vertical_relaxed")
    claims = pl.concat([previous_rows(previous, "claims", keep_extracted, list(COMPETING_COLUMNS)), *fresh_claims],
                       how="vertical_relaxed")
    cross_document_task(staging, events, claims)
    clock.lap("cross-document")
    rejected = pl.concat(rejected_parts).unique("source_path", keep="first").sort("source_path")
    listed_paths = listed["source_path"].to_list()
    counts = {"seen": listed.height + rejected.filter(~pl.col("source_path").is_in(listed_paths)).height,
              "added": plan.added, "changed": plan.changed, "removed": plan.removed,
              "unchanged": plan.unchanged, "rejected": rejected.height}
    published = pl.DataFrame({"doc_id": sorted(keep_text | set(fresh_ids))}, schema={"doc_id": pl.String})
    whole = {
        "entities": TABLES["entities"].validate(load_reference(reference_dir).entities),
        "manifest": manifest(listed, published, rejected, versions),
        "rejected_sources": rejected.with_columns(pl.lit(run_id).alias("run_id")),
        "runs": pl.concat([previous_rows(previous, "runs"),
                           run_record(run_id, started_at, dt.datetime.now(dt.timezone.utc), "succeeded", counts,
                                      PIPELINE_VERSION)]),
    }
    publish_task(out_dir, staging, run_id, in_canonical_order(whole))
    clock.lap("publish")
    return {"run_id": run_id, "counts": counts, "rows": {name: writer.row_count(staging, name) for name in TABLES},
            "rejected": whole["rejected_sources"], "stages": clock.seconds}


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
                      rejected=result["rejected"], seconds=seconds, stages=result["stages"])
