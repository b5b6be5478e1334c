"""Find entity mentions in document text.

Matching policy (tested in tests/test_mentions.py):

1. Registry aliases are found with one Aho-Corasick automaton over a normalised
   copy of the text: lowercased, accents folded, every non-alphanumeric
   character a space, runs of spaces collapsed (an offset table maps back to
   the original text). So "IS- Khorasan", "IS-Khorasan" and "IS Khorasan" are
   one key, en/em dashes equal hyphens, curly apostrophes equal straight ones,
   and "Pakistan's"/"Pakistan’s" match "Pakistan" with the span stopping
   before the apostrophe. A match starts and ends on word boundaries, never
   spans a line break, and is not joined by list punctuation ("ISIS, Pakistan"
   is two mentions, not "ISIS-Pakistan") or by a full stop and space. A match
   tied by a hyphenated connective to a capitalised word is part of a longer
   name the registry lacks ("Jaish-e-Mohammed-ul-Velmar") and is dropped.
2. Case rules, token by token against the alias as written in the registry:
   acronym tokens (no lowercase letter: "IS", "ISI", "KP") and camel-case tokens
   ("LeT", "JeM") must appear exactly as written, so "is" is never the Islamic
   State and "let" never Lashkar-e-Taiba; when the alias starts with a capital,
   the text must too ("Pakistan", "PAKISTAN", not "pakistan"); later words are
   free ("Indian army"). Places listed as exact-case in the gazetteer settings
   match only exactly ("Male"). Acronyms that are English words ("IS", "US",
   "RAW") are not matched on a line written all in capitals.
   Transliteration spellings the registry generates from reviewed aliases
   ("Tehreek-i-Jihad" from "Tehreek-e-Jihad", "Jaysh" from "Jaish"; see
   name_rules.yaml) match like aliases, with match_method 'variant'; so does
   a capitalised run that spells a reviewed actor alias with another mix of
   connectives and spellings (same `spelling_key`, rule 5).
3. Overlaps: the longest span wins, then the earliest.
4. An alias shared by several entities (Hyderabad in India and Pakistan; "PTI"
   the news agency and the party) is decided by the countries mentioned most:
   for a place, in its sentence, else its paragraph, else the whole document;
   for an actor, in the whole document (match_method 'document_country'). It
   stays unresolved with match_method 'ambiguous' when no candidate's country
   leads.
5. Capitalised runs the registry does not cover (joined by particles such as
   al-, bin, ul; "of" only after an institution or place word) become mentions
   with entity_id None and match_method 'unresolved', unless they nearly spell
   a long registry alias of an actor (rapidfuzz ratio >= 90, same first letter,
   not a mere extension such as "Pakistani", never places or acronyms:
   'fuzzy'). Their type is guessed: person after a title ("Dr", "Col",
   "Interior Minister", "Taliban spokesman") or for Firstname Surname, location
   for "... district/province/village", armed_group for Lashkar, Jaish, Tehrik,
   Jamaat..., state_agency or organisation for institution words, else other.
   Sentence-initial single words (unless the document writes them capitalised
   elsewhere), stop words, months, weekdays, numbers, demonyms and
   headline-case lines are skipped.

6. A bare surname after a full name in the same document ("Benazir Bhutto ...
   Bhutto said") names that person when no other person with that surname came
   before it (see `resolve_surnames`; match_method 'surname'). A sentence-initial
   word that is the surname of a person the registry found is kept as a name.

7. A demonym and an institution head ("Iranian officials", "Bangladeshi authorities",
   "Pakistani security agencies", "Iran's intelligence services") that the registry
   has no alias for is one mention of the state, or for intelligence/security heads of
   the state's intelligence agency when the registry names one (`demonym_mentions`;
   heads, demonyms and the agency look-up words in name_rules.yaml `demonyms`). A
   registry alias of the same span wins; "Afghan and Indian officials" is left to the
   readers of the sentence (two states).

match_method values: exact, case_insensitive, normalised, variant,
document_country, ambiguous, fuzzy, surname, demonym, unresolved. The word lists live in data/reference/name_rules.yaml.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from types import MappingProxyType

import polars as pl
from rapidfuzz import fuzz, process

from flows.schemas import Mentions, polars_schema

from flows.registry import (
    FUZZY_MIN_LENGTH,
    AliasEntry,
    AliasVariant,
    NameRules,
    Registry,
    fold_table,
    is_acronym,
    normalise,
    separated,
    spelling_key,
    tokens,
)

FUZZY_THRESHOLD = 90.0
MENTION_SCHEMA = MappingProxyType(dict(polars_schema(Mentions)))  # the published table's columns

_SEPARATOR_RUN = re.compile(r"[ \n]{2,}")
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĒĔĖĘĚĜĞĠĢĤĪĬĮİĴĶĹĻĽŁŃŅŇŌŎŐŒŔŖŘŚŜŞŠŢŤŪŬŮŰŲŴŶŸŹŻŽ"
_CAP_WORD = rf"(?:(?:al|el|bin|ibn|ul|ud|ur|as|ad|an)[-‐‑][{_UPPER}]|[{_UPPER}])[\w]*(?:['’\-‐‑][\w]+)*"
_WORD = re.compile(r"[^\W_][\w]*(?:['’\-‐‑][^\W_]+)*")
_NEXT_WORD = re.compile(r"[ \t]+([a-z]+)\b")
_LAST_WORD = re.compile(r"(\w+)\.?[ \t]+$")
_HARD_PUNCTUATION = re.compile(r"[,;:!?()\[\]{}\"“”|/\\<>*…]")
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_END = frozenset(".!?:;•|…")
_OPENERS = frozenset("\"'“‘([{*-–—")


@dataclass(frozen=True)
class Mention:
    """One mention; text[char_start:char_end] == surface_text."""

    char_start: int
    char_end: int
    surface_text: str
    entity_id: str | None
    entity_type: str
    match_method: str
    candidate_ids: tuple[str, ...] = ()


def find_mentions(text: str, registry: Registry, memo: Memo | None = None) -> list[Mention]:
    """All mentions in one document, sorted by position (see module docstring).

    `memo` may be shared by the documents of a batch: it only remembers
    decisions that depend on the registry and the words, never on a document.
    """
    memo = memo if memo is not None else Memo()
    candidates = registry_matches(text, registry, memo)
    matched = select_longest([*candidates, *demonym_mentions(text, registry)])
    names = name_mentions(text, matched, registry, memo)
    found = sorted(resolve_ambiguous([*matched, *names], registry, text), key=lambda m: (m.char_start, m.char_end))
    return resolve_surnames(found)


@dataclass(frozen=True)
class Memo:
    """Per-batch memory of how an alias written one way resolves, and of fuzzy look-ups."""

    decisions: dict[tuple[str, str], _Decision | None] = field(default_factory=dict)
    fuzzy: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # surface -> (entity id, method)


def mentions(documents: pl.DataFrame, sentences: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """Mentions of every document, with the sentence each one starts in.

    documents: doc_id, text (+ others); sentences: doc_id, sentence_idx,
    char_start, char_end (offsets into the document text). Sorted by doc_id,
    char_start.
    """
    memo = Memo()
    rows = [
        (doc_id, m.char_start, m.char_end, m.surface_text, m.entity_id, m.entity_type, m.match_method)
        for doc_id, text in zip(documents["doc_id"].to_list(), documents["text"].to_list(), strict=True)
        for m in find_mentions(text or "", registry, memo)
    ]
    found = pl.DataFrame(
        rows,
        schema={k: v for k, v in MENTION_SCHEMA.items() if k != "sentence_idx"},
        orient="row",
    )
    return _with_sentence_idx(found, sentences).select(list(MENTION_SCHEMA)).sort("doc_id", "char_start")


def _with_sentence_idx(found: pl.DataFrame, sentences: pl.DataFrame) -> pl.DataFrame:
    """The sentence holding each mention's start (sentences cover every non-blank line).

    A mention in the white space between sentences goes to the sentence before it,
    one before the first sentence to the first.
    """
    spans = sentences.select(
        pl.col("doc_id").cast(pl.String),
        pl.col("sentence_idx").cast(pl.Int32),
        pl.col("char_start").cast(pl.Int32).alias("sentence_start"),
    ).sort("doc_id", "sentence_start")
    ordered = found.sort("doc_id", "char_start")
    before, after = (
        ordered.join_asof(
            spans,
            left_on="char_start",
            right_on="sentence_start",
            by="doc_id",
            strategy=strategy,
            check_sortedness=False,  # both sides are sorted by (doc_id, start) just above
        )["sentence_idx"]
        for strategy in ("backward", "forward")
    )
    return ordered.with_columns(before.fill_null(after).alias("sentence_idx"))


# --- registry aliases --------------------------------------------------------------


@dataclass(frozen=True)
class _Collapsed:
    """The normalised text with separator runs collapsed, and the way back."""

    text: str
    run_positions: list[int]
    removed_before: list[int]

    def original(self, position: int) -> int:
        return position + self.removed_before[bisect_left(self.run_positions, position)]


def collapse(separated_text: str) -> _Collapsed:
    """Collapse runs of separators to one char (a line break if the run has one).

    >>> c = collapse("is  khorasan")
    >>> c.text, c.original(3)
    ('is khorasan', 4)
    """
    pieces, positions, removed_before = [], [], [0]
    last = removed = 0
    for match in _SEPARATOR_RUN.finditer(separated_text):
        start, end = match.span()
        pieces.append(separated_text[last:start])
        pieces.append("\n" if "\n" in match.group() else " ")
        positions.append(start - removed)
        removed += end - start - 1
        removed_before.append(removed)
        last = end
    pieces.append(separated_text[last:])
    return _Collapsed("".join(pieces), positions, removed_before)


@dataclass(frozen=True)
class _Decision:
    """What an alias key written one way in the text resolves to."""

    owners: tuple[str, ...]
    entity_type: str
    suffix: str
    method: str
    method_with_suffix: str
    word_like: bool


def registry_matches(text: str, registry: Registry, memo: Memo) -> list[Mention]:
    """Every alias occurrence that passes the boundary and case rules (overlapping).

    Keys are stored space-padded, so the automaton reports whole words only;
    line breaks count as spaces there, and a match holding one is dropped.
    """
    collapsed = collapse(separated(text))
    normal = collapsed.text
    padded = f" {normal.replace(chr(10), ' ')} "
    found = []
    for padded_end, key in registry.automaton.iter(padded):
        start, end = padded_end - len(key) - 1, padded_end - 2  # first and last char in `normal`
        if "\n" in normal[start : end + 1]:
            continue
        char_start, char_end = collapsed.original(start), collapsed.original(end) + 1
        surface = text[char_start:char_end]
        if (key, surface) not in memo.decisions:
            memo.decisions[key, surface] = _decide_alias(registry.aliases[key], surface, registry)
        decision = memo.decisions[key, surface]
        if decision is None or (decision.word_like and in_all_caps_line(text, char_start)):
            continue
        if not inside_longer_name(text, char_start, char_end, registry):
            found.append(_alias_mention(text, char_start, char_end, decision))
    return found


def demonym_mentions(text: str, registry: Registry) -> list[Mention]:
    """Demonym + institution phrases the registry has no alias for (rule 7, match_method 'demonym').

    "Iranian officials" is Iran; "Pakistani security agencies" is the state's intelligence agency
    when the registry has one, else the state; "Iran's intelligence services" takes the country's
    name as its demonym. A demonym tied to another before it ("Afghan and Indian officials",
    "Afghan, Indian officials") is left alone: the phrase names two states.

    >>> from flows.registry import load_registry
    >>> registry = load_registry()
    >>> [(m.surface_text, m.entity_id) for m in demonym_mentions("Iranian officials and Pakistani agencies", registry)]
    [('Iranian officials', 'iran'), ('Pakistani agencies', 'isi')]
    >>> demonym_mentions("Afghan and Indian officials said", registry)
    []
    """
    rules = registry.demonyms
    found = []
    for m in _demonym_pattern(tuple(rules.heads)).finditer(text):
        words = m["who"].split()
        for i in range(len(words)):
            who = " ".join(words[i:])
            state = _state_named(who, bool(m["pos"]), registry)
            if state is None:
                continue
            start = m.start("who") + m["who"].index(who)
            if _DEMONYM_LIST_BEFORE.search(text, max(0, start - 30), start):
                break
            entity_id = rules.agencies.get(state, state) if rules.heads[normalise(m["head"])] == "agency" else state
            found.append(Mention(start, m.end(), text[start : m.end()], entity_id,
                                 registry.entities[entity_id].entity_type, "demonym"))
            break
    return found


_DEMONYM_LIST_BEFORE = re.compile(r"[A-Z][\w.]*(?:\s+and|\s*,|\s+or|\s*/)\s*$")


def _state_named(who: str, possessive: bool, registry: Registry) -> str | None:
    """The state a demonym ("Pakistani") or, before "'s", a state's name ("Iran's") stands for."""
    key = normalise(who)
    if not possessive:
        return registry.demonyms.states.get(key)
    entry = registry.aliases.get(key)
    owners = {v.entity_id for v in entry.variants} if entry else set()
    state = owners.pop() if len(owners) == 1 else None
    return state if state and registry.entities[state].entity_type == "state" else None


