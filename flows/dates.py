"""One date resolver for the whole pipeline: date words in, calendar spans out.

Detection is a compiled-regex grammar (word lists in data/reference/dates.yaml): a cheap
pass finds trigger words (digits, month and weekday names, named days, "year", "ago"...),
and only the text around them is matched against the rules; overlapping matches are
settled by position, then length. The arithmetic is datetime/dateutil (Easter),
hijridate (Islamic days) and `holidays` (Hindu festivals); dateparser, English only and
with a fixed base, is the last resort for a single phrase the grammar does not know.
Every mention keeps its words (`date_text`) and offsets, even when it cannot be dated.
No clock is read anywhere: the anchor (publication date) is always passed in.

Decisions on the ambiguous cases:
- No anchor -> yearless and anchor-relative expressions stay unresolved (null date,
  null precision, words kept); a year is never guessed.
- "on Monday": the latest Monday on or before the anchor, so a Monday dateline saying
  "on Monday" means that day (news style names the day instead of "today"); "last
  Monday" is strictly before the anchor; in a future context ("will meet on Monday",
  "next Monday") the next Monday strictly after it.
- Dates without a year take the anchor's year, moved back a year when a past event
  would otherwise fall after the anchor (forward when the sentence is in the future).
- "last week" / "this week": that Monday..Sunday calendar week, precision "day";
  "over the weekend": the last Saturday..Sunday begun by the anchor.
- "today" / "this morning" / "tonight" are the anchor day; "last night" the day before.
- "since 2016", "beginning in 2016", "from 2016 onwards": kind "open_range", start of
  2016, end null (open), the inner date's precision. "from 2016" alone is just 2016.
- "recently", "in recent months", "in the past few months", "over the past two years",
  "decades ago", "years later": a mention with a null date, kind "vague".
- "a year later" / "the following month" resolve against the last date the text
  mentioned (vague mentions are skipped; an unresolved one leaves them unresolved) and
  are never finer than that date: "a year later" after "February 2016" is 2017 with
  precision "year"; "the next day" after "2016" is unresolved.
- "in July that year", "March 3 of the same year": that month (day) in the year of the
  date mentioned before (unresolved when there is none); a bare "March 3" never takes a
  year from other words of its sentence.
- A weekday's possessive is that day ("Wednesday's bombing", "last Sunday's attack").
- "late 2014" / "early 2015" / "mid-May 2019" keep the whole year / month.
- "the 1990s" -> 1990..1999, kind "decade", precision "year"; "early 1990s" ->
  1990..1993, "mid-1990s" -> 1994..1996, "late 1990s" -> 1997..1999; "the '90s" is the
  1990s ("'30s".."'90s" are 1900s, "'00s".."'20s" 2000s).
- A bare four-digit number is a year only in a date context: after "in", "since",
  "by"... (dates.yaml `year_prepositions`), in brackets, before "'s", closing a clause,
  after "the" before an event word or a name ("the 2008 Mumbai attacks"), after "of"
  behind a time word ("the first half of 2019"), or in a list of years. "2000 fighters"
  and "a force of 2000" are counts.
- Numeric dates are month first unless day_first or the first number exceeds 12;
  two-digit years 00..50 -> 2000s, 51..99 -> 1900s. Years outside 1900..2100 are not dates.
- A date never spans a line break (the cleaned text has one paragraph per line).
- Eid and other Islamic days use the Umm al-Qura calendar (South Asia often observes
  them a day later); Diwali, Holi and Dussehra are known for 2001..2035 only.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

import holidays
import polars as pl
import yaml
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta
from hijridate import Gregorian, Hijri

from flows.prefilter import guarded, literal_hits, literal_index, may_match
from flows.schemas import DateMentions, polars_schema
from flows.versions import REFERENCE_DIR

REFERENCE_PATH = REFERENCE_DIR / "dates.yaml"

MIN_YEAR = 1900
MAX_YEAR = 2100
_PRECISION_RANK = MappingProxyType({"day": 0, "month": 1, "year": 2})

MENTION_SCHEMA = MappingProxyType(dict(polars_schema(DateMentions)))  # the published table's columns


@dataclass(frozen=True)
class DateMention:
    """One date expression found in a text, with the calendar span it stands for.

    kind: "explicit", "range", "open_range" (end null), "yearless", "relative",
    "named", "decade", "vague" (never dated) or "unparsed" (resolve_date only).
    precision: "day" | "month" | "year", null exactly when date_start is null.
    anchor: the date a relative or yearless expression was resolved against.
    """

    char_start: int
    char_end: int
    date_text: str
    date_start: date | None
    date_end: date | None
    precision: str | None
    anchor: date | None
    kind: str


class _Value(NamedTuple):
    """What a rule made of its words: the span, its precision, kind and anchor used."""

    start: date | None
    end: date | None
    precision: str | None
    kind: str
    anchor: date | None = None


@dataclass(frozen=True)
class _Context:
    anchor: date | None
    previous: DateMention | None
    day_first: bool
    is_past: bool


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Callable[[re.Match[str], _Context], _Value | None]
    # Scan-time check of the words around a match ("in 2014" yes, "2000 fighters" no).
    accept: Callable[[str, re.Match[str]], bool] | None = None


@dataclass(frozen=True)
class _Words:
    months: MappingProxyType[str, int]
    weekdays: MappingProxyType[str, int]
    numbers: MappingProxyType[str, int]
    year_prepositions: frozenset[str]
    year_event_nouns: frozenset[str]
    of_year_nouns: frozenset[str]
    named_days: tuple[dict, ...]


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = yaml.safe_load(REFERENCE_PATH.read_text(encoding="utf-8"))
    return _Words(
        months=MappingProxyType({k.lower(): v for k, v in raw["months"].items()}),
        weekdays=MappingProxyType({k.lower(): v for k, v in raw["weekdays"].items()}),
        numbers=MappingProxyType({k.lower(): v for k, v in raw["number_words"].items()}),
        year_prepositions=frozenset(raw["year_prepositions"]),
        year_event_nouns=frozenset(raw["year_event_nouns"]),
        of_year_nouns=frozenset(raw["of_year_nouns"]),
        named_days=tuple(raw["named_days"]),
    )


# ---------------------------------------------------------------------------
# Calendar helpers


def _day(year: int, month: int, day: int) -> date | None:
    """A valid date or None.

    >>> _day(2019, 2, 29) is None
    True
    """
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_span(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month.

    >>> _month_span(2016, 2)
    (datetime.date(2016, 2, 1), datetime.date(2016, 2, 29))
    """
    first = date(year, month, 1)
    return first, first + relativedelta(months=1, days=-1)


