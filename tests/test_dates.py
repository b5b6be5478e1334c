"""Behaviour of the date resolver (flows/dates.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from flows.schemas import DateMentions, polars_schema
import pytest

from flows.dates import DateMention, date_mentions, find_dates, parse_full_date, resolve_date

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
D = date
PUB = D(2018, 2, 5)  # a Monday
SAT = D(2020, 11, 21)  # a Saturday

# (phrase, anchor, expected start, expected end, expected precision)
PHRASES = [
    # explicit days
    ("05 February 2018", None, D(2018, 2, 5), D(2018, 2, 5), "day"),
    ("Saturday, November 21, 2020", None, D(2020, 11, 21), D(2020, 11, 21), "day"),
    ("November 21, 2020", None, D(2020, 11, 21), D(2020, 11, 21), "day"),
    ("Feb. 5, 2018", None, D(2018, 2, 5), D(2018, 2, 5), "day"),
    ("Sept. 11, 2001", None, D(2001, 9, 11), D(2001, 9, 11), "day"),
    ("5th of November, 2019", None, D(2019, 11, 5), D(2019, 11, 5), "day"),
    ("the 1st of January 1990", None, D(1990, 1, 1), D(1990, 1, 1), "day"),
    ("May 15th, 2019", None, D(2019, 5, 15), D(2019, 5, 15), "day"),
    ("FEBRUARY 5, 2018", None, D(2018, 2, 5), D(2018, 2, 5), "day"),
    ("29 February 2016", None, D(2016, 2, 29), D(2016, 2, 29), "day"),
    ("2018-02-05", None, D(2018, 2, 5), D(2018, 2, 5), "day"),
    ("2014/12/16", None, D(2014, 12, 16), D(2014, 12, 16), "day"),
    ("16th December, 2014", None, D(2014, 12, 16), D(2014, 12, 16), "day"),
    ("16 Dec 2014", None, D(2014, 12, 16), D(2014, 12, 16), "day"),
    ("11/03/2016", None, D(2016, 11, 3), D(2016, 11, 3), "day"),
    ("13/03/2016", None, D(2016, 3, 13), D(2016, 3, 13), "day"),
    ("3/5/16", None, D(2016, 3, 5), D(2016, 3, 5), "day"),
    ("on 26 November 2008", None, D(2008, 11, 26), D(2008, 11, 26), "day"),
    # with a clock time: dateparser, fed only phrases the grammar does not know
    ("Feb 5th 2018 at 10am", None, D(2018, 2, 5), D(2018, 2, 5), "day"),
    ("Monday, 5 Feb 2018 10:30 IST", None, D(2018, 2, 5), D(2018, 2, 5), "day"),
    # months and years
    ("January 2015", None, D(2015, 1, 1), D(2015, 1, 31), "month"),
    ("Feb 2016", None, D(2016, 2, 1), D(2016, 2, 29), "month"),
    ("in February of 2016", None, D(2016, 2, 1), D(2016, 2, 29), "month"),
    ("mid-May 2019", None, D(2019, 5, 1), D(2019, 5, 31), "month"),
    ("summer 2019", None, D(2019, 6, 1), D(2019, 8, 31), "month"),
    ("in the fall of 2019", None, D(2019, 9, 1), D(2019, 11, 30), "month"),
    ("2014", None, D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("in 2014", PUB, D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("late 2014", PUB, D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("early 2015", None, D(2015, 1, 1), D(2015, 12, 31), "year"),
    ("mid-2015", None, D(2015, 1, 1), D(2015, 12, 31), "year"),
    ("the end of 2016", None, D(2016, 1, 1), D(2016, 12, 31), "year"),
    ("winter 2019", None, D(2019, 1, 1), D(2019, 12, 31), "year"),
    # decades
    ("the 1990s", None, D(1990, 1, 1), D(1999, 12, 31), "year"),
    ("in the 1980s", None, D(1980, 1, 1), D(1989, 12, 31), "year"),
    ("the late 1990s", None, D(1997, 1, 1), D(1999, 12, 31), "year"),
    ("the early 2000s", None, D(2000, 1, 1), D(2003, 12, 31), "year"),
    ("the '90s", None, D(1990, 1, 1), D(1999, 12, 31), "year"),
    # ranges
    ("between 3-5th August 2017", None, D(2017, 8, 3), D(2017, 8, 5), "day"),
    ("3 to 5 August 2017", None, D(2017, 8, 3), D(2017, 8, 5), "day"),
    ("3 to 5 August", PUB, D(2017, 8, 3), D(2017, 8, 5), "day"),
    ("August 3-5, 2017", None, D(2017, 8, 3), D(2017, 8, 5), "day"),
    ("May 3 to June 5, 2019", None, D(2019, 5, 3), D(2019, 6, 5), "day"),
    ("3 May to 5 June 2019", None, D(2019, 5, 3), D(2019, 6, 5), "day"),
    ("from May to July 2019", None, D(2019, 5, 1), D(2019, 7, 31), "month"),
    ("December 2018 to March 2019", None, D(2018, 12, 1), D(2019, 3, 31), "month"),
    ("between December 2018 and March 2019", None, D(2018, 12, 1), D(2019, 3, 31), "month"),
    ("2014-2016", None, D(2014, 1, 1), D(2016, 12, 31), "year"),
    ("2014–16", None, D(2014, 1, 1), D(2016, 12, 31), "year"),
    ("(2014-15)", None, D(2014, 1, 1), D(2015, 12, 31), "year"),
    ("Dec 16-17", D(2015, 1, 1), D(2014, 12, 16), D(2014, 12, 17), "day"),
    ("between 2 and 4 March 2019", None, D(2019, 3, 2), D(2019, 3, 4), "day"),
    ("between 2014 and 2016", None, D(2014, 1, 1), D(2016, 12, 31), "year"),
    ("from 2014 to 2016", None, D(2014, 1, 1), D(2016, 12, 31), "year"),
    # open ranges: start known, end open
    ("since 2016", None, D(2016, 1, 1), None, "year"),
    ("since May 2016", None, D(2016, 5, 1), None, "month"),
    ("ever since 2001", None, D(2001, 1, 1), None, "year"),
    ("Beginning in 2016", None, D(2016, 1, 1), None, "year"),
    ("from 2016 onwards", None, D(2016, 1, 1), None, "year"),
    # yearless: anchor's year, moved back for past events
    ("May 11", D(2019, 6, 1), D(2019, 5, 11), D(2019, 5, 11), "day"),
    ("on May 15", D(2019, 3, 1), D(2018, 5, 15), D(2018, 5, 15), "day"),
    ("15 May", D(2019, 6, 1), D(2019, 5, 15), D(2019, 5, 15), "day"),
    ("the 15th of May", D(2019, 6, 1), D(2019, 5, 15), D(2019, 5, 15), "day"),
    ("March 3rd", D(2019, 6, 1), D(2019, 3, 3), D(2019, 3, 3), "day"),
    ("in March", D(2019, 6, 1), D(2019, 3, 1), D(2019, 3, 31), "month"),
    ("last May", D(2019, 3, 1), D(2018, 5, 1), D(2018, 5, 31), "month"),
    ("May 11", None, None, None, None),
    # relative to the anchor
    ("on Monday", SAT, D(2020, 11, 16), D(2020, 11, 16), "day"),
    ("on Monday", D(2020, 11, 16), D(2020, 11, 16), D(2020, 11, 16), "day"),
    ("last Monday", D(2020, 11, 16), D(2020, 11, 9), D(2020, 11, 9), "day"),
    ("Tuesday", PUB, D(2018, 1, 30), D(2018, 1, 30), "day"),
    ("on Friday night", SAT, D(2020, 11, 20), D(2020, 11, 20), "day"),
    ("yesterday", SAT, D(2020, 11, 20), D(2020, 11, 20), "day"),
    ("today", SAT, D(2020, 11, 21), D(2020, 11, 21), "day"),
    ("last night", SAT, D(2020, 11, 20), D(2020, 11, 20), "day"),
    ("this morning", SAT, D(2020, 11, 21), D(2020, 11, 21), "day"),
    ("over the weekend", PUB, D(2018, 2, 3), D(2018, 2, 4), "day"),
    ("last weekend", SAT, D(2020, 11, 14), D(2020, 11, 15), "day"),
    ("this weekend", PUB, D(2018, 2, 10), D(2018, 2, 11), "day"),
    ("last month", PUB, D(2018, 1, 1), D(2018, 1, 31), "month"),
    ("last year", PUB, D(2017, 1, 1), D(2017, 12, 31), "year"),
    ("earlier this year", SAT, D(2020, 1, 1), D(2020, 12, 31), "year"),
    ("this month", SAT, D(2020, 11, 1), D(2020, 11, 30), "month"),
    ("next year", PUB, D(2019, 1, 1), D(2019, 12, 31), "year"),
    ("last week", SAT, D(2020, 11, 9), D(2020, 11, 15), "day"),
    ("this week", PUB, D(2018, 2, 5), D(2018, 2, 11), "day"),
    ("three days ago", PUB, D(2018, 2, 2), D(2018, 2, 2), "day"),
    ("two years ago", PUB, D(2016, 1, 1), D(2016, 12, 31), "year"),
    ("a month ago", PUB, D(2018, 1, 1), D(2018, 1, 31), "month"),
    ("a decade ago", PUB, D(2008, 1, 1), D(2008, 12, 31), "year"),
    ("since last year", PUB, D(2017, 1, 1), None, "year"),
    ("last month", None, None, None, None),
    ("on Monday", None, None, None, None),
    # named days
    ("Easter Sunday 2017", None, D(2017, 4, 16), D(2017, 4, 16), "day"),
    ("Easter 2017", None, D(2017, 4, 16), D(2017, 4, 16), "day"),
    ("Easter Sunday", D(2019, 5, 20), D(2019, 4, 21), D(2019, 4, 21), "day"),
    ("Easter Sunday", D(2019, 4, 1), D(2018, 4, 1), D(2018, 4, 1), "day"),
    ("Easter Church Service (2017)", None, D(2017, 4, 16), D(2017, 4, 16), "day"),
    ("Good Friday 2016", None, D(2016, 3, 25), D(2016, 3, 25), "day"),
    ("Christmas 2019", None, D(2019, 12, 25), D(2019, 12, 25), "day"),
    ("Christmas", PUB, D(2017, 12, 25), D(2017, 12, 25), "day"),
    ("Eid al-Fitr 2019", None, D(2019, 6, 4), D(2019, 6, 4), "day"),
    ("Eid-ul-Fitr", PUB, D(2017, 6, 25), D(2017, 6, 25), "day"),
    ("Eid al-Adha 2019", None, D(2019, 8, 11), D(2019, 8, 11), "day"),
    ("Ramadan 2019", None, D(2019, 5, 6), D(2019, 6, 3), "day"),
    ("during Ramadan", PUB, D(2017, 5, 27), D(2017, 6, 24), "day"),
    ("Diwali 2019", None, D(2019, 10, 27), D(2019, 10, 27), "day"),
    ("Holi", D(2019, 5, 1), D(2019, 3, 21), D(2019, 3, 21), "day"),
    ("9/11", None, D(2001, 9, 11), D(2001, 9, 11), "day"),
    ("26/11", None, D(2008, 11, 26), D(2008, 11, 26), "day"),
    ("Easter Sunday", None, None, None, None),
    # vague: kept, never dated
    ("recently", PUB, None, None, None),
    ("in recent months", PUB, None, None, None),
    ("in the past few months", PUB, None, None, None),
    ("over the past two years", PUB, None, None, None),
    ("in the last year", PUB, None, None, None),
    ("Decades ago", PUB, None, None, None),
    ("the 3rd", PUB, None, None, None),
    ("years later", PUB, None, None, None),
]


@pytest.mark.parametrize(("phrase", "anchor", "start", "end", "precision"), PHRASES)
def test_phrase_table_resolves_to_expected_span(phrase, anchor, start, end, precision):
    m = resolve_date(phrase, anchor)
    assert (m.date_start, m.date_end, m.precision) == (start, end, precision)
    assert phrase[m.char_start : m.char_end] == m.date_text


def test_phrase_table_is_large():
    assert len(PHRASES) >= 60


def test_relative_monday_resolves_against_dateline():
    m = resolve_date("on Monday", SAT)
    assert (m.date_start, m.anchor, m.kind) == (D(2020, 11, 16), SAT, "relative")


def test_future_weekday_is_after_anchor():
    m = resolve_date("on Monday", SAT, is_past=False)
    assert m.date_start == D(2020, 11, 23)


def test_yearless_without_anchor_keeps_text_and_no_year():
    m = resolve_date("May 11", None)
    assert (m.date_text, m.date_start, m.precision, m.kind) == ("May 11", None, None, "yearless")


def test_yearless_future_event_moves_forward():
    m = resolve_date("May 11", D(2019, 6, 1), is_past=False)
    assert m.date_start == D(2020, 5, 11)


def test_since_is_an_open_range():
    m = resolve_date("since 2016", D(2018, 1, 1))
    assert (m.date_start, m.date_end, m.precision, m.kind) == (D(2016, 1, 1), None, "year", "open_range")


def test_a_year_later_takes_year_precision_from_previous_month():
    previous = resolve_date("February 2016", None)
    m = resolve_date("a year later", None, previous=previous)
    assert (m.date_start, m.date_end, m.precision, m.anchor) == (D(2017, 1, 1), D(2017, 12, 31), "year", D(2016, 2, 1))


def test_next_day_after_a_year_is_unresolved():
    previous = resolve_date("2016", None)
    assert resolve_date("the next day", None, previous=previous).date_start is None


def test_two_months_later_keeps_month_precision():
    previous = resolve_date("February 2016", None)
    m = resolve_date("two months later", None, previous=previous)
    assert (m.date_start, m.precision) == (D(2016, 4, 1), "month")


def test_day_first_flag_swaps_numeric_dates():
    assert resolve_date("11/03/2016", None, day_first=True).date_start == D(2016, 3, 11)
    assert resolve_date("05/02/2018 10:30", None, day_first=True).date_start == D(2018, 2, 5)


def test_resolve_date_offsets_index_the_phrase():
    phrase = "  in 2014. "
    m = resolve_date(phrase, None)
    assert phrase[m.char_start : m.char_end] == m.date_text == "in 2014"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saturday, November 21, 2020", D(2020, 11, 21)),
        ("05 February 2018", D(2018, 2, 5)),
        ("2018-02-05", D(2018, 2, 5)),
        ("Feb. 5, 2018", D(2018, 2, 5)),
        ("  November 21, 2020 \n", D(2020, 11, 21)),
        ("January 2015", None),
        ("2018", None),
        ("on Monday", None),
        ("Published on 05 February 2018 by CAPS", None),
        ("31 February 2018", None),
        ("", None),
    ],
)
def test_parse_full_date_accepts_only_a_whole_explicit_day(text, expected):
    assert parse_full_date(text) == expected


# ---------------------------------------------------------------------------
# find_dates on running text


def _texts(text: str, anchor: date | None = None) -> list[str]:
    return [m.date_text for m in find_dates(text, anchor)]


@pytest.mark.parametrize(
    "text",
    [
        "We may indeed see a greater use of the tactic.",
        "It may be much harder for them to do so.",
        "Supporters will March on Islamabad.",
        "The talks lasted 10 days and three years of planning followed.",
        "The meeting started at 3 pm and ended at 5.30 pm.",
        "the case of the 20-year-old medical student",
        "a webinar on the occasion of the 45th UN General Assembly",
        "70% of the terrorists, some 2,000 fighters and 300 others",
        "The group has 2000 fighters and Rs 1500 crore.",
        "A force of 2000 men was deployed.",
        "It was the 3rd attack and the 21st bombing.",
        "Islamic State: 2.0 and version 3.5.16",
        "He paid $2014 for the flight.",
        "The Sunday Times and Bloody Sunday coverage",
    ],
)
def test_find_dates_ignores_false_dates(text):
    assert _texts(text, PUB) == []


def test_find_dates_decade_later_chains_on_previous_date():
    found = find_dates("In early January 2017 it began. A decade later, the group returned.", None)
    assert (found[-1].date_text, found[-1].date_start, found[-1].precision) == ("A decade later", D(2027, 1, 1), "year")


def test_find_dates_month_and_weekday_names_inside_names_are_not_dates():
    text = "Theresa May visited. The Sunday Guardian reported it; Bloody Sunday is remembered."
    assert _texts(text, PUB) == []


def test_find_dates_window_prefilter_matches_full_scan(monkeypatch):
    import flows.dates as dates

    text = "\n".join((RAW / name).read_text(encoding="utf-8") for name in sorted(p.name for p in RAW.iterdir()))
    text += " Then ".join(phrase for phrase, *_ in PHRASES)
    fast = find_dates(text, PUB)
    every_kind = frozenset({"digit", "year", "month", "weekday", "unit", "day_word", "named"})
    monkeypatch.setattr(dates, "_windows", lambda t: [(0, len(t), every_kind)])
    assert find_dates(text, PUB) == fast


def test_find_dates_chains_a_year_later_on_previous_date():
    text = "As far back as February 2016, the bureau warned. Concern resurfaced a year later after a bombing."
    found = find_dates(text, None)
    assert [m.date_text for m in found] == ["February 2016", "a year later"]
    assert (found[1].date_start, found[1].precision) == (D(2017, 1, 1), "year")


def test_later_counts_from_the_end_of_a_range():
    found = find_dates("Attacks rose from 2014 to 2016. A year later they fell; two years earlier, calm.", None)
    assert [(m.date_text, m.date_start) for m in found] == [
        ("from 2014 to 2016", D(2014, 1, 1)),
        ("A year later", D(2017, 1, 1)),
        ("two years earlier", D(2015, 1, 1)),
    ]


def test_find_dates_vague_mention_does_not_break_the_chain():
    text = "In 2015 the group formed. It recently grew. The following year it split."
    found = find_dates(text, None)
    assert [(m.date_text, m.kind) for m in found] == [
        ("2015", "explicit"),
        ("recently", "vague"),
        ("The following year", "relative"),
    ]
    assert found[2].date_start == D(2016, 1, 1)


def test_find_dates_offsets_match_text():
    text = (RAW / "002_15c6692f99b76633.txt").read_text(encoding="utf-8")
    found = find_dates(text, PUB)
    assert found
    assert all(text[m.char_start : m.char_end] == m.date_text for m in found)
    assert [m.char_start for m in found] == sorted(m.char_start for m in found)


def test_find_dates_year_needs_date_context():
    assert _texts("Some 2000 fighters joined in 2014 and left (2017).") == ["2014", "2017"]
    assert _texts("the 2008 Mumbai attacks") == ["2008"]


def test_find_dates_year_after_of_needs_a_time_word():
    text = "In the first half of 2019 attacks rose; as of 2020, a force of 2000 men; the 2019 general elections."
    assert _texts(text) == ["2019", "2020", "2019"]


def test_find_dates_year_lists_are_all_years():
    assert _texts("Attacks peaked in 2014, 2015 and 2016 fighters left.") == ["2014", "2015", "2016"]


def test_find_dates_never_spans_a_line_break():
    assert _texts("It ended in November\n21, 2020 was calm.\nIn\n2014 x.") == ["November"]


def test_find_dates_since_widens_to_open_range():
    found = find_dates("The two countries have been cooperating since 2016, adding that", None)
    assert [(m.date_text, m.date_start, m.date_end, m.kind) for m in found] == [
        ("since 2016", D(2016, 1, 1), None, "open_range")
    ]


def test_find_dates_future_context_moves_yearless_forward():
    found = find_dates("Talks will resume on May 11.", D(2019, 6, 1))
    assert found[0].date_start == D(2020, 5, 11)


def _by_text(found: list[DateMention]) -> dict[str, DateMention]:
    return {m.date_text: m for m in found}


def test_sample_000_monday_and_month():
    text = (RAW / "000_ae4fd8eb66115026.txt").read_text(encoding="utf-8")
    found = _by_text(find_dates(text, SAT))
    assert (found["on Monday"].date_start, found["on Monday"].precision) == (D(2020, 11, 16), "day")
    assert (found["January 2015"].date_start, found["January 2015"].precision) == (D(2015, 1, 1), "month")
    assert found["Decades ago"].date_start is None
    assert "may" not in {t.lower() for t in found}


def test_sample_001_without_dateline():
    text = (RAW / "001_49b91a3c095e540b.txt").read_text(encoding="utf-8")
    found = _by_text(find_dates(text, None))
    for text_ in ("May 11", "May 15", "May 16"):
        assert (found[text_].date_start, found[text_].kind) == (None, "yearless")
    assert (found["February 2016"].date_start, found["February 2016"].precision) == (D(2016, 2, 1), "month")
    assert (found["a year later"].date_start, found["a year later"].precision) == (D(2017, 1, 1), "year")
    assert found["last month"].date_start is None
    assert (found["since 2016"].date_start, found["since 2016"].kind) == (D(2016, 1, 1), "open_range")
    assert found["1947"].precision == "year"


def test_sample_002_think_tank_dates():
    text = (RAW / "002_15c6692f99b76633.txt").read_text(encoding="utf-8")
    found = find_dates(text, PUB)
    spans = {(m.date_text, m.date_start, m.date_end, m.precision) for m in found}
    assert ("2014", D(2014, 1, 1), D(2014, 12, 31), "year") in spans
    assert ("late 2014", D(2014, 1, 1), D(2014, 12, 31), "year") in spans
    assert ("2015", D(2015, 1, 1), D(2015, 12, 31), "year") in spans
    assert ("between 3-5th August 2017", D(2017, 8, 3), D(2017, 8, 5), "day") in spans
    assert ("Easter Church Service (2017)", D(2017, 4, 16), D(2017, 4, 16), "day") in spans
    assert ("Beginning in 2016", D(2016, 1, 1), None, "year") in spans
    assert ("last year", D(2017, 1, 1), D(2017, 12, 31), "year") in spans
    assert not any("20-year" in m.date_text for m in found)


def test_sample_004_formation_year():
    text = (RAW / "004_7896003b2d4fef40.txt").read_text(encoding="utf-8")
    assert [(m.date_text, m.date_start) for m in find_dates(text, None)] == [("2015", D(2015, 1, 1))]


# ---------------------------------------------------------------------------
# date_mentions


def test_date_mentions_links_sentences_and_keeps_inputs():
    text = "On Monday police raided a house. In 2014 the group formed. Nothing here."
    documents = pl.DataFrame(
        {"doc_id": ["b", "a"], "text": [text, "Recently, May 11."], "published_date": [SAT, None]},
        schema={"doc_id": pl.String, "text": pl.String, "published_date": pl.Date},
    )
    sentences = pl.DataFrame(
        {
            "doc_id": ["b", "b", "b", "a"],
            "sentence_idx": [0, 1, 2, 0],
            "char_start": [0, 33, 59, 0],
            "char_end": [32, 58, 72, 17],
        }
    )
    before = (documents.clone(), sentences.clone())
    out = date_mentions(documents, sentences)
    assert documents.equals(before[0]) and sentences.equals(before[1])
    assert out.schema == polars_schema(DateMentions)
    assert out.select("doc_id", "sentence_idx", "date_text", "date_start", "date_kind").rows() == [
        ("a", 0, "Recently", None, "vague"),
        ("a", 0, "May 11", None, "yearless"),
        ("b", 0, "On Monday", D(2020, 11, 16), "relative"),
        ("b", 1, "2014", D(2014, 1, 1), "explicit"),
    ]


def test_date_mentions_leaves_out_dates_outside_every_sentence():
    documents = pl.DataFrame(
        {"doc_id": ["d"], "text": ["In 2014 it began. In 2015 it grew."], "published_date": [None]},
        schema={"doc_id": pl.String, "text": pl.String, "published_date": pl.Date},
    )
    sentences = pl.DataFrame({"doc_id": ["d"], "sentence_idx": [1], "char_start": [18], "char_end": [34]})
    assert date_mentions(documents, sentences).select("sentence_idx", "date_text").rows() == [(1, "2015")]


def test_date_mentions_honours_day_first_and_empty_input():
    documents = pl.DataFrame(
        {"doc_id": ["x"], "text": ["Filed 11/03/2016."], "published_date": [None], "day_first": [True]},
        schema={"doc_id": pl.String, "text": pl.String, "published_date": pl.Date, "day_first": pl.Boolean},
    )
    sentences = pl.DataFrame(
        {"doc_id": ["x"], "sentence_idx": [0], "char_start": [0], "char_end": [17]},
    )
    assert date_mentions(documents, sentences)["date_start"].to_list() == [D(2016, 3, 11)]
    assert date_mentions(documents.clear(), sentences.clear()).height == 0


# ---------------------------------------------------------------------------
# weekdays written as possessives, "that year", yearless dates without an anchor


@pytest.mark.parametrize(
    "text, date_text, expected",
    [
        ("Last Sunday's attack on the Zarqa market killed four.", "Last Sunday", D(2020, 11, 15)),
        ("Wednesday’s bombing in Zarqabad was claimed.", "Wednesday", D(2020, 11, 18)),
        ("Monday evening's blast wounded six.", "Monday evening", D(2020, 11, 16)),
        ("Gunmen struck the convoy on Monday night.", "on Monday night", D(2020, 11, 16)),
        ("Yesterday the Zarqa Front denied it.", "Yesterday", D(2020, 11, 20)),
    ],
)
def test_weekdays_and_day_words_resolve_against_the_anchor(text, date_text, expected):
    (found,) = find_dates(text, SAT)
    assert (found.date_text, found.date_start, found.anchor) == (date_text, expected, SAT)


@pytest.mark.parametrize("text", ["The Sunday Times's report was cited.", "Bloody Sunday's anniversary passed."])
def test_possessive_weekday_inside_a_name_is_no_date(text):
    assert find_dates(text, SAT) == []


@pytest.mark.parametrize(
    "text, date_text, expected, precision",
    [
        ("The front formed in 2008; in July that year it struck.", "July that year", D(2008, 7, 1), "month"),
        ("The 2007 siege ended. On March 3 of the same year gunmen attacked.", "March 3 of the same year", D(2007, 3, 3), "day"),
        ("The 2007 siege ended. On 3 March that year gunmen attacked.", "3 March that year", D(2007, 3, 3), "day"),
    ],
)
def test_month_that_year_takes_the_year_of_the_date_before(text, date_text, expected, precision):
    found = find_dates(text, None)[-1]
    assert (found.date_text, found.date_start, found.precision, found.kind) == (date_text, expected, precision, "relative")


@pytest.mark.parametrize(
    "text",
    [
        "On March 3 militants attacked the convoy guarding the 2007 memorial.",
        "The March 3 attack came a year after the 2007 siege.",
        "March 3 that year was quiet.",  # no date before it
        "ZARQABAD, March 3 (ZNA) - Gunmen attacked a 2007-built bridge.",
    ],
)
def test_yearless_date_without_anchor_never_takes_a_year(text):
    yearless = [m for m in find_dates(text, None) if m.date_text.startswith(("March", "On March"))]
    assert yearless and all(m.date_start is None and m.precision is None for m in yearless)
