"""The documents table: what each cleaned source is, who wrote it, and when.

Header rules read the first few paragraphs (`header_lines` in data/reference/documents.yaml):
- a paragraph that is wholly one full date is the dateline (`published_date`);
- the first other paragraph is the title when it is short and does not read like a body
  sentence (no final full stop, no "CITY:" dateline lead); otherwise there is no title;
- after the title, a person's name with an honorific or "By", or followed by an
  affiliation line ("Senior Fellow, CAPS"), is a byline.
Sidecar metadata (url, outlet, published_date, title, authors, doc_type, day_first) fills
what the text lacks; `published_date_source` says which one gave the date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

import polars as pl

from flows.cleaning import CleaningRules, SourceRejected
from flows.dates import parse_full_date
from flows.schemas import Documents, polars_schema
from flows.sources import REJECT_SCHEMA

_WORD = re.compile(r"\w+")
_DATELINE_LEAD = re.compile(r"^[A-Z][A-Z .'-]{1,30}(,[A-Za-z .]+)?\s*[:–—-]")
_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-z’']+(?:-[A-Z]?[a-z’']+)*|[A-Z]\.|al-[A-Z][a-z]+|(?:bin|ul|ud|de|van|von|al))$")
# A wire dateline opening the body: "PESHAWAR, Pakistan, Jan 30 (Reuters) - ...", "KABUL (AP) — ...".
_WIRE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z'’.-]+(?:[ -][A-Z][A-Za-z'’.-]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z .'-]{1,30}?))?"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}(?:,? \d{4})?))?"
    r"\s*(?:\((?P<agency>[A-Z][A-Za-z .&]{1,30})\))?\s*(?:[-–—]\s*)?"
    r"(?:(?P<date_after>[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})\s*)?"
    r"(?:(?P<dash>[-–—])\s+|(?<=\))\s*)(?=[A-Z0-9“\"'‘])")
# "Karachi, " or "Karachi, Pakistan, " before a date on a date line.
# Every word of the place is capitalised, so "Police said, May 23, 2011" is no date line.
_PLACE_PREFIX = re.compile(r"^(?:[A-Z][A-Za-z'’.-]*(?: [A-Z][A-Za-z'’.-]*){0,3},\s+){1,2}(?=[A-Z0-9])")
# "(AFP)" or "(Zarqa Times)" closing a date line.
_CREDIT_SUFFIX = re.compile(r"\s*\([A-Z][A-Za-z .&'’-]{1,40}\)$")
_BYLINE_LEAD = re.compile(r"(?i)^(?:(?:written|reported|interviewed|compiled)\s+)?by\s*:?\s+")
_ENGLISH_MARKERS = frozenset("the of and to in a is that for on with was as by it from are has be".split())


@dataclass
class Header:
    masthead: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_date: dt.date | None = None
    published_date_text: str | None = None


def looks_like_title(paragraph: str, rules: CleaningRules) -> bool:
    """A headline: short, no final full stop, not a "CITY:" dateline lead.

    >>> from flows.cleaning import load_cleaning_rules
    >>> rules = load_cleaning_rules()
    >>> looks_like_title("Defeated in Middle East, ISIS Creates Presence in South Asia", rules)
    True
    >>> looks_like_title("NEW DELHI: The group is also a proxy that is thriving.", rules)
    False
    """
    words = _WORD.findall(paragraph)
    return (
        0 < len(words) <= rules.max_title_words
        and not paragraph.endswith(".")
        and not _DATELINE_LEAD.match(paragraph)
        and any(c.isupper() for c in paragraph)
    )


def byline_names(paragraph: str, rules: CleaningRules, next_paragraph: str | None) -> list[str]:
    """Author names when the paragraph is a byline, honorifics removed; else [].

    >>> from flows.cleaning import load_cleaning_rules
    >>> rules = load_cleaning_rules()
    >>> byline_names("Dr Shalini Chawla", rules, "Senior Fellow, CAPS")
    ['Shalini Chawla']
    >>> byline_names("By Jane Roe and Omar Khan", rules, None)
    ['Jane Roe', 'Omar Khan']
    >>> byline_names("By Ayesha Siddiqa-Khan, Research Fellow", rules, None)
    ['Ayesha Siddiqa-Khan']
    >>> byline_names("By ASIF KHAN, Associated Press Writer", rules, None)
    ['Asif Khan']
    >>> byline_names("Fairly credible", rules, None)
    []
    """
    text = paragraph.strip()
    has_by = bool(_BYLINE_LEAD.match(text))
    text = _BYLINE_LEAD.sub("", text)
    names = []
    has_honorific = False
    parts = re.split(r"\s*(?:,| and | & )\s*", text)
    affiliated = [p for p in parts if any(w in p.lower() for w in rules.affiliation_words)]
    for part in parts:
        if part in affiliated:
            continue
        tokens = [t.title() if t.isupper() and len(t) > 2 else t for t in part.split()]
        while tokens and tokens[0] in rules.honorifics:
            tokens = tokens[1:]
            has_honorific = True
        if not 2 <= len(tokens) <= 4 or not all(_NAME_TOKEN.match(t) for t in tokens):
            return []
        names.append(" ".join(tokens))
    next_is_affiliation = bool(next_paragraph) and len(_WORD.findall(next_paragraph)) <= 12 and any(
        w in next_paragraph.lower() for w in rules.affiliation_words)
    return names if names and (has_by or has_honorific or next_is_affiliation or affiliated) else []


def header_date(paragraph: str, rules: CleaningRules) -> dt.date | None:
    """A header line that is a date once publishing words, a weekday, a clock time, a
    leading place ("Karachi, May 23, 2011") and other " | " segments are set aside.

    >>> from flows.cleaning import load_cleaning_rules
    >>> rules = load_cleaning_rules()
    >>> header_date("Thu Nov 27, 2008 6:41am EST", rules), header_date("Published in Dawn, July 14th, 2018", rules)
    (datetime.date(2008, 11, 27), datetime.date(2018, 7, 14))
    >>> header_date("Dawn Report | Published October 11, 2009", rules), header_date("Karachi, May 23, 2011", rules)
    (datetime.date(2009, 10, 11), datetime.date(2011, 5, 23))
    >>> header_date("Zarqabad, Pakistan, May 23, 2011 (AFP)", rules)
    datetime.date(2011, 5, 23)
    >>> header_date("Blast kills four in 2018", rules) is None
    True
    >>> header_date("Karachi, May 23, 2011. Militants attacked the base.", rules) is None
    True
    """
    for segment in header_segments(paragraph):
        text = rules.date_line_prefix.sub("", _CREDIT_SUFFIX.sub("", segment.strip()))
        text = rules.date_line_weekday.sub("", rules.date_line_suffix.sub("", text))
        for candidate in (text, _PLACE_PREFIX.sub("", text, count=1)):
            found = parse_full_date(candidate)
            if found is not None:
                return found
    return None


_SEGMENT_BREAK = re.compile(r"\s+[|/]\s+|\s+(?=(?:updated|last updated|last modified)\b)", re.I)


def header_segments(paragraph: str) -> list[str]:
    """The parts of a header line: "Name | Published July 14, 2018 Updated July 14, 2018 11:52pm" has three.

    >>> header_segments("Ghulam Kakar | Published July 14, 2018 Updated July 14, 2018 11:52pm")
    ['Ghulam Kakar', 'Published July 14, 2018', 'Updated July 14, 2018 11:52pm']
    >>> header_segments("January 21, 2016 / 3:27 PM")
    ['January 21, 2016', '3:27 PM']
    """
    return _SEGMENT_BREAK.split(paragraph.strip())


def segment_authors(paragraph: str, rules: CleaningRules) -> list[str]:
    """Names standing alone in the segments of a date line: "Aijaz Rather | Srinagar | Updated: ..." -> Aijaz Rather.

    >>> from flows.cleaning import load_cleaning_rules
    >>> segment_authors("Written by Aijaz Rather | Srinagar | Updated: November 19, 2017", load_cleaning_rules())
    ['Aijaz Rather']
    """
    names = []
    for segment in header_segments(paragraph):
        tokens = _BYLINE_LEAD.sub("", segment).split()
        if 2 <= len(tokens) <= 4 and all(_NAME_TOKEN.match(t) and t.lower() not in rules.outlet_words for t in tokens) \
                and header_date(segment, rules) is None:
            names.append(" ".join(tokens))
    return names


def is_masthead(paragraph: str, following: list[str], rules: CleaningRules) -> bool:
    """A short publication name above the date line and headline ("DAWN", "The Hindu", "KabulNow | Interview").

    It is followed by the date line, or by a longer headline with the date line soon after; a
    short headline is told apart by its lowercase words ("Kabul attack"), a name has none.

    >>> from flows.cleaning import load_cleaning_rules
    >>> rules = load_cleaning_rules()
    >>> is_masthead("TOLOnews", ["9 May 2021", "Death Toll in Kabul School Bombing Rises to 58"], rules)
    True
    >>> is_masthead("The Daily Star", ["Militants strike near Eid ground", "Staff Correspondent", "July 8, 2016"], rules)
    True
    >>> is_masthead("Kabul attack", ["By Jane Roe", "The attack killed four."], rules)
    False
    >>> is_masthead("Kabul attack", ["Four killed as gunmen storm a school", "July 8, 2016"], rules)
    False
    >>> is_masthead("Title", ["Body text, the author said. (IANS)"], rules)
    False
    """
    words = _WORD.findall(header_segments(paragraph)[0])
    if len(words) > rules.max_masthead_words or any(c.isdigit() for c in paragraph) or not following:
        return False
    if header_date(following[0], rules) is not None:
        return len(following) == 1 or looks_like_title(following[1], rules) or bool(_WIRE_DATELINE.match(following[1]))
    dated = any(header_date(p, rules) is not None for p in following[1:4])
    headline = following[0]
    return (dated and all(w[0].isupper() for w in words) and looks_like_title(headline, rules)
            and not byline_names(headline, rules, None) and len(_WORD.findall(headline)) > len(words))


def read_header(paragraphs: list[str], rules: CleaningRules) -> Header:
    """Masthead, title, byline and dateline from the leading paragraphs."""
    header = Header()
    seen_text = False
    lead = paragraphs[: rules.header_lines]
    for i, para in enumerate(lead):
        date = header_date(para, rules)
        if date is not None:
            if header.published_date is None:
                header.published_date, header.published_date_text = date, para
            header.authors = header.authors or segment_authors(para, rules)
            continue
        if not seen_text:
            if header.masthead is None and is_masthead(para, lead[i + 1:], rules):
                header.masthead = para
                continue
            seen_text = True
            if looks_like_title(para, rules):
                header.title = para
                continue
            break
        names = byline_names(para, rules, lead[i + 1] if i + 1 < len(lead) else None)
        if names and not header.authors:
            header.authors = names
            continue
        if header.title is not None and lead[i - 1] == header.title and looks_like_title(para, rules) \
                and len(_WORD.findall(para)) > rules.max_masthead_words:
            # a subtitle ("2 cops, housewife killed; IS claims attack"): the byline and date may follow
            continue
        if header.authors and any(w in para.lower() for w in rules.affiliation_words) and len(_WORD.findall(para)) <= 12:
            continue
        if len(_WORD.findall(para)) <= rules.max_masthead_words and not para.endswith("."):
            # a credit line: "Dawn Report" names the outlet, "Staff Correspondent" no one
            if not any(w in para.lower() for w in rules.affiliation_words):
                header.masthead = header.masthead or para
            continue
        break
    return header


def wire_dateline(paragraph: str) -> tuple[dt.date | None, str | None, str | None]:
    """(date, its words, agency) from a wire dateline; the date only when it carries a year.

    >>> wire_dateline("SEHWAN, Pakistan, Feb 17, 2017 (AFP) - Security forces killed ...")
    (datetime.date(2017, 2, 17), 'Feb 17, 2017', 'AFP')
    >>> wire_dateline("PESHAWAR, Pakistan, Jan 30 (Reuters) - A suicide bomber ...")
    (None, None, 'Reuters')
    >>> wire_dateline("Srinagar, Feb 14 (PTI) At least 40 personnel were killed")
    (None, None, 'PTI')
    >>> wire_dateline("KABUL, Afghanistan (AP) — May 12, 2020 — Gunmen stormed a hospital")
    (datetime.date(2020, 5, 12), 'May 12, 2020', 'AP')
    >>> wire_dateline("Pakistan, a country with nuclear assets - and more")
    (None, None, None)
    """
    found = _WIRE_DATELINE.match(paragraph)
    if not found or not (found.group("agency") or found.group("date")):
        return None, None, None
    words = found.group("date") or found.group("date_after")
    date = parse_full_date(words) if words else None
    return date, (words if date else None), found.group("agency")


def doc_type(paragraphs: list[str], rules: CleaningRules) -> str:
    """interview | analysis | news, from reviewed cues; news when nothing else fits.

    >>> from flows.cleaning import load_cleaning_rules
    >>> rules = load_cleaning_rules()
    >>> doc_type(["Title", "Interview with Jane Roe, a Fellow", "Body."], rules)
    'interview'
    >>> doc_type(["Title", "Body.", "(Disclaimer: The views and opinions expressed in this article are those of the author)"], rules)
    'analysis'
    >>> doc_type(["Title", "Body."], rules)
    'news'
    """
    lead = paragraphs[: rules.header_lines]
    if any(cue.search(p) for p in lead for cue in rules.interview_cues):
        return "interview"
    if sum(1 for p in paragraphs if p.endswith("?") and len(p) < 400) >= rules.min_question_paragraphs:
        return "interview"
    if any(cue.search(p.lstrip("(")) for p in paragraphs for cue in rules.analysis_cues):
        return "analysis"
    if any(cue.search(p) for p in lead for cue in rules.analysis_header_cues):
        return "analysis"
    return "news"


def closing_credit(paragraphs: list[str], rules: CleaningRules) -> str | None:
    """The wire or outlet credited at the very end: "... said. (IANS)" -> "IANS".

    >>> from flows.cleaning import load_cleaning_rules
    >>> closing_credit(["Body.", "It ended, the author said. (IANS)"], load_cleaning_rules())
    'IANS'
    """
    if not paragraphs:
        return None
    found = rules.closing_credit.search(paragraphs[-1])
    if not found:
        return None
    return (found.group("paren") or found.group("dash")).strip()


def language(text: str) -> str | None:
    """'en' when common English function words make up a share of the words; else None.

    >>> language("The attack on the police academy was claimed by the group.")
    'en'
    >>> language("Der Angriff wurde von der Gruppe beansprucht.") is None
    True
    """
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    if not words:
        return None
    share = sum(1 for w in words if w in _ENGLISH_MARKERS) / len(words)
    return "en" if share >= 0.12 else None


def metadata_date(value: object) -> dt.date:
    """A sidecar's published_date: an ISO date (or date-time) or any full written date."""
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        parsed = parse_full_date(text)
    if parsed is None:
        raise SourceRejected("invalid", f"metadata published_date {text!r} is not a date; use YYYY-MM-DD")
    return parsed