def _year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _span(year: int, month: int | None = None, day: int | None = None) -> _Value | None:
    """The explicit span of a year, a month or a day (None when not a real date)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return _Value(*_year_span(year), "year", "explicit")
    if day is None:
        return _Value(*_month_span(year, month), "month", "explicit")
    d = _day(year, month, day)
    return _Value(d, d, "day", "explicit") if d else None


def _year_for_yearless(month: int, day: int | None, ctx: _Context) -> int | None:
    """The anchor's year, moved back when a past event would land after the anchor.

    >>> ctx = _Context(date(2020, 3, 1), None, False, True)
    >>> _year_for_yearless(5, 11, ctx), _year_for_yearless(2, 11, ctx)
    (2019, 2020)
    >>> _year_for_yearless(2, 29, _Context(date(2019, 3, 1), None, False, True))
    2016
    """
    if ctx.anchor is None:
        return None
    step = -1 if ctx.is_past else 1
    # Up to four years away: "February 29" only exists in leap years.
    for year in range(ctx.anchor.year, ctx.anchor.year + 5 * step, step):
        first = _day(year, month, day or 1)
        if first is None:
            continue
        last = first if day else _month_span(year, month)[1]
        if (first <= ctx.anchor) if ctx.is_past else (last >= ctx.anchor):
            return year
    return None


def _two_digit_year(text: str) -> int:
    """Numeric-date years: "16" -> 2016, "98" -> 1998.

    >>> _two_digit_year("16"), _two_digit_year("98"), _two_digit_year("2003")
    (2016, 1998, 2003)
    """
    y = int(text)
    if len(text) == 4:
        return y
    return 2000 + y if y <= 50 else 1900 + y


def _count(text: str) -> int:
    """A count in digits or words: "two" -> 2, "a" -> 1, "3" -> 3."""
    text = " ".join(text.lower().split())
    return int(text) if text.isdigit() else _words().numbers[text]


def _shift(d: date, unit: str, n: int) -> date:
    """`d` moved by n days/weeks/months/years/decades (negative n goes back)."""
    if unit == "decade":
        return d + relativedelta(years=10 * n)
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    if unit == "month":
        return d + relativedelta(months=n)
    return d + relativedelta(years=n)


def _unit_span(d: date, unit: str) -> _Value:
    """The day, calendar week (Mon..Sun), month or year around `d` (a decade: its year)."""
    if unit == "day":
        return _Value(d, d, "day", "relative")
    if unit == "week":
        monday = d - timedelta(days=d.weekday())
        return _Value(monday, monday + timedelta(days=6), "day", "relative")
    if unit == "month":
        return _Value(*_month_span(d.year, d.month), "month", "relative")
    return _Value(*_year_span(d.year), "year", "relative")


def _unit(word: str) -> str:
    """Normalise "Weeks" / "morning" to day|week|month|year."""
    word = word.lower().rstrip("s")
    return "day" if word in ("morning", "evening", "night", "afternoon") else word


# ---------------------------------------------------------------------------
# Regex building blocks

def _one_line(pattern: str) -> str:
    r"""Let a pattern's white space match spaces and tabs but never a line break: a
    cleaned text has one paragraph per line and a date never spans two.

    >>> _one_line(r"May\s+11[\s-]") == r"May[^\S\n]+11(?:[^\S\n]|-)"
    True
    """
    return pattern.replace(r"[\s-]", r"(?:[^\S\n]|-)").replace(r"\s", r"[^\S\n]")


_ORD = r"(?:st|nd|rd|th)?"
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
_YEAR = r"(?:19[0-9]{2}|20[0-9]{2}|2100)"
# A number must not continue into digits, "2,000", "2.5", "10%", "1990s" or "-old".
_NUM_END = r"(?![0-9]|[.,][0-9]|\s?%|[A-Za-z])"
_NUM_START = r"(?<![0-9A-Za-z$£€₹.,/#-])"
_DASH = r"(?:\s*[-–—]\s*|\s+(?i:to|until|till|through|and)\s+)"


def _alternation(names: list[str]) -> str:
    """Longest-first alternation, Title case or UPPER, with "'" matching "’".

    >>> _alternation(["May", "Jan"])
    '(?:May|MAY|Jan|JAN)'
    """
    variants: list[str] = []
    for name in sorted(names, key=len, reverse=True):
        for form in (name.title() if name.islower() else name, name.upper()):
            parts = (re.escape(part).replace("'", "['’]") for part in re.split(r"[\s-]+", form))
            escaped = r"[\s-]+".join(parts)
            if escaped not in variants:
                variants.append(escaped)
    return "(?:" + "|".join(variants) + ")"


def _month_pattern() -> str:
    """Full month names, then abbreviations that may carry a dot ("Feb.", "Sept.")."""
    names = list(_words().months)
    short = [n for n in names if any(o != n and o.startswith(n) for o in names)]
    full = [n for n in names if n not in short]
    return r"(?:" + _alternation(full) + r"|" + _alternation(short) + r"\.?)(?![a-z])"


def _month_number(word: str) -> int:
    return _words().months[word.rstrip(".").lower()]


def _day_group(name: str, *, after_dash: bool = False) -> str:
    """A day of the month ("5", "05", "5th") as group `name`; "45th" and "2,5" never match."""
    start = "" if after_dash else _NUM_START
    return start + r"(?P<" + name + r">" + _DAY + r")" + _ORD + r"(?![0-9A-Za-z])"


def _weekday_pattern() -> str:
    return _alternation(list(_words().weekdays)) + r"(?![a-z])"


def _number_pattern() -> str:
    words = sorted(_words().numbers, key=len, reverse=True)
    return r"(?:(?<![0-9.,])[0-9]{1,3}|(?i:" + "|".join(w.replace(" ", r"\s+") for w in words) + r"))"


# ---------------------------------------------------------------------------
# Context checks (scan mode only)

# \Z, not $: "$" would also match before a final line break ("In\n2014").
_WORD_BEFORE = re.compile(_one_line(r"([A-Za-z]+)[\s-]*\Z"))
_YEAR_LIST_BEFORE = re.compile(_one_line(r"(?<![0-9])(?:19|20)[0-9]{2}(?:\s*,\s*|,?\s+(?i:and|or|&)\s+)\Z"))
_TWO_WORDS_BEFORE = re.compile(_one_line(r"([A-Za-z]+)[\s-]+[A-Za-z]+[\s-]*\Z"))
_WORD_AFTER = re.compile(_one_line(r"^\s*([A-Za-z]+)"))
_FUTURE_CUE = re.compile(
    r"(?i)\b(?:will|shall|upcoming|scheduled\s+(?:for|to)|due\s+(?:on|in)|plans?\s+to)\b"
)

# Words before a number closing a clause that make it a count ("about 2000.").
_COUNT_WORDS = frozenset({"of", "than", "some", "about", "nearly", "over", "almost", "approximately", "roughly"})


def _word_before(text: str, start: int) -> str:
    m = _WORD_BEFORE.search(text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""


def _second_word_before(text: str, start: int) -> str:
    """The word before the word before `start`: "half" in "half of 2019"."""
    m = _TWO_WORDS_BEFORE.search(text[max(0, start - 40) : start])
    return m.group(1).lower() if m else ""


def _word_after(text: str, end: int) -> str:
    m = _WORD_AFTER.match(text[end : end + 30])
    return m.group(1) if m else ""


def _accept_year(text: str, m: re.Match[str]) -> bool:
    """Is a bare four-digit number a year here? Decided by the words around it.

    "in 2014", "(2017)", "2014." and "the 2014 elections" are years; "2000 fighters",
    "of 2000 people" are counts.
    """
    start, end = m.span()
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    if before.endswith("(") and after[:1] in (")", "-", "–", ",", ";"):
        return True
    prev = _word_before(text, start)
    if prev in _words().year_prepositions:
        return True
    if prev == "of" and _second_word_before(text, start) in _words().of_year_nouns:
        return True  # "the first half of 2019", "as of 2019"
    if _YEAR_LIST_BEFORE.search(text[max(0, start - 12) : start]):
        return True  # "in 2014, 2015 and 2016"
    nxt = _word_after(text, end)
    if prev == "the" and (nxt.lower() in _words().year_event_nouns or nxt[:1].isupper()):
        return True
    if after[:2] in ("'s", "’s") or after[:1] in ("‘", "'"):
        return True
    # A number closing a clause ("... and Quetta, 2015.") reads as a year after any word
    # but a count word.
    return after[:1] in (",", ".", ";", ":", ")") and prev not in _COUNT_WORDS


_MONTH_PREPOSITIONS = frozenset(
    {"in", "by", "until", "till", "since", "during", "of", "from", "before", "after", "through"}
)


def _accept_bare_month(text: str, m: re.Match[str]) -> bool:
    """A month name alone is a date after "in"/"since"/"last"..., so "March on" is not."""
    return bool(m["pre"]) or _word_before(text, m.start()) in _MONTH_PREPOSITIONS


def _accept_weekday(text: str, m: re.Match[str]) -> bool:
    """A weekday name is a date unless it is part of a name ("Sunday Times", "Bloody Sunday")."""
    if m.group("pre"):
        return True
    start = m.start()
    before = text[max(0, start - 30) : start]
    prev = _WORD_BEFORE.search(before)
    sentence_start = not before.strip() or before.rstrip()[-1:] in ".!?:;\"“”"
    if prev and prev.group(1)[:1].isupper() and not sentence_start and before.endswith(" "):
        return False
    return not _word_after(text, m.end())[:1].isupper()


def _is_future_context(text: str, start: int) -> bool:
    """Future tense cue earlier in the same sentence ("will meet on Monday")."""
    window = text[max(0, start - 80) : start]
    cut = max(window.rfind(". "), window.rfind("\n"))
    return bool(_FUTURE_CUE.search(window[cut + 1 :]))


# ---------------------------------------------------------------------------
# Rules: explicit dates


def _rule_iso(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ISO dates, and year-first dates with slashes or dots.

    >>> resolve_date("2018-02-05", None).date_start, resolve_date("2018/2/5", None).date_start
    (datetime.date(2018, 2, 5), datetime.date(2018, 2, 5))
    """
    return _span(int(m["y"]), int(m["mo"]), int(m["d"]))


