"""The writer: the only place the pipeline writes to the output folder.

Layout of OUT (the --out folder):

    OUT/.snapshots/<snapshot>/<table>/part-00000.parquet   every table of one run
    OUT/current -> .snapshots/<snapshot>                     swapped in one rename
    OUT/<table> -> current/<table>                           what BI tools and the views read
    OUT/warehouse.duckdb                                     one view per file of sql/

A run writes a complete new snapshot aside, then replaces the `current` link with one
atomic rename, so a reader (or a run killed at any moment) sees either the whole old set
of tables or the whole new one, never a mix. The warehouse file is rebuilt aside and
renamed over the old one too. The views read the Parquet through absolute paths, so they
answer whatever the working directory of the process that opens the warehouse.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl

from flows.schemas import TABLES, empty_table, polars_schema

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
SNAPSHOTS = ".snapshots"
CURRENT = "current"
WAREHOUSE = "warehouse.duckdb"
ROW_GROUP_SIZE = 100_000
_OUT_TOKEN = "{{ out_dir }}"
_MISSING_RELATION = re.compile(r"Table with name (\w+) does not exist|Catalog Error")


def snapshot_dir(out_dir: Path, snapshot_id: str) -> Path:
    return out_dir / SNAPSHOTS / snapshot_id


def current_dir(out_dir: Path) -> Path | None:
    """The published snapshot, or None before the first run."""
    link = out_dir / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def read_table(snapshot: Path, table: str) -> pl.DataFrame:
    """A table of a published snapshot in its model's columns and types (empty if absent).

    A snapshot written before a column was added gets that column as nulls; such rows are
    never reused for extraction (the code version changed) but the run history is kept.
    """
    schema = polars_schema(TABLES[table])
    files = sorted((snapshot / table).glob("*.parquet"))
    if not files:
        return empty_table(TABLES[table])
    found = pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed")
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
