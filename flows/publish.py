"""The writer: the only place the pipeline writes to the output folder.

Layout of OUT (the --out folder):

    OUT/.snapshots/<snapshot>/<table>/part-<key>.parquet   every table of one run, in parts
    OUT/current -> .snapshots/<snapshot>                     swapped in one rename
    OUT/<table> -> current/<table>                           what BI tools and the views read
    OUT/warehouse.duckdb                                     one view per file of sql/

A run writes a complete new snapshot aside, then replaces the `current` link with one
atomic rename, so a reader (or a run killed at any moment) sees either the whole old set
of tables or the whole new one, never a mix. The warehouse file is rebuilt aside and
renamed over the old one too. The views read the Parquet through absolute paths, so they
answer whatever the working directory of the process that opens the warehouse.

Tables of per-document rows are written in parts, one per extraction batch, named after
the documents they hold (`part-<hash of doc_ids>.parquet`): batch workers write their
parts straight into the unpublished snapshot, so no process holds the whole corpus; a
re-run hard-links the previous snapshot's parts whose documents are all kept, rewrites
only the parts that lost a document, and merges small parts into files of about 8 MB once
there are many of them, so neither a large first run nor a folder that grows one source
at a time leaves thousands of tiny files for BI tools to open.
Whole tables (events, claims, entities, manifest, runs, rejected_sources) are one file.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb
import polars as pl

from flows.schemas import TABLES, empty_table, polars_schema

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
SNAPSHOTS = ".snapshots"
CURRENT = "current"
WAREHOUSE = "warehouse.duckdb"
ROW_GROUP_SIZE = 100_000
WHOLE_TABLE = "part-00000.parquet"
SMALL_PART_BYTES = 4 * 2**20    # a part file smaller than this is small ...
MAX_SMALL_PARTS = 8             # ... and once a table has more small parts than this, they are merged
MERGED_PART_BYTES = 8 * 2**20   # into parts of about this size (a merge or rewrite holds one)
_OUT_TOKEN = "{{ out_dir }}"
_MISSING_RELATION = re.compile(r"Table with name (\w+) does not exist|Catalog Error")


def snapshot_dir(out_dir: Path, snapshot_id: str) -> Path:
    return out_dir / SNAPSHOTS / snapshot_id


def current_dir(out_dir: Path) -> Path | None:
    """The published snapshot, or None before the first run."""
    link = out_dir / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def read_table(snapshot: Path, table: str, columns: list[str] | None = None) -> pl.DataFrame:
    """A table of a published snapshot in its model's columns and types (empty if absent),
    or only the named `columns` of it (the text of documents is then never read).

    A snapshot written before a column was added gets that column as nulls; such rows are
    never reused for extraction (the code version changed) but the run history is kept.
    """
    schema = polars_schema(TABLES[table])
    if columns is not None:
        schema = pl.Schema({c: schema[c] for c in columns})
    files = sorted((snapshot / table).glob("*.parquet"))
    if not files:
        return pl.DataFrame(schema=schema)
    frames = []
    for f in files:
        present = [c for c in schema if c in pl.read_parquet_schema(f)]
        frames.append(pl.read_parquet(f, columns=present))
    found = pl.concat(frames, how="diagonal_relaxed")
    return found.select([pl.col(c).cast(t) if c in found.columns else pl.lit(None, dtype=t).alias(c)
                         for c, t in schema.items()])


def write_snapshot(out_dir: Path, snapshot_id: str, tables: dict[str, pl.DataFrame]) -> Path:
    """Write every table of TABLES under a new snapshot folder; nothing is visible yet."""
    return write_snapshot_over(out_dir, snapshot_id, None, tables)


def write_snapshot_over(out_dir: Path, snapshot_id: str, base: Path | None, tables: dict[str, pl.DataFrame]) -> Path:
    """A new snapshot that shares the unchanged tables of `base` (hard links) and writes `tables`."""
    target = snapshot_dir(out_dir, snapshot_id)
    if target.exists():
        shutil.rmtree(target)
    for name, model in TABLES.items():
        folder = target / name
        folder.mkdir(parents=True)
        files = sorted((base / name).glob("*.parquet")) if base is not None and name not in tables else []
        for file in files:
            os.link(file, folder / file.name)
        if not files:
            table = tables.get(name, empty_table(model))
            table.write_parquet(folder / "part-00000.parquet", compression="zstd", statistics=True,
                                row_group_size=ROW_GROUP_SIZE)
    return target


def part_name(doc_ids: Iterable[str]) -> str:
    """A part's file name, from the documents it holds: the same documents give the same name.

    >>> part_name(["b", "a"]) == part_name(["a", "b", "a"])
    True
    """
    digest = hashlib.sha256("\n".join(sorted(set(doc_ids))).encode()).hexdigest()[:16]
    return f"part-{digest}.parquet"


def _write_file(frame: pl.DataFrame, path: Path) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    frame.write_parquet(tmp, compression="zstd", statistics=True, row_group_size=ROW_GROUP_SIZE)
    os.replace(tmp, path)
    return path


def begin_snapshot(out_dir: Path, snapshot_id: str) -> Path:
    """An empty, unpublished snapshot folder with one folder per table."""
    target = snapshot_dir(out_dir, snapshot_id)
    if target.exists():
        shutil.rmtree(target)
    for name in TABLES:
        (target / name).mkdir(parents=True)
    return target


def table_files(snapshot: Path, table: str) -> list[Path]:
    return sorted((snapshot / table).glob("*.parquet"))


def write_part(snapshot: Path, table: str, frame: pl.DataFrame, batch: Iterable[str] | None = None) -> Path | None:
    """Write the rows of some documents as one part of a per-document table (nothing if no rows),
    named after the documents of its `batch` (default: those it holds), the same in every table."""
    if frame.is_empty():
        return None
    return _write_file(frame, snapshot / table / part_name(frame["doc_id"].to_list() if batch is None else batch))


def write_whole(snapshot: Path, table: str, frame: pl.DataFrame) -> Path:
    """Write a table that is rebuilt every run as its single file, replacing its parts."""
    for old in table_files(snapshot, table):
        old.unlink()
    return _write_file(frame, snapshot / table / WHOLE_TABLE)


def part_doc_ids(path: Path) -> set[str]:
    return set(pl.read_parquet(path, columns=["doc_id"])["doc_id"].to_list())


def carry_over(previous: Path, snapshot: Path, table: str, keep: frozenset[str],
               fix: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
               needs_fix: Callable[[Path], bool] | None = None) -> None:
    """Bring the rows of the documents in `keep` from the previous snapshot's parts.

    A part whose documents are all kept (and that `needs_fix` does not flag) is hard-linked,
    costing no I/O; any other part is read, filtered to the kept documents, passed through
    `fix` and written as a new part. Memory follows one part, not the table.
    """
    for path in table_files(previous, table):
        held = part_doc_ids(path)
        kept = held & keep
        if not kept:
            continue
        if kept == held and not (needs_fix and needs_fix(path)):
            os.link(path, snapshot / table / path.name)
            continue
        frame = pl.read_parquet(path).filter(pl.col("doc_id").is_in(sorted(kept)))
        write_part(snapshot, table, fix(frame) if fix else frame)


def part_index(snapshot: Path, table: str) -> dict[str, Path]:
    """doc_id -> the part of a per-document table that holds its rows (reads only the doc_id column)."""
    return {doc_id: path for path in table_files(snapshot, table) for doc_id in part_doc_ids(path)}


def read_rows(snapshot: Path, table: str, doc_ids: Iterable[str], files: Iterable[Path] | None = None) -> pl.DataFrame:
    """The rows of some documents from a snapshot's per-document table, read from `files`
    (the parts that hold them, see part_index) or else from every part."""
    wanted = sorted(set(doc_ids))
    paths = sorted(set(files)) if files is not None else table_files(snapshot, table)
    frames = [pl.read_parquet(path).filter(pl.col("doc_id").is_in(wanted)) for path in paths]
    return pl.concat([empty_table(TABLES[table]), *frames], how="vertical_relaxed")


def rewrite_parts(snapshot: Path, table: str, fix: Callable[[pl.DataFrame], pl.DataFrame],
                  columns: list[str] | None = None) -> None:
    """Pass every part of an unpublished snapshot's table through `fix`, validated with the
    table's model; a part that comes out unchanged keeps its file (and so its link).

    With `columns` (all that `fix` reads and writes), whether a part changes is decided on
    those columns alone, so an unchanged part is never read whole.
    """
    for path in table_files(snapshot, table):
        if columns is not None:
            narrow = pl.read_parquet(path, columns=columns)
            if fix(narrow).equals(narrow):
                continue
        frame = pl.read_parquet(path)
        fixed = fix(frame)
        if not fixed.equals(frame):
            _write_file(TABLES[table].validate(fixed), path)


def merge_groups(sizes: list[int], target: int) -> list[list[int]]:
    """Consecutive runs of parts (by position) whose sizes add up to about `target` each.

    >>> merge_groups([5, 5, 5, 5, 5], 10)
    [[0, 1], [2, 3], [4]]
    """
    groups: list[list[int]] = [[]]
    total = 0
    for i, size in enumerate(sizes):
        if groups[-1] and total + size > target:
            groups.append([])
            total = 0
        groups[-1].append(i)
        total += size
    return [g for g in groups if g]


def compact(snapshot: Path, table: str, order: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> None:
    """Merge a table's small parts once there are more than MAX_SMALL_PARTS of them, into
    parts of about MERGED_PART_BYTES each.

    Without `order` the parts are streamed one after another into the merged file (each part
    is sorted already), so a merge holds a row group, not the parts; with `order` (tables
    sorted for BI filters, such as events by date) the merged rows are sorted in memory.
    """
    small = [path for path in table_files(snapshot, table) if path.stat().st_size < SMALL_PART_BYTES]
    if len(small) <= MAX_SMALL_PARTS:
        return
    for group in merge_groups([path.stat().st_size for path in small], MERGED_PART_BYTES):
        paths = [small[i] for i in group]
        target = snapshot / table / part_name([d for path in paths for d in part_doc_ids(path)])
        if order is None:
            tmp = target.with_name(f".{target.name}.tmp")
            pl.scan_parquet(paths).sink_parquet(tmp, compression="zstd", statistics=True,
                                                row_group_size=ROW_GROUP_SIZE)
            os.replace(tmp, target)
        else:
            _write_file(order(pl.concat([pl.read_parquet(path) for path in paths], how="vertical_relaxed")), target)
        for path in paths:
            if path != target:
                path.unlink()


def row_count(snapshot: Path, table: str) -> int:
    files = table_files(snapshot, table)
    return pl.scan_parquet(files).select(pl.len()).collect().item() if files else 0


def finish_snapshot(out_dir: Path, snapshot_id: str) -> Path:
    """Publish a snapshot written part by part: a typed empty file for tables without rows,
    then the swap, the warehouse and the pruning of `publish`."""
    target = snapshot_dir(out_dir, snapshot_id)
    before = current_dir(out_dir)
    for name, model in TABLES.items():
        if not table_files(target, name):
            _write_file(empty_table(model), target / name / WHOLE_TABLE)
    swap_current(out_dir, snapshot_id)
    warehouse = write_warehouse(out_dir)
    prune_snapshots(out_dir, {snapshot_id} | ({before.name} if before else set()))
    return warehouse


def _replace_symlink(link: Path, target: str) -> None:
    """Point `link` at `target` atomically (a new link renamed over the old one)."""
    tmp = link.with_name(f".{link.name}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link) if link.is_dir() else link.unlink()
    os.replace(tmp, link)


def swap_current(out_dir: Path, snapshot_id: str) -> None:
    """Publish a written snapshot: one rename makes all its tables current together."""
    _replace_symlink(out_dir / CURRENT, f"{SNAPSHOTS}/{snapshot_id}")
    for name in TABLES:
        link = out_dir / name
        if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
            _replace_symlink(link, f"{CURRENT}/{name}")


def prune_snapshots(out_dir: Path, keep: set[str]) -> None:
    """Remove every snapshot but those named in `keep`: older ones and leftovers of killed runs."""
    root = out_dir / SNAPSHOTS
    if not root.is_dir():
        return
    for path in root.iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def view_sql(sql_dir: Path, out_dir: Path) -> dict[str, str]:
    """The view definitions of sql/, one per file named after the view, paths filled in."""
    absolute = out_dir.resolve().as_posix()
    return {path.stem: path.read_text(encoding="utf-8").replace(_OUT_TOKEN, absolute)
            for path in sorted(sql_dir.glob("*.sql"))}


def write_warehouse(out_dir: Path, sql_dir: Path = SQL_DIR) -> Path:
    """Build the DuckDB file of views aside, then rename it over the published one."""
    final = out_dir / WAREHOUSE
    tmp = out_dir / f".{WAREHOUSE}.tmp"
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        if leftover.exists():
            leftover.unlink()
    pending = view_sql(sql_dir, out_dir)
    con = duckdb.connect(str(tmp))
    try:
        # Views may read other views: create those whose inputs exist until none is left.
        while pending:
            progressed = False
            errors = {}
            for name, body in list(pending.items()):
                try:
                    con.execute(f"create or replace view {name} as\n{body.rstrip().rstrip(';')}")
                except duckdb.CatalogException as exc:
                    errors[name] = exc
                    continue
                del pending[name]
                progressed = True
            if not progressed:
                raise RuntimeError(f"views that cannot be created: {errors}")
    finally:
        con.close()
    os.replace(tmp, final)
    return final


def publish(out_dir: Path, snapshot_id: str, tables: dict[str, pl.DataFrame], *, keep_others: bool = False) -> Path:
    """Write a snapshot, make it current, rebuild the warehouse and drop stale snapshots.

    With keep_others, tables not given are carried over from the current snapshot
    (how a failed run is put on record without touching the data).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    before = current_dir(out_dir)
    write_snapshot_over(out_dir, snapshot_id, before if keep_others else None, tables)
    swap_current(out_dir, snapshot_id)
    warehouse = write_warehouse(out_dir)
    # Keep the snapshot just replaced: a slow reader may still be scanning it.
    prune_snapshots(out_dir, {snapshot_id} | ({before.name} if before else set()))
    return warehouse
