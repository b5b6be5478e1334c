"""Decoding and cleaning: what the cleaned text keeps and drops."""

from __future__ import annotations

import polars as pl
import pytest

from flows.cleaning import SourceRejected, clean_text, cleaned_sources, decode, load_cleaning_rules

RULES = load_cleaning_rules()


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Title\n\nBody.\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *",
         "Title\n\nBody."),
        ("Title\n\nBody.\n\nSource link\n\nLeave a Response", "Title\n\nBody."),
        ("Body.\nAlso Watch:", "Body."),
        ("Same headline\n\nSame headline\n\nBody.", "Same headline\n\nBody."),
        ("the case of the student\n\n1 | www.example.org\n\nnamed Jane Roe, who left.", "the case of the student named Jane Roe, who left."),
        ("A  line\twith\u00a0odd   spaces.\r\nNext line.", "A line with odd spaces.\n\nNext line."),
        ("Ends a sentence.\n\nlowercase start stays apart? no: joined only after an unfinished line.",
         "Ends a sentence.\n\nlowercase start stays apart? no: joined only after an unfinished line."),
    ],
    ids=["reply-footer", "source-link", "also-watch", "repeated-title", "page-footer-joins-broken-paragraph",
         "whitespace-and-crlf", "finished-paragraph-not-joined"],
)
def test_clean_text_drops_boilerplate_and_normalises(raw, expected):
    assert clean_text(raw, RULES) == expected


@pytest.mark.parametrize(
    "content, text, encoding",
    [
        ("Caf\u00e9 \u201cquoted\u201d".encode("utf-8"), "Café “quoted”", "utf-8"),
        (b"\xef\xbb\xbf" + "Café".encode("utf-8"), "Café", "utf-8"),
        ("Café “q”".encode("utf-16"), "Café “q”", "utf-16"),
        ("It’s “smart”".encode("cp1252"), "It’s “smart”", "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "windows-1252-smart-quotes"],
)
def test_decode_reads_common_encodings(content, text, encoding):
    assert decode(content) == (text, encoding)


@pytest.mark.parametrize(
    "content, reason",
    [(b"", "empty"), (b"  \n\t ", "empty"), (b"%PDF-1.7 ...", "binary"), (b"abc\x00\x01def", "binary")],
    ids=["empty", "whitespace-only", "pdf", "nul-bytes"],
)
def test_decode_rejects_what_is_not_text(content, reason):
    with pytest.raises(SourceRejected) as caught:
        decode(content)
    assert caught.value.reason == reason


def test_cleaned_sources_keeps_good_rows_and_rejects_bad_ones():
    sources = pl.DataFrame({
        "source_path": ["good.txt", "empty.txt"],
        "size_bytes": [5, 0],
        "content": [b"Hello world.", b""],
        "content_sha256": ["a" * 64, "b" * 64],
        "metadata_json": [None, None],
    })
    cleaned, rejected = cleaned_sources(sources, RULES)
    assert cleaned["source_path"].to_list() == ["good.txt"]
    assert rejected.rows() == [("empty.txt", "empty", "the file is empty or holds only whitespace")]


def test_html_page_keeps_main_text_and_page_title():
    page = """<!DOCTYPE html><html><head><title>Blast hits market | Daily Example</title>
    <meta property="og:title" content="Blast hits market"><meta name="date" content="2021-03-04"></head>
    <body><nav>Home | World | Sport</nav><script>var x = 1;</script>
    <article><h1>Blast hits market</h1><p>A bomb exploded in a crowded market on Tuesday, killing four people,
    police said. The attack was the third this month in the province, officials added.</p>
    <p>No group has claimed responsibility for the bombing so far, according to local media reports.</p></article>
    <footer>Copyright Daily Example. All rights reserved.</footer></body></html>"""
    sources = pl.DataFrame({"source_path": ["page.html"], "size_bytes": [len(page)], "content": [page.encode()],
                            "content_sha256": ["c" * 64], "metadata_json": [None]})
    cleaned, rejected = cleaned_sources(sources, RULES)
    assert rejected.height == 0
    text = cleaned["text"][0]
    assert "A bomb exploded in a crowded market" in text
    assert "var x" not in text and "Home | World" not in text
    assert '"title": "Blast hits market' in cleaned["metadata_json"][0]
