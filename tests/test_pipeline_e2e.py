"""End to end: the real Prefect flow on the five samples, through the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import polars as pl
import pytest

from conftest import ROOT, SAMPLES
from flows.schemas import TABLES

pytestmark = pytest.mark.e2e

CONTRACT_VIEWS = ("documents", "entities", "mentions", "events", "claims", "allegations", "runs", "rejected_sources")


def run_cli(raw, out) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows", "run", "--raw", str(raw), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for path in sorted(SAMPLES.iterdir()):
        shutil.copy(path, raw / path.name)
    out = tmp_path_factory.mktemp("out")
    result = run_cli(raw, out)
    assert result.returncode == 0, result.stderr
    return raw, out, result


def query(out, sql: str) -> list[tuple]:
    con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_samples_become_five_documents_with_titles_and_datelines(published):
    _, out, result = published
    rows = dict(query(out, "select source_path, title from documents"))
    assert len(rows) == 5
    assert rows["000_ae4fd8eb66115026.txt"] == "No major increase in IS recruits from subcontinent: Expert"
    assert rows["004_7896003b2d4fef40.txt"] is None
    dates = dict(query(out, "select source_path, cast(published_date as varchar) from documents"))
    assert dates["000_ae4fd8eb66115026.txt"] == "2020-11-21"
    assert dates["002_15c6692f99b76633.txt"] == "2018-02-05"
    assert dates["001_49b91a3c095e540b.txt"] is None
    assert "5 seen, 5 added" in result.stdout


def test_every_contract_view_answers(published):
    _, out, _ = published
    for view in CONTRACT_VIEWS:
        assert query(out, f"select count(*) from {view}")[0][0] >= 0


def test_every_offset_points_at_its_words(published):
    _, out, _ = published
    bad = query(out, """
        select m.doc_id, m.surface_text from mentions m join documents d using (doc_id)
        where substr(d.text, m.char_start + 1, m.char_end - m.char_start) <> m.surface_text
        union all
        select s.doc_id, s.text from sentences s join documents d using (doc_id)
        where substr(d.text, s.char_start + 1, s.char_end - s.char_start) <> s.text
        union all
        select x.doc_id, x.date_text from date_mentions x join documents d using (doc_id)
        where substr(d.text, x.char_start + 1, x.char_end - x.char_start) <> x.date_text
    """)
    assert bad == []


def test_no_row_points_to_a_missing_document(published):
    _, out, _ = published
    for table in ("sentences", "mentions", "date_mentions", "events", "event_mentions", "claims", "allegations"):
        orphans = query(out, f"select count(*) from {table} where doc_id not in (select doc_id from documents)")
        assert orphans == [(0,)], table


def test_rerun_without_change_reports_nothing_new_and_leaves_tables_identical(published):
    raw, out, _ = published
    before = {name: pl.read_parquet(out / name / "*.parquet") for name in TABLES if name not in ("runs", "rejected_sources")}
    result = run_cli(raw, out)
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 changed, 0 removed, 5 unchanged" in result.stdout
    for name, table in before.items():
        assert pl.read_parquet(out / name / "*.parquet").equals(table), name
    assert query(out, "select count(*) from runs") == [(2,)]
