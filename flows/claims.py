"""Claims: responsibility, announcements, statements and denials, with who made them.

Rules read one sentence at a time, on the document's own text and its entity mentions:
a cue (from data/reference/claims.yaml) fixes the claim type, the clause around it
gives the claimant (the subject, past a relative clause, the agent of "claimed by", the
group a channel speaks for, the body a spokesman speaks for, the party inside an
appositive "a charge X dismisses", the speaker of a quote, the subject shared across
"but"), and a person claims for the body the text or registry ties them to ("X, a
commander of the TTP"; a surname alone is the person named in full before).
The claimed event follows the claim's object (its place, its type noun, "both
attacks"), else the document's main event; a retraction is about the claim it takes
back. Futures, questions, conditionals and negations never make a claim; a wire
dateline's outlet is never an actor.

The sentence machinery here (parties, clauses, descriptions, hedges) is shared with
flows/allegations.py, which reads the same `text` vocabulary.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import polars as pl
import yaml

from flows.prefilter import candidate_spans
from flows.registry import same_length_lower
from flows.schemas import Claims, empty_table, polars_schema
from flows.versions import REFERENCE_DIR

MAX_EVIDENCE = 600


# ---------------------------------------------------------------- shared vocabulary


HEAD_SPACES = re.compile(r"[\s-]+")


def words_pattern(items: Iterable[str]) -> str:
    r"""An alternation of literal phrases, longest first, spaces matching any whitespace.

    >>> print(words_pattern(["is", "such as"]))
    such\s+as|is
    """
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(items), key=lambda w: (-len(w), w)))


def _patterns(items: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in items)


@dataclass(frozen=True)
class TextRules:
    """Compiled sentence vocabulary shared by claims and allegations (claims.yaml `text`)."""

    actor_types: frozenset[str]
    modifier: re.Pattern          # right after a mention: "-based"
    preposition_before: re.Pattern  # right before a mention: "allegiance to "
    member_before: re.Pattern     # right before a mention: "key figures in "
    member_nouns: str             # the member nouns as an alternation ("commander|spokesman|...")
    clause_break: re.Pattern
    description: re.Pattern       # group "kind" holds which list matched
    description_kinds: Mapping[str, str]
    state_heads: frozenset[str]   # description heads naming a state body ("the army"): kept as words, typed state_agency
    pronoun: re.Pattern
    writer: re.Pattern
    hedge: re.Pattern
    negation_before: re.Pattern
    negated_subject: re.Pattern   # a clause opening "No <group/leader> ..." negates its verb however far
    denial_frame: re.Pattern
    future_before: re.Pattern
    conditional: re.Pattern
    indirect_question: re.Pattern   # right before the cue: "to say who| was behind"
    question_head: re.Pattern
    aside: re.Pattern             # a comma-set reporting aside: "which|, intelligence agencies believe,| works with"


def text_rules(raw: Mapping) -> TextRules:
    """Compile the `text` section of claims.yaml."""
    kinds = {}
    for kind, heads in raw["descriptions"].items():
        for head in heads:
            kinds[HEAD_SPACES.sub(" ", head.lower())] = kind
    heads = words_pattern(kinds)
    determiners = r"(?:the|a|an|this|these|those|its|their|some|several|many|other)"
    return TextRules(
        actor_types=frozenset(raw["actor_types"]),
        modifier=re.compile(rf"-(?:{words_pattern(raw['modifier_suffixes'])})\b", re.I),
        preposition_before=re.compile(
            rf"\b(?:{words_pattern(raw['prepositions'])})\s+(?:the\s+|a\s+|an\s+)?(?:[a-z][\w-]*\s+)?$", re.I),
        member_before=re.compile(
            rf"\b(?:{words_pattern(raw['member_nouns'])})\s+(?:in|of|from|within|for)\s+(?:the\s+|a\s+|an\s+)?$", re.I),
        member_nouns=words_pattern(raw["member_nouns"]),
        clause_break=re.compile(
            rf"[;:“”\"]|\b(?:{words_pattern(raw['clause_words'])})\b"
            # "... and the group has claimed": a new subject after "and"
            rf"|\band\s+(?=(?:it|they|he|she)\b|the\s+(?:{words_pattern(raw['descriptions']['group'])})\b)"
            rf"|\b(?:{words_pattern(raw['complement_verbs'])})\b(?=\s+(?:the\s+)?(?-i:[A-Z]))", re.I),
        description=re.compile(
            rf"(?:\b{determiners}\s+)?(?:[A-Za-z][\w-]*\s+){{0,3}}?\b(?P<head>{heads})\b", re.I),
        description_kinds=MappingProxyType(kinds),
        state_heads=frozenset(HEAD_SPACES.sub(" ", h.lower()) for h in raw.get("state_heads", [])),
        pronoun=re.compile(rf"\b(?:{words_pattern(raw['pronouns'])})\b", re.I),
        writer=re.compile(rf"\s*,?\s+(?:{words_pattern(raw['writer_verbs'])})\s+(?:in|for)\b", re.I),
        hedge=re.compile(rf"\b(?:{_patterns(raw['hedges'])})\b", re.I),
        negation_before=re.compile(rf"\b(?:{_patterns(raw['negations'])})\b(?:\s+\S+){{0,4}}\s*$", re.I),
        negated_subject=re.compile(rf"^\W*(?:{_patterns(raw['negated_subjects'])})\s+[^,;:]*$", re.I),
        denial_frame=re.compile(rf"\b(?:{_patterns(raw['denial_frames'])})\s+(?:[\w-]+\s+){{0,3}}?that\s*$"
                                rf"|\b(?:{_patterns(raw['doubt_frames'])})(?:\s+that)?\s*$", re.I),
        future_before=re.compile(rf"\b(?:{_patterns(raw['future_modals'])})\s+(?:\w+ly\s+|also\s+|soon\s+)?$", re.I),
        conditional=re.compile(rf"\b(?:{_patterns(raw['conditionals'])})\b", re.I),
        indirect_question=re.compile(
            rf"\b(?:{words_pattern(raw['indirect_question_verbs'])})\s+(?:who|whom|which(?:\s+[\w-]+){{0,2}}|what(?:\s+[\w-]+){{0,2}})\s+$",
            re.I),
        question_head=re.compile(rf"(?:^|[,;:]\s*)[\"“]?(?:{words_pattern(raw['question_words'])})\b", re.I),
        aside=re.compile(rf"\s*(?:[\w'’-]+\s+){{1,3}}(?:{words_pattern(raw['complement_verbs'])})\s*,?\s*", re.I),
    )


@dataclass(frozen=True)
class Cue:
    """One compiled cue pattern and the role that finds its party."""

    pattern: re.Pattern
    role: str


@dataclass(frozen=True)
class ClaimLexicon:
    """Reviewed claim cues from data/reference/claims.yaml."""

    text: TextRules
    cues: Mapping[str, tuple[Cue, ...]]   # claim_type -> cues, in precedence order
    channel_deeds: re.Pattern
    speaker: re.Pattern
    speech: re.Pattern
    accusation: re.Pattern        # spoken content attributing an attack: an allegation, no statement
    threat: re.Pattern            # spoken content threatening attacks: a prediction, no statement
    own_deed: re.Pattern          # a group's spokesperson telling the group's own deed: a claim, no statement
    denial_topic: re.Pattern      # what a state's denial must be about: a role in violence, an accusation
    unattributed: re.Pattern
    statement_gate: re.Pattern    # any statement cue: sentences without one skip the statement rules
    event_types: Mapping[str, frozenset[str]]
    event_noun: re.Pattern
    refers_back: re.Pattern       # an object referring back, with its modifiers and place: "in the Pahalgam attack"
    retraction: re.Pattern        # a denial cue that takes a claim back: "retracted the claim"
    both_events: re.Pattern       # "Both attacks were claimed"
    joint: re.Pattern


@lru_cache(maxsize=4)
def load_text_rules(path: Path = REFERENCE_DIR / "claims.yaml") -> TextRules:
    return text_rules(yaml.safe_load(path.read_text(encoding="utf-8"))["text"])


@lru_cache(maxsize=4)
def load_claim_lexicon(path: Path = REFERENCE_DIR / "claims.yaml") -> ClaimLexicon:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]
    cues = {}
    for claim_type in ("responsibility", "announcement", "denial"):
        cues[claim_type] = tuple(
            Cue(cue_pattern(pattern), role)
            for role in ("agent", "subject", "spoken", "channel", "inner") for pattern in raw[claim_type].get(role, []))
    cues["statement"] = tuple(Cue(re.compile(rf"\b(?:{p})", re.I), "subject") for p in raw["statement"]["subject"])
    return ClaimLexicon(
        text=load_text_rules(path),
        cues=MappingProxyType(cues),
        channel_deeds=re.compile(raw["responsibility"]["channel_deeds"], re.I),
        speaker=re.compile(raw["statement"]["speaker"], re.I),
        speech=re.compile(raw["statement"]["speech"], re.I),
        accusation=re.compile(raw["statement"]["accusation"], re.I),
        threat=re.compile(raw["statement"]["threat"], re.I),
        own_deed=re.compile(raw["statement"]["own_deed"], re.I),
        denial_topic=re.compile(raw["denial_topic"], re.I),
        unattributed=re.compile(_patterns(raw["statement"]["unattributed"]), re.I),
        statement_gate=cue_pattern(_patterns([raw["statement"]["speaker"], *raw["statement"]["subject"],
                                              *raw["statement"]["unattributed"]])),
        event_types=MappingProxyType({k: frozenset(v) for k, v in raw["event_types"].items()}),
        event_noun=re.compile(rf"\b(?:{words_pattern(raw['event_nouns'])})\b", re.I),
        joint=re.compile(raw["joint"], re.I),
        retraction=re.compile(raw["retraction"], re.I),
        **dict(zip(("refers_back", "both_events"), object_patterns(words_pattern(raw["event_nouns"])))),
    )


# ---------------------------------------------------------------- documents as parties and clauses


@dataclass(frozen=True)
class Party:
    """An actor named in the text: a resolved entity, or the words themselves."""

    start: int
    end: int
    entity_id: str | None
    name: str
    entity_type: str
    root_id: str | None = None   # top of the parent chain: a province's movement

    @property
    def key(self) -> str:
        return self.entity_id or self.name.lower()


@dataclass(frozen=True)
class EntityIndex:
    """What the rules need of the entities table, by id and by normalised name."""

    names: Mapping[str, str]
    types: Mapping[str, str]
    acts_as: Mapping[str, str]
    roots: Mapping[str, str]
    by_alias: Mapping[str, str]
    parents: Mapping[str, str] = field(default_factory=dict)

    def party(self, entity_id: str, start: int, end: int) -> Party:
        return Party(start, end, entity_id, self.names[entity_id], self.types[entity_id], self.roots.get(entity_id))

    def named(self, words: str, start: int, end: int, entity_type: str = "other") -> Party:
        """Words that may name an entity ("Shalini Chawla"); kept as words when they don't."""
        found = self.by_alias.get(name_key(words))
        return self.party(found, start, end) if found else Party(start, end, None, words, entity_type)


