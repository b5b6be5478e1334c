"""Decoding and cleaning: bytes in, the article's text out (pure functions).

The cleaned text is what every character offset in the warehouse indexes into, so
cleaning happens once, here, before anything is extracted. Rules:
- decode UTF-8 (BOM or not), UTF-16 with a BOM, then Windows-1252, then Latin-1;
  text full of control characters after that is rejected as `encoding`;
- HTML pages keep their main text only (trafilatura), and hand on their title and date;
- line ends become \\n, runs of spaces one space, each non-empty line one paragraph,
  paragraphs separated by a blank line;
- page furniture (data/reference/documents.yaml `boilerplate_lines`) and a line that
  repeats the one before (a title printed twice) are dropped;
- a paragraph cut by a page break ("medical student" / "named Noreen ...") is joined.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl
import yaml

from flows.sources import REJECT_SCHEMA
from flows.versions import REFERENCE_DIR


BINARY_SIGNATURES = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_HTML = re.compile(r"<!doctype html|<html[\s>]|<body[\s>]", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]['\"”’)\]]*$")

CLEANED_SCHEMA = {
    "source_path": pl.Utf8,
    "size_bytes": pl.Int64,
    "content_sha256": pl.Utf8,
    "encoding": pl.Utf8,
    "text": pl.Utf8,
    "metadata_json": pl.Utf8,
    "footer_domain": pl.Utf8,
}


class SourceRejected(Exception):
    """A source that cannot become a document; reason is a rejected_sources code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class CleaningRules:
    boilerplate: re.Pattern
    footer_domain: re.Pattern
    closing_credit: re.Pattern
    interview_cues: tuple[re.Pattern, ...]
    analysis_cues: tuple[re.Pattern, ...]
    analysis_header_cues: tuple[re.Pattern, ...]
    min_question_paragraphs: int
    honorifics: frozenset[str]
    affiliation_words: tuple[str, ...]
    header_lines: int
    max_title_words: int
    date_line_prefix: re.Pattern
    date_line_suffix: re.Pattern
    date_line_weekday: re.Pattern
    max_masthead_words: int
    outlet_words: frozenset[str]


@lru_cache(maxsize=4)
def load_cleaning_rules(path: Path = REFERENCE_DIR / "documents.yaml") -> CleaningRules:
    """Compile the reviewed cue lists once."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    flags = re.IGNORECASE
    return CleaningRules(
        boilerplate=re.compile("|".join(f"(?:{p})" for p in raw["boilerplate_lines"]), flags),
        footer_domain=re.compile(raw["footer_domain"], flags),
        closing_credit=re.compile(raw["closing_credit"]),
        interview_cues=tuple(re.compile(p, flags) for p in raw["interview_cues"]),
        analysis_cues=tuple(re.compile(p, flags) for p in raw["analysis_cues"]),
        analysis_header_cues=tuple(re.compile(p, flags) for p in raw["analysis_header_cues"]),
        min_question_paragraphs=int(raw["min_question_paragraphs"]),
        honorifics=frozenset(raw["honorifics"]),
        affiliation_words=tuple(raw["affiliation_words"]),
        header_lines=int(raw["header_lines"]),
        max_title_words=int(raw["max_title_words"]),
        date_line_prefix=re.compile(raw["date_line_prefix"], flags),
        date_line_suffix=re.compile(raw["date_line_suffix"], flags),
        date_line_weekday=re.compile(raw["date_line_weekday"], flags),
        max_masthead_words=int(raw["max_masthead_words"]),
        outlet_words=frozenset(w.lower() for w in raw["outlet_words"]),
    )


def decode(content: bytes) -> tuple[str, str]:
    """Bytes to text and the name of the encoding that worked.

    >>> decode("caf\\u00e9".encode("utf-8"))
    ('café', 'utf-8')
    >>> decode(b"\\x93quoted\\x94")
    ('“quoted”', 'cp1252')
    """
    if not content.strip():
        raise SourceRejected("empty", "the file is empty or holds only whitespace")
    for signature, what in BINARY_SIGNATURES.items():
        if content.startswith(signature):
            raise SourceRejected("binary", f"the file is {what}, not text; convert it to text or HTML first")
    if content.startswith(b"\xef\xbb\xbf"):
        attempts = ("utf-8-sig",)
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        attempts = ("utf-16",)
    elif b"\x00" in content:
        raise SourceRejected("binary", "the file holds NUL bytes and no UTF-16 byte-order mark: not text")
    else:
        attempts = ("utf-8", "cp1252", "latin-1")
    for encoding in attempts:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
            continue
        return text, encoding.replace("utf-8-sig", "utf-8")
    raise SourceRejected("encoding", f"not decodable as {', '.join(attempts)}: save it as UTF-8")


def is_html(text: str) -> bool:
    """A saved web page rather than plain text.

    >>> is_html("<!DOCTYPE html><html><body>x</body></html>")
    True
    >>> is_html("Prices rose <b>sharply</b> in May.")
    False
    """
    return bool(_HTML.search(text[:4096]))


def html_main_text(page: str) -> tuple[str, dict]:
    """The article of a web page without scripts, navigation or footers, and its metadata."""
    import trafilatura  # imported here: loading it costs half a second that plain-text runs don't need

    body = trafilatura.extract(page, include_comments=False, include_tables=False, favor_precision=True)
    if not body or not body.strip():
        raise SourceRejected("empty", "an HTML page with no main text that could be extracted")
    meta = trafilatura.extract_metadata(page)
    found = {}
    if meta is not None:
        for field in ("title", "date", "sitename", "author", "url"):
            value = getattr(meta, field, None)
            if value:
                found[field] = value
    title = found.get("title")
    if title and not body.lstrip().startswith(title):
        body = f"{title}\n\n{body}"
    return body, {
        "title": title,
        "published_date": found.get("date"),
        "outlet": found.get("sitename"),
        "authors": [a.strip() for a in found.get("author", "").split(";") if a.strip()] or None,
        "url": found.get("url"),
    }


def normalise_lines(text: str) -> list[str]:
    """Unicode NFC, one kind of line end and space, stripped lines (blank ones kept).

    >>> normalise_lines("a\\u00a0 b\\r\\n\\r\\nc\\t")
    ['a b', '', 'c']
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def drop_boilerplate(lines: list[str], rules: CleaningRules) -> list[str]:
    """Drop page furniture and a non-empty line that repeats the previous one.

    >>> rules = load_cleaning_rules()
    >>> drop_boilerplate(["Title", "", "Title", "Body.", "Leave a Reply", "1 | www.site.org"], rules)
    ['Title', '', 'Body.']
    """
    kept: list[str] = []
    previous = None
    for line in lines:
        if line and (rules.boilerplate.fullmatch(line) or line == previous):
            continue
        kept.append(line)
        if line:
            previous = line
    return kept