def _rule_numeric(m: re.Match[str], ctx: _Context) -> _Value | None:
    """11/03/2016: month first unless day_first or the first number exceeds 12.

    >>> resolve_date("11/03/2016", None).date_start, resolve_date("13/03/2016", None).date_start
    (datetime.date(2016, 11, 3), datetime.date(2016, 3, 13))
    """
    a, b = int(m["a"]), int(m["b"])
    if m["sep"] != "/" and len(m["y"]) != 4:
        return None  # "3.5.16" is more likely a version or a score than a date
    day_first = ctx.day_first or a > 12
    month, day = (b, a) if day_first else (a, b)
    if month > 12:
        return None
    return _span(_two_digit_year(m["y"]), month, day)


def _rule_day_month_year(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "05 February 2018", "Saturday, 5th of February, 2018", "November 21, 2020".

    >>> resolve_date("Saturday, November 21, 2020", None).date_start
    datetime.date(2020, 11, 21)
    """
    return _span(int(m["y"]), _month_number(m["mo"]), int(m["d"]))


def _rule_month_year(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "January 2015", "mid-May 2019": month precision, the whole month.

    >>> m = resolve_date("January 2015", None)
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2015, 1, 1), datetime.date(2015, 1, 31), 'month')
    """
    return _span(int(m["y"]), _month_number(m["mo"]))


def _rule_year(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "2014", "late 2014", "mid-2015": the whole year.

    >>> m = resolve_date("late 2014", None)
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2014, 1, 1), datetime.date(2014, 12, 31), 'year')
    """
    return _span(int(m["y"]))


_SEASON_MONTHS = MappingProxyType(
    {"spring": (3, 5), "summer": (6, 8), "monsoon": (6, 9), "autumn": (9, 11), "fall": (9, 11)}
)


def _rule_season(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "summer 2019" -> June..August, month precision; winter spans two years, so the year.

    >>> m = resolve_date("summer 2019", None)
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2019, 6, 1), datetime.date(2019, 8, 31), 'month')
    """
    year = int(m["y"])
    months = _SEASON_MONTHS.get(m["season"].lower())
    if months is None:
        return _span(year)
    return _range(_span(year, months[0]), _span(year, months[1]))._replace(kind="explicit")


_DECADE_PART = MappingProxyType({"early": (0, 3), "mid": (4, 6), "late": (7, 9)})


def _rule_decade(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "the 1990s" -> 1990..1999; "the late 1990s" -> 1997..1999; "the '90s".

    >>> m = resolve_date("the 1990s", None)
    >>> m.date_start, m.date_end
    (datetime.date(1990, 1, 1), datetime.date(1999, 12, 31))
    """
    if m["dec"]:
        decade = int(m["dec"])
    else:
        short = int(m["short"])
        decade = 1900 + short if short >= 30 else 2000 + short
    first, last = _DECADE_PART.get((m["mod"] or "").lower(), (0, 9))
    if not MIN_YEAR <= decade <= MAX_YEAR:
        return None
    return _Value(date(decade + first, 1, 1), date(decade + last, 12, 31), "year", "decade")


# ---------------------------------------------------------------------------
# Rules: ranges


def _range(first: _Value | None, last: _Value | None) -> _Value | None:
    """Join two spans into one range with the coarser precision."""
    if first is None or last is None or first.start is None or last.end is None:
        return None
    if last.end < first.start:
        return None
    precision = max(first.precision, last.precision, key=_PRECISION_RANK.__getitem__)
    return _Value(first.start, last.end, precision, "range", first.anchor or last.anchor)


def _yearless_or_explicit(year: str | None, month: int, day: int | None, ctx: _Context) -> tuple[int | None, bool]:
    """The year written, else the anchor-derived one; flag says whether it was written."""
    if year:
        return int(year), True
    return _year_for_yearless(month, day, ctx), False


def _unresolved(kind: str) -> _Value:
    return _Value(None, None, None, kind)


def _with_anchor(value: _Value | None, written: bool, ctx: _Context) -> _Value | None:
    """Record the anchor on a range whose year came from it."""
    if value is None or written:
        return value
    return value._replace(anchor=ctx.anchor)


def _rule_day_range(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "between 3-5th August 2017", "3 to 5 August", "August 3-5, 2017".

    >>> m = resolve_date("between 3-5th August 2017", None)
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2017, 8, 3), datetime.date(2017, 8, 5), 'day')
    """
    month = _month_number(m["mo"])
    d1, d2 = int(m["d1"]), int(m["d2"])
    if d2 <= d1:
        return None
    year, written = _yearless_or_explicit(m["y"], month, d1, ctx)
    if year is None:
        return _unresolved("range")
    value = _range(_span(year, month, d1), _span(year, month, d2))
    return _with_anchor(value, written, ctx)


def _rule_cross_month_range(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "3 May to 5 June 2019", "May 3 to June 5, 2019".

    >>> m = resolve_date("May 3 to June 5, 2019", None)
    >>> m.date_start, m.date_end
    (datetime.date(2019, 5, 3), datetime.date(2019, 6, 5))
    """
    m1, m2 = _month_number(m["mo1"]), _month_number(m["mo2"])
    year, written = _yearless_or_explicit(m["y"], m2, int(m["d2"]), ctx)
    if year is None:
        return _unresolved("range")
    first_year = year if m1 <= m2 else year - 1
    value = _range(_span(first_year, m1, int(m["d1"])), _span(year, m2, int(m["d2"])))
    return _with_anchor(value, written, ctx)


def _rule_month_range(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "from May to July 2019", "between December 2018 and March 2019".

    >>> m = resolve_date("from May to July 2019", None)
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2019, 5, 1), datetime.date(2019, 7, 31), 'month')
    """
    m1, m2 = _month_number(m["mo1"]), _month_number(m["mo2"])
    year, written = _yearless_or_explicit(m["y"], m2, None, ctx)
    if year is None:
        return _unresolved("range")
    first_year = int(m["y1"]) if m["y1"] else (year if m1 <= m2 else year - 1)
    value = _range(_span(first_year, m1), _span(year, m2))
    return _with_anchor(value, written, ctx)


def _rule_year_range(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "2014-2016", "2014-16", "between 2014 and 2016", "from 2014 to 2016".

    >>> m = resolve_date("2014-16", None)
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2014, 1, 1), datetime.date(2016, 12, 31), 'year')
    """
    y1 = int(m["y1"])
    y2 = int(m["y2"]) if len(m["y2"]) == 4 else y1 // 100 * 100 + int(m["y2"])
    joiner = m["join"].strip().lower()
    if y2 <= y1 or (joiner == "and" and not m["pre"]):
        return None
    return _range(_span(y1), _span(y2))


# ---------------------------------------------------------------------------
# Rules: dates without a year


def _rule_month_day(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "May 11", "15th of May": the anchor's year (moved back for past events).

    >>> m = resolve_date("May 11", date(2019, 6, 1))
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2019, 5, 11), datetime.date(2019, 5, 11), 'day')
    >>> m = resolve_date("May 11", None)
    >>> m.date_start, m.date_end, m.precision, m.anchor
    (None, None, None, None)
    """
    month, day = _month_number(m["mo"]), int(m["d"])
    if _day(2000, month, day) is None:  # 2000 is a leap year: keeps "February 29"
        return None
    year = _year_for_yearless(month, day, ctx)
    if year is None:
        return _unresolved("yearless")
    value = _span(year, month, day)
    return value._replace(kind="yearless", anchor=ctx.anchor) if value else _unresolved("yearless")


def _rule_bare_month(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "in March", "last May", "early June": month precision in the anchor's year.

    >>> m = resolve_date("last May", date(2019, 3, 1))
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2018, 5, 1), datetime.date(2018, 5, 31), 'month')
    """
    month = _month_number(m["mo"])
    year = _year_for_yearless(month, None, ctx)
    if year is None:
        return _unresolved("yearless")
    if (m["pre"] or "").lower() == "last" and ctx.anchor and month >= ctx.anchor.month and year == ctx.anchor.year:
        year -= 1  # "last May" in May means the May before
    return _Value(*_month_span(year, month), "month", "yearless", ctx.anchor)


# ---------------------------------------------------------------------------
# Rules: relative to the anchor


def _rule_weekday(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "on Monday": the last Monday on or before the anchor (a Monday means that day).

    >>> m = resolve_date("on Monday", date(2020, 11, 21))
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2020, 11, 16), datetime.date(2020, 11, 16), 'day')
    >>> resolve_date("on Monday", date(2020, 11, 16)).date_start
    datetime.date(2020, 11, 16)
    >>> resolve_date("last Monday", date(2020, 11, 16)).date_start
    datetime.date(2020, 11, 9)
    """
    if ctx.anchor is None:
        return _unresolved("relative")
    target = _words().weekdays[m["wd"].lower()]
    pre = " ".join((m["pre"] or "").lower().split())
    future = pre in ("next", "coming", "this coming") or (not ctx.is_past and pre not in ("last", "this past"))
    if future:
        delta = (target - ctx.anchor.weekday()) % 7 or 7
        d = ctx.anchor + timedelta(days=delta)
    else:
        back = (ctx.anchor.weekday() - target) % 7
        if back == 0 and pre in ("last", "this past"):
            back = 7
        d = ctx.anchor - timedelta(days=back)
    return _Value(d, d, "day", "relative", ctx.anchor)


