"""Discovering and reading the raw folder."""

from __future__ import annotations

import os

import polars as pl

from flows.sources import discover_sources, fingerprint_sources, orphan_sidecars, read_sources


def test_discovery_is_recursive_sorted_and_skips_dotfiles_and_sidecars(raw_dir):
    (raw_dir / "b").mkdir()
    (raw_dir / "b" / "z.txt").write_text("z")
    (raw_dir / "a.txt").write_text("a")
    (raw_dir / "a.txt.meta.json").write_text("{}")
    (raw_dir / ".gitkeep").write_text("")
    (raw_dir / "with space é.txt").write_text("s")
    found, rejected = discover_sources(raw_dir)
    assert found["source_path"].to_list() == ["a.txt", "b/z.txt", "with space é.txt"]
    assert rejected.height == 0


def test_link_outside_the_raw_folder_is_refused_not_followed(raw_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    os.symlink(secret, raw_dir / "link.txt")
    found, rejected = discover_sources(raw_dir)
    assert found.height == 0
    assert rejected.select("source_path", "reason").rows() == [("link.txt", "outside_raw")]


def test_too_large_source_is_rejected_with_the_limit(raw_dir):
    (raw_dir / "big.txt").write_text("x" * 100)
    found, rejected = discover_sources(raw_dir, max_bytes=10)
    assert found.height == 0
    assert rejected["reason"].to_list() == ["too_large"]
    assert "10" in rejected["detail"][0]


def test_read_sources_hashes_content_and_attaches_sidecar(raw_dir):
    (raw_dir / "a.txt").write_bytes(b"hello")
    (raw_dir / "a.meta.json").write_text('{"outlet": "X"}')
    found, _ = discover_sources(raw_dir)
    sources, rejected = read_sources(raw_dir, found)
    row = sources.row(0, named=True)
    assert row["content_sha256"] == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert row["metadata_json"] == '{"outlet": "X"}'
    assert rejected.height == 0


def test_sidecar_without_source_is_reported(raw_dir):
    (raw_dir / "lost.meta.json").write_text("{}")
    found, _ = discover_sources(raw_dir)
    assert orphan_sidecars(raw_dir, found)["source_path"].to_list() == ["lost.meta.json"]


def test_unchanged_file_keeps_its_known_hash_without_reading(raw_dir):
    (raw_dir / "a.txt").write_bytes(b"hello")
    found, _ = discover_sources(raw_dir)
    known = found.with_columns(pl.lit("k" * 64).alias("content_sha256"))
    listed, _ = fingerprint_sources(raw_dir, found, known)
    assert listed["content_sha256"].to_list() == ["k" * 64]  # trusted: same path, size and mtime
    (raw_dir / "a.txt").write_bytes(b"hello, world")
    found, _ = discover_sources(raw_dir)
    listed, _ = fingerprint_sources(raw_dir, found, known)
    assert listed["content_sha256"][0] != "k" * 64
