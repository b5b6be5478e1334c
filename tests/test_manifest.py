"""Re-run planning: counts by path, reuse by content and versions."""

from __future__ import annotations

import polars as pl

from flows.manifest import Versions, distinct_sources, manifest, plan_run
from flows.schemas import Manifest, empty_table

V1 = Versions(code="c1", text_rules="t1", reference="r1")


def sources(**paths: str) -> pl.DataFrame:
    return pl.DataFrame({"source_path": [p.replace("__", ".") for p in paths],
                         "content_sha256": [c * 64 for c in paths.values()],
                         "size_bytes": [1] * len(paths), "modified_ns": [0] * len(paths)})


def previous(src: pl.DataFrame, versions: Versions = V1) -> pl.DataFrame:
    docs = pl.DataFrame({"doc_id": [s[:16] for s in src["content_sha256"]]})
    return manifest(src, docs, pl.DataFrame(schema={"source_path": pl.Utf8, "reason": pl.Utf8}), versions)


def test_first_run_adds_everything_and_reuses_nothing():
    plan = plan_run(sources(a__txt="1", b__txt="2"), empty_table(Manifest), V1)
    assert (plan.added, plan.changed, plan.removed, plan.unchanged) == (2, 0, 0, 0)
    assert plan.reuse_text == frozenset()


def test_unchanged_rerun_reuses_every_document():
    src = sources(a__txt="1", b__txt="2")
    plan = plan_run(src, previous(src), V1)
    assert (plan.added, plan.changed, plan.removed, plan.unchanged) == (0, 0, 0, 2)
    assert plan.reuse_extracted == {"1" * 16, "2" * 16}


def test_changed_removed_and_renamed_sources():
    before = sources(a__txt="1", b__txt="2", c__txt="3")
    now = sources(a__txt="9", b__txt="2", moved__txt="3")
    plan = plan_run(now, previous(before), V1)
    assert (plan.added, plan.changed, plan.removed, plan.unchanged) == (1, 1, 1, 1)
    assert plan.reuse_extracted == {"2" * 16, "3" * 16}  # the renamed file is recognised by content


def test_reference_change_keeps_text_but_re_extracts():
    src = sources(a__txt="1")
    plan = plan_run(src, previous(src), Versions(code="c1", text_rules="t1", reference="r2"))
    assert plan.reuse_text == {"1" * 16}
    assert plan.reuse_extracted == frozenset()


def test_code_change_re_extracts_everything():
    src = sources(a__txt="1")
    plan = plan_run(src, previous(src), Versions(code="c2", text_rules="t1", reference="r1"))
    assert plan.reuse_text == frozenset() and plan.reuse_extracted == frozenset()


def test_copies_keep_the_first_path():
    kept, dupes = distinct_sources(sources(b__txt="1", a__txt="1"))
    assert kept["source_path"].to_list() == ["a.txt"]
    assert dupes.select("source_path", "reason").rows() == [("b.txt", "duplicate")]
