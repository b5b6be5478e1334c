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


def mentions_of(doc_ids: list[str]) -> pl.DataFrame:
    """One valid mention row per document (an invented name at the start of its text)."""
    n = len(doc_ids)
    return pl.DataFrame({"doc_id": doc_ids, "sentence_idx": [0] * n, "char_start": [0] * n, "char_end": [5] * n,
                         "surface_text": ["Zarqa"] * n, "entity_id": [None] * n, "entity_type": ["armed_group"] * n,
                         "match_method": ["unresolved"] * n}, schema=empty_table(TABLES["mentions"]).schema)


def test_part_whose_documents_are_all_kept_is_linked_not_rewritten(tmp_path):
    old = publish.begin_snapshot(tmp_path, "a")
    publish.write_part(old, "mentions", mentions_of(["d1", "d2"]))
    publish.write_part(old, "mentions", mentions_of(["d3", "d4"]))
    new = publish.begin_snapshot(tmp_path, "b")
    publish.carry_over(old, new, "mentions", frozenset({"d1", "d2", "d3"}))
    files = {path.name: path for path in publish.table_files(new, "mentions")}
    linked = publish.part_name(["d1", "d2"])
    assert os.stat(files[linked]).st_ino == os.stat(old / "mentions" / linked).st_ino
    assert set(files) == {linked, publish.part_name(["d3"])}
    assert publish.read_rows(new, "mentions", ["d1", "d2", "d3", "d4"])["doc_id"].sort().to_list() == ["d1", "d2", "d3"]


def test_many_small_parts_are_merged_into_one(tmp_path):
    snapshot = publish.begin_snapshot(tmp_path, "a")
    for i in range(publish.MAX_SMALL_PARTS + 1):
        publish.write_part(snapshot, "mentions", mentions_of([f"d{i}"]))
    publish.compact(snapshot, "mentions", lambda frame: frame.sort("doc_id"))
    files = publish.table_files(snapshot, "mentions")
    assert len(files) == 1
    assert pl.read_parquet(files[0])["doc_id"].to_list() == sorted(f"d{i}" for i in range(publish.MAX_SMALL_PARTS + 1))


def test_merging_without_an_order_streams_the_parts_in_file_order(tmp_path):
    snapshot = publish.begin_snapshot(tmp_path, "a")
    written = [publish.write_part(snapshot, "mentions", mentions_of([f"d{i}", f"e{i}"]))
               for i in range(publish.MAX_SMALL_PARTS + 1)]
    expected = pl.concat([pl.read_parquet(path) for path in sorted(written)])
    publish.compact(snapshot, "mentions")
    files = publish.table_files(snapshot, "mentions")
    assert len(files) == 1 and pl.read_parquet(files[0]).equals(expected)


def test_few_small_parts_are_left_alone(tmp_path):
    snapshot = publish.begin_snapshot(tmp_path, "a")
    for i in range(3):
        publish.write_part(snapshot, "mentions", mentions_of([f"d{i}"]))
    publish.compact(snapshot, "mentions", lambda frame: frame)
    assert len(publish.table_files(snapshot, "mentions")) == 3


def test_table_without_rows_is_published_as_a_typed_empty_file(tmp_path):
    out = tmp_path / "out"
    publish.begin_snapshot(out, "20260101T000000000000Z-a")
    warehouse = publish.finish_snapshot(out, "20260101T000000000000Z-a")
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from mentions").fetchone() == (0,)


def test_rewriting_parts_keeps_unchanged_files_and_replaces_changed_ones(tmp_path):
    snapshot = publish.begin_snapshot(tmp_path, "a")
    changed = publish.write_part(snapshot, "mentions", mentions_of(["d1"]))
    unchanged = publish.write_part(snapshot, "mentions", mentions_of(["d2"]))
    inodes = {path: os.stat(path).st_ino for path in (changed, unchanged)}
    publish.rewrite_parts(snapshot, "mentions", lambda frame: frame.with_columns(
        pl.when(pl.col("doc_id") == "d1").then(pl.lit("person")).otherwise(pl.col("entity_type")).alias("entity_type")))
    assert os.stat(unchanged).st_ino == inodes[unchanged]
    assert os.stat(changed).st_ino != inodes[changed]
    assert pl.read_parquet(changed)["entity_type"].to_list() == ["person"]
