"""Re-runs: only what changed is extracted, counts are right, tables stay consistent."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import duckdb
import polars as pl
import pytest

from conftest import ROOT, SAMPLES
from flows.lock import OutputBusy, output_lock
from flows.pipeline import run_pipeline

SAMPLE_FILES = sorted(p.name for p in SAMPLES.iterdir())


def table(out, name: str) -> pl.DataFrame:
    return pl.read_parquet(out / name / "*.parquet")


@pytest.fixture
def corpus(raw_dir):
    for name in SAMPLE_FILES[:3]:
        shutil.copy(SAMPLES / name, raw_dir / name)
    return raw_dir


def test_one_added_source_is_the_only_one_extracted(corpus, tmp_path):
    out = tmp_path / "out"
    first = run_pipeline(corpus, out)
    before = table(out, "mentions")
    shutil.copy(SAMPLES / SAMPLE_FILES[3], corpus / SAMPLE_FILES[3])
    summary = run_pipeline(corpus, out)
    ingested = dict(table(out, "documents").select("source_path", "ingested_at").iter_rows())
    old_runs = {p: t for p, t in ingested.items() if p != SAMPLE_FILES[3]}
    assert len(set(old_runs.values())) == 1 and ingested[SAMPLE_FILES[3]] > next(iter(old_runs.values()))
    assert first.run_id != summary.run_id
    assert (summary.counts["added"], summary.counts["unchanged"], summary.counts["changed"]) == (1, 3, 0)
    after = table(out, "mentions")
    new_doc = table(out, "documents").filter(pl.col("source_path") == SAMPLE_FILES[3])["doc_id"][0]
    assert after.filter(pl.col("doc_id") == new_doc).height > 0
    assert after.filter(pl.col("doc_id") != new_doc).equals(before)


def test_added_source_leaves_the_previous_parts_linked_not_rewritten(corpus, tmp_path):
    out = tmp_path / "out"
    run_pipeline(corpus, out)
    before = {(name, path.name): path.stat().st_ino for name in ("documents", "sentences", "mentions")
              for path in (out / name).glob("*.parquet")}
    shutil.copy(SAMPLES / SAMPLE_FILES[3], corpus / SAMPLE_FILES[3])
    run_pipeline(corpus, out)
    after = {(name, path.name): path.stat().st_ino for name in ("documents", "sentences", "mentions")
             for path in (out / name).glob("*.parquet")}
    assert before.items() <= after.items()
    assert len(after) == len(before) + 3


def test_new_alias_re_extracts_from_stored_text_without_re_reading(corpus, tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", reference)
    out = tmp_path / "out"
    run_pipeline(corpus, out, reference_dir=reference, batch_size=2)
    con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    name = con.execute("select surface_text from unresolved_mentions where entity_type = 'person' limit 1").fetchone()[0]
    con.close()
    text_parts = {(t, p.name): p.stat().st_ino for t in ("documents", "sentences") for p in (out / t).glob("*.parquet")}
    with open(reference / "entities.yaml", "a", encoding="utf-8") as entities:
        entities.write(f'  - {{id: rerun_test_person, name: "{name}", type: person, aliases: ["{name}"]}}\n')
    summary = run_pipeline(corpus, out, reference_dir=reference, batch_size=2)
    assert (summary.counts["added"], summary.counts["changed"], summary.counts["unchanged"]) == (0, 0, 3)
    assert {(t, p.name): p.stat().st_ino for t in ("documents", "sentences") for p in (out / t).glob("*.parquet")} == text_parts
    resolved = table(out, "mentions").filter(pl.col("surface_text") == name)["entity_id"].unique().to_list()
    assert resolved == ["rerun_test_person"]


def test_one_removed_and_one_changed_source(corpus, tmp_path):
    out = tmp_path / "out"
    run_pipeline(corpus, out)
    (corpus / SAMPLE_FILES[0]).unlink()
    changed = corpus / SAMPLE_FILES[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nA late correction was added.\n", encoding="utf-8")
    summary = run_pipeline(corpus, out)
    assert (summary.counts["removed"], summary.counts["changed"], summary.counts["unchanged"]) == (1, 1, 1)
    docs = table(out, "documents")
    assert sorted(docs["source_path"].to_list()) == sorted(SAMPLE_FILES[1:3])
    assert "late correction" in docs.filter(pl.col("source_path") == SAMPLE_FILES[1])["text"][0]
    kept = set(docs["doc_id"].to_list())
    for name in ("sentences", "mentions", "date_mentions"):
        assert set(table(out, name)["doc_id"].to_list()) <= kept, name


def test_renamed_source_keeps_its_doc_id(corpus, tmp_path):
    out = tmp_path / "out"
    run_pipeline(corpus, out)
    doc_ids = sorted(table(out, "documents")["doc_id"].to_list())
    (corpus / SAMPLE_FILES[0]).rename(corpus / "renamed.txt")
    summary = run_pipeline(corpus, out)
    assert (summary.counts["added"], summary.counts["removed"]) == (1, 1)
    assert sorted(table(out, "documents")["doc_id"].to_list()) == doc_ids
    assert "renamed.txt" in table(out, "documents")["source_path"].to_list()


def test_same_inputs_give_identical_tables_in_a_fresh_folder(corpus, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    run_pipeline(corpus, first)
    run_pipeline(corpus, second)
    for name in ("sentences", "mentions", "date_mentions", "events", "claims", "allegations", "entities"):
        assert table(first, name).equals(table(second, name)), name
    assert table(first, "documents").drop("ingested_at").equals(table(second, "documents").drop("ingested_at"))


def test_runs_view_keeps_every_run(corpus, tmp_path):
    out = tmp_path / "out"
    run_pipeline(corpus, out)
    run_pipeline(corpus, out)
    con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    rows = con.execute("select status, sources_seen, sources_added, sources_unchanged from runs order by started_at").fetchall()
    assert rows == [("succeeded", 3, 3, 0), ("succeeded", 3, 0, 3)]


def test_second_run_on_a_busy_folder_stops_with_a_clear_message(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time, pathlib; sys.path.insert(0, sys.argv[1]);"
        "from flows.lock import output_lock\n"
        "with output_lock(pathlib.Path(sys.argv[2])):\n"
        "    print('held', flush=True); time.sleep(30)"), str(ROOT), str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(OutputBusy, match="in use by a run"):
            with output_lock(tmp_path, wait_seconds=0.5):
                pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    with output_lock(tmp_path):  # the kernel freed the lock of the killed holder
        pass


def test_two_concurrent_runs_both_complete_without_corruption(corpus, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "flows", "run", "--raw", str(corpus), "--out", str(out), "--wait", "300"]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [r.communicate(timeout=600) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], results
    con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    assert con.execute("select count(*), count(distinct run_id) from runs").fetchone() == (2, 2)
    assert con.execute("select count(*) from documents").fetchone() == (3,)