NON_ALNUM = re.compile(r"[\W_]+")


def name_key(text: str) -> str:
    """Lowercase alphanumerics only: how free-text names are looked up.

    >>> name_key("Pakistan’s ISI")
    'pakistansisi'
    """
    return NON_ALNUM.sub("", text.lower())


def entity_index(entities: pl.DataFrame) -> EntityIndex:
    rows = entities.select("entity_id", "canonical_name", "entity_type", "aliases", "parent_entity_id",
                           "acts_as_entity_id").rows()
    parents = {r[0]: r[4] for r in rows}

    def root(entity_id: str) -> str:
        seen = {entity_id}
        while parents.get(entity_id) and parents[entity_id] not in seen:
            entity_id = parents[entity_id]
            seen.add(entity_id)
        return entity_id

    by_alias: dict[str, str] = {}
    for entity_id, name, _, aliases, _, _ in rows:
        for alias in [name, *(aliases or [])]:
            by_alias.setdefault(name_key(alias), entity_id)
    return EntityIndex(
        names={r[0]: r[1] for r in rows}, types={r[0]: r[2] for r in rows},
        acts_as={r[0]: r[5] for r in rows if r[5]}, roots={r[0]: root(r[0]) for r in rows}, by_alias=by_alias,
        parents={k: v for k, v in parents.items() if v})


@dataclass(frozen=True)
class Sentence:
    idx: int
    start: int
    end: int


@dataclass(frozen=True)
class DocText:
    """One document as the rules see it: text, sentences, actor parties, its writer."""

    doc_id: str
    text: str
    lower: str        # same length as text, so offsets agree
    sentences: tuple[Sentence, ...]
    sentence_starts: tuple[int, ...]
    parties: tuple[Party, ...]
    party_starts: tuple[int, ...]
    voice: Party | None

    def parties_in(self, start: int, end: int) -> list[Party]:
        i = bisect.bisect_left(self.party_starts, start)
        j = bisect.bisect_left(self.party_starts, end)
        return [p for p in self.parties[i:j] if p.end <= end]

    def previous_parties(self, pos: int, floor: int) -> list[Party]:
        """Parties starting in [floor, pos), nearest first."""
        i = bisect.bisect_left(self.party_starts, floor)
        j = bisect.bisect_left(self.party_starts, pos)
        return list(reversed(self.parties[i:j]))


LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|from|to|into|outside|around|across|inside|towards?|via|through|of)\s+(?:the\s+)?$", re.I)
PLACE_JOINER = re.compile(r"\s*(?:,|and|or|,\s*and)\s*")


def document_parties(text: str, mentions: Iterable[tuple], index: EntityIndex, rules: TextRules) -> list[Party]:
    """Actor parties from a document's mentions (start, end, surface, entity_id, entity_type), in text order.

    A capital acting as its state ("under Islamabad's patronage") becomes the state,
    unless it is the place of something ("headquarters in Islamabad"); a mention used
    as a modifier ("Pakistan-based") is no party.
    """
    parties = []
    place_end = -1   # end of the last mention read as a place: "in Kellin and Vesta" are both places
    full_names: dict[str, str] = {}
    known_surnames: dict[str, str] = {}   # surname -> the registry person named in full before
    short_names: dict[str, str | None] = {}   # "Lashkar" -> the one group named "Lashkar-e-..." before (None: several)
    for start, end, surface, entity_id, entity_type in mentions:
        if rules.modifier.match(text, end) or is_credit(text, start, end, index.types.get(entity_id, entity_type)):
            continue
        if entity_id is None and surface in known_surnames:
            # "Baitullah Mehsud ... a spokesman for Mehsud": the surname alone is the person named in full
            entity_id = known_surnames[surface]
        elif entity_id is None and short_names.get(surface):
            # "blamed the Lashkar-e-Toiba ... The Lashkar denied the charge": a group's name cut at its first hyphen
            entity_id = short_names[surface]
        elif index.types.get(entity_id) == "person" and " " in surface:
            known_surnames.setdefault(surface.split()[-1], entity_id)
        elif index.types.get(entity_id) == "armed_group" and "-" in surface:
            head = surface.split("-")[0]
            short_names[head] = entity_id if short_names.get(head, entity_id) == entity_id else None
        in_places = place_end >= 0 and PLACE_JOINER.fullmatch(text, place_end, start) is not None
        if entity_id in index.acts_as and not (in_places or LOCATIVE_BEFORE.search(text, max(0, start - 16), start)):
            entity_id = index.acts_as[entity_id]
        place_end = end if index.types.get(entity_id, entity_type) == "location" else -1
        if entity_id in index.names:
            party = index.party(entity_id, start, end)
        else:
            party = Party(start, end, None, full_names.get(surface, surface), entity_type)
            if entity_type == "person" and " " in surface:
                # "Timothy Foxley ... Foxley reminded": the surname alone is the same person
                full_names.setdefault(surface.split()[-1], surface)
        if party.entity_type in rules.actor_types:
            parties.append(party)
    return parties


CREDIT_AFTER = re.compile(r"\)\s*(?:[-–—:]|(?=[A-Z]))")
MAX_DATELINE = 60


def is_credit(text: str, start: int, end: int, entity_type: str) -> bool:
    """A wire credit in a dateline ("COLOMBO, April 23 (Reuters) - ...", "New Delhi, Dec 26 (IANS) The ...") names
    the outlet that reports, never an actor of the sentence.

    >>> is_credit("COLOMBO, April 23 (Reuters) - Islamic State claimed", 19, 26, "media")
    True
    >>> is_credit("Reuters reported that ...", 0, 7, "media")
    False
    >>> is_credit("IS said in a statement on its news agency (Amaq) that ...", 43, 47, "media")
    False
    """
    line_start = text.rfind("\n", 0, start) + 1
    return (entity_type == "media" and start > 0 and text[start - 1] == "(" and start - line_start <= MAX_DATELINE
            and CREDIT_AFTER.match(text, end) is not None)


def document_voice(text: str, authors: list[str] | None, doc_type: str | None, parties: list[Party],
                   index: EntityIndex, rules: TextRules) -> Party | None:
    """Who speaks when the article itself speaks: the writer it reports on, else an analysis's author.

    "..., Abhinav Pandya wrote in National Interest." makes Abhinav Pandya the voice.
    """
    for party in parties:
        if party.entity_type == "person" and rules.writer.match(text, party.end):
            return party
    if doc_type == "analysis" and authors:
        return index.named(authors[0], 0, 0, "person")
    return None


def doc_texts(documents: pl.DataFrame, sentences: pl.DataFrame, mentions: pl.DataFrame, index: EntityIndex,
              rules: TextRules) -> list[DocText]:
    """Each document with its sentences and parties, grouped once."""
    sents: dict[str, list[Sentence]] = {}
    for doc_id, idx, start, end in sentences.select("doc_id", "sentence_idx", "char_start", "char_end").sort(
            "doc_id", "sentence_idx").rows():
        sents.setdefault(doc_id, []).append(Sentence(idx, start, end))
    found: dict[str, list[tuple]] = {}
    for doc_id, *row in mentions.select("doc_id", "char_start", "char_end", "surface_text", "entity_id",
                                        "entity_type").sort("doc_id", "char_start").rows():
        found.setdefault(doc_id, []).append(tuple(row))
    columns = [c for c in ("doc_id", "text", "authors", "doc_type") if c in documents.columns]
    out = []
    for row in documents.select(columns).rows(named=True):
        text = row["text"]
        parties = document_parties(text, found.get(row["doc_id"], []), index, rules)
        voice = document_voice(text, row.get("authors"), row.get("doc_type"), parties, index, rules)
        doc_sents = tuple(sents.get(row["doc_id"], []))
        out.append(DocText(row["doc_id"], text, same_length_lower(text), doc_sents, tuple(s.start for s in doc_sents), tuple(parties),
                           tuple(p.start for p in parties), voice))
    return out


# ---------------------------------------------------------------- clauses


EMBEDDED_RELATIVE = re.compile(r",\s*(?:who|whose|which)\b[^,;:.]*,\s*$", re.I)


def embedded_relative(doc: DocText, sent: Sentence, pos: int) -> re.Match | None:
    """A relative clause set between a subject and its verb at `pos`: "The Taliban|, whose spokesman tweeted that
    the group was not involved,| denied any role".

    >>> d = DocText("d", "The ZLF, whose chief was not there, denied it", "", (), (), (), (), None)
    >>> embedded_relative(d, Sentence(0, 0, 45), 36).span()
    (7, 36)
    """
    return EMBEDDED_RELATIVE.search(doc.text, sent.start, pos)