@functools.lru_cache(maxsize=8)
def _demonym_pattern(heads: tuple[str, ...]) -> re.Pattern[str]:
    """Up to three capitalised words, an optional "'s", then a head ("security agencies"; any case)."""
    alternatives = "|".join(r"[ \t]+".join(map(re.escape, h.split())) for h in sorted(heads, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w.])(?P<who>[{_UPPER}][\w.]*(?:[ \t]+[{_UPPER}][\w.]*){{0,2}}?)(?P<pos>['’]s)?[ \t]+"
        rf"(?i:(?P<head>{alternatives}))\b"
    )


def inside_longer_name(text: str, start: int, end: int, registry: Registry) -> bool:
    """Whether a hyphenated connective ties the span to a capitalised word: part of a longer transliterated name.

    >>> from flows.registry import load_registry
    >>> r = load_registry()
    >>> text = "Jaish-e-Mohammed-ul-Velmar and Jaish-e-Mohammed-led cells"
    >>> inside_longer_name(text, 0, 16, r), inside_longer_name(text, 31, 47, r)
    (True, False)
    """
    pattern = _connective_pattern(registry.name_rules.connectives)
    return bool(pattern.match(text, end) or pattern.search(text[max(0, start - 8) : start]))


@functools.lru_cache(maxsize=8)
def _connective_pattern(connectives: frozenset[str]) -> re.Pattern[str]:
    """A connective between hyphens with a capitalised word after it, or one ending just before a span."""
    words = "|".join(sorted(connectives, key=len, reverse=True))
    return re.compile(rf"[-‐‑](?:{words})[-‐‑][{_UPPER}]|[{_UPPER}a-z][-‐‑](?:{words})[-‐‑]$")


def _decide_alias(entry: AliasEntry, surface: str, registry: Registry) -> _Decision | None:
    """The entities whose written alias fits the surface, typed, with the closest alias's method."""
    accepted = [v for v in entry.variants if case_accepts(v, surface) and joins_like(v.alias, surface)]
    if not accepted:
        return None
    closest = min(accepted, key=lambda v: _method_rank(v.alias, surface))
    best = closest.alias
    owners = tuple(sorted({v.entity_id for v in accepted}))
    suffix = _trailing_punctuation(best)
    return _Decision(
        owners=owners,
        entity_type=_shared_type(owners, registry),
        suffix=suffix,
        method=_alias_method(closest, surface, len(owners)),
        method_with_suffix=_alias_method(closest, surface + suffix, len(owners)),
        word_like=best in registry.name_rules.word_acronyms,
    )


def _alias_method(variant: AliasVariant, surface: str, owner_count: int) -> str:
    """'ambiguous' for a shared alias, 'variant' for a generated spelling, else how close the text is."""
    if owner_count > 1:
        return "ambiguous"
    return "variant" if variant.generated else match_method(variant.alias, surface)


def in_all_caps_line(text: str, position: int) -> bool:
    """Whether the line around position has no lowercase letter (a shouted headline).

    >>> in_all_caps_line("WHAT IS NEXT\\nIS claimed it", 5), in_all_caps_line("WHAT IS NEXT\\nIS claimed it", 14)
    (True, False)
    """
    line_end = text.find("\n", position)
    line = text[text.rfind("\n", 0, position) + 1 : line_end if line_end != -1 else len(text)]
    return line == line.upper()


def _alias_mention(text: str, start: int, end: int, decision: _Decision) -> Mention:
    method = decision.method
    if decision.suffix and text.startswith(decision.suffix, end):
        end += len(decision.suffix)
        method = decision.method_with_suffix
    owners = decision.owners
    if len(owners) > 1:
        return Mention(start, end, text[start:end], None, decision.entity_type, method, owners)
    return Mention(start, end, text[start:end], owners[0], decision.entity_type, method)


def match_method(alias: str, surface: str) -> str:
    """How close the text is to the alias as written.

    >>> match_method("IS-Khorasan", "IS-Khorasan"), match_method("Pakistan", "PAKISTAN")
    ('exact', 'case_insensitive')
    >>> match_method("IS-Khorasan", "IS- Khorasan")
    'normalised'
    """
    if surface == alias:
        return "exact"
    if surface.lower() == alias.lower():
        return "case_insensitive"
    return "normalised"


def _trailing_punctuation(alias: str) -> str:
    """What an alias has after its last letter or digit ("U.S." -> ".", "CPI (Maoist)" -> ")")."""
    return alias[len(alias.rstrip("\".)]}’' ")) :]


def joins_like(alias: str, surface: str) -> bool:
    """Words of a name are joined by spaces, dashes, dots or apostrophes, not by list punctuation.

    >>> joins_like("ISIS-Pakistan", "ISIS, Pakistan"), joins_like("Washington, D.C.", "Washington, D.C")
    (False, True)
    >>> joins_like("UN Security Council", "UN. Security Council")
    False
    """
    if ". " in surface and "." not in alias:
        return False
    return all(ch in alias for ch in _HARD_PUNCTUATION.findall(surface))


def _method_rank(alias: str, surface: str) -> int:
    return ("exact", "case_insensitive", "normalised").index(match_method(alias, surface))


def case_accepts(variant: AliasVariant, surface: str) -> bool:
    """Whether the text's capitalisation fits the alias (module docstring, rule 2).

    >>> case_accepts(AliasVariant("IS", "x"), "is"), case_accepts(AliasVariant("IS", "x"), "IS")
    (False, True)
    >>> case_accepts(AliasVariant("LeT", "x"), "LET"), case_accepts(AliasVariant("Indian Army", "x"), "Indian army")
    (False, True)
    """
    if variant.exact_case:
        return surface.rstrip(".") == variant.alias.rstrip(".")
    count, strict, capital_first = variant.case_rule
    surface_tokens = tokens(surface.translate(fold_table()))
    if len(surface_tokens) != count:
        return False
    if capital_first and not surface_tokens[0][0].isupper():
        return False
    return all(surface_tokens[i] == token for i, token in strict)


def _shared_type(entity_ids: Iterable[str], registry: Registry) -> str:
    types = {registry.entities[e].entity_type for e in entity_ids}
    return types.pop() if len(types) == 1 else "other"


def select_longest(candidates: Sequence[Mention]) -> list[Mention]:
    """Non-overlapping mentions: the longest span wins, then the earliest.

    >>> a, b = Mention(0, 7, "Islamic", "x", "other", "exact"), Mention(0, 13, "Islamic State", "y", "other", "exact")
    >>> [m.surface_text for m in select_longest([a, b])]
    ['Islamic State']
    """
    ordered = sorted(candidates, key=attrgetter("char_start"))
    chosen: list[Mention] = []
    cluster: list[Mention] = []
    reach = -1
    for mention in ordered:
        if mention.char_start >= reach and cluster:
            chosen.extend(_longest_first(cluster))
            cluster = []
        cluster.append(mention)
        reach = max(reach, mention.char_end)
    chosen.extend(_longest_first(cluster))
    return sorted(chosen, key=attrgetter("char_start"))


def _longest_first(cluster: list[Mention]) -> list[Mention]:
    """Greedy longest-then-earliest choice within one cluster of overlapping spans."""
    if len(cluster) == 1:
        return cluster
    chosen: list[Mention] = []
    for mention in sorted(cluster, key=lambda m: (m.char_start - m.char_end, m.char_start)):
        if all(mention.char_end <= c.char_start or c.char_end <= mention.char_start for c in chosen):
            chosen.append(mention)
    return chosen


# --- ambiguity ---------------------------------------------------------------------------


def document_countries(found: Iterable[Mention], registry: Registry) -> Counter[str]:
    """How often each country is mentioned (through resolved mentions' entities)."""
    return Counter(
        registry.entities[m.entity_id].country_iso2
        for m in found
        if m.entity_id is not None and registry.entities[m.entity_id].country_iso2
    )


def resolve_ambiguous(found: Sequence[Mention], registry: Registry, text: str = "") -> list[Mention]:
    """Decide shared aliases by the countries mentioned around them.

    A shared place name is decided by its sentence first, then its paragraph
    (line), then the document; a shared actor name (an agency, a party, a news
    agency) by the document alone, because a sentence about an agency often
    names the country it accuses. A candidate wins at the first level where its
    country is mentioned strictly more often than every other candidate's;
    otherwise the mention stays 'ambiguous'.
    """
    if not any(m.match_method == "ambiguous" for m in found):
        return list(found)
    document = document_countries(found, registry)
    decided = []
    for mention in found:
        if mention.match_method == "ambiguous":
            mention = _decide(mention, [*_local_countries(mention, found, text, registry), document], registry)
        decided.append(mention)
    return decided


def _local_countries(mention: Mention, found: Sequence[Mention], text: str, registry: Registry) -> list[Counter[str]]:
    """Country counts of a shared place name's sentence and paragraph (none for other shared names)."""
    if mention.entity_type != "location":
        return []
    windows = (sentence_span(text, mention.char_start), paragraph_span(text, mention.char_start))
    return [document_countries((m for m in found if lo <= m.char_start < hi), registry) for lo, hi in windows]


def sentence_span(text: str, position: int) -> tuple[int, int]:
    """The sentence around a position: from after the last full stop (or line break) to the next.

    >>> text = "Police in Sindh said so. Hyderabad was calm. Delhi spoke."
    >>> text[slice(*sentence_span(text, text.index("Hyderabad")))]
    'Hyderabad was calm.'
    """
    start = max(text.rfind(mark, 0, position) for mark in (". ", "! ", "? ", "\n")) + 1
    ends = [i for i in (text.find(mark, position) for mark in (". ", "! ", "? ", "\n")) if i != -1]
    return start + (text[start : start + 1] == " "), min(ends, default=len(text)) + 1


def paragraph_span(text: str, position: int) -> tuple[int, int]:
    """The line (paragraph) around a position.

    >>> paragraph_span("a\\nbc d\\ne", 3)
    (2, 6)
    """
    end = text.find("\n", position)
    return text.rfind("\n", 0, position) + 1, end if end != -1 else len(text)


def _decide(mention: Mention, contexts: Sequence[Counter[str]], registry: Registry) -> Mention:
    """The candidate whose country leads in the first context that has a leader."""
    for countries in contexts:
        scored = sorted(
            ((countries.get(registry.entities[c].country_iso2 or "", 0), c) for c in mention.candidate_ids),
            reverse=True,
        )
        if scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            continue
        winner = scored[0][1]
        return replace(
            mention,
            entity_id=winner,
            entity_type=registry.entities[winner].entity_type,
            match_method="document_country",
        )
    return mention


# --- names the registry lacks -------------------------------------------------------------


@dataclass(frozen=True)
class _Segment:
    """A candidate name: its span, its words as the name rules spell them, and its context."""

    start: int
    end: int
    words: tuple[str, ...]
    after_title: bool
    sentence_initial: bool


def name_mentions(text: str, matched: Sequence[Mention], registry: Registry, memo: Memo) -> list[Mention]:
    """Capitalised names outside registry matches: fuzzy matches or unresolved."""
    covered = bytearray(len(text))
    for m in matched:
        covered[m.char_start : m.char_end] = b"\x01" * (m.char_end - m.char_start)
    headline_lines: dict[int, bool] = {}
    segments = []
    for run in _pattern(registry).finditer(text):
        start, end = run.span()
        if covered.find(0, start, end) == -1 or _lone_non_name(run.group(), registry):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        if line_start not in headline_lines:
            line_end = text.find("\n", start)
            line = text[line_start : line_end if line_end != -1 else len(text)]
            headline_lines[line_start] = is_headline(line, registry)
        if not headline_lines[line_start]:
            segments.extend(_segments(text, start, _with_place_word(text, end, registry), covered, registry))
    confirmed = {w for s in segments if len(s.words) > 1 or not s.sentence_initial for w in s.words}
    confirmed |= {s for m in matched if m.entity_type == "person" and (s := surname_key(m.surface_text))}
    kept = [s for s in segments if len(s.words) > 1 or not s.sentence_initial or s.words[0] in confirmed]
    surnames = {s.words[-1] for s in kept if guess_type(s.words, s.after_title, registry) == "person"}
    return [_name_mention(text, s, surnames, registry, memo) for s in kept]


def surname_key(surface: str) -> str | None:
    """The last word of a name of two or more words, keyed like the name-rule lists; else None.

    >>> surname_key("Baitullah Mehsud"), surname_key("Benazir Bhutto’s"), surname_key("Mehsud")
    ('mehsud', 'bhutto', None)
    """
    words = _WORD.findall(surface)
    return _word_key(words[-1]) if len(words) >= 2 and len(words[-1]) > 2 else None


def resolve_surnames(found: Sequence[Mention]) -> list[Mention]:
    """Rule 6: a bare surname names the one person whose full name came earlier in the document.

    An unresolved one-word name ("Bhutto said") takes the entity of the registry person whose
    full name ending in that word ("Benazir Bhutto") was mentioned before it, with match_method
    'surname', when no other person with that surname was mentioned before it: neither another
    registry person ("Hakimullah Mehsud" after "Baitullah Mehsud") nor an unresolved name
    guessed a person ("Kainat Riaz"). Otherwise, or when the surname comes first, it stays
    unresolved. `found` is sorted by position.
    """
    seen: dict[str, set[str | None]] = {}
    out = []
    for mention in found:
        if mention.entity_id is None and mention.match_method == "unresolved" and len(_WORD.findall(mention.surface_text)) == 1:
            owners = seen.get(_word_key(mention.surface_text), set())
            if len(owners) == 1 and None not in owners:
                mention = replace(mention, entity_id=next(iter(owners)), entity_type="person", match_method="surname")
        elif mention.entity_type == "person" and (key := surname_key(mention.surface_text)) is not None:
            seen.setdefault(key, set()).add(mention.entity_id)
        out.append(mention)
    return out


def _lone_non_name(run: str, registry: Registry) -> bool:
    """A single capitalised stop word, month or weekday (the bulk of runs), cheaply."""
    return " " not in run and "\t" not in run and run.lower() in registry.name_rules.breaks


def _pattern(registry: Registry) -> re.Pattern[str]:
    return _compiled_name_pattern(registry.name_rules.particles)


@functools.lru_cache(maxsize=8)
def _compiled_name_pattern(particles: frozenset[str]) -> re.Pattern[str]:
    """Runs of capitalised words joined by single spaces and lowercase particles."""
    alternatives = "|".join(sorted(particles, key=len, reverse=True))
    return re.compile(rf"{_CAP_WORD}(?:[ \t]+(?:(?:{alternatives})[ \t]+)?{_CAP_WORD})*")


def _with_place_word(text: str, end: int, registry: Registry) -> int:
    """Extend a run over a following lowercase place word ("Sayyad district")."""
    following = _NEXT_WORD.match(text, end)
    if following and following.group(1) in registry.name_rules.location_words:
        return following.end()
    return end


def is_headline(line: str, registry: Registry) -> bool:
    """A line written in headline case or all caps (names there are unreliable).

    A short line (<= 12 words, no final period) where >= 70% of the words
    longer than three letters are capitalised, unless it starts with a title
    ("Dr Shalini Chawla" is a byline, not a headline).

    >>> from flows.registry import load_registry
    >>> r = load_registry()
    >>> is_headline("Defeated in Middle East, ISIS Creates Presence in South Asia", r)
    True
    >>> is_headline("Dr Shalini Chawla", r), is_headline("Timothy Foxley, a senior observer, said so.", r)
    (False, False)
    """
    has_lowercase = line != line.upper()
    if has_lowercase and (line.count(" ") >= 12 or line.rstrip().endswith(".")):
        return False
    words = _WORD.findall(line)
    long_words = [w for w in words if len(w) > 3 and not w[0].isdigit()]
    if len(long_words) < 2 or normalise(words[0]) in registry.name_rules.titles:
        return False
    if not has_lowercase:
        return True
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return len(words) <= 12 and capitalised / len(long_words) >= 0.7


def _segments(text: str, start: int, end: int, covered: bytearray, registry: Registry) -> list[_Segment]:
    """Split a capitalised run at registry matches, non-name words and titles.

    The words after a title ("Interior Minister Rana Sanaullah") are a person;
    "of" joins only after an institution or place word ("Bank of England",
    "Shrine of ...", not "Fighters of ...").
    """
    rules = registry.name_rules
    groups: list[tuple[bool, list[tuple[int, int, str]]]] = [(False, [])]
    previous = ""
    for match in _WORD.finditer(text, start, end):
        key = _word_key(match.group())
        if covered.find(1, match.start(), match.end()) != -1 or (key == "of" and previous not in rules.heads_of):
            groups.append((False, []))
        elif key in rules.titles:
            groups.append((True, []))
        elif (key in rules.breaks or key.partition(" ")[0] in rules.number_words) and key not in rules.particles:
            groups.append((False, []))
        else:
            groups[-1][1].append((match.start(), match.end(), match.group()))
        previous = key
    return [s for after_title, g in groups if (s := _segment(text, g, after_title, registry)) is not None]


def _segment(
    text: str, group: list[tuple[int, int, str]], after_title: bool, registry: Registry
) -> _Segment | None:
    """Trim titles, particles and non-names from a group of words; None when nothing name-like is left."""
    rules = registry.name_rules
    after_title = after_title or (_preceded_by_title(text, group[0][0], registry) if group else False)
    leading = rules.leading_junk_after_title if after_title else rules.leading_junk
    while group and _word_key(group[0][2]) in leading:
        group = group[1:]
    while group and _word_key(group[-1][2]) in rules.trailing_junk:
        group = group[:-1]
    if not group or (not group[0][2][0].isupper() and "-" not in group[0][2][:4]):
        return None
    start, end = group[0][0], group[-1][1]
    surface = _POSSESSIVE.sub("", text[start:end])
    if normalise(surface) in rules.not_names or (len(group) == 1 and not any(ch.islower() for ch in surface)):
        return None
    end = start + len(surface)
    names = tuple(_word_key(w) for _, _, w in group)
    return _Segment(start, end, names, after_title, _sentence_initial(text, start))


@functools.lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    """A word as the name-rule lists spell it: lowercase, no possessive.

    >>> _word_key("Foxley’s"), _word_key("Shi’a")
    ('foxley', 'shi a')
    """
    word = _POSSESSIVE.sub("", word)
    return word.lower() if word.isalnum() else normalise(word)


def _preceded_by_title(text: str, start: int, registry: Registry) -> bool:
    """Whether a title stands just before: "Dr", "Col.", "Taliban spokesman", but not "relayed by".

    >>> from flows.registry import load_registry
    >>> r = load_registry()
    >>> [_preceded_by_title(text, text.index("Ryan"), r) for text in ("Col. Ryan", "spokesman Ryan", "by Ryan")]
    [True, True, False]
    """
    before = _LAST_WORD.search(text, max(0, start - 20), start)
    if before is None:
        return False
    word = before.group(1)
    return normalise(word) in registry.name_rules.titles and (word[0].isupper() or len(word) > 3)


def _sentence_initial(text: str, start: int) -> bool:
    """True when only openers (quotes, brackets, dashes) separate start from a sentence end.

    >>> _sentence_initial('He left. “Foxley said', 10), _sentence_initial("met Foxley", 4)
    (True, False)
    """
    position = start - 1
    while position >= 0 and (text[position] in " \t" or text[position] in _OPENERS):
        position -= 1
    return position < 0 or text[position] == "\n" or text[position] in _SENTENCE_END


def guess_type(words: Sequence[str], after_title: bool, registry: Registry) -> str:
    """Guess an unresolved name's entity type from its words (normalised).

    >>> from flows.registry import load_registry
    >>> r = load_registry()
    >>> guess_type(("noreen", "leghari"), False, r), guess_type(("sayyad", "district"), False, r)
    ('person', 'location')
    >>> guess_type(("jamaat", "ul", "zarqa"), False, r), guess_type(("leghari",), False, r)
    ('armed_group', 'other')
    >>> guess_type(("qorvan", "brigade"), True, r), guess_type(("army",), False, r)
    ('armed_group', 'other')
    """
    rules = registry.name_rules
    parts = [p for w in words for p in w.split()]
    if words[0] in rules.honorifics:
        return "person"
    if group_shaped(parts, rules):
        return "armed_group"
    if after_title:
        return "person"
    if parts[-1] in rules.location_words:
        return "location"
    if len(parts) == 1 and parts[0] in rules.heads_of:
        return "other"  # a lone institution or group word ("Army", "University") names nothing
    if not rules.group_words.isdisjoint(parts):
        return "armed_group"
    if not rules.state_agency_words.isdisjoint(parts):
        return "state_agency"
    if not rules.organisation_words.isdisjoint(parts):
        return "organisation"
    if 2 <= len(words) <= 4 and all(len(w) > 1 and not w.endswith(rules.not_person_suffixes) for w in words):
        return "person"
    return "other"


def group_shaped(parts: Sequence[str], rules: NameRules) -> bool:
    """Whether a name is shaped like a militant group's, whatever precedes it.

    A group word joined by a connective to what follows ("Harkat-ul-...",
    "Tanzeem e ..."), or a proper name before a group tail ("Qorvan Brigade");
    never a place ("Lashkar-e-Qorvan camp").

    >>> from flows.registry import load_registry
    >>> rules = load_registry().name_rules
    >>> names = ("harkat ul velmar e islam", "qorvan brigade", "brigade", "qorvan meltasi")
    >>> [group_shaped(n.split(), rules) for n in names]
    [True, True, False, False]
    """
    if len(parts) < 2 or parts[-1] in rules.location_words:
        return False
    joined = parts[0] in rules.group_words and parts[1] in rules.connectives
    return joined or parts[-1] in rules.group_tails


def _name_mention(text: str, segment: _Segment, surnames: set[str], registry: Registry, memo: Memo) -> Mention:
    surface = text[segment.start : segment.end]
    if surface not in memo.fuzzy:
        memo.fuzzy[surface] = approximate_entity(surface, registry)
    approximate = memo.fuzzy[surface]
    if approximate is not None:
        entity_id, method = approximate
        return Mention(segment.start, segment.end, surface, entity_id, registry.entities[entity_id].entity_type, method)
    kind = guess_type(segment.words, segment.after_title, registry)
    if kind == "other" and len(segment.words) == 1 and segment.words[0] in surnames:
        kind = "person"
    return Mention(segment.start, segment.end, surface, None, kind, "unresolved")


def approximate_entity(surface: str, registry: Registry) -> tuple[str, str] | None:
    """(entity id, method) for a name the automaton missed.

    'variant' when it spells a reviewed actor alias with another mix of
    connectives and spellings (see spelling_key), 'fuzzy' for a near miss.
    """
    if not is_acronym(surface):
        spelled = registry.spelling_keys.get(spelling_key(surface, registry.transliteration))
        if spelled is not None:
            return spelled, "variant"
    fuzzy = fuzzy_entity(surface, registry)
    return None if fuzzy is None else (fuzzy, "fuzzy")


def fuzzy_entity(surface: str, registry: Registry) -> str | None:
    """The entity whose long alias the surface nearly spells, if any.

    Only for spans of at least FUZZY_MIN_LENGTH characters, not acronyms; the best
    alias must score >= FUZZY_THRESHOLD (rapidfuzz ratio), start with the same
    letter, and not merely extend or truncate the span ("Pakistani").
    """
    key = normalise(surface)
    if len(key) < FUZZY_MIN_LENGTH or is_acronym(surface):
        return None
    best = process.extractOne(key, registry.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if best is None:
        return None
    alias = best[0]
    if alias[0] != key[0] or alias.startswith(key) or key.startswith(alias):
        return None
    return registry.aliases[alias].variants[0].entity_id
