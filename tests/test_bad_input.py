"""Bad input: every source becomes a document or a rejection with a reason; the run goes on."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from conftest import SAMPLES
from flows.pipeline import run_pipeline

GOOD = sorted(p.name for p in SAMPLES.iterdir())[:2]
ARTICLE = ("Blast in Zarqabad\n\nA bomb exploded in a market in Zarqabad on Tuesday, killing four people, "
           "police said. No group claimed responsibility.\n")


def published(out) -> tuple[dict, dict]:
    con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    try:
        docs = dict(con.execute("select source_path, text from documents").fetchall())
        rejected = {p: (r, d) for p, r, d in con.execute("select source_path, reason, detail from rejected_sources").fetchall()}
    finally:
        con.close()
    return docs, rejected


def make_empty(raw):
    (raw / "empty.txt").write_bytes(b"")
    return "empty.txt"


def make_blank(raw):
    (raw / "blank.txt").write_text("  \n\t\n  ")
    return "blank.txt"


def make_binary(raw):
    (raw / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return "scan.pdf"


def make_nul_binary(raw):
    (raw / "blob.dat").write_bytes(bytes(range(256)) * 4)
    return "blob.dat"


def make_undecodable(raw):
    (raw / "garbled.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 200)
    return "garbled.txt"


def make_outside_link(raw):
    target = raw.parent / "outside.txt"
    target.write_text(ARTICLE)
    os.symlink(target, raw / "link.txt")
    return "link.txt"


def make_unreadable(raw):
    os.symlink(raw / "deleted since.txt", raw / "dangling.txt")  # a link whose file is gone
    return "dangling.txt"


def make_duplicate(raw):
    shutil.copy(SAMPLES / GOOD[0], raw / "copy of first.txt")
    return "copy of first.txt"


def make_bad_sidecar(raw):
    (raw / "dated.txt").write_text(ARTICLE)
    (raw / "dated.meta.json").write_text('{"published_date": "the other day"}')
    return "dated.txt"


@pytest.mark.parametrize(
    "make, reason",
    [
        (make_empty, "empty"),
        (make_blank, "empty"),
        (make_binary, "binary"),
        (make_nul_binary, "binary"),
        (make_undecodable, "encoding"),
        (make_outside_link, "outside_raw"),
        (make_unreadable, "unreadable"),
        (make_duplicate, "duplicate"),
        (make_bad_sidecar, "invalid"),
    ],
    ids=["empty", "whitespace-only", "pdf", "nul-bytes", "undecodable", "link-outside-raw", "unreadable", "duplicate",
         "bad-sidecar"],
)
def test_bad_source_is_rejected_with_its_reason_and_good_ones_are_published(make, reason, raw_dir, tmp_path):
    for name in GOOD:
        shutil.copy(SAMPLES / name, raw_dir / name)
    bad = make(raw_dir)
    summary = run_pipeline(raw_dir, tmp_path / "out")
    docs, rejected = published(tmp_path / "out")
    assert sorted(docs) == GOOD
    assert rejected[bad][0] == reason
    assert rejected[bad][1]  # a detail a person can act on
    assert summary.counts["rejected"] == 1


def test_too_large_source_is_rejected_under_the_configured_limit(raw_dir, tmp_path):
    (raw_dir / "small.txt").write_text(ARTICLE)
    (raw_dir / "huge.txt").write_text(ARTICLE * 50)
    run_pipeline(raw_dir, tmp_path / "out", max_bytes=len(ARTICLE) * 10)
    docs, rejected = published(tmp_path / "out")
    assert list(docs) == ["small.txt"]
    assert rejected["huge.txt"][0] == "too_large"


@pytest.mark.parametrize(
    "name, content",
    [
        ("utf8 bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode("utf-8")),
        ("utf16.txt", ARTICLE.encode("utf-16")),
        ("windows-1252 “quotes”.txt", ARTICLE.replace("police said", "\u201cpolice\u201d said").encode("cp1252")),
        ("latin1 é.txt", ARTICLE.replace("Zarqabad", "Zarqabäd").encode("latin-1")),
        ("crlf.txt", ARTICLE.replace("\n", "\r\n").encode("utf-8")),
    ],
    ids=["utf8-bom", "utf16-bom", "cp1252-smart-quotes", "latin1", "crlf"],
)
def test_readable_encodings_and_odd_file_names_become_documents(name, content, raw_dir, tmp_path):
    (raw_dir / name).write_bytes(content)
    run_pipeline(raw_dir, tmp_path / "out")
    docs, rejected = published(tmp_path / "out")
    assert rejected == {}
    text = docs[name]
    assert text.startswith("Blast in Zarq") and "\r" not in text and "\ufeff" not in text
    assert "killing four people" in text


def test_html_page_becomes_a_document_with_its_main_text(raw_dir, tmp_path):
    (raw_dir / "page.html").write_text(
        "<!DOCTYPE html><html><head><title>Blast in Zarqabad</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><script>track();</script>"
        f"<article><h1>Blast in Zarqabad</h1><p>{ARTICLE.splitlines()[2]}</p>"
        "<p>The market had been reopened only a week earlier after repairs, traders said.</p></article>"
        "<footer>All rights reserved.</footer></body></html>", encoding="utf-8")
    run_pipeline(raw_dir, tmp_path / "out")
    docs, rejected = published(tmp_path / "out")
    assert rejected == {}
    assert "killing four people" in docs["page.html"]
    assert "track()" not in docs["page.html"] and "Home" not in docs["page.html"]
