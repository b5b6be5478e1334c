"""Where batches run does not change what is published: in-process, process pool, Dask."""

from __future__ import annotations

import polars as pl
import pytest

from conftest import SAMPLES
from flows.pipeline import run_pipeline

pytestmark = pytest.mark.e2e

COMPARED = ("documents", "sentences", "mentions", "date_mentions", "events", "event_mentions", "claims", "allegations",
            "manifest")


def published(out) -> dict[str, pl.DataFrame]:
    tables = {name: pl.read_parquet(out / name / "*.parquet") for name in COMPARED}
    tables["documents"] = tables["documents"].drop("ingested_at")
    return tables


@pytest.fixture(scope="module")
def in_process(tmp_path_factory):
    out = tmp_path_factory.mktemp("thread")
    run_pipeline(SAMPLES, out, runner="thread", batch_size=2)
    return published(out)


@pytest.mark.parametrize("runner", ["process", "dask"])
def test_runner_publishes_the_same_tables_as_in_process(runner, in_process, tmp_path):
    run_pipeline(SAMPLES, tmp_path / runner, runner=runner, workers=2, batch_size=2)
    other = published(tmp_path / runner)
    for name in COMPARED:
        assert other[name].equals(in_process[name]), name


def test_batch_size_does_not_change_what_is_published(in_process, tmp_path):
    """Clusters and competing claims span batches: one document per batch gives the same rows."""
    run_pipeline(SAMPLES, tmp_path / "one", runner="thread", batch_size=1)
    other = published(tmp_path / "one")
    for name in COMPARED:
        key = other[name].columns
        assert other[name].sort(key).equals(in_process[name].sort(key)), name