# a dateline opening the sentence names the place it was filed from, never the subject:
# "Kunduz, Afghanistan - The Islamic State group's Afghan affiliate claimed ..."
DATELINE = re.compile(r"(?-i:[A-Z])[\w'’.()]*(?:[ ,]+[\w'’.()]+){0,5}?\s+[-–—]\s+")


def clause_start(doc: DocText, sent: Sentence, pos: int, rules: TextRules) -> int:
    """Start of the clause holding `pos`: after the last ; : quote or clause word before it
    ("The think tank claimed that| the ISI has taken ..."); a relative clause right before `pos` is not the
    clause, its head's is."""
    relative = embedded_relative(doc, sent, pos)
    if relative:
        pos = relative.start()
    dateline = DATELINE.match(doc.text, sent.start, pos)
    start = dateline.end() if dateline else sent.start
    for m in rules.clause_break.finditer(doc.text, start, pos):
        start = m.end()
    return start


COMMA_CONJUNCTION = re.compile(r",\s+(?:and|but|while|as)\b")
COMMA = re.compile(",")
WORD_CHAR = re.compile(r"\w")


def clause_end(doc: DocText, sent: Sentence, pos: int, rules: TextRules) -> int:
    """End of the clause holding `pos`: the next clause break or ", and ..."."""
    ends = [m.start() for m in (rules.clause_break.search(doc.text, pos, sent.end),
                                COMMA_CONJUNCTION.search(doc.text, pos, sent.end)) if m]
    return min([sent.end, *ends])