def first_body_paragraph(paragraphs: list[str], header: Header, rules: CleaningRules) -> str:
    """The first paragraph that is neither the title, a byline nor a date line."""
    skip = {header.masthead, header.title, header.published_date_text, *header.authors}
    for para in paragraphs:
        if para not in skip and header_date(para, rules) is None and not any(
                a.lower() in para.lower() for a in header.authors):
            return para
    return ""


def document_row(source: dict, rules: CleaningRules, ingested_at: dt.datetime) -> dict:
    """One documents row from one cleaned source (see the module docstring for the rules)."""
    text = source["text"]
    paragraphs = text.split("\n\n")
    header = read_header(paragraphs, rules)
    meta = json.loads(source["metadata_json"]) if source["metadata_json"] else {}
    wire_date, wire_date_text, agency = wire_dateline(first_body_paragraph(paragraphs, header, rules))
    published, published_source, published_text = header.published_date, None, header.published_date_text
    if published is None and wire_date is not None:
        published, published_text = wire_date, wire_date_text
    if published is not None:
        published_source = "text"
    elif meta.get("published_date"):
        published, published_source, published_text = metadata_date(meta["published_date"]), "metadata", str(meta["published_date"])
    authors = header.authors or [a for a in (meta.get("authors") or []) if isinstance(a, str) and a.strip()]
    kind = meta.get("doc_type") if meta.get("doc_type") in ("news", "interview", "analysis") else doc_type(paragraphs, rules)
    return {
        "doc_id": source["content_sha256"][:16],
        "source_path": source["source_path"],
        "title": header.title or meta.get("title"),
        "outlet": (meta.get("outlet") or (header.masthead and header_segments(header.masthead)[0]) or closing_credit(paragraphs, rules) or agency
                   or source["footer_domain"]),
        "authors": authors,
        "url": meta.get("url"),
        "published_date": published,
        "published_date_source": published_source,
        "published_date_text": published_text,
        "doc_type": kind,
        "language": meta.get("language") or language(text),
        "n_words": len(_WORD.findall(text)),
        "n_chars": len(text),
        "content_sha256": source["content_sha256"],
        "encoding": source["encoding"],
        "text": text,
        "ingested_at": ingested_at,
        "is_day_first": bool(meta.get("day_first", False)),
    }


def documents(cleaned: pl.DataFrame, rules: CleaningRules, ingested_at: dt.datetime) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One row per distinct content; returns (documents, rejected).

    A second file with the same bytes is rejected as `duplicate`, naming the first.
    """
    rows: list[dict] = []
    rejected: list[dict] = []
    first_path: dict[str, str] = {}
    for source in cleaned.sort("source_path").iter_rows(named=True):
        sha = source["content_sha256"]
        if sha in first_path:
            rejected.append({"source_path": source["source_path"], "reason": "duplicate",
                             "detail": f"same content as {first_path[sha]}; published once under that path"})
            continue
        try:
            rows.append(document_row(source, rules, ingested_at))
        except SourceRejected as exc:
            rejected.append({"source_path": source["source_path"], "reason": exc.reason, "detail": exc.detail})
            continue
        first_path[sha] = source["source_path"]
    return pl.DataFrame(rows, schema=polars_schema(Documents)).sort("doc_id"), pl.DataFrame(rejected, schema=REJECT_SCHEMA)
