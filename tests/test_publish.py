"""The writer: snapshots swapped atomically, typed empty tables, views that answer anywhere."""

from __future__ import annotations

import os

import duckdb
import polars as pl

from flows import publish
from flows.schemas import TABLES, empty_table


def all_empty() -> dict[str, pl.DataFrame]:
    return {name: empty_table(model) for name, model in TABLES.items()}


def test_empty_tables_still_give_typed_views(tmp_path):
    out = tmp_path / "out"
    warehouse = publish.publish(out, "20260101T000000000000Z-aaaaaaaa", all_empty())
    con = duckdb.connect(str(warehouse), read_only=True)
    columns = dict(con.execute("select column_name, data_type from information_schema.columns "
                               "where table_name = 'events'").fetchall())
    assert columns["killed_low"] == "INTEGER"
    assert columns["perpetrator_names"] == "VARCHAR[]"
    assert columns["event_date_start"] == "DATE"
    assert con.execute("select count(*) from events").fetchone() == (0,)


def test_views_answer_from_another_working_directory(tmp_path, monkeypatch):
    out = tmp_path / "out"
    tables = all_empty()
    tables["rejected_sources"] = pl.DataFrame({"source_path": ["x.bin"], "reason": ["binary"], "detail": ["d"],
                                               "run_id": ["r"]})
    warehouse = publish.publish(out, "20260101T000000000000Z-aaaaaaaa", tables)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select source_path, reason from rejected_sources").fetchall() == [("x.bin", "binary")]


def test_new_snapshot_replaces_the_old_one_in_one_swap_and_old_ones_are_pruned(tmp_path):
    out = tmp_path / "out"
    for i, snapshot in enumerate(["20260101T000000000000Z-a", "20260102T000000000000Z-b", "20260103T000000000000Z-c"]):
        tables = all_empty()
        tables["rejected_sources"] = pl.DataFrame({"source_path": [f"s{i}"], "reason": ["empty"], "detail": ["d"],
                                                   "run_id": [snapshot]})
        publish.publish(out, snapshot, tables)
    assert os.readlink(out / "current") == ".snapshots/20260103T000000000000Z-c"
    assert sorted(p.name for p in (out / ".snapshots").iterdir()) == ["20260102T000000000000Z-b", "20260103T000000000000Z-c"]
    assert pl.read_parquet(out / "rejected_sources" / "*.parquet")["source_path"].to_list() == ["s2"]


def test_unfinished_snapshot_of_a_killed_run_is_never_current(tmp_path):
    out = tmp_path / "out"
    publish.publish(out, "20260101T000000000000Z-a", all_empty())
    publish.write_snapshot(out, "20260102T000000000000Z-b", all_empty())  # killed before the swap
    assert publish.current_dir(out).name == "20260101T000000000000Z-a"
    publish.publish(out, "20260103T000000000000Z-c", all_empty())
    assert publish.current_dir(out).name == "20260103T000000000000Z-c"
    assert not (out / ".snapshots" / "20260102T000000000000Z-b").exists()


def test_snapshot_from_before_a_new_column_still_reads(tmp_path):
    out = tmp_path / "out"
    tables = all_empty()
    tables["runs"] = pl.DataFrame({"run_id": ["r1"]})  # an old layout that lacks most columns
    publish.write_snapshot(out, "20260101T000000000000Z-a", tables)
    runs = publish.read_table(out / ".snapshots" / "20260101T000000000000Z-a", "runs")
    assert runs.columns == list(TABLES["runs"].to_schema().columns)
    assert runs["run_id"].to_list() == ["r1"] and runs["status"].to_list() == [None]
