"""The documents table: title, byline, dateline, outlet, type and metadata sidecars."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from flows.cleaning import load_cleaning_rules
from flows.documents import documents

RULES = load_cleaning_rules()
RUN_AT = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


def cleaned(texts: dict[str, str], metadata: dict[str, dict] | None = None) -> pl.DataFrame:
    metadata = metadata or {}
    return pl.DataFrame({
        "source_path": list(texts),
        "size_bytes": [len(t) for t in texts.values()],
        "content_sha256": [f"{i:064x}" for i, _ in enumerate(texts, start=1)],
        "encoding": ["utf-8"] * len(texts),
        "text": list(texts.values()),
        "metadata_json": [json.dumps(metadata[p]) if p in metadata else None for p in texts],
        "footer_domain": [None] * len(texts),
    })


def one(text: str, metadata: dict | None = None) -> dict:
    docs, rejected = documents(cleaned({"a.txt": text}, {"a.txt": metadata} if metadata else None), RULES, RUN_AT)
    assert rejected.height == 0
    return docs.row(0, named=True)


@pytest.mark.parametrize(
    "text, title, published, authors",
    [
        ("Saturday, November 21, 2020\n\nBlast kills four in Zarqabad\n\nA bomb went off.", "Blast kills four in Zarqabad",
         dt.date(2020, 11, 21), []),
        ("Growth of the Zarqa Front\n\nDr Jane Roe\n\nSenior Fellow, Example Institute\n\n05 February 2018\n\nThe front grew.",
         "Growth of the Zarqa Front", dt.date(2018, 2, 5), ["Jane Roe"]),
        ("NEW DELHI: The Zarqa Front is also a proxy that is thriving under patronage.\n\nMore text.", None, None, []),
        ("Defeated at home, the Zarqa Front moves east\n\nThe front is creating a presence.", "Defeated at home, the Zarqa Front moves east",
         None, []),
        ("Raid in Zarqabad\n\nBy Omar Khan and Jane Roe\n\nPolice raided a house.", "Raid in Zarqabad", None, ["Omar Khan", "Jane Roe"]),
    ],
    ids=["dateline-before-title", "byline-affiliation-then-date", "no-title-for-dateline-lead", "no-dateline", "by-line"],
)
def test_header_gives_title_dateline_and_byline(text, title, published, authors):
    row = one(text)
    assert (row["title"], row["published_date"], row["authors"]) == (title, published, authors)
    assert row["published_date_source"] == ("text" if published else None)


def test_sidecar_fills_what_the_text_lacks_and_says_so():
    row = one("A headline\n\nBody text.", {"published_date": "2019-04-21", "outlet": "Example Times",
                                            "url": "https://example.org/a", "title": "Ignored: the text has one"})
    assert row["published_date"] == dt.date(2019, 4, 21)
    assert row["published_date_source"] == "metadata"
    assert (row["outlet"], row["url"], row["title"]) == ("Example Times", "https://example.org/a", "A headline")


def test_text_dateline_wins_over_sidecar_date():
    row = one("05 February 2018\n\nA headline\n\nBody.", {"published_date": "2019-04-21"})
    assert (row["published_date"], row["published_date_source"]) == (dt.date(2018, 2, 5), "text")


def test_sidecar_with_a_bad_date_is_rejected_not_dropped():
    docs, rejected = documents(cleaned({"a.txt": "Title\n\nBody."}, {"a.txt": {"published_date": "someday"}}), RULES, RUN_AT)
    assert docs.height == 0
    assert rejected["reason"].to_list() == ["invalid"]
    assert "someday" in rejected["detail"][0]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Title\n\nInterview with Jane Roe, a Fellow\n\nQ?", "interview"),
        ("Title\n\nWhy?\n\nBecause.\n\nHow?\n\nSo.\n\nWhen?\n\nSoon.", "interview"),
        ("Title\n\nBody.\n\n(Disclaimer: The views and opinions expressed in this article are those of the author)", "analysis"),
        ("Title\n\nPolice said four were killed. (Reuters)", "news"),
    ],
    ids=["interview-cue", "question-paragraphs", "disclaimer", "plain-news"],
)
def test_doc_type_from_cues(text, kind):
    assert one(text)["doc_type"] == kind


def test_outlet_from_closing_wire_credit():
    assert one("Title\n\nBody text, the author said. (IANS)")["outlet"] == "IANS"


def test_doc_id_derives_from_content_and_duplicates_are_rejected():
    frame = cleaned({"a.txt": "Same.", "b.txt": "Same."}).with_columns(pl.lit("f" * 64).alias("content_sha256"))
    docs, rejected = documents(frame, RULES, RUN_AT)
    assert docs["doc_id"].to_list() == ["f" * 16]
    assert docs["source_path"].to_list() == ["a.txt"]
    assert rejected.select("source_path", "reason").rows() == [("b.txt", "duplicate")]


@pytest.mark.parametrize(
    "text, published, outlet",
    [
        ("ZARQABAD, Pakistan, Feb 17, 2017 (AFP) - Security forces raided a camp.", dt.date(2017, 2, 17), "AFP"),
        ("ZARQABAD, Jan 30 (Reuters) - A bomber struck a mosque.", None, "Reuters"),
        ("Zarqabad, Feb 14 (PTI) At least 40 personnel were killed.", None, "PTI"),
        ("July 2, 2016\n\nZARQABAD (AP) — Gunmen stormed a cafe.", dt.date(2016, 7, 2), "AP"),
    ],
    ids=["wire-with-year", "wire-without-year-invents-none", "pti-without-dash", "date-line-and-wire"],
)
def test_wire_dateline_gives_date_only_with_a_year_and_the_agency(text, published, outlet):
    row = one(text)
    assert (row["published_date"], row["outlet"]) == (published, outlet)


def test_closing_dash_inside_a_word_is_not_a_credit():
    assert one("Title\n\nThey view Milad-un-Nabi processions as heretical.")["outlet"] is None


@pytest.mark.parametrize(
    "text, title, published, outlet",
    [
        ("DAWN\n\nFriday, January 11, 2013\n\nTwin blasts kill 81 in Zarqabad\n\nZARQABAD: Two blasts hit the city.",
         "Twin blasts kill 81 in Zarqabad", dt.date(2013, 1, 11), "DAWN"),
        ("Thu Nov 27, 2008 6:41am EST\n\nGunmen attack Zarqabad hotels\n\nZARQABAD, Nov 27 (Reuters) - Gunmen attacked.",
         "Gunmen attack Zarqabad hotels", dt.date(2008, 11, 27), "Reuters"),
        ("Published in Dawn, July 14th, 2018\n\nDeath toll in rally bombing climbs to 128\n\nZARQABAD: The toll rose.",
         "Death toll in rally bombing climbs to 128", dt.date(2018, 7, 14), None),
        ("Six terrorists killed in Zarqa raid\n\nDawn Report\n\nPublished August 24, 2021\n\nSecurity forces raided a hideout.",
         "Six terrorists killed in Zarqa raid", dt.date(2021, 8, 24), "Dawn Report"),
        ("Gunmen attack a team bus\n\nBy OMAR KHAN, Associated Press Writer\n\nZARQABAD, Pakistan (AP) March 3, 2009 - Gunmen attacked.",
         "Gunmen attack a team bus", dt.date(2009, 3, 3), "AP"),
    ],
    ids=["masthead-above-date", "timestamp-line", "published-in-line", "credit-line-after-title", "caps-byline-then-wire"],
)
def test_header_furniture_around_title_and_date(text, title, published, outlet):
    row = one(text)
    assert (row["title"], row["published_date"], row["outlet"]) == (title, published, outlet)


@pytest.mark.parametrize(
    "text, published",
    [
        ("Commandos end the siege\n\nDawn Report | Published October 11, 2009\n\nTroops stormed the building.", dt.date(2009, 10, 11)),
        ("Militants destroy two aircraft\n\nZarqabad, May 23, 2011\n\nMilitants attacked the base.", dt.date(2011, 5, 23)),
        ("Why the front keeps coming home\n\nAnalysis | 14 March 2023\n\nBy Jane Roe\n\nThe front grew.", dt.date(2023, 3, 14)),
    ],
    ids=["pipe-separated-credit", "place-before-date", "section-label-before-date"],
)
def test_date_lines_with_places_and_pipe_segments(text, published):
    assert one(text)["published_date"] == published


@pytest.mark.parametrize(
    "text, published",
    [
        ("Blast at the shrine\n\nZarqa Herald | Published October 11, 2009\n\nTroops stormed the building.", dt.date(2009, 10, 11)),
        ("Blast at the shrine\n\nThe Ostravia Times | Updated: 3 June 2015\n\nTroops stormed the building.", dt.date(2015, 6, 3)),
        ("Blast at the shrine\n\nOpinion | 14 March 2023\n\nThe front grew.", dt.date(2023, 3, 14)),
        ("Blast at the shrine\n\nNews | Port Vell | 14 March 2023 | 5 min read\n\nThe front grew.", dt.date(2023, 3, 14)),
        ("Blast at the shrine\n\nPort Vell, May 23, 2011\n\nMilitants attacked the base.", dt.date(2011, 5, 23)),
        ("Blast at the shrine\n\nNEW ZARQA, 14 March 2023\n\nMilitants attacked the base.", dt.date(2023, 3, 14)),
        ("Blast at the shrine\n\nZarqabad, Ostravia, May 23, 2011\n\nMilitants attacked the base.", dt.date(2011, 5, 23)),
        ("Blast at the shrine\n\nZarqabad, Tuesday, May 23, 2011 (ZNA)\n\nMilitants attacked the base.", dt.date(2011, 5, 23)),
    ],
    ids=["invented-outlet-published", "invented-outlet-updated", "label-day-month-year", "label-place-date-read-time",
         "invented-place-before-date", "caps-place-day-month-year", "place-and-country-before-date", "place-weekday-agency"],
)
def test_date_lines_generalise_to_any_outlet_label_and_place(text, published):
    assert one(text)["published_date"] == published


@pytest.mark.parametrize(
    "text",
    [
        "Blast at the shrine\n\nZarqabad, May 23, 2011. Militants attacked the base before dawn.",
        "Blast at the shrine\n\nPolice said, May 23, 2011\n\nMilitants attacked.",
        "Blast at the shrine\n\nThe attack in Zarqabad, which killed 40, happened on May 23, 2011\n\nMilitants attacked.",
        "Blast at the shrine\n\nOfficials | sources said the attack came on May 23, 2011 at dawn\n\nMilitants attacked.",
    ],
    ids=["dateline-then-body-sentence", "lowercase-words-before-date", "body-sentence-with-date", "pipe-in-a-sentence"],
)
def test_body_sentences_holding_a_date_are_not_date_lines(text):
    assert one(text)["published_date"] is None


@pytest.mark.parametrize(
    "line, published",
    [
        ("Updated: March 3, 2021 10:45 PM IST", dt.date(2021, 3, 3)),
        ("Updated - March 03, 2021 at 10:45 pm IST", dt.date(2021, 3, 3)),
        ("First published on: 03-03-2021 at 22:45 IST", dt.date(2021, 3, 3)),
        ("Updated: Wednesday, March 3, 2021, 10:45 [IST]", dt.date(2021, 3, 3)),
        ("Published 10:45 AM, 3 March 2021", dt.date(2021, 3, 3)),
        ("Published: 2021-03-03T10:45:00+05:30", dt.date(2021, 3, 3)),
        ("Updated 22:45 hrs, March 3, 2021", dt.date(2021, 3, 3)),
        ("Zarqa Herald | Updated: Mar 3, 2021, 4:52 AM GMT", dt.date(2021, 3, 3)),
        ("Published: March 3", None),
    ],
    ids=["updated-clock-zone", "updated-dash-at", "first-published-numeric", "weekday-bracketed-zone",
         "clock-before-date", "iso-timestamp", "hrs-clock-first", "outlet-pipe-updated", "no-year-no-date"],
)
def test_updated_and_published_timestamps_give_the_published_date(line, published):
    assert one(f"Blast at the Zarqa shrine\n\n{line}\n\nA bomb went off at the shrine.")["published_date"] == published


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("on Monday night", dt.date(2021, 3, 1)),
        ("yesterday", dt.date(2021, 3, 2)),
        ("last Sunday", dt.date(2021, 2, 28)),
        ("Tuesday's", dt.date(2021, 3, 2)),
    ],
)
def test_relative_dates_anchor_on_an_updated_timestamp(phrase, expected):
    from flows.dates import find_dates

    row = one(f"Blast at the Zarqa shrine\n\nUpdated: Wednesday, March 3, 2021, 10:45 [IST]\n\nA bomb went off {phrase} in Zarqabad.")
    (found,) = find_dates(row["text"][row["text"].index("A bomb"):], row["published_date"])
    assert found.date_start == expected and found.anchor == dt.date(2021, 3, 3)


@pytest.mark.parametrize(
    "text, title, published, outlet, authors",
    [
        # what this tests: a masthead above the headline, the byline and date coming after the headline
        ("ZarqaNews\n\nBlast at Kellin University kills 22, ZLF claims attack\n\nWritten by: Omar Khan\n\n3 Nov 2020\n\n"
         "The toll rose.", "Blast at Kellin University kills 22, ZLF claims attack", dt.date(2020, 11, 3), "ZarqaNews",
         ["Omar Khan"]),
        # what this tests: a masthead with a section label after " | "; the outlet is the name alone
        ("ZARQA CONFLICT MONITOR | ANALYSIS\n\nBorrowed banners: the ZLF in the hills\n\nJane Roe, Research Fellow\n\n"
         "19 July 2017\n\nThe front grew.", "Borrowed banners: the ZLF in the hills", dt.date(2017, 7, 19),
         "ZARQA CONFLICT MONITOR", ["Jane Roe"]),
        # what this tests: a subtitle under the headline, then a credit line and a "Published at <time>, <date> /
        # Last modified" line
        ("The Zarqa Star\n\nMilitants strike near Eid ground\n\n2 police, woman killed; ZLF claims attack\n\n"
         "Staff Correspondent, Kellin\n\nPublished at 12:00 AM, July 08, 2016 / Last modified: 03:15 AM, July 08, 2016\n\n"
         "Militants attacked a checkpoint.", "Militants strike near Eid ground", dt.date(2016, 7, 8), "The Zarqa Star", []),
        # what this tests: "Name | Published <date> Updated <date> <time>": the name is the author
        ("Toll climbs to 128\n\nOmar Khan | Published July 14, 2018 Updated July 14, 2018 11:52pm\n\nZARQABAD: The toll rose.",
         "Toll climbs to 128", dt.date(2018, 7, 14), None, ["Omar Khan"]),
        # what this tests: a short headline is no masthead, and an outlet segment of a date line is no author
        ("Kellin attack\n\nFour killed as gunmen storm a school in the hills\n\nThe Zarqa Times | July 8, 2016\n\n"
         "Gunmen stormed a school.", "Kellin attack", dt.date(2016, 7, 8), None, []),
    ],
    ids=["masthead-then-headline-then-byline", "masthead-section-label", "subtitle-credit-and-modified-line",
         "name-pipe-published-updated", "short-headline-not-masthead"],
)
def test_mastheads_subtitles_and_date_line_bylines(text, title, published, outlet, authors):
    row = one(text)
    assert (row["title"], row["published_date"], row["outlet"], row["authors"]) == (title, published, outlet, authors)