def join_broken_paragraphs(lines: list[str]) -> list[str]:
    """Non-empty lines as paragraphs, rejoining one that a page break cut mid-sentence.

    >>> join_broken_paragraphs(["the case of the student", "", "named Noreen, who left.", "Next."])
    ['the case of the student named Noreen, who left.', 'Next.']
    """
    paragraphs: list[str] = []
    for line in lines:
        if not line:
            continue
        if paragraphs and line[0].islower() and not _SENTENCE_END.search(paragraphs[-1]):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs


def footer_domain(lines: list[str], rules: CleaningRules) -> str | None:
    """The site a page footer names, before footers are dropped.

    >>> footer_domain(["Body.", "1 | www.capsindia.org"], load_cleaning_rules())
    'capsindia.org'
    """
    for line in lines:
        found = rules.footer_domain.match(line)
        if found:
            return found.group("domain").lower()
    return None


def clean_lines(lines: list[str], rules: CleaningRules) -> str:
    """The cleaned article text from normalised lines: paragraphs separated by one blank line."""
    return "\n\n".join(join_broken_paragraphs(drop_boilerplate(lines, rules)))


def clean_text(text: str, rules: CleaningRules) -> str:
    """The cleaned article text.

    >>> clean_text("Title\\r\\nTitle\\r\\n\\r\\nBody  text.\\r\\nSource link", load_cleaning_rules())
    'Title\\n\\nBody text.'
    """
    return clean_lines(normalise_lines(text), rules)


def merge_metadata(sidecar_json: str | None, page_meta: dict | None) -> str | None:
    """Sidecar values win over what an HTML page says of itself; both are JSON text."""
    merged = {k: v for k, v in (page_meta or {}).items() if v}
    if sidecar_json:
        try:
            sidecar = json.loads(sidecar_json)
        except json.JSONDecodeError as exc:
            raise SourceRejected("invalid", f"its .meta.json sidecar is not valid JSON: {exc}") from None
        if not isinstance(sidecar, dict):
            raise SourceRejected("invalid", "its .meta.json sidecar must hold a JSON object")
        merged.update({k: v for k, v in sidecar.items() if v not in (None, "")})
    return json.dumps(merged, sort_keys=True, ensure_ascii=False) if merged else None


def cleaned_sources(sources: pl.DataFrame, rules: CleaningRules) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Decode and clean each source; returns (cleaned, rejected)."""
    rows: list[dict] = []
    rejected: list[dict] = []
    for src in sources.iter_rows(named=True):
        try:
            text, encoding = decode(src["content"])
            page_meta = None
            if is_html(text):
                text, page_meta = html_main_text(text)
                encoding = f"{encoding}+html"
            lines = normalise_lines(text)
            domain = footer_domain(lines, rules)
            cleaned = clean_lines(lines, rules)
            if not cleaned:
                raise SourceRejected("empty", "nothing is left once page furniture is removed")
            metadata = merge_metadata(src["metadata_json"], page_meta)
        except SourceRejected as exc:
            rejected.append({"source_path": src["source_path"], "reason": exc.reason, "detail": exc.detail})
            continue
        rows.append({"source_path": src["source_path"], "size_bytes": src["size_bytes"],
                     "content_sha256": src["content_sha256"], "encoding": encoding,
                     "text": cleaned, "metadata_json": metadata,
                     "footer_domain": domain})
    return pl.DataFrame(rows, schema=CLEANED_SCHEMA), pl.DataFrame(rejected, schema=REJECT_SCHEMA)