def comma_segments(doc: DocText, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at commas, nearest segment last."""
    cuts = [start] + [m.end() for m in COMMA.finditer(doc.text, start, end)]
    return list(zip(cuts, cuts[1:] + [end]))


def is_prepositional(doc: DocText, party: Party, rules: TextRules) -> bool:
    """True for the object of a preposition ("allegiance to Islamic State"), not for members ("figures in IS-KP")."""
    before = doc.text[max(0, party.start - 40):party.start]
    return bool(rules.preposition_before.search(before)) and not rules.member_before.search(before) \
        and not TITLE_OF_OFFICE.search(before)


# "Inspector General of Police| X", "Minister of Interior| X": the "of" belongs to the title before the name
TITLE_OF_OFFICE = re.compile(r"\b(?-i:[A-Z])[a-z]+\s+of\s+(?:the\s+)?(?:(?-i:[A-Z])[\w&-]*\s+){1,3}(?:\([^)]{1,30}\)\s+)?$")


PARTY_JOINER = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:,\s*|\s+)?(?:and|or|as\s+well\s+as|&|along\s+with|together\s+with)?"
    r"\s*(?:both\s+|the\s+)?(?:(?:self-proclaimed|so-called|banned|outlawed|proscribed)\s+)?", re.I)
CLAUSE_STOP = re.compile(r"[.;:]")


def coordinated(doc: DocText, parties: list[Party], first: Party) -> list[Party]:
    """`first` and the parties coordinated with it ("IS- Khorasan as well as LeJ-A", "X (Y), Z and the W")."""
    out = [first]
    for party in parties[parties.index(first) + 1:]:
        if party.start < out[-1].end:
            continue
        gap = doc.text[out[-1].end:party.start]
        if not PARTY_JOINER.fullmatch(gap) or "(" in gap and ")" not in gap:
            break
        out.append(party)
    return unique_parties(out)


def unique_parties(parties: Iterable[Party]) -> list[Party]:
    seen, out = set(), []
    for party in parties:
        if party.key not in seen:
            seen.add(party.key)
            out.append(party)
    return out


def parties_after(doc: DocText, pos: int, end: int, rules: TextRules, max_gap: int = 60) -> list[Party]:
    """The coordinated parties right after `pos` ("blamed| the Haqqani network and Lashkar-e-Taiba for")."""
    found = doc.parties_in(pos, end)
    if not found or found[0].start - pos > max_gap or CLAUSE_STOP.search(doc.text, pos, found[0].start):
        return []
    return coordinated(doc, found, found[0])


def antecedent(doc: DocText, pos: int, types: frozenset[str], rules: TextRules, sentences_back: int = 2,
               skip_relative: bool = False) -> Party | None:
    """The last party of one of `types` before `pos` that is a subject, not a prepositional object; with
    `skip_relative`, not one told inside a relative clause either ("ISKP, which targets parties that back the
    Taliban, was behind it. The group ..." -> ISKP)."""
    sent_i = max(0, bisect.bisect_right(doc.sentence_starts, pos) - 1)
    floor = doc.sentence_starts[max(0, sent_i - sentences_back)] if doc.sentences else 0
    for party in doc.previous_parties(pos, floor):
        if party.entity_type in types and not is_prepositional(doc, party, rules) \
                and not (skip_relative and in_relative(doc, party)):
            return party
    return None


INSIDE_RELATIVE = re.compile(r",\s*(?:which|who|whose)\b[^,;:.!?]*$", re.I)


def in_relative(doc: DocText, party: Party) -> bool:
    """The party stands inside a relative clause that a comma opened and has not closed yet.

    >>> d = DocText("d", "ZF, which attacks parties that back the NRF, said", "", (), (), (), (), None)
    >>> in_relative(d, Party(40, 43, "n", "NRF", "armed_group")), in_relative(d, Party(0, 2, "z", "ZF", "armed_group"))
    (True, False)
    """
    return INSIDE_RELATIVE.search(doc.text, max(0, party.start - 200), party.start) is not None


def resolve_description(doc: DocText, match: re.Match, rules: TextRules, index: EntityIndex) -> Party:
    """A description as a party: its antecedent, its apposition in the document, the writer, or its words.

    "the group" -> the last armed group; "the think tank" -> "The think tank, European
    Foundation for South Asia Studies (UFSAS), ..."; "the article" -> the document's voice.
    """
    kind = description_kind(match, rules)
    start, end = match.start(), match.end()
    if kind == "group":
        found = antecedent(doc, start, frozenset({"armed_group"}), rules, sentences_back=3, skip_relative=True)
        if found:
            return found
    if kind == "voice" and doc.voice is not None:
        return doc.voice
    if kind == "source":
        # "a report by UNAMA": the body whose report it is
        behind = SOURCE_OF.match(doc.text, end, end + 12)
        named = doc.parties_in(end, end + 80)
        if behind and named and named[0].start == behind.end():
            return named[0]
    if kind in ("source", "group"):
        found = apposition(doc, match.group("head"))
        if found:
            return found
    head = HEAD_SPACES.sub(" ", match.group("head").lower())
    if head in rules.state_heads:
        return state_body(doc, start, end, head, rules, index) or \
            Party(start, end, None, DETERMINER.sub("", match.group(0)), "state_agency")
    return Party(start, end, None, DETERMINER.sub("", match.group(0)), "other")


def state_body(doc: DocText, start: int, end: int, head: str, rules: TextRules, index: EntityIndex) -> Party | None:
    """"the army", "police officials": the registry's body of that name of the state last named before, when the
    registry has one ("Bangladesh" ... "the police" -> Bangladesh Police); else None."""
    state = antecedent(doc, start, STATE_ONLY, rules, sentences_back=3) or \
        next((p for p in doc.previous_parties(start, 0) if p.entity_type == "state"), None)
    if state is None or state.entity_id is None:
        return None
    found = index.by_alias.get(name_key(f"{state.name} {head}"))
    return index.party(found, start, end) if found and index.types.get(found) == "state_agency" else None


STATE_ONLY = frozenset({"state"})


SOURCE_OF = re.compile(r"\s+(?:by|of|from)\s+(?:the\s+)?", re.I)
DETERMINER = re.compile(r"^(?:(?:and|but|or|even|as|while|though|although|yet)\s+)*"
                        r"(?:(?:the|a|an|this|these|those|its|their|some|which|who|whom|that)\s+)?", re.I)


def description_kind(match: re.Match, rules: TextRules) -> str:
    """group, source, voice or unnamed, by the description's head noun."""
    return rules.description_kinds[HEAD_SPACES.sub(" ", match.group("head").lower())]


@lru_cache(maxsize=256)
def apposition_patterns(head: str) -> tuple[re.Pattern, re.Pattern]:
    """Patterns before and after a party that set `head` beside it."""
    words = re.escape(head).replace(r"\ ", r"[\s-]+")
    return (re.compile(rf"\b{words}s?\s*,\s*$", re.I),
            re.compile(rf"\s*(?:\([^)]*\)\s*)?,\s*(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}{words}\b", re.I))


def apposition(doc: DocText, head: str) -> Party | None:
    """The party a description is set beside: "The think tank, <party>" or "<party>, a <...> think tank"."""
    before, after = apposition_patterns(head.lower())
    for party in doc.parties:
        if party.entity_id and party.entity_type != "person" and (
                before.search(doc.text, max(0, party.start - 40), party.start)
                or after.match(doc.text, party.end, party.end + 80)):
            return party
    return None


def subject(doc: DocText, sent: Sentence, pos: int, rules: TextRules, index: EntityIndex,
            pronoun_types: frozenset[str]) -> list[Party]:
    """The subject of the clause ending at `pos`: coordinated parties, else a description, else a pronoun.

    Walks back over comma-separated pieces of the clause; an appositive piece
    ("Timothy Foxley|, a senior observer with ...,| claimed") defers to the piece before it.
    """
    start = clause_start(doc, sent, pos, rules)
    segments = without_asides(doc, comma_segments(doc, start, pos), rules)
    head = relative_head(doc, segments, rules)
    if head is not None:
        return [head]
    for i in range(len(segments) - 1, -1, -1):
        a, b = segments[i]
        if i < len(segments) - 1 and RELATIVE.match(doc.text, a, b):
            continue   # "PAFF, which officials describe as a front, claimed": the relative clause is no subject
        found = segment_subject(doc, a, b, rules, index, pronoun_types)
        if not found:
            continue
        if i > 0 and INDEFINITE.match(doc.text, a, b):
            earlier = segment_subject(doc, *segments[i - 1], rules, index, pronoun_types)
            if earlier:
                return earlier
            if ends_with_party(doc, *segments[i - 1]):
                # "... carried out by the Haqqani network, a Taliban affiliate, and accused": the appositive of an
                # object is no subject
                continue
        return found
    return []


def without_asides(doc: DocText, segments: list[tuple[int, int]], rules: TextRules) -> list[tuple[int, int]]:
    """Comma pieces without a reporting aside: "the IM|, which|, intelligence agencies believe|, works closely with"
    -> "the IM", "which" (the aside's speaker is no subject of the clause it interrupts; a blank last piece goes too).
    """
    out = [(a, b) for i, (a, b) in enumerate(segments)
           if not (0 < i < len(segments) - 1 and rules.aside.fullmatch(doc.text, a, b))]
    if len(out) < len(segments) and len(out) > 1 and not WORD_CHAR.search(doc.text, *out[-1]):
        out.pop()
    return out


def ends_with_party(doc: DocText, a: int, b: int) -> bool:
    """The comma-ended piece [a, b) ends with a party ("said it was carried out by the Haqqani network,")."""
    found = doc.parties_in(a, b)
    return bool(found) and HEAD_END.fullmatch(doc.text, found[-1].end, b) is not None


INDEFINITE = re.compile(r"\s*(?:a|an)\s", re.I)
RELATIVE = re.compile(r"\s*(?:which|who|whose)\b", re.I)
HEAD_END = re.compile(r"[\s)\]]*,")


def relative_head(doc: DocText, segments: list[tuple[int, int]], rules: TextRules) -> Party | None:
    """The head noun a relative clause belongs to: "the banned TTP, which has repeatedly denied links" -> the TTP,
    though it stood after a preposition ("a front for the banned TTP, which ..."). Not when the clause has a
    subject of its own ("PAFF, which Indian officials describe as ...")."""
    if len(segments) < 2 or not RELATIVE.match(doc.text, *segments[-1]):
        return None
    own = segments[-1]
    if doc.parties_in(*own) or rules.description.search(doc.text, *own) or rules.pronoun.search(doc.text, *own):
        return None
    a, b = segments[-2]
    for party in reversed(doc.parties_in(a, b)):
        if HEAD_END.fullmatch(doc.text, party.end, b):
            return party
    return None


def segment_subject(doc: DocText, a: int, b: int, rules: TextRules, index: EntityIndex,
                    pronoun_types: frozenset[str]) -> list[Party]:
    """The subject in one comma-separated piece: named parties first, unless a description stands
    before them ("the group, not the state, claimed"); "a report by UNAMA" names UNAMA."""
    named = doc.parties_in(a, b)
    parties = [p for p in named if not is_prepositional(doc, p, rules)]
    parties = [p for p in parties if not is_owner_of_next(doc, p, parties) and not is_verb_object(doc, a, p)]
    description = rules.description.search(doc.text, a, b)
    if description and any(p not in parties and p.start < description.end() and p.end > description.start()
                           for p in named):
        # "carried out by the Haqqani network": a name ending in a description head is that object's name
        description = None
    if description and is_description_object(doc, a, description, rules):
        description = None
    leads = description is not None and description.end() <= (parties[0].start if parties else b) \
        and description_kind(description, rules) != "source" \
        and not (parties and NAMED_AFTER.fullmatch(doc.text, description.end(), parties[0].start))
    if parties and not leads:
        return coordinated(doc, parties, parties[0])
    if description:
        return [self_named(doc, description, b) or resolve_description(doc, description, rules, index)]
    pronoun = rules.pronoun.search(doc.text, a, b)
    if pronoun:
        found = antecedent(doc, pronoun.start(), pronoun_types, rules)
        return [found] if found else []
    return []


def is_description_object(doc: DocText, a: int, description: re.Match, rules: TextRules) -> bool:
    """A description that is an object is no subject: of a verb ("A man ... called a news organisation and said")
    or of a preposition ("In a statement faxed to news agencies, a spokesman said"), unless it names members."""
    head = description.start("head")
    before = doc.text[max(a, head - 40):head]
    return bool(DESCRIPTION_AS_OBJECT.search(before)
                or rules.preposition_before.search(before) and not rules.member_before.search(before))


DESCRIPTION_AS_OBJECT = re.compile(r"\b(?-i:[a-z]+ed)\s+(?:the|a|an|its|their)\s+(?:[\w-]+\s+)?$", re.I)
# between a description and the name it introduces: "The militant group Zarqa Front", "a group calling itself the ZF"
NAMED_AFTER = re.compile(r"\s*(?:,\s*)?(?:(?:calling\s+(?:itself|themselves)|styling\s+(?:itself|themselves)|called|"
                         r"known\s+as|named)\s+(?:the\s+)?)?", re.I)
OWNER_GAP = re.compile(r"['’]s?\s+(?:[\w-]+\s+){0,3}?(?:the\s+)?", re.I)
VERB_OBJECT = re.compile(r"(?:^\s*|[^\w\s]\s*|\b(?!(?:the|a|an|this|that|its|their|his|her)\b)\w+\s+)"
                         r"(?!(?:banned|outlawed|proscribed|unnamed|unidentified|armed|suspected|alleged|so-called|reported|stated|"
                         r"confirmed|announced|learned|learnt|added|noted|warned|claimed|suggested|indicated|showed|"
                         r"believed|insisted|argued|revealed|disclosed|tweeted|posted)\b)"
                         r"(?-i:[a-z]+ed)\s+(?:the\s+|a\s+|an\s+)?$", re.I)


SELF_NAMED = re.compile(r"\s*,?\s*(?:calling\s+(?:itself|themselves)|styling\s+(?:itself|themselves)|called|known\s+as|"
                        r"named)\s+(?:the\s+)?[\"“]?(?P<name>(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*){0,4})", re.I)


def self_named(doc: DocText, description: re.Match, end: int) -> Party | None:
    """A group the text names by its own words, unknown to the registry: "a group calling itself the Zarqa
    Mujahideen claimed ..." -> the words "Zarqa Mujahideen", never another group of the document.

    >>> d = DocText("d", "a group calling itself the Zarqa Mujahideen claimed", "", (), (), (), (), None)
    >>> self_named(d, re.match(r"a group", d.text), 44).name
    'Zarqa Mujahideen'
    """
    found = SELF_NAMED.match(doc.text, description.end(), end)
    if not found:
        return None
    return Party(found.start("name"), found.end("name"), None, found.group("name"), "armed_group")


def is_owner_of_next(doc: DocText, party: Party, parties: list[Party]) -> bool:
    """The owner in "<owner>'s <head>" when the head is a party too: "Norland's intelligence agency, Directorate Q" /
    "Norland's Directorate Q funds ..." -> the head acts, not its owner.

    >>> d = DocText("d", "Norland's Directorate Q funds", "", (), (), (), (), None)
    >>> n, q = Party(0, 7, "n", "Norland", "state"), Party(10, 23, "q", "Directorate Q", "state_agency")
    >>> is_owner_of_next(d, n, [n, q]), is_owner_of_next(d, q, [n, q])
    (True, False)
    """
    later = [p for p in parties if p.start >= party.end]
    gap = OWNER_GAP.match(doc.text, party.end)
    return bool(later and gap and gap.end() == later[0].start)


def is_verb_object(doc: DocText, a: int, party: Party) -> bool:
    """The object of a past-tense verb in the same piece is not its subject: "Dara Quill dismissed the Zarqa
    claim and accused ..." -> not Zarqa (but "the banned Zarqa" is still a subject).

    >>> d = DocText("d", "Quill dismissed the Zarqa claim", "", (), (), (), (), None)
    >>> is_verb_object(d, 0, Party(20, 25, "z", "Zarqa", "armed_group"))
    True
    >>> d = DocText("d", "the banned Zarqa said", "", (), (), (), (), None)
    >>> is_verb_object(d, 0, Party(11, 16, "z", "Zarqa", "armed_group"))
    False
    >>> d = DocText("d", "The outlawed Zarqa said", "", (), (), (), (), None)
    >>> is_verb_object(d, 0, Party(13, 18, "z", "Zarqa", "armed_group"))
    False
    """
    return VERB_OBJECT.search(doc.text[max(a, party.start - 40):party.start]) is not None


# ---------------------------------------------------------------- filters


def is_question(doc: DocText, sent: Sentence, pos: int, rules: TextRules) -> bool:
    """The cue sits in the interrogative clause of a question ("How credible is their claim?").

    A lead-in before the question ("With IS claiming responsibility ..., is IS firmly ...?") is no question.
    """
    body = doc.text[sent.start:sent.end].rstrip(" \"”’')")
    if not body.endswith("?"):
        return False
    head = rules.question_head.search(doc.text, sent.start, sent.end)
    return head is not None and pos >= head.start()


PARTICIPLE_CLAUSE = re.compile(r",\s+(?:and\s+|while\s+)?(?:blam|accus|alleg|claim|say|add|point)ing\b")


def is_unasserted(doc: DocText, sent: Sentence, cue_start: int, rules: TextRules) -> bool:
    """Future, prediction, conditional, negation or question (indirect too: "too early to say who was behind it"):
    the text does not say it happened."""
    start = clause_start(doc, sent, cue_start, rules)
    # "X denied any role, blaming Y for the attack": a participle clause after a comma is asserted on its own
    participles = list(PARTICIPLE_CLAUSE.finditer(doc.text, start, min(sent.end, cue_start + 10)))
    participle = participles[-1] if participles else None
    start = participle.start() + 1 if participle else start
    relative = embedded_relative(doc, sent, cue_start)
    # "The Taliban, whose spokesman said the group was not involved, denied": the relative's "not" is its own
    before = doc.text[start:relative.start() if relative else cue_start]
    framed = start > sent.start and not participle and rules.denial_frame.search(doc.text[sent.start:start])
    return bool(rules.future_before.search(before) or rules.negation_before.search(before)
                or rules.negated_subject.search(before) or framed
                or rules.conditional.search(before) or rules.indirect_question.search(before)
                or is_question(doc, sent, cue_start, rules))


def is_hedged(doc: DocText, sent: Sentence, cue_start: int, rules: TextRules) -> bool:
    """reportedly, allegedly, "it has been claimed", may ... anywhere before the cue's clause ends."""
    return bool(rules.hedge.search(doc.text, sent.start, clause_end(doc, sent, cue_start, rules)))


def evidence(doc: DocText, sent: Sentence, cue_start: int, cue_end: int) -> tuple[int, int]:
    """The sentence, or a window of at most 600 characters around the cue, cut at spaces."""
    if sent.end - sent.start <= MAX_EVIDENCE:
        return sent.start, sent.end
    half = (MAX_EVIDENCE - (cue_end - cue_start)) // 2
    start = max(sent.start, cue_start - half)
    end = min(sent.end, start + MAX_EVIDENCE)
    start = max(sent.start, end - MAX_EVIDENCE)
    if start > sent.start:
        start = doc.text.find(" ", start, cue_start) + 1 or start
    if end < sent.end:
        space = doc.text.rfind(" ", cue_end, end)
        end = space if space > 0 else end
    return start, end


def stable_id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


# ---------------------------------------------------------------- claims


@dataclass(frozen=True)
class Found:
    """A claim before event linking."""

    sent: Sentence
    cue_start: int
    cue_end: int
    claim_type: str
    claimant: Party | None
    channel: Party | None
    claim_text: str
    joint: bool           # "jointly claimed": the cue's claimants act together


GROUP_TYPES = frozenset({"armed_group"})
STATE_TYPES = frozenset({"state", "state_agency"})
NOT_CLAIMING_TYPES = frozenset({"state", "state_agency", "organisation"})
ANNOUNCING_TYPES = frozenset({"armed_group", "person"})
THAT_AFTER = re.compile(r"\s+that\b", re.I)



# "claimed responsibility on Monday|, with spokesman X saying it was a response to a drone strike": what follows
# a participle is the claimant's reason, not what is claimed
CONTENT_END = re.compile(r";|,\s+(?:and|but|while|whereas|with|saying|adding)\b")
ENDS_WITH_THAT = re.compile(r"\bthat$")
APPOSITIVE_START = re.compile(r",\s+(?=(?:a|an|the)\s)")
SPOKEN_CONTENT = re.compile(r"\s*(?:[\w’'.-]+\s+){0,4}?(?:that\b|[:,]?\s*[“\"])")


def claim_text(doc: DocText, sent: Sentence, cue_start: int, cue_end: int, rules: TextRules,
               spoken: bool = False) -> str:
    """What is claimed: the rest of the cue's clause, else the clause before it.

    "ISIS claimed responsibility| for last month's series of ... bombings" gives the words after
    the cue; "The forces killed nine ..., a spokesperson ... told the Media Line" (`spoken`, with
    no "that" or quote after the verb) gives the words before.
    """
    content = ENDS_WITH_THAT.search(doc.text, cue_start, cue_end) or SPOKEN_CONTENT.match(doc.text, cue_end)
    if spoken and content and content.end() > cue_end:
        cue_end = content.end()
    end = min([sent.end] + [m.start() for m in CONTENT_END.finditer(doc.text, cue_end, sent.end)][:1])
    question = rules.question_head.search(doc.text, cue_end, end) if is_question(doc, sent, sent.end - 1, rules) else None
    after = doc.text[cue_end:question.start() if question else end].strip(" ,.:;\"“”’")
    if len(after.split()) >= 2 and (content or not spoken):
        return after
    before = doc.text[sent.start:cue_start]
    before = APPOSITIVE_START.split(before)[0]
    return before.strip(" ,.:;\"“”’") or doc.text[sent.start:sent.end].strip()


CHANNEL_BEFORE = re.compile(r"\b(?:through|via|on|in|according\s+to)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}$", re.I)


def channel_of(doc: DocText, sent: Sentence, pos: int) -> Party | None:
    """The outlet a group speaks through: "According to the ... Amaq News Agency, ...", "through its Amaq agency"."""
    for party in doc.parties_in(sent.start, sent.end):
        if party.entity_type == "media" and CHANNEL_BEFORE.search(doc.text, max(sent.start, party.start - 40), party.start):
            return party
    return None


def cue_pattern(pattern: str) -> re.Pattern:
    """A reviewed cue, compiled to scan the lowercased text unless it reads case itself.

    Scanning is the costly part of the rules: ignoring case and a leading \\b both keep the
    regex engine from skipping ahead to the cue's first letters, so cue_hits checks the
    word boundary itself.
    """
    return re.compile(f"(?:{pattern})", re.I if "(?-i:" in pattern else 0)


LOOKAHEAD_MARGIN = 200  # characters past a sentence's end that a cue's lookahead may read


def cue_hits(doc: DocText, patterns: Sequence[re.Pattern]) -> dict[int, list[tuple[int, re.Match]]]:
    """Matches of every pattern that start a word, by sentence position, in pattern order.

    A match counts only inside one sentence, so a pattern is run only over the sentences
    that hold one of its necessary literals (flows.prefilter), the end pushed a little past
    the sentence so that lookaheads at its end read the real text.
    """
    hits: dict[int, list[tuple[int, re.Match]]] = {}
    spans = [(sent.start, sent.end) for sent in doc.sentences]
    for k, (pattern, candidates) in enumerate(zip(patterns, candidate_spans(patterns, doc.lower, spans))):
        text = doc.text if pattern.flags & re.I else doc.lower
        for i in candidates:
            sent = doc.sentences[i]
            for m in pattern.finditer(text, sent.start, min(len(text), sent.end + LOOKAHEAD_MARGIN)):
                if m.start() >= sent.end:
                    break
                if m.start() and WORD_CHAR.match(text, m.start() - 1) and WORD_CHAR.match(text, m.start()):
                    continue
                if m.end() <= sent.end:
                    hits.setdefault(i, []).append((k, m))
    return hits


def ordered_cues(lexicon: ClaimLexicon) -> list[tuple[str, Cue]]:
    """(claim type, cue) in precedence order: a span taken by an earlier cue is not read again."""
    return [(claim_type, cue) for claim_type in ("responsibility", "announcement", "denial")
            for cue in lexicon.cues[claim_type]]


def sentence_claims(doc: DocText, sent: Sentence, hits: list[tuple[int, re.Match]], cues: list[tuple[str, Cue]],
                    lexicon: ClaimLexicon, index: EntityIndex) -> list[Found]:
    """Every claim of one sentence, from the cue matches `hits` (index into `cues`, match)."""
    rules = lexicon.text
    found: list[Found] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for k, m in hits:
        claim_type, cue = cues[k]
        if not free(m.start(), m.end()) or is_unasserted(doc, sent, m.start(), rules):
            continue
        claimants, channel = claimants_of(doc, sent, m, cue.role, lexicon, index)
        claimants = as_groups(doc, sent, claimants, rules, index)
        if cue.role == "spoken":
            # "police said the group had carried out the raid" is no claim: only the group, or one speaking for it
            claimants = [c for c in claimants if c.entity_type in GROUP_TYPES]
        if (cue.role in ("channel", "spoken") or claim_type == "denial") and not claimants:
            # a denial by nobody denies nothing ("The weather had nothing to do with it")
            continue
        if claim_type == "announcement" and not any(c.entity_type in ANNOUNCING_TYPES for c in claimants):
            # "officials said they had launched an investigation": only a group (or one of its people) proclaims itself
            continue
        if claim_type == "denial" and all(c.entity_type in STATE_TYPES for c in claimants) \
                and THAT_AFTER.match(doc.text, m.end()) and not lexicon.denial_topic.search(doc.text, m.start(), sent.end):
            # "dismissed suggestions that the operation had been an intelligence failure": no denial of a role
            continue
        if claim_type in ("responsibility", "announcement") and claimants \
                and all(c.entity_type in NOT_CLAIMING_TYPES for c in claimants):
            # "The Indian Army said it killed three militants" reports an operation, it claims no attack;
            # "the ministry announced the formation of a task force" is no group proclaiming itself
            continue
        taken.append((m.start(), m.end()))
        attribution = quote_attribution(doc, sent, m.start(), lexicon)
        if attribution:
            # the spokesman's words are this claim or denial: no second row as a statement
            taken.append(attribution)
        text = claim_text(doc, sent, m.start(), m.end(), rules) if cue.role != "agent" else \
            doc.text[clause_start(doc, sent, m.start(), rules):m.start()].strip(" ,;:\"“”")
        channel = channel or channel_of(doc, sent, m.start())
        for claimant in claimants or [None]:
            found.append(Found(sent, m.start(), m.end(), claim_type, claimant, channel, text,
                               bool(lexicon.joint.search(doc.text, sent.start, m.end()))))
    # "a spokesman for X told AP by telephone that the group had nothing to do with ...": the speech introducing a
    # claim or denial is that claim, no statement; "Z dismissed the remarks as baseless and said ...": one speaker,
    # the denial wins
    # "The BLA claimed responsibility in an email from its spokesman X, and shared photographs ...": the group's
    # claim, no statement of it besides
    if not any(c.claim_type in ("responsibility", "denial") for c in found):
        found.extend(f for f in statements(doc, sent, lexicon, index, free)
                     if not any(c.cue_start >= f.cue_start for c in found))
    return found


def claimants_of(doc: DocText, sent: Sentence, m: re.Match, role: str, lexicon: ClaimLexicon,
                 index: EntityIndex) -> tuple[list[Party], Party | None]:
    """(claimants, channel) of a cue match, by the cue's role."""
    rules = lexicon.text
    if role == "agent":
        return parties_after(doc, m.end(), sent.end, rules) or described_agent(doc, sent, m.end(), rules, index), None
    if role == "channel":
        speakers = subject(doc, sent, m.start(), rules, index, GROUP_TYPES)
        if not speakers or speakers[0].entity_type != "media":
            return [], None
        groups = [p for p in parties_after(doc, m.end(), sent.end, rules, max_gap=20) if p.entity_type == "armed_group"]
        if not groups or not lexicon.channel_deeds.match(doc.text, groups[-1].end + 1):
            return [], None
        return groups, speakers[0]
    if role == "inner":
        # "a charge New Delhi dismisses": the party inside the cue
        return as_groups(doc, sent, doc.parties_in(m.start(), m.end())[:1], rules, index), None
    return (subject(doc, sent, m.start(), rules, index, GROUP_TYPES)
            or spokesperson_subject(doc, sent, m.start(), lexicon, index)
            or elided_subject(doc, sent, m.start(), rules, index)
            or quote_speaker(doc, sent, m.start(), lexicon, index)
            or member_subject(doc, sent, m.start(), rules)), None


MEMBER_OF = re.compile(r"\b(?:of|from)\s+(?:the\s+)?$", re.I)


def member_subject(doc: DocText, sent: Sentence, pos: int, rules: TextRules) -> list[Party]:
    """A subject known only as someone of a group speaks for it: "A man identifying himself as Abu Jindal of the
    Zarqa Front called a radio station and said the group was behind it" -> the Zarqa Front."""
    start = clause_start(doc, sent, pos, rules)
    return [p for p in doc.parties_in(start, pos) if p.entity_type in GROUP_TYPES
            and MEMBER_OF.search(doc.text, max(start, p.start - 12), p.start)][:1]


def spokesperson_subject(doc: DocText, sent: Sentence, pos: int, lexicon: ClaimLexicon,
                         index: EntityIndex) -> list[Party]:
    """A spokesperson as the clause's subject speaks for their body: "A spokesman for Mehsud denied ...",
    "Its spokesman, Azam Tariq, told reporters that ..." (a name that is no party of its own)."""
    start = clause_start(doc, sent, pos, lexicon.text)
    speakers = list(lexicon.speaker.finditer(doc.text, start, pos))
    if not speakers:
        return []
    body = spokesperson_body(doc, sent, speakers[-1], lexicon.text, index)
    return [body] if body else []


LEADING_SPACE = re.compile(r"\s*")


def described_agent(doc: DocText, sent: Sentence, pos: int, rules: TextRules, index: EntityIndex) -> list[Party]:
    """A description right after "claimed by": "Both attacks were claimed by the group" -> the last armed group."""
    found = rules.description.match(doc.text, LEADING_SPACE.match(doc.text, pos).end(), sent.end)
    if found and description_kind(found, rules) == "group":
        party = previous_subject_group(doc, sent, rules, back=3) or resolve_description(doc, found, rules, index)
        return [party] if party.entity_id else []
    return []


COORDINATOR_BEFORE = re.compile(r"(?:,\s*)?\b(?:but|and|yet|then)\s*$", re.I)


def elided_subject(doc: DocText, sent: Sentence, pos: int, rules: TextRules, index: EntityIndex) -> list[Party]:
    """A clause joined by "but"/"and" without a subject shares the one before: "The TRF claimed responsibility
    ..., but days later retracted the claim" -> the TRF."""
    start = clause_start(doc, sent, pos, rules)
    joined = COORDINATOR_BEFORE.search(doc.text, sent.start, start)
    if start == sent.start or not joined:
        return []
    return subject(doc, sent, joined.start(), rules, index, GROUP_TYPES)


OPEN_QUOTE = re.compile(r"[“\"]")
CLOSE_QUOTE = re.compile(r"[”\"]")
FIRST_PERSON = re.compile(r"\s*(?:our|we|my|i)\b", re.I)


def quote_attribution(doc: DocText, sent: Sentence, pos: int, lexicon: ClaimLexicon) -> tuple[int, int] | None:
    """The span from the closing quote to the speech verb, when `pos` is inside a quote attributed after it
    (\"...,\" Taliban spokesman Z said)."""
    if not OPEN_QUOTE.search(doc.text, sent.start, pos):
        return None
    closed = CLOSE_QUOTE.search(doc.text, pos, sent.end)
    speech = lexicon.speech.search(doc.text, closed.end(), sent.end) if closed else None
    if speech and speech.start() - closed.end() < 100:
        return closed.end(), speech.end()
    return None


def quote_speaker(doc: DocText, sent: Sentence, pos: int, lexicon: ClaimLexicon, index: EntityIndex) -> list[Party]:
    """Who says a quoted claim: the attribution after the quote (\"Our mujahideen have no role in the attack,\"
    Taliban spokesman Z said -> the Taliban), else the speaker before it (X said: \"...\")."""
    rules = lexicon.text
    opened = [m for m in OPEN_QUOTE.finditer(doc.text, sent.start, pos)]
    if not opened:
        return []
    closed = CLOSE_QUOTE.search(doc.text, pos, sent.end)
    if closed:
        speech = lexicon.speech.search(doc.text, closed.end(), sent.end)
        if speech and speech.start() - closed.end() < 100:
            speaker = lexicon.speaker.search(doc.text, closed.end(), speech.start())
            if speaker:
                body = spokesperson_body(doc, sent, speaker, rules, index)
                return [body] if body else []
            named = doc.parties_in(closed.end(), speech.start())
            if named:
                return as_groups(doc, sent, named[:1], rules, index)
    before = doc.text[sent.start:opened[-1].start()]
    speech = [m for m in lexicon.speech.finditer(before)]
    if speech and not before[speech[-1].end():].strip(" ,:"):
        return subject(doc, sent, sent.start + speech[-1].start(), rules, index, GROUP_TYPES)
    return []


def statements(doc: DocText, sent: Sentence, lexicon: ClaimLexicon, index: EntityIndex,
               free: Callable[[int, int], bool]) -> list[Found]:
    """A spokesperson speaking for a body, a named source's statement, or "it has been claimed that"."""
    rules = lexicon.text
    speaker = lexicon.speaker.search(doc.text, sent.start, sent.end)
    if speaker:
        speech = lexicon.speech.search(doc.text, speaker.end(), sent.end) or \
            lexicon.speech.search(doc.text, sent.start, speaker.start())
        if speech and free(speech.start(), speech.end()) and not is_unasserted(doc, sent, speech.start(), rules) \
                and not lexicon.accusation.match(doc.text, speech.end(), sent.end) \
                and not lexicon.threat.match(doc.text, speech.end(), sent.end):
            body = spokesperson_body(doc, sent, speaker, rules, index)
            if body is None:
                # "A spokesman said India had made a habit of blaming us": a voice nobody is named for claims nothing
                return []
            start, end = min(speaker.start(), speech.start()), max(speaker.end(), speech.end())
            if end - start > 80:
                start, end = speech.start(), speech.end()
            # "TTP spokesman X said the ANP had been targeted for its secular politics": the group's own deed
            kind = "responsibility" if body.entity_type in GROUP_TYPES and \
                lexicon.own_deed.search(doc.text, sent.start, sent.end) else "statement"
            return [Found(sent, start, end, kind, body, None,
                          claim_text(doc, sent, start, end, rules, spoken=True), False)]
    out = []
    for cue in lexicon.cues["statement"]:
        for m in cue.pattern.finditer(doc.text, sent.start, sent.end):
            if free(m.start(), m.end()) and not is_unasserted(doc, sent, m.start(), rules):
                for claimant in subject(doc, sent, m.start(), rules, index, rules.actor_types)[:1] or [None]:
                    out.append(Found(sent, m.start(), m.end(), "statement", claimant, None,
                                     claim_text(doc, sent, m.start(), m.end(), rules, spoken=True), False))
    for m in lexicon.unattributed.finditer(doc.text, sent.start, sent.end):
        if free(m.start(), m.end()):
            out.append(Found(sent, m.start(), m.end(), "statement", None, None,
                             claim_text(doc, sent, m.start(), m.end(), rules, spoken=True), False))
    return out


POSSESSIVE_GAP = re.compile(r"['’]?s?\s*")
SPEAKS_FOR = re.compile(r"\s+(?:for|of)\b", re.I)


def spokesperson_body(doc: DocText, sent: Sentence, speaker: re.Match, rules: TextRules,
                      index: EntityIndex) -> Party | None:
    """The body a spokesperson speaks for: "Taliban spokesman", "a spokesperson for the chief of the
    Baluchistan police", "a spokesman for the group" (the group named before); else the spokesperson."""
    before = [p for p in doc.parties_in(max(sent.start, speaker.start() - 60), speaker.start())
              if POSSESSIVE_GAP.fullmatch(doc.text, p.end, speaker.start())]
    if before:
        return before[-1]
    speaks_for = SPEAKS_FOR.match(doc.text, speaker.end())
    if speaks_for:
        after = [p for p in doc.parties_in(speaker.end(), min(sent.end, speaker.end() + 70)) if p.entity_type != "person"]
        if after:
            return after[0]
        description = rules.description.match(doc.text, speaks_for.end() + 1, sent.end)
        if description:
            return resolve_description(doc, description, rules, index)
    people = [p for p in doc.parties_in(speaker.end(), min(sent.end, speaker.end() + 80)) if p.entity_type == "person"]
    if people:
        return speaker_group(doc, sent, people[0], rules, index) or people[0]
    _, _, _, its_role = role_patterns(rules.member_nouns)
    # "Its spokesman told reporters ...": the group the previous sentence is about
    return previous_subject_group(doc, sent, rules) if its_role.search(doc.text, sent.start, speaker.end()) else None


@lru_cache(maxsize=4)
def role_patterns(nouns: str) -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """(appositive after a person, "a spokesman for X, " before one, "X spokesman " before one, "Its spokesman ")."""
    return (
        re.compile(rf"\s*,\s*(?:a|an|the)\s+[^,;.]{{0,50}}?\b(?:{nouns})\s+(?:of|for|in|with|from|within)\s+"
                   rf"(?:the\s+)?(?:[\w-]+\s+)?$", re.I),
        re.compile(rf"\b(?:{nouns})\s+(?:of|for|in|with|from|within)\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.I),
        # "BLA spokesman", "the Taliban administration's deputy spokesman, "
        re.compile(rf"^(?:['’]s?)?\s+(?:[\w'’-]+\s+){{0,2}}(?:{nouns})\s*,?\s*$", re.I),
        re.compile(rf"\b(?:its|their)\s+(?:[\w-]+\s+)?(?:{nouns})\s*,?\s*$", re.I),
    )


PAREN_GAP = re.compile(r"\s*\(\s*")
CLOSE_COMMA = re.compile(r"[\s)]*,\s*")


def speaker_group(doc: DocText, sent: Sentence, person: Party, rules: TextRules, index: EntityIndex) -> Party | None:
    """The body a person speaks or fights for, by the words around the name, else the registry:

    "Sarbakaf Mohmand, a commander of the Pakistani Taliban, claimed" -> the Pakistani Taliban;
    "a spokesman for the TTP, Muhammad Khurasani, said" -> the TTP; "BLA spokesman Jeeyand Baloch" ->
    the BLA; "Its spokesman Ehsanullah Ehsan" -> the group the previous sentence is about; a known
    spokesman whose registry parent is an armed group -> that group.
    """
    after, before_named, named_role, its_role = role_patterns(rules.member_nouns)
    later = [p for p in doc.parties_in(person.end, sent.end) if p.entity_type not in ("person", "media", "location")]
    for party in later[:2]:
        if after.match(doc.text[person.end:party.start]):
            return party
    earlier = [p for p in doc.parties_in(sent.start, person.start) if p.entity_type not in ("media", "location")]
    if earlier and earlier[-1].entity_type != "person":
        last = earlier[-1]
        gap = doc.text[last.end:person.start]
        if named_role.match(gap):
            return last
        if CLOSE_COMMA.fullmatch(gap):
            # "a spokesman for the Tehreek-e-Taliban Pakistan (TTP), Muhammad Khurasani": the name before the brackets
            bracketed = len(earlier) > 1 and PAREN_GAP.fullmatch(doc.text, earlier[-2].end, last.start)
            head = earlier[-2] if bracketed else last
            if before_named.search(doc.text, max(sent.start, head.start - 40), head.start):
                return last if last.entity_id else head
    if its_role.search(doc.text, max(sent.start, person.start - 40), person.start):
        return previous_subject_group(doc, sent, rules)
    parent = index.parents.get(person.entity_id or "")
    if parent and index.types.get(parent) == "armed_group":
        return index.party(parent, person.start, person.end)
    return None


def previous_subject_group(doc: DocText, sent: Sentence, rules: TextRules, back: int = 2) -> Party | None:
    """The armed group a recent sentence is about: the first one of the nearest earlier sentence that names
    one outside a prepositional phrase ("Jamaatul Ahrar, a breakaway faction of the TTP, claimed ..." -> JuA)."""
    i = bisect.bisect_right(doc.sentence_starts, sent.start) - 1
    for back in range(1, back + 1):
        if i - back < 0:
            break
        prev = doc.sentences[i - back]
        for party in doc.parties_in(prev.start, prev.end):
            before = doc.text[max(prev.start, party.start - 40):party.start]
            if party.entity_type == "armed_group" and not rules.preposition_before.search(before):
                return party
    return None


def as_groups(doc: DocText, sent: Sentence, parties: list[Party], rules: TextRules, index: EntityIndex) -> list[Party]:
    """Claimants with each person replaced by the body they speak or fight for, where the text or registry says."""
    out = []
    for party in parties:
        group = speaker_group(doc, sent, party, rules, index) if party.entity_type == "person" else None
        out.append(group or party)
    return unique_parties(out)


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class DocEvent:
    """What linking needs of one event of the document."""

    sentence_idx: int
    start: int
    event_type: str
    event_id: str
    location: str | None = None


def events_by_doc(events: pl.DataFrame) -> dict[str, list[DocEvent]]:
    """The events of each document, in text order."""
    out: dict[str, list[DocEvent]] = {}
    if events.is_empty():
        return out
    places = [c for c in ("location_name", "location_text") if c in events.columns]
    for row in events.select("doc_id", "sentence_idx", "char_start", "event_type", "event_id", *places).sort(
            "doc_id", "char_start").iter_rows(named=True):
        where = " ".join(row[c] for c in places if row[c])
        out.setdefault(row["doc_id"], []).append(
            DocEvent(row["sentence_idx"], row["char_start"], row["event_type"], row["event_id"], where or None))
    return out


MAX_OBJECT_LEAD = 40
BOMBING_NOUNS = re.compile(r"\b(?:bomb\w*|blasts?|explosions?|suicide)\b", re.I)
ABDUCTION_NOUNS = re.compile(r"\b(?:abduct\w*|kidnap\w*|hostage\w*|hijack\w*)\b", re.I)
PROPER_WORDS = re.compile(r"(?-i:[A-Z])[\w'’-]+")


@lru_cache(maxsize=4)
def object_patterns(nouns: str) -> tuple[re.Pattern, re.Pattern]:
    """(a definite object that refers back, "both attacks")."""
    return (re.compile(rf"(?:(?:for|of|in|from|on|with|to|behind)\s+)?(?:the|this|that|these|those|its|their)\s+"
                       rf"(?P<mods>(?:[\w'’-]+\s+){{0,3}}?)(?P<noun>{nouns})\b(?P<rest>(?:\s+(?:in|at|on|near)\s+"
                       rf"(?:the\s+)?(?-i:[A-Z])[\w'’-]+)?)", re.I),
            re.compile(rf"(?:both|the\s+two)\s+(?:[\w'’-]+\s+)?(?:{nouns})\b", re.I))


def compatible(events: list[DocEvent], noun: str) -> list[DocEvent]:
    """Events whose type fits the claim's object noun: "the bombing" -> bombings; "the attack" -> any.

    >>> [e.event_id for e in compatible([DocEvent(0, 0, "attack", "a"), DocEvent(1, 9, "bombing", "b")], "blast")]
    ['b']
    """
    if BOMBING_NOUNS.search(noun):
        return [e for e in events if e.event_type == "bombing"]
    if ABDUCTION_NOUNS.search(noun):
        return [e for e in events if e.event_type == "abduction"]
    return events


def located(events: list[DocEvent], words: str) -> list[DocEvent]:
    """Events told at a place the object names: "the Pahalgam attack" -> the events located in Pahalgam."""
    names = [w.lower() for w in PROPER_WORDS.findall(words)]
    return [e for e in events if e.location and any(n in e.location.lower() for n in names)]


def main_event(before: list[DocEvent], rest: list[DocEvent]) -> DocEvent | None:
    """The event a claim means when it names none of its own: the first violent event told before it
    (a lead's event, not the details told after it); with none before, the first told after.

    >>> a, b, c = DocEvent(0, 0, "attack", "a"), DocEvent(1, 9, "attack", "b"), DocEvent(5, 99, "attack", "c")
    >>> main_event([a, b], [c]).event_id, main_event([], [b, c]).event_id
    ('a', 'b')
    """
    if before:
        return before[0]
    return rest[0] if rest else None


OBJECT_PHRASE = re.compile(r"[^,;:]*")
POSTMODIFIER = re.compile(r"\s+(?:of|on|at|against)\s", re.I)
INDEFINITE_OBJECT_END = re.compile(r"\b(?:an?|one)\s+(?:[\w'’-]+\s+){0,2}?(?:attacks?|bombings?|blasts?|assaults?|killings?|"
                                   r"massacres?|abductions?|kidnappings?|ambush|raids?|explosions?|hijackings?|shootings?|"
                                   r"murders?)\s*$", re.I)
POINTING_CUE = re.compile(r"\b(?:that|this)\s+(?P<noun>attacks?|bombings?|blasts?|assaults?|killings?|ambush|raids?|"
                          r"massacres?|abductions?|kidnappings?|explosions?)\s*$", re.I)
DEMONSTRATIVE = re.compile(r"(?:\w+\s+)?(?:that|this)\s", re.I)


def nearest_event(before: list[DocEvent], idx: int) -> DocEvent:
    """The event "that attack" / "this bombing" points back to: the one told in the nearest sentence before the
    claim (its first), not the lead's.

    >>> a, b, c = DocEvent(0, 0, "attack", "a"), DocEvent(3, 50, "bombing", "b"), DocEvent(3, 70, "bombing", "c")
    >>> nearest_event([a, b, c], 4).event_id
    'b'
    """
    last = max(e.sentence_idx for e in before)
    return next(e for e in before if e.sentence_idx == last)


def body_events(doc: DocText, events: list[DocEvent], title: str | None) -> list[DocEvent]:
    """The events told in the body: an event read off the headline is the body's event told short, so claims link
    the body's telling, unless the headline's is the only one."""
    if not title:
        return events
    head = {s.idx for s in doc.sentences if doc.text[s.start:s.end].strip() == title.strip()}
    body = [e for e in events if e.sentence_idx not in head]
    return body or events


def linked_events(found: Found, doc_events: list[DocEvent], lexicon: ClaimLexicon, cue_text: str = "") -> list[str]:
    """The events a claim is about (usually one).

    An object naming a place picks the first event told there ("denied any role in the Pahalgam attack"); an
    object that refers back ("claimed credit for the attack", "distanced the group from the bombing")
    picks the main event told before whose type fits the noun, before a same-sentence one; "both attacks"
    are the last two told; an object of its own ("a 2018 bombing at a rally") is the event of the claim's
    sentence, the one after the cue first; no object at all ("X claimed responsibility within hours")
    means the document's main event. Earlier events are tried before later ones.
    """
    types = lexicon.event_types.get(found.claim_type)
    if not types:
        return []
    usable = [e for e in doc_events if e.event_type in types]
    if not usable:
        return []
    idx = found.sent.idx
    before = [e for e in usable if e.sentence_idx < idx]
    same = [e for e in usable if e.sentence_idx == idx]
    later = [e for e in usable if e.sentence_idx > idx]
    if found.claim_type == "announcement":
        return [e.event_id for e in (same or [])[:1]]
    text = found.claim_text
    refers, both = lexicon.refers_back, lexicon.both_events
    pointed = POINTING_CUE.search(cue_text)
    told = before + [e for e in same if e.start < found.cue_start]
    if pointed and told:
        # "The ZLF claimed that attack.", "X said it was behind the massacre at Y, although Z also claimed that
        # massacre": the cue itself points back to the nearest event told, earlier in its own sentence too
        fits = compatible(told, pointed.group("noun")) or told
        return [nearest_event(fits, idx).event_id]
    if both.match(text):
        told = [e for e in before + [e for e in same if e.start < found.cue_start]]
        if len(told) >= 2:
            return [e.event_id for e in told[-2:]]
    if same and INDEFINITE_OBJECT_END.search(text):
        # "..., in an attack claimed by Daesh": an indefinite event right before "claimed by" is this sentence's
        return [same[-1].event_id]
    back = refers.search(text)
    if back and found.claim_type == "responsibility" and back.start() > MAX_OBJECT_LEAD:
        back = None   # "claimed responsibility on Tuesday for the Easter bombings": only a short lead before the object
    if back:
        # the place may close the object's phrase: "the killing of ten climbers at the base camp of Nanga Parbat"
        places = located(usable, back.group("mods") + back.group("rest") + OBJECT_PHRASE.match(text, back.end()).group())
        if places:
            return [places[0].event_id]
        if same and POSTMODIFIER.match(text, back.end()):
            # "said it was behind the killing of ten climbers ...": an object told with its own modifiers names the
            # event this sentence tells, not one told before
            return [same[0].event_id]
        fits_before = compatible(before, back.group("noun")) or before
        if fits_before and DEMONSTRATIVE.match(back.group(0)) and not back.group("mods").strip():
            return [nearest_event(fits_before, idx).event_id]
        if fits_before:
            return [main_event(fits_before, []).event_id]
    if same:
        after = [e for e in same if e.start >= found.cue_start]
        return [(after or same[-1:])[0].event_id]
    if lexicon.event_noun.search(text) and not back:
        # "a pattern of attacks ... claimed by X" names events of its own, not told here
        return []
    if back:
        fits = compatible(later, back.group("noun")) or later
        return [fits[0].event_id] if fits else []
    chosen = main_event(before, later)
    return [chosen.event_id] if chosen else []


def claims(documents: pl.DataFrame, sentences: pl.DataFrame, mentions: pl.DataFrame, events: pl.DataFrame,
           entities: pl.DataFrame, lexicon: ClaimLexicon) -> pl.DataFrame:
    """Claims of a batch of documents, linked to the events of the same batch."""
    index = entity_index(entities)
    doc_events = events_by_doc(events)
    rows = []
    cues = ordered_cues(lexicon)
    patterns = [cue.pattern for _, cue in cues] + [lexicon.statement_gate]
    titles = dict(documents.select("doc_id", "title").rows()) if "title" in documents.columns else {}
    for doc in doc_texts(documents, sentences, mentions, index, lexicon.text):
        found: list[Found] = []
        hits = cue_hits(doc, patterns)
        for i, sent in enumerate(doc.sentences):
            if i in hits:
                found.extend(sentence_claims(doc, sent, [h for h in hits[i] if h[0] < len(cues)], cues, lexicon, index))
        found = without_headline_repeats(doc, found, titles.get(doc.doc_id))
        # one row per claimed event: "Both attacks were claimed by the group" claims two
        told = body_events(doc, doc_events.get(doc.doc_id, []), titles.get(doc.doc_id))
        linked = [(f, event_id) for f in found
                  for event_id in linked_events(f, told, lexicon, doc.text[f.cue_start:f.cue_end]) or [None]]
        linked, retracted = retractions(doc, linked, lexicon)
        competing = competing_keys(linked)
        for i, (f, event_id) in enumerate(linked):
            start, end = evidence(doc, f.sent, f.cue_start, f.cue_end)
            claimant = f.claimant
            first = i == 0 or linked[i - 1][0] is not f
            rows.append({
                "doc_id": doc.doc_id, "sentence_idx": f.sent.idx, "char_start": start, "char_end": end,
                "claim_id": stable_id(doc.doc_id, f.cue_start, f.cue_end, f.claim_type,
                                      claimant.key if claimant else None, *([] if first else [event_id])),
                "evidence_text": doc.text[start:end], "claim_type": f.claim_type,
                "claimant_id": claimant.entity_id if claimant else None,
                "claimant_name": claimant.name if claimant else None,
                "claimant_movement_id": (claimant.root_id or claimant.entity_id) if claimant else None,
                "channel_id": f.channel.entity_id if f.channel else None,
                "channel_name": f.channel.name if f.channel else None,
                "claim_text": f.claim_text, "cue": doc.text[f.cue_start:f.cue_end], "event_id": event_id,
                "competing": i in competing, "is_competing_in_document": i in competing,
                "is_hedged": i in retracted or is_hedged(doc, f.sent, f.cue_start, lexicon.text),
            })
    if not rows:
        return empty_table(Claims)
    table = pl.DataFrame(rows, schema=polars_schema(Claims)).unique("claim_id", keep="first", maintain_order=True)
    return table.sort("doc_id", "char_start", "claim_id")


def without_headline_repeats(doc: DocText, found: list[Found], title: str | None) -> list[Found]:
    """A headline's claim ("Twin blasts kill 81 in Zarqa; ZLF claims responsibility") is the body's claim told
    short: dropped when a body sentence makes the same claim (type and claimant); kept when only the headline does.
    """
    if not title or not found:
        return found
    head = title.strip()

    def in_headline(f: Found) -> bool:
        return doc.text[f.sent.start:f.sent.end].strip() == head or (
            f.sent.idx == doc.sentences[0].idx and head.startswith(doc.text[f.sent.start:f.sent.end].strip()))

    body = {(f.claim_type, f.claimant.key if f.claimant else None) for f in found if not in_headline(f)}
    return [f for f in found
            if not (in_headline(f) and (f.claim_type, f.claimant.key if f.claimant else None) in body)]


def retractions(doc: DocText, linked: list[tuple[Found, str | None]],
                lexicon: ClaimLexicon) -> tuple[list[tuple[Found, str | None]], set[int]]:
    """A retraction ("but days later retracted the claim") takes back the claimant's latest earlier claim: it is
    about that claim's event, and the claim it takes back is hedged. Returns (linked, positions retracted)."""
    out, retracted = [], set()
    for i, (found, event_id) in enumerate(linked):
        if found.claim_type == "denial" and found.claimant is not None \
                and lexicon.retraction.match(doc.text, found.cue_start, found.cue_end):
            earlier = [j for j, (f, _) in enumerate(linked[:i]) if f.claim_type == "responsibility"
                       and f.claimant is not None and f.claimant.key == found.claimant.key]
            if earlier:
                retracted.add(earlier[-1])
                event_id = linked[earlier[-1]][1] or event_id
        out.append((found, event_id))
    return out, retracted


def competing_keys(linked: list[tuple[Found, str | None]]) -> set[int]:
    """Positions of responsibility claims that another movement also claims: in one cue
    ("both X as well as Y claimed", not "jointly") or for one event. A province and its
    movement (Wilayat X, the Islamic State) are one movement."""
    def movement(party: Party) -> str:
        return party.root_id or party.key

    groups: dict[tuple, set[str]] = {}
    keys = []
    for found, event_id in linked:
        mine = []
        if found.claim_type == "responsibility" and found.claimant is not None:
            if not found.joint:
                mine.append(("cue", found.cue_start))
            if event_id is not None:
                mine.append(("event", event_id))
            for k in mine:
                groups.setdefault(k, set()).add(movement(found.claimant))
        keys.append(mine)
    return {i for i, mine in enumerate(keys) if any(len(groups[k]) > 1 for k in mine)}


def competing_claims(claims: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """claims with `competing` set where another movement claims the same (clustered) event.

    Recomputed from `is_competing_in_document` every run, so a claim whose rival's document
    was removed stops competing.

    Across documents as within one, claimants are told apart by movement: a province and its movement
    (ISKP and the Islamic State) claiming one event do not compete; a claimant without an entity is its name.
    """
    if claims.is_empty() or events.is_empty():
        return claims
    keyed = claims.with_columns(
        pl.coalesce("claimant_movement_id", "claimant_id", pl.col("claimant_name").str.to_lowercase()).alias("claimant_key")
    ).join(events.select("event_id", "event_cluster_id"), on="event_id", how="left", maintain_order="left")
    rivals = (keyed.filter((pl.col("claim_type") == "responsibility") & pl.col("event_cluster_id").is_not_null()
                           & pl.col("claimant_key").is_not_null())
              .group_by("event_cluster_id").agg(pl.col("claimant_key").n_unique().alias("n_claimants")))
    return (keyed.join(rivals, on="event_cluster_id", how="left", maintain_order="left")
            .with_columns((pl.col("is_competing_in_document") | (pl.col("n_claimants").fill_null(0) > 1)
                           & (pl.col("claim_type") == "responsibility")).alias("competing"))
            .select(claims.columns))