_DAY_WORDS = MappingProxyType(
    {
        "the day before yesterday": -2,
        "yesterday": -1,
        "last night": -1,
        "today": 0,
        "tonight": 0,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "tomorrow": 1,
    }
)


def _rule_day_word(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "yesterday", "last night", "today", "this morning", "tomorrow".

    >>> resolve_date("yesterday", date(2020, 11, 21)).date_start
    datetime.date(2020, 11, 20)
    """
    if ctx.anchor is None:
        return _unresolved("relative")
    d = ctx.anchor + timedelta(days=_DAY_WORDS[" ".join(m.group(0).lower().split())])
    return _Value(d, d, "day", "relative", ctx.anchor)


_WHICH_OFFSET = MappingProxyType(
    {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1, "earlier this": 0, "later this": 0}
)


def _rule_this_unit(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "last month" (month precision), "last year", "this week", "earlier this year".

    >>> m = resolve_date("last month", date(2018, 2, 5))
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2018, 1, 1), datetime.date(2018, 1, 31), 'month')
    >>> m = resolve_date("last year", date(2018, 2, 5))
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2017, 1, 1), datetime.date(2017, 12, 31), 'year')
    """
    if ctx.anchor is None:
        return _unresolved("relative")
    unit = _unit(m["unit"])
    which = " ".join(m["which"].lower().split())
    return _unit_span(_shift(ctx.anchor, unit, _WHICH_OFFSET[which]), unit)._replace(anchor=ctx.anchor)


def _rule_weekend(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "over the weekend": the last Saturday..Sunday begun by the anchor; "last weekend"
    the one before a Saturday/Sunday anchor's own, "this weekend" the anchor week's.

    >>> m = resolve_date("over the weekend", date(2018, 2, 5))
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2018, 2, 3), datetime.date(2018, 2, 4), 'day')
    """
    if ctx.anchor is None:
        return _unresolved("relative")
    which = (m["which"] or "").lower()
    saturday = ctx.anchor - timedelta(days=(ctx.anchor.weekday() - 5) % 7)
    if which == "this":
        saturday = ctx.anchor + timedelta(days=5 - ctx.anchor.weekday())
    elif which in ("last", "previous") and ctx.anchor.weekday() >= 5:
        saturday -= timedelta(days=7)
    elif which in ("next", "coming"):
        saturday = ctx.anchor + timedelta(days=(5 - ctx.anchor.weekday()) % 7 or 7)
    return _Value(saturday, saturday + timedelta(days=1), "day", "relative", ctx.anchor)


def _rule_ago(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "two years ago", "3 days ago", "a month ago".

    >>> m = resolve_date("two years ago", date(2018, 2, 5))
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2016, 1, 1), datetime.date(2016, 12, 31), 'year')
    """
    if ctx.anchor is None:
        return _unresolved("relative")
    return _shifted(ctx.anchor, _unit(m["unit"]), -_count(m["n"]))


def _shifted(base: date, unit: str, n: int) -> _Value:
    """The unit n units from `base` ("a week ago" is the single day a week before)."""
    d = _shift(base, unit, n)
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        return _unresolved("relative")
    span = _unit_span(d, unit) if unit != "week" else _Value(d, d, "day", "relative")
    return span._replace(anchor=base)


# ---------------------------------------------------------------------------
# Rules: relative to the date mentioned before


def _from_previous(ctx: _Context, unit: str, n: int) -> _Value:
    """Shift the previous mention by n units; never finer than that mention.

    "Later" counts from the end of a range ("2014-2016 ... a year later" is 2017),
    "earlier" from its start.
    """
    prev = ctx.previous
    if prev is None or prev.date_start is None or prev.precision is None:
        return _unresolved("relative")
    needed = {"week": "day", "decade": "year"}.get(unit, unit)
    if _PRECISION_RANK[prev.precision] > _PRECISION_RANK[needed]:
        return _unresolved("relative")
    base = prev.date_end if n > 0 and prev.date_end is not None and prev.kind == "range" else prev.date_start
    return _shifted(base, unit, n)


def _rule_later(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "a year later" (year precision), "two months later", "three days earlier".

    >>> prev = resolve_date("February 2016", None)
    >>> m = resolve_date("a year later", None, previous=prev)
    >>> m.date_start, m.date_end, m.precision, m.anchor
    (datetime.date(2017, 1, 1), datetime.date(2017, 12, 31), 'year', datetime.date(2016, 2, 1))
    """
    sign = -1 if m["dir"].lower() in ("earlier", "before") else 1
    return _from_previous(ctx, _unit(m["unit"]), sign * _count(m["n"]))


_FOLLOWING = MappingProxyType({"following": 1, "next": 1, "previous": -1, "preceding": -1, "same": 0})


def _rule_following(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "the following year", "the next day", "the previous month", "the same year".

    >>> prev = resolve_date("05 February 2018", None)
    >>> resolve_date("the next day", None, previous=prev).date_start
    datetime.date(2018, 2, 6)
    """
    return _from_previous(ctx, _unit(m["unit"]), _FOLLOWING[m["dir"].lower()])


def _rule_that_unit(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "later that year", "that same month", "earlier that day": the previous date's unit.

    >>> prev = resolve_date("05 February 2018", None)
    >>> m = resolve_date("later that year", None, previous=prev)
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2018, 1, 1), datetime.date(2018, 12, 31), 'year')
    """
    return _from_previous(ctx, _unit(m["unit"]), 0)


def _rule_month_that_year(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "in July that year", "March 3 of the same year": the month (day) in the previous date's year.

    >>> prev = resolve_date("2008", None)
    >>> m = resolve_date("in July that year", None, previous=prev)
    >>> m.date_start, m.date_end, m.precision, m.anchor
    (datetime.date(2008, 7, 1), datetime.date(2008, 7, 31), 'month', datetime.date(2008, 1, 1))
    >>> resolve_date("March 3 that year", None).date_start is None  # no date before it: never a guess
    True
    """
    prev = ctx.previous
    if prev is None or prev.date_start is None:
        return _unresolved("relative")
    day = m["d1"] or m["d2"]
    value = _span(prev.date_start.year, _month_number(m["mo"]), int(day) if day else None)
    return value._replace(kind="relative", anchor=prev.date_start) if value else None


def _rule_vague(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "recently", "in recent months", "decades ago": kept, never dated.

    >>> m = resolve_date("in recent months", date(2020, 1, 1))
    >>> m.date_start, m.date_end, m.precision, m.anchor, m.kind
    (None, None, None, None, 'vague')
    """
    return _unresolved("vague")


# ---------------------------------------------------------------------------
# Rules: named days


def _hijri_in_year(year: int, h_month: int, h_day: int | None) -> list[tuple[date, date]]:
    """Spans starting in Gregorian `year` of a Hijri day, or a whole Hijri month when
    `h_day` is None (up to two per year: the Hijri year is 11 days shorter).

    >>> _hijri_in_year(2019, 10, 1)
    [(datetime.date(2019, 6, 4), datetime.date(2019, 6, 4))]
    >>> _hijri_in_year(2019, 9, None)
    [(datetime.date(2019, 5, 6), datetime.date(2019, 6, 3))]
    """
    if not 1938 <= year <= 2076:  # hijridate's range (Umm al-Qura calendar)
        return []
    first = Gregorian(year, 1, 1).to_hijri().year
    found = []
    for h_year in (first, first + 1):
        try:
            h = Hijri(h_year, h_month, h_day or 1)
            g = h.to_gregorian()
        except (ValueError, OverflowError):
            continue
        start = date(g.year, g.month, g.day)
        end = start if h_day else start + timedelta(days=h.month_length() - 1)
        if start.year == year:
            found.append((start, end))
    return found


def _named_spans(spec: dict, year: int) -> list[tuple[date, date]]:
    """The (start, end) of a named day or season in a Gregorian year, in order."""
    if "easter_offset" in spec:
        d = easter(year) + timedelta(days=spec["easter_offset"])
        return [(d, d)]
    if "hijri_month" in spec:
        return _hijri_in_year(year, spec["hijri_month"], spec.get("hijri_day"))
    if "india_holiday" in spec:
        return [(d, d) for d in _india_holiday(spec["india_holiday"], year)]
    d = date(year, spec["month"], spec["day"])
    return [(d, d)]


# The holidays package has Hindu festival dates (lunisolar) for these years only.
_INDIA_FESTIVAL_YEARS = range(2001, 2036)


@lru_cache(maxsize=256)
def _india_holiday(name: str, year: int) -> tuple[date, ...]:
    """Dates of an Indian public holiday by its `holidays` name ("Diwali").

    >>> _india_holiday("Diwali", 2019)
    (datetime.date(2019, 10, 27),)
    """
    if year not in _INDIA_FESTIVAL_YEARS:
        return ()
    return tuple(sorted(holidays.India(years=year).get_named(name, lookup="exact")))


def _name_key(name: str) -> str:
    """ "Eid-ul-Fitr" and "EID UL FITR" share one key."""
    return re.sub(r"[\s-]+", " ", name.replace("’", "'")).lower()


@lru_cache(maxsize=1)
def _named_index() -> MappingProxyType[str, dict]:
    return MappingProxyType({_name_key(name): spec for spec in _words().named_days for name in spec["names"]})


def _named_spec(name: str) -> dict:
    return _named_index()[_name_key(name)]


def _rule_named(m: re.Match[str], ctx: _Context) -> _Value | None:
    """ "Easter Sunday 2017", "Eid al-Fitr 2019", "Christmas", "Easter Church Service (2017)".

    >>> resolve_date("Easter Sunday 2017", None).date_start
    datetime.date(2017, 4, 16)
    >>> resolve_date("Eid al-Fitr 2019", None).date_start
    datetime.date(2019, 6, 4)
    >>> resolve_date("Easter Sunday", date(2019, 5, 20)).date_start
    datetime.date(2019, 4, 21)
    >>> m = resolve_date("Ramadan 2019", None)
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2019, 5, 6), datetime.date(2019, 6, 3), 'day')
    """
    spec = _named_spec(m["name"])
    if "date" in spec:
        d = spec["date"]
        return _Value(d, d, "day", "named")
    year_text = m["y"] or m["py"]
    if year_text:
        found = _named_spans(spec, int(year_text))
        return _Value(*found[0], "day", "named") if found else _unresolved("named")
    if ctx.anchor is None:
        return _unresolved("named")
    # Past: the latest occurrence that has begun by the anchor; future: the next one.
    years = (ctx.anchor.year, ctx.anchor.year - 1) if ctx.is_past else (ctx.anchor.year, ctx.anchor.year + 1)
    for year in years:
        for start, end in _named_spans(spec, year)[:: -1 if ctx.is_past else 1]:
            if (start <= ctx.anchor) if ctx.is_past else (start >= ctx.anchor):
                return _Value(start, end, "day", "named", ctx.anchor)
    return _unresolved("named")


def _all_named_names() -> list[str]:
    return [name for spec in _words().named_days for name in spec["names"]]


# ---------------------------------------------------------------------------
# The grammar


def _token(name: str, group: str | None) -> str:
    """The regex for one template token; `group` names the capture."""
    if name == "MO":
        return f"(?P<{group}>{_month_pattern()})"
    if name == "Y":
        return f"{_NUM_START}(?P<{group}>{_YEAR}){_NUM_END}"
    if name in ("D", "D2"):
        return _day_group(group, after_dash=name == "D2")
    parts = {
        "WD": _weekday_pattern(),
        "NUM": _number_pattern(),
        "NAMED": _alternation(_all_named_names()),
        "DASH": _DASH,
        "YEAR": _YEAR,
        "UNITS": r"(?i:days?|weeks?|months?|years?|decades?)",
        "MOD": r"(?i:early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)[\s-]+",
        "RANGEPRE": r"(?:(?P<pre>(?i:between|from))\s+)?",
    }
    return parts[name] if group is None else f"(?P<{group}>{parts[name]})"


_TOKEN = re.compile(r"\{([A-Z]+2?)(?::(\w+))?\}")


def _compile(template: str) -> re.Pattern[str]:
    """Compile a rule template: {MO:g} month, {Y:g} year, {D:g} day, {WD} weekday, ...

    >>> _compile("{Y:y}").fullmatch("2014")["y"]
    '2014'

    Each rule is scanned over every window: `guarded` lets the scan pass over at once the many positions no match
    of the rule can start at.
    """
    return guarded(re.compile(_one_line(_TOKEN.sub(lambda t: _token(t.group(1), t.group(2)), template))))


@lru_cache(maxsize=1)
def _grammar() -> tuple[_Rule, ...]:
    """All rules, compiled once. Overlaps are settled by position, then length."""
    the = r"(?i:the\s+)?"
    of = r"(?:\s+(?i:of))?"
    year_tail = r"(?:,?\s+{Y:y})?"
    return (
        _Rule(
            "iso",
            _compile(
                _NUM_START + r"(?P<y>{YEAR})(?P<sep>[-/.])(?P<mo>0?[1-9]|1[0-2])(?P=sep)(?P<d>0?[1-9]|[12][0-9]|3[01])"
                r"(?![0-9]|[/.-][0-9])"
            ),
            _rule_iso,
        ),
        _Rule(
            "numeric",
            _compile(
                _NUM_START + r"(?P<a>[0-9]{1,2})(?P<sep>[/.-])(?P<b>[0-9]{1,2})(?P=sep)"
                r"(?P<y>[0-9]{4}|[0-9]{2})(?![0-9]|[/.-][0-9])"
            ),
            _rule_numeric,
        ),
        _Rule(
            "day_month_year",
            _compile(r"(?:{WD},?\s+)?" + the + r"{D:d}" + of + r"\s+{MO:mo},?\s+{Y:y}"),
            _rule_day_month_year,
        ),
        _Rule("month_day_year", _compile(r"(?:{WD},?\s+)?{MO:mo}\s+" + the + r"{D:d},?\s+{Y:y}"), _rule_day_month_year),
        _Rule("month_year", _compile(r"(?:{MOD})?{MO:mo}" + of + r",?\s+{Y:y}"), _rule_month_year),
        _Rule("year_modified", _compile(r"{MOD}(?P<y>{YEAR})" + _NUM_END), _rule_year),
        _Rule(
            "season",
            _compile(the + r"(?P<season>(?i:spring|summer|autumn|fall|winter|monsoon))" + of + r",?\s+{Y:y}"),
            _rule_season,
        ),
        _Rule("year", _compile(r"{Y:y}"), _rule_year, _accept_year),
        _Rule(
            "decade",
            _compile(
                the + r"(?:(?P<mod>(?i:early|mid|late))[\s-]+)?"
                r"(?:(?<![0-9A-Za-z])(?P<dec>(?:19|20)[0-9]0)['’]?s|['’](?P<short>[0-9]0)s)(?![A-Za-z0-9])"
            ),
            _rule_decade,
        ),
        _Rule(
            "day_range",
            _compile(r"{RANGEPRE}{D:d1}{DASH}{D2:d2}" + of + r"\s+{MO:mo}" + year_tail),
            _rule_day_range,
        ),
        _Rule("month_day_range", _compile(r"{RANGEPRE}{MO:mo}\s+{D:d1}{DASH}{D2:d2}" + year_tail), _rule_day_range),
        _Rule(
            "cross_month_range",
            _compile(r"{RANGEPRE}{D:d1}\s+{MO:mo1}{DASH}{D2:d2}\s+{MO:mo2}" + year_tail),
            _rule_cross_month_range,
        ),
        _Rule(
            "cross_month_range_us",
            _compile(r"{RANGEPRE}{MO:mo1}\s+{D:d1}{DASH}{MO:mo2}\s+{D2:d2}" + year_tail),
            _rule_cross_month_range,
        ),
        _Rule(
            "month_range",
            _compile(r"{RANGEPRE}{MO:mo1}(?:\s+{YEAR:y1})?{DASH}{MO:mo2}" + year_tail),
            _rule_month_range,
            lambda text, m: bool(m["pre"] or m["y"]),  # "May-June" alone is too loose
        ),
        _Rule(
            "year_range",
            _compile(
                r"{RANGEPRE}" + _NUM_START + r"{YEAR:y1}"
                r"(?P<join>\s*[-–—/]\s*|\s+(?i:to|until|till|through|and)\s+)(?P<y2>{YEAR}|[0-9]{2})" + _NUM_END
            ),
            _rule_year_range,
        ),
        _Rule(
            "month_that_year",
            _compile(
                r"(?:{D:d1}" + of + r"\s+)?{MO:mo}(?:\s+" + the + r"{D:d2})?,?\s+"
                r"(?i:(?:of\s+)?(?:that|the\s+same|that\s+same)\s+year)\b"
            ),
            _rule_month_that_year,
        ),
        _Rule("month_day", _compile(r"{MO:mo}\s+" + the + r"{D:d}"), _rule_month_day),
        _Rule("day_month", _compile(the + r"{D:d}" + of + r"\s+{MO:mo}"), _rule_month_day),
        _Rule(
            "bare_month",
            _compile(r"(?:(?P<pre>(?i:last|early|late|mid|this\s+past))[\s-]+)?{MO:mo}"),
            _rule_bare_month,
            _accept_bare_month,
        ),
        _Rule(
            "weekday",
            _compile(
                r"(?:(?P<pre>(?i:on|last|this\s+past|this\s+coming|this|next|coming|since|by|until|early|late))\s+)?"
                r"{WD:wd}(?:\s+(?i:morning|afternoon|evening|night))?"
            ),
            _rule_weekday,
            _accept_weekday,
        ),
        _Rule(
            "day_word",
            _compile(
                r"\b(?i:the\s+day\s+before\s+yesterday|yesterday|last\s+night|today|tonight"
                r"|this\s+(?:morning|afternoon|evening)|tomorrow)\b"
            ),
            _rule_day_word,
        ),
        _Rule(
            "this_unit",
            # "the last year" means the past twelve months, not the calendar year before.
            _compile(
                r"(?<!the\s)(?<!The\s)\b"
                r"(?P<which>(?i:earlier\s+this|later\s+this|last|previous|this|next|coming))"
                r"\s+(?P<unit>(?i:week|month|year))\b"
            ),
            _rule_this_unit,
        ),
        _Rule(
            "weekend",
            _compile(
                r"\b(?:(?i:over|at|during|on)\s+the|(?P<which>(?i:last|previous|this|next|coming)))\s+(?i:weekend)\b"
            ),
            _rule_weekend,
        ),
        _Rule("ago", _compile(r"\b{NUM:n}\s+{UNITS:unit}\s+(?i:ago)\b"), _rule_ago),
        _Rule(
            "later",
            _compile(r"\b{NUM:n}\s+{UNITS:unit}\s+(?P<dir>(?i:later|earlier|afterwards|on(?=[,.;:]|$)))\b"),
            _rule_later,
        ),
        _Rule(
            "following",
            _compile(
                r"\b(?i:the)\s+(?P<dir>(?i:following|next|previous|preceding|same))"
                r"\s+(?P<unit>(?i:day|week|month|year|morning|evening|night))\b"
            ),
            _rule_following,
        ),
        _Rule(
            "that_unit",
            _compile(
                r"\b(?i:(?:later|earlier)\s+that|that\s+same|that)"
                r"\s+(?P<unit>(?i:day|month|year|morning|evening|night))\b"
            ),
            _rule_that_unit,
        ),
        _Rule(
            "vague",
            _compile(
                r"\b(?i:recently|lately|in\s+recent\s+(?:days|weeks|months|years|times)"
                r"|(?:in|over|during|for|within)\s+the\s+(?:past|last)\s+(?:(?:few|several|couple\s+of|{NUM})\s+)?"
                r"(?:day|week|month|year|decade)s?"
                r"|(?:a\s+few\s+|several\s+|many\s+)?(?:days|weeks|months|years|decades)\s+(?:ago|later|earlier))\b"
            ),
            _rule_vague,
        ),
        _Rule(
            "named",
            # "Easter 2017", and "Easter Church Service (2017)": up to three capitalised words
            # between the name and a parenthesised year.
            _compile(
                r"(?<![0-9A-Za-z]){NAMED:name}(?![A-Za-z0-9/])"
                r"(?:,?\s+(?i:of\s+)?{Y:y}|(?:\s+[A-Z][a-z]+){1,3}\s*\({YEAR:py}\))?"
            ),
            _rule_named,
        ),
    )


# ---------------------------------------------------------------------------
# Open ranges: "since 2016", "beginning in 2016", "from 2016 onwards"

_OPEN_PREFIX = re.compile(_one_line(r"\b(?i:(?:ever\s+)?since|beginning\s+in|starting\s+(?:in|from)|from)\s+\Z"))
_OPEN_SUFFIX = re.compile(_one_line(r"^\s+(?i:onwards?)\b"))
_OPENABLE = frozenset({"explicit", "yearless", "named", "decade", "relative"})


def _open_range(text: str, start: int, end: int, value: _Value) -> tuple[int, int, _Value]:
    """Widen "2016" to "since 2016" and make it an open range (end null).

    "from 2016" alone stays a plain year; "from 2016 onwards" is open.
    """
    if value.kind not in _OPENABLE:
        return start, end, value
    prefix = _OPEN_PREFIX.search(text[max(0, start - 20) : start])
    suffix = _OPEN_SUFFIX.match(text[end : end + 12])
    is_from = prefix is not None and prefix.group(0).lower().startswith("from")
    if prefix is None or (is_from and suffix is None):
        return start, end, value
    new_start = start - len(prefix.group(0))
    new_end = end + (len(suffix.group(0)) if suffix else 0)
    return new_start, new_end, value._replace(end=None, kind="open_range")


# ---------------------------------------------------------------------------
# Public API


def _mention(text: str, start: int, end: int, value: _Value) -> DateMention:
    return DateMention(start, end, text[start:end], value.start, value.end, value.precision, value.anchor, value.kind)


_WINDOW_REACH = 80  # longer than any single date expression
_SPACE = re.compile(r"\s")


# Which trigger words each rule needs in its window (all of them).
_RULE_NEEDS = MappingProxyType(
    {
        **dict.fromkeys(
            ("iso", "numeric", "year", "year_modified", "year_range", "decade", "season"), frozenset({"year"})
        ),
        **dict.fromkeys(
            (
                "day_month_year",
                "month_day_year",
                "month_year",
                "day_range",
                "month_day_range",
                "cross_month_range",
                "cross_month_range_us",
                "month_day",
                "day_month",
            ),
            frozenset({"digit", "month"}),
        ),
        **dict.fromkeys(("month_range", "bare_month"), frozenset({"month"})),
        "weekday": frozenset({"weekday"}),
        "month_that_year": frozenset({"month", "unit"}),
        "day_word": frozenset(),  # "last night" is triggered by "night", a unit word
        **dict.fromkeys(
            ("this_unit", "weekend", "ago", "later", "following", "that_unit", "vague"), frozenset({"unit"})
        ),
        "named": frozenset({"named"}),
    }
)


# A year is also a number: month rules such as "January 2015" need a number beside the month.
_TRIGGER_KINDS = MappingProxyType({kind: frozenset({kind}) for kind in ("named", "month", "weekday", "unit", "day_word", "digit")}
                                  | {"year": frozenset({"year", "digit"})})


@lru_cache(maxsize=1)
def _trigger_pattern() -> re.Pattern[str]:
    """Words without which no rule can match; only text near them is scanned (`guarded`: the scan passes over the
    positions no trigger word starts at)."""
    # Names are Title case or UPPER (or digits, "9/11"): a cheap first-character test skips the rest.
    return guarded(re.compile(
        r"(?=[A-Z0-9])(?:(?P<named>"
        + _alternation(_all_named_names())
        + r")|(?P<month>"
        + _month_pattern()
        + r")|(?P<weekday>"
        + _weekday_pattern()
        + r"))|\b(?:(?P<unit>(?i:days?|weeks?|months?|years?|decades?|morning|afternoon|evening|night"
        + r"|times|recently|lately|weekend))|(?P<day_word>(?i:yesterday|today|tonight|tomorrow)))\b"
        # a year or a numeric date opens year rules; any other number only helps month rules
        + r"|(?P<year>\b(?:1[89][0-9]{2}|20[0-9]{2}|2100)s?\b|\b[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}\b|'[0-9]0s)"
        + r"|(?P<digit>[0-9]+)"
    ))


def _windows(text: str) -> list[tuple[int, int, frozenset[str]]]:
    """Merged windows (start, end, trigger kinds) around trigger words.

    Regex lookbehinds see the text before a window; the window end is pushed past the
    next whitespace so that lookaheads at a match's end read the real text.
    """
    windows: list[tuple[int, int, frozenset[str]]] = []
    for t in _trigger_pattern().finditer(text):
        start = max(0, t.start() - _WINDOW_REACH)
        end = t.end() + _WINDOW_REACH
        kinds = _TRIGGER_KINDS[t.lastgroup]
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end, windows[-1][2] | kinds)
        else:
            windows.append((start, end, kinds))
    return [(start, _safe_end(text, end), kinds) for start, end, kinds in windows]


def _safe_end(text: str, end: int) -> int:
    """The first position >= end that is 3 characters past a whitespace."""
    if end >= len(text):
        return len(text)
    space = _SPACE.search(text, end)
    return len(text) if space is None else min(len(text), space.end() + 3)


def _literal_test(text: str, rules: tuple[_Rule, ...]) -> Callable[[int, int, int], bool]:
    """may(k, start, end): whether rule k's necessary literals (flows.prefilter) occur in text[start:end] lowercased.

    The literals are found in one pass over the document; a text in which a letter lowers to two ("İ") or by its
    neighbours ("Σ") is lowered window by window instead, so every window gets the same answer either way.
    """
    patterns = tuple(rule.pattern for rule in rules)
    lowered = text.lower()
    if len(lowered) != len(text) or "Σ" in text:
        return lambda k, start, end: may_match(patterns[k], text[start:end].lower())
    return literal_hits(literal_index(patterns), lowered).holds


def _candidates(text: str) -> list[tuple[int, int, int, re.Match[str]]]:
    """Every rule match as (start, -length, rule index, match), sorted."""
    found = []
    rules = _grammar()
    may = _literal_test(text, rules)
    for window_start, window_end, kinds in _windows(text):
        for index, rule in enumerate(rules):
            if not _RULE_NEEDS[rule.name] <= kinds or not may(index, window_start, window_end):
                continue
            for m in rule.pattern.finditer(text, window_start, window_end):
                if m.end() > m.start() and (rule.accept is None or rule.accept(text, m)):
                    found.append((m.start(), m.start() - m.end(), index, m))
    found.sort(key=lambda c: c[:3])
    return found


def find_dates(text: str, anchor: date | None, *, day_first: bool = False) -> list[DateMention]:
    """All date mentions of a document, in order; relative ones chain on the last date.

    >>> [m.date_text for m in find_dates("In 2014 it may march on. A year later, 10 days of talks at 3 pm.", None)]
    ['2014', 'A year later']
    """
    rules = _grammar()
    mentions: list[DateMention] = []
    previous: DateMention | None = None
    last_end = 0
    for start, _, index, m in _candidates(text):
        if start < last_end:
            continue
        ctx = _Context(anchor, previous, day_first, not _is_future_context(text, start))
        value = rules[index].resolve(m, ctx)
        if value is None:
            continue
        s, e, widened = _open_range(text, start, m.end(), value)
        if s >= last_end:  # "since" may already belong to the mention before
            value = widened
        else:
            s, e = start, m.end()
        mention = _mention(text, s, e, value)
        mentions.append(mention)
        last_end = e
        if mention.kind != "vague":
            previous = mention
    return mentions


_OPEN_PHRASE = re.compile(r"(?i)(?:ever\s+)?since\s+|beginning\s+in\s+|starting\s+(?:in|from)\s+|from\s+")
_OPEN_PHRASE_END = re.compile(r"(?i)\s+onwards?$")
_LEADING_PREPOSITION = re.compile(
    r"(?i)^(?:in|on|during|of|by|around|circa|c\.|at|as\s+of|until|till|before|after|from|through)\s+"
)


def resolve_date(
    phrase: str,
    anchor: date | None,
    *,
    previous: DateMention | None = None,
    day_first: bool = False,
    is_past: bool = True,
) -> DateMention:
    """One phrase to one mention (null date when it is not understood).

    Offsets are into `phrase`; leading/trailing spaces and punctuation are outside them.

    >>> m = resolve_date("in 2014", None)
    >>> m.date_start, m.date_end, m.precision
    (datetime.date(2014, 1, 1), datetime.date(2014, 12, 31), 'year')
    >>> m = resolve_date("since 2016", None)
    >>> m.date_start, m.date_end, m.precision, m.anchor, m.kind
    (datetime.date(2016, 1, 1), None, 'year', None, 'open_range')
    """
    ctx = _Context(anchor, previous, day_first, is_past)
    stripped = _strip_phrase(phrase)
    offset = phrase.find(stripped) if stripped else 0
    core, is_open = _open_core(stripped)
    lead = _LEADING_PREPOSITION.match(core)
    value = _whole_match(core, ctx) or (lead and _whole_match(core[lead.end() :], ctx))
    if value and is_open and value.kind in _OPENABLE:
        value = value._replace(end=None, kind="open_range")
    if not value:
        value = _dateparser_fallback(stripped, anchor, day_first) or _unresolved("unparsed")
    return _mention(phrase, offset, offset + len(stripped), value)


def _strip_phrase(phrase: str) -> str:
    """The phrase without surrounding space, closing punctuation or one pair of brackets.

    >>> _strip_phrase(" (2014-15). "), _strip_phrase("Easter Church Service (2017)")
    ('2014-15', 'Easter Church Service (2017)')
    """
    stripped = phrase.strip().rstrip(".,;:").strip()
    inner = stripped[1:-1]
    if stripped[:1] + stripped[-1:] in ("()", "[]") and not any(ch in inner for ch in "()[]"):
        return inner.strip()
    return stripped


def _open_core(phrase: str) -> tuple[str, bool]:
    """Split off "since" / "beginning in" / "from ... onwards".

    >>> _open_core("since 2016"), _open_core("from 2016 onwards"), _open_core("from 2016")
    (('2016', True), ('2016', True), ('from 2016', False))
    """
    m = _OPEN_PHRASE.match(phrase)
    if m is None:
        return phrase, False
    if m.group(0).lower().startswith("from"):
        onwards = _OPEN_PHRASE_END.search(phrase)
        return (phrase[m.end() : onwards.start()], True) if onwards else (phrase, False)
    return phrase[m.end() :], True


def _whole_match(text: str, ctx: _Context, rule_names: frozenset[str] | None = None) -> _Value | None:
    """The value of the first rule (in grammar order) matching all of `text`."""
    for rule in _grammar():
        if rule_names is not None and rule.name not in rule_names:
            continue
        m = rule.pattern.fullmatch(text)
        value = rule.resolve(m, ctx) if m else None
        if value is not None:
            return value
    return None


@lru_cache(maxsize=8)
def _date_data_parser(base: datetime, day_first: bool):
    """dateparser, English only (guessing the language is 20x slower), fixed base."""
    from dateparser.date import DateDataParser  # here: a slow import, rarely needed

    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    return DateDataParser(languages=["en"], settings={**settings, "DATE_ORDER": "DMY" if day_first else "MDY"})


_PERIOD_PRECISION = MappingProxyType({"day": "day", "week": "day", "time": "day", "month": "month", "year": "year"})
# Two far-apart bases: an absolute date parses the same against both.
_PROBE_BASES = (datetime(1901, 1, 1), datetime(2099, 6, 15))


def _dateparser_fallback(phrase: str, anchor: date | None, day_first: bool) -> _Value | None:
    """dateparser for a phrase the grammar does not know; kept only if it is not a guess.

    Without an anchor a result counts only when it is the same against two bases.
    """
    if not _looks_like_date(phrase):
        return None
    probes = [_date_data_parser(base, day_first).get_date_data(phrase) for base in _PROBE_BASES]
    if probes[0].date_obj is None:
        return None
    if _same_period(probes[0], probes[1]):
        return _period_value(probes[0], "explicit", None)
    if anchor is None:
        return None
    data = _date_data_parser(datetime(anchor.year, anchor.month, anchor.day), day_first).get_date_data(phrase)
    return _period_value(data, "relative", anchor) if data.date_obj else None


@lru_cache(maxsize=1)
def _date_word_pattern() -> re.Pattern[str]:
    return re.compile(
        r"(?:" + _month_pattern() + r"|" + _weekday_pattern() + r"|(?<![0-9])" + _YEAR + r"(?![0-9])|\b(?i:ago)\b)"
    )


def _looks_like_date(phrase: str) -> bool:
    """Only phrases with a month, weekday, year or "ago" go to dateparser ("the 3rd" does not)."""
    return _date_word_pattern().search(phrase) is not None


def _same_period(a, b) -> bool:
    """Do two dateparser results name the same day/month/year (the base filled the rest)?"""
    if a.date_obj is None or b.date_obj is None or a.period != b.period:
        return False
    fields = {"year": 1, "month": 2}.get(a.period, 3)
    return a.date_obj.timetuple()[:fields] == b.date_obj.timetuple()[:fields]


def _period_value(data, kind: str, anchor: date | None) -> _Value | None:
    """A dateparser result as a span of its period (day, month or year)."""
    d = data.date_obj.date()
    precision = _PERIOD_PRECISION.get(data.period or "day", "day")
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        return None
    if precision == "year":
        return _Value(*_year_span(d.year), "year", kind, anchor)
    if precision == "month":
        return _Value(*_month_span(d.year, d.month), "month", kind, anchor)
    return _Value(d, d, "day", kind, anchor)


_FULL_DATE_RULES = frozenset({"iso", "numeric", "day_month_year", "month_day_year"})


def parse_full_date(text: str) -> date | None:
    """A date only when the whole (stripped) string is one explicit day.

    >>> parse_full_date("Saturday, November 21, 2020"), parse_full_date("Feb. 5, 2018")
    (datetime.date(2020, 11, 21), datetime.date(2018, 2, 5))
    >>> parse_full_date("January 2015") is None, parse_full_date("on Monday") is None
    (True, True)
    """
    value = _whole_match(_strip_phrase(text), _Context(None, None, False, True), _FULL_DATE_RULES)
    return value.start if value is not None and value.precision == "day" else None


def date_mentions(documents: pl.DataFrame, sentences: pl.DataFrame) -> pl.DataFrame:
    """Date mentions of every document, each linked to the sentence holding its start.

    documents: doc_id, text, published_date (the anchor, may be null), optional day_first.
    sentences: doc_id, sentence_idx, char_start, char_end (offsets into the text).
    A mention whose start lies in no sentence has no provenance to give and is left out
    (with sentences covering every paragraph, as flows/sentences.py makes them, none is).
    """
    index = _sentence_index(sentences)
    has_day_first = "day_first" in documents.columns
    rows = []
    for doc in documents.iter_rows(named=True):
        doc_id = str(doc["doc_id"])
        anchor = doc["published_date"]
        if isinstance(anchor, datetime):
            anchor = anchor.date()
        day_first = bool(has_day_first and doc["day_first"])
        for m in find_dates(doc["text"] or "", anchor, day_first=day_first):
            sentence = _sentence_at(index.get(doc_id), m.char_start)
            if sentence is not None:
                rows.append(
                    (doc_id, sentence, m.char_start, m.char_end, m.date_text)
                    + (m.date_start, m.date_end, m.precision, m.anchor, m.kind)
                )
    return pl.DataFrame(rows, schema=dict(MENTION_SCHEMA), orient="row").sort("doc_id", "char_start")


class _Sentences(NamedTuple):
    starts: list[int]
    spans: list[tuple[int, int]]  # (sentence_idx, char_end), in the order of starts


def _sentence_index(sentences: pl.DataFrame) -> dict[str, _Sentences]:
    """Each document's sentences sorted by start, for bisecting."""
    index: dict[str, _Sentences] = {}
    ordered = sentences.select("doc_id", "sentence_idx", "char_start", "char_end").sort("doc_id", "char_start")
    for doc_id, sentence_idx, start, end in ordered.iter_rows():
        entry = index.setdefault(str(doc_id), _Sentences([], []))
        entry.starts.append(start)
        entry.spans.append((sentence_idx, end))
    return index


def _sentence_at(sentences: _Sentences | None, offset: int) -> int | None:
    """The sentence_idx of the sentence containing `offset`, if any."""
    if sentences is None:
        return None
    i = bisect.bisect_right(sentences.starts, offset) - 1
    if i < 0 or offset >= sentences.spans[i][1]:
        return None
    return sentences.spans[i][0]
