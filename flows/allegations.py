"""Allegations: who accuses whom of what.

A cue from data/reference/allegations.yaml ("is assisting", "supported by", "has
infiltrated", "blamed X for") fixes the allegation type and, by its role, where the
accused stands (the clause's subject, the agent after "by", the objects, a named
demonym). The accuser is the source the sentence gives (a trailing "the article
said", the subject of a reporting verb, "according to X", "accusations made by X"),
else the writer the document speaks for; "He said" at a sentence's head is the speaker of
the sentence before; "Afghan and Indian officials" are two accusers, their states; an
official the registry does not know is named with their title and stands for the office
("Interior Minister X" -> the state's interior ministry). Nobody accuses themself or their
own movement, nor the unit a group's spokesman calls the group's own. One row per
(accuser, accused) in a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import polars as pl
import yaml

from flows.claims import (HEAD_SPACES, STATE_TYPES, DocText, antecedent, EntityIndex, Party, Sentence, TextRules,
                          clause_end, clause_start, cue_hits, cue_pattern, doc_texts, entity_index, evidence, is_hedged,
                          is_unasserted, load_text_rules, name_key, parties_after, resolve_description, speaker_group,
                          stable_id, subject, unique_parties, words_pattern)
from flows.schemas import Allegations, empty_table, polars_schema
from flows.versions import REFERENCE_DIR



@dataclass(frozen=True)
class AllegationCue:
    """One reviewed cue: its pattern, the type it gives and where its accused stands."""

    pattern: re.Pattern
    allegation_type: str
    accused: str
    group_type: str | None = None
    subject_types: frozenset[str] | None = None
    needs_object: bool = False
    needs_accusation: bool = False
    needs_report: bool = False
    min_parties: int = 1
    until: re.Pattern | None = None
    beneficiary: str | None = None
    accused_types: frozenset[str] | None = None
    max_gap: int = 60


@dataclass(frozen=True)
class AllegationLexicon:
    """Reviewed accusation cues from data/reference/allegations.yaml."""

    text: TextRules
    cues: tuple[AllegationCue, ...]
    reporting: re.Pattern
    accusing: re.Pattern
    object_frames: tuple[re.Pattern, ...]
    according: re.Pattern
    made_by: re.Pattern
    accusation: re.Pattern
    trailing: re.Pattern
    objects: re.Pattern
    demonyms: Mapping[str, str]
    own_agent: re.Pattern         # ends right before an agent the speaker calls their own: "by the group's"
    title: re.Pattern             # ends right before an official's name: "Interior Minister "
    offices: Mapping[str, str]    # title -> the office it stands for


@lru_cache(maxsize=4)
def load_allegation_lexicon(path: Path = REFERENCE_DIR / "allegations.yaml") -> AllegationLexicon:
    """Load the cues; the shared sentence vocabulary comes from claims.yaml beside it."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cues = tuple(
        AllegationCue(
            pattern=cue_pattern(c["pattern"]), allegation_type=c["type"], accused=c["accused"],
            group_type=c.get("group_type"),
            subject_types=frozenset(c["subject_types"]) if c.get("subject_types") else None,
            needs_object=bool(c.get("needs_object")), needs_accusation=bool(c.get("needs_accusation")),
            needs_report=bool(c.get("needs_report")),
            min_parties=int(c.get("min_parties", 1)),
            until=re.compile(c["until"], re.I) if c.get("until") else None, beneficiary=c.get("beneficiary"),
            accused_types=frozenset(c["accused_types"]) if c.get("accused_types") else None,
            max_gap=int(c.get("max_gap", 60)))
        for c in raw["cues"])
    reporting = raw["reporting"]
    # a reporting verb speaks when "that", a colon or quote, a name, a pronoun or a determiner follows it
    follows = r"(?=\s+that\b|\s*[,:“\"]|\s+(?:the\s+)?(?-i:[A-Z])|\s+(?:it|they|he|she|the|a|an|this|these|those)\b)"
    return AllegationLexicon(
        text=load_text_rules(path.parent / "claims.yaml"),
        cues=cues,
        reporting=re.compile(rf"\b(?:(?:{words_pattern(reporting['verbs'])})\b{follows}"
                             rf"|(?:{words_pattern(reporting['bare_verbs'])})\b(?=\s+[a-z]))", re.I),
        accusing=re.compile(rf"\b(?:{words_pattern(reporting['accusing'])})\b", re.I),
        object_frames=tuple(re.compile(p, re.I) for p in reporting["object_frames"]),
        according=re.compile(reporting["according"], re.I),
        made_by=re.compile(reporting["made_by"], re.I),
        accusation=re.compile(reporting["accusation"], re.I),
        trailing=re.compile(reporting["trailing"], re.I),
        objects=re.compile(raw["objects"], re.I),
        demonyms=MappingProxyType({k.lower().replace("’", "'"): v for k, v in raw["demonyms"].items()}),
        own_agent=re.compile(rf"(?:{raw['own_agent']})$", re.I),
        title=re.compile(rf"\b(?P<title>{words_pattern(raw['titles'])})\s+$", re.I),
        offices=MappingProxyType({HEAD_SPACES.sub(" ", k.lower()): v for k, v in raw["titles"].items()}),
    )


@dataclass(frozen=True)
class Allegation:
    """One (accuser, accused) pair of a cue, before it becomes a row."""

    sent: Sentence
    cue_start: int
    cue_end: int
    allegation_type: str
    accuser: Party | None
    accused: Party
    hedged: bool


# ---------------------------------------------------------------- the accused


def accused_of(doc: DocText, sent: Sentence, m: re.Match, cue: AllegationCue, lexicon: AllegationLexicon,
               index: EntityIndex) -> tuple[list[Party], str]:
    """(accused parties, allegation type) of one cue match, by the cue's role."""
    if cue.accused in ("subject", "possessive"):
        objects = frame_objects(doc, sent, m.start(), lexicon)
        if objects:
            return objects, cue.allegation_type
    return ROLES[cue.accused](doc, sent, m, cue, lexicon, index)


def agent_accused(doc: DocText, sent: Sentence, m: re.Match, cue: AllegationCue, lexicon: AllegationLexicon,
                  index: EntityIndex) -> tuple[list[Party], str]:
    """The parties right after the cue: "supported by| the Pakistani ISI", "jointly conducted by| X and Y".

    With a `group_type`, armed groups alone are that type: "with the help of| SIMI" is collaboration, where
    "with the help of| the ISI" is support.
    """
    end = clause_end(doc, sent, m.end(), lexicon.text)
    found = parties_after(doc, m.end(), end, lexicon.text, max_gap=cue.max_gap)
    if cue.group_type and found and all(p.entity_type == "armed_group" for p in found):
        return found, cue.group_type
    return found, cue.allegation_type


def object_accused(doc: DocText, sent: Sentence, m: re.Match, cue: AllegationCue, lexicon: AllegationLexicon,
                   index: EntityIndex) -> tuple[list[Party], str]:
    """Every party between the cue and its `until`: "blamed| the Haqqani network and LeT |for"."""
    stop = cue.until.search(doc.text, m.end(), sent.end) if cue.until else None
    return unique_parties(doc.parties_in(m.end(), stop.start() if stop else sent.end)), cue.allegation_type


def named_accused(doc: DocText, sent: Sentence, m: re.Match, cue: AllegationCue, lexicon: AllegationLexicon,
                  index: EntityIndex) -> tuple[list[Party], str]:
    """The party the cue names: "a Pakistani proxy", "under Islamabad's patronage"."""
    return named_party(doc, m, lexicon, index), cue.allegation_type


def possessive_accused(doc: DocText, sent: Sentence, m: re.Match, cue: AllegationCue, lexicon: AllegationLexicon,
                       index: EntityIndex) -> tuple[list[Party], str]:
    """The owner of the deed ("Pakistan's double game of ... sheltering"), else the clause's subject."""
    owner = possessor(doc, sent, m.start())
    return ([owner], cue.allegation_type) if owner else subject_accused(doc, sent, m, cue, lexicon, index)


def both_accused(doc: DocText, sent: Sentence, m: re.Match, cue: AllegationCue, lexicon: AllegationLexicon,
                 index: EntityIndex) -> tuple[list[Party], str]:
    """Both sides of a tie, each named: "key figures in IS-KP have had links with| ... the Pakistani ISI",
    "Pakistan|'s links with the Taliban"."""
    rules = lexicon.text
    owner = doc.parties_in(max(sent.start, m.start() - 60), m.start() + 2)
    own = [owner[-1]] if POSSESSIVE.match(doc.text, m.start()) and owner else \
        subject(doc, sent, m.start(), rules, index, STATE_TYPES)
    own = [p for p in own if p.entity_type in rules.actor_types]
    others = parties_after(doc, m.end(), clause_end(doc, sent, m.end(), rules), rules)
    return (unique_parties(own + others) if own and others else []), cue.allegation_type


def subject_accused(doc: DocText, sent: Sentence, m: re.Match, cue: AllegationCue, lexicon: AllegationLexicon,
                    index: EntityIndex) -> tuple[list[Party], str]:
    """The clause's subject ("the ISI has infiltrated"; "it is nurturing" -> the last state or agency).

    With a `group_type`, an armed group using others is that type and the others are accused
    too ("ISIS has been using LeJ and JuA to carry out attacks" is collaboration).
    """
    found = subject(doc, sent, m.start(), lexicon.text, index, STATE_TYPES)
    if cue.subject_types is not None:
        found = [p for p in found if p.entity_type in cue.subject_types]
    if not cue.group_type:
        return found, cue.allegation_type
    if found and found[0].entity_type == "armed_group":
        end = clause_end(doc, sent, m.end(), lexicon.text)
        return unique_parties(found + parties_after(doc, m.end(), end, lexicon.text)), cue.group_type
    return [p for p in found if p.entity_type != "armed_group"], cue.allegation_type


ROLES = MappingProxyType({"agent": agent_accused, "object": object_accused, "named": named_accused,
                          "possessive": possessive_accused, "both": both_accused, "subject": subject_accused})


def frame_objects(doc: DocText, sent: Sentence, pos: int, lexicon: AllegationLexicon) -> list[Party]:
    """The object of a frame right before the cue does its deed: "India accused Pakistan of| backing
    militants", "called on Pakistan to stop| supporting terror groups"."""
    for frame in lexicon.object_frames:
        found = frame.search(doc.text, sent.start, pos)
        if found:
            return unique_parties(doc.parties_in(*found.span("obj")))
    return []


def possessor(doc: DocText, sent: Sentence, pos: int) -> Party | None:
    """The nearest "<party>'s" before `pos` in the sentence ("Pakistan's double game of ... sheltering")."""
    for party in reversed(doc.parties_in(sent.start, pos)):
        if POSSESSIVE.match(doc.text, party.end):
            return party
    return None


def named_party(doc: DocText, m: re.Match, lexicon: AllegationLexicon, index: EntityIndex) -> list[Party]:
    """The party the cue names: a mention under its `party` group, else a demonym ("Pakistani" -> Pakistan)."""
    start, end = m.span("party")
    found = [p for p in doc.parties_in(max(0, start - 60), end + 1) if p.start < end and p.end > start]
    if found:
        return found[:1]
    # a demonym, or a name the mentions leave out as a modifier ("Pakistan-based")
    entity_id = lexicon.demonyms.get(m.group("party").lower().replace("’", "'")) or \
        index.by_alias.get(name_key(m.group("party")))
    if entity_id and entity_id in index.names:
        return [index.party(entity_id, start, end)]
    return []


def has_object(doc: DocText, sent: Sentence, pos: int, lexicon: AllegationLexicon) -> bool:
    """The cue's object is an armed group or words like "terrorist groups": "backing militants in Kashmir",
    not "supported the Afghan government against the Taliban"."""
    limit = min(sent.end, pos + 60)
    cut = OBJECT_END.search(doc.text, pos, limit)
    window_end = cut.start() if cut else limit
    return bool(lexicon.objects.search(doc.text, pos, window_end)) or any(
        p.entity_type == "armed_group" for p in doc.parties_in(pos, window_end))


# ---------------------------------------------------------------- the accuser


POSSESSIVE = re.compile(r"['’]s?\b")
OBJECT_END = re.compile(r"[.;:,]|\b(?:against|in|on|from|to|with|for|over|at|during|after|before|by|through|into)\b",
                        re.I)
LEADING_THE = re.compile(r"\s*(?:the\s+)?", re.I)
THE_PIECE = re.compile(r"\s*(?:it|this|the\s+piece)\s*", re.I)
PRONOUN_SUBJECT = re.compile(r"\b(?:it|they|he|she|we)\s+(?:\w+\s+){0,2}$", re.I)
COORDINATED = re.compile(r"\band\s+(?:\w+ly\s+|also\s+)?$", re.I)   # "..., and suggested": a coordinated verb
PASSIVE_BEFORE = re.compile(r"\b(?:been|is|are|was|were|be|being)\s+(?:\w+ly\s+)?$", re.I)


def accuser_of(doc: DocText, sent: Sentence, pos: int, lexicon: AllegationLexicon, index: EntityIndex) -> Party | None:
    """Who makes the allegation at `pos`: a trailing "..., the article said", the nearest frame before it
    (a reporting verb's subject, "according to X", "accusations made by X"), else the document's voice."""
    rules = lexicon.text
    trailing = lexicon.trailing.search(doc.text, pos, sent.end)
    if trailing:
        found = source_in(doc, sent, *trailing.span("who"), lexicon, index)
        if found:
            return found
    after = lexicon.according.search(doc.text, pos, sent.end)
    if after:
        # "..., according to US officials."
        found = source_in(doc, sent, after.end(), min(sent.end, after.end() + 80), lexicon, index, first_only=True)
        if found:
            return found
    frames = []
    for verbs in (lexicon.reporting, lexicon.accusing):
        for m in verbs.finditer(doc.text, sent.start, sent.end):
            # a passive "have been accused of" names the accused, not the accuser
            if m.start() <= pos and not PASSIVE_BEFORE.search(doc.text, max(sent.start, m.start() - 20), m.start()):
                frames.append((m.start(), "verb", m))
    for m in lexicon.according.finditer(doc.text, sent.start, pos):
        frames.append((m.start(), "after", m))
    for m in lexicon.made_by.finditer(doc.text, sent.start, pos):
        frames.append((m.start(), "after", m))
    pronoun_speaker = None
    for _, how, m in sorted(frames, key=lambda f: f[0], reverse=True):
        if how == "after":
            found = source_in(doc, sent, m.end(), min(sent.end, m.end() + 80), lexicon, index, first_only=True)
        elif COORDINATED.search(doc.text, max(sent.start, m.start() - 20), m.start()) and \
                any(f[0] < m.start() and f[1] == "verb" for f in frames):
            # "Reports of X have stated that ..., and suggested that Y ...": the second verb shares the first's subject
            continue
        elif PRONOUN_SUBJECT.search(doc.text, clause_start(doc, sent, m.start(), rules), m.start()):
            # "Afghan officials said they suspected X": "they" is the speaker of an earlier frame; "He said ..." or
            # "It accused ..." with no earlier frame is the speaker of the sentence before
            if pronoun_speaker is None and PERSON_PRONOUN_BEFORE.search(doc.text, sent.start, m.start()):
                pronoun_speaker = previous_speaker(doc, sent, lexicon, index)
            elif pronoun_speaker is None and BODY_PRONOUN_HEAD.match(doc.text, sent.start, m.start()):
                pronoun_speaker = previous_speaker(doc, sent, lexicon, index, rules.actor_types)
            continue
        else:
            speakers = subject(doc, sent, m.start(), rules, index, rules.actor_types)
            found = speakers[0] if speakers else None
        if found is not None:
            return found
    return pronoun_speaker or doc.voice


PERSON_PRONOUN_BEFORE = re.compile(r"\b(?:he|she)\s+(?:\w+\s+){0,2}$", re.I)
BODY_PRONOUN_HEAD = re.compile(r"\W*(?:it|they)\s+(?:\w+\s+){0,2}$", re.I)   # "It accused ...", "They also said ..."


def previous_speaker(doc: DocText, sent: Sentence, lexicon: AllegationLexicon, index: EntityIndex,
                     types: frozenset[str] = frozenset({"person"})) -> Party | None:
    """Who "he"/"she" ("it"/"they" with `types` of bodies) is at the head of a sentence: the speaker of `types` in
    the sentence before ("Rehman Malik told reporters that ... He said the attack bore the hallmarks of al Qaeda";
    "The NDS said in a statement that ... It accused X of ..."), else the last person named."""
    i = doc.sentences.index(sent)
    if i:
        prev = doc.sentences[i - 1]
        for m in lexicon.reporting.finditer(doc.text, prev.start, prev.end):
            people = [p for p in subject(doc, prev, m.start(), lexicon.text, index, types) if p.entity_type in types]
            if people:
                return titled(doc, prev, people[0], lexicon, index)
    return antecedent(doc, sent.start, PERSON_ONLY, lexicon.text, sentences_back=2) if types == PERSON_ONLY else None


def source_in(doc: DocText, sent: Sentence, start: int, end: int, lexicon: AllegationLexicon, index: EntityIndex,
              first_only: bool = False) -> Party | None:
    """The source named in [start, end): a party, a description ("the article", "the think tank"), or "it"."""
    rules = lexicon.text
    parties = doc.parties_in(start, end)
    description = rules.description.search(doc.text, start, end)
    if first_only:
        lead = LEADING_THE.match(doc.text, start, end).end() - start
        parties = [p for p in parties if p.start - start <= lead + 40][:1]
    if parties and not (description and description.start() < parties[0].start
                        and description.end() <= parties[0].start):
        return parties[0]
    if description:
        return resolve_description(doc, description, rules, index)
    if THE_PIECE.fullmatch(doc.text, start, end):
        return doc.voice
    return pronoun_source(doc, start, end, rules)


PERSON_PRONOUN = re.compile(r"\s*(?:he|she)\s*", re.I)
PERSON_ONLY = frozenset({"person"})


def pronoun_source(doc: DocText, start: int, end: int, rules: TextRules) -> Party | None:
    """A trailing "he said" / "he wrote on Facebook" speaks for the last person named before it
    ("Vice President Dara Quill ... \"This was planned by X,\" he wrote" -> Dara Quill); else None."""
    if not PERSON_PRONOUN.fullmatch(doc.text, start, end):
        return None
    return antecedent(doc, start, PERSON_ONLY, rules, sentences_back=3)


# ---------------------------------------------------------------- sentences


def sentence_allegations(doc: DocText, sent: Sentence, hits: list[tuple[int, re.Match]], lexicon: AllegationLexicon,
                         index: EntityIndex) -> list[Allegation]:
    """Every (accuser, accused) the sentence states, from the cue matches `hits` (cue index, match), first cue first."""
    rules = lexicon.text
    out: list[Allegation] = []
    taken: list[tuple[int, int]] = []
    for k, m in hits:
        cue = lexicon.cues[k]
        if any(m.start() < b and m.end() > a for a, b in taken) or is_unasserted(doc, sent, m.start(), rules):
            continue
        if cue.needs_accusation and not lexicon.accusation.search(doc.text, sent.start, m.start()):
            continue
        speaker = None
        if cue.needs_report:
            speaker = accuser_of(doc, sent, m.start(), lexicon, index) \
                if lexicon.reporting.search(doc.text, sent.start, m.end()) else None
            if speaker is None:
                # "an email claimed that X had carried out the attack": with nobody reporting, X's own claim
                continue
        if cue.needs_object and not has_object(doc, sent, m.end(), lexicon):
            continue
        if cue.beneficiary and not any(p.entity_type == cue.beneficiary for p in doc.parties_in(sent.start, m.start())[-1:]):
            continue
        accused, kind = accused_of(doc, sent, m, cue, lexicon, index)
        if cue.accused_types is not None:
            accused = [p for p in accused if p.entity_type in cue.accused_types]
        if len(accused) < cue.min_parties:
            continue
        taken.append(m.span())
        out.extend(allegation_rows(doc, sent, m.start(), m.end(), kind, accused, lexicon, index,
                                   speaker or accuser_of(doc, sent, m.start(), lexicon, index)))
    out.extend(bare_accusations(doc, sent, lexicon, index, taken))
    return out


THAT = re.compile(r"\s+that\b", re.I)
SUSPECTS = re.compile(r"suspect(?:s|ed)?", re.I)   # "they suspected the Haqqani Network" needs no "of"
ADJECTIVE_BEFORE = re.compile(r"\b(?:the|a|an|of|as|among|several|many|other|on|at|against|into|in|from|with|\d+|two|three|four|five|six|seven|eight|nine|ten|dozens?)\s+$", re.I)   # "the suspected militants", "raids on suspected hideouts", "eight suspects": nouns
BARE_OF = re.compile(r"\bof\b|[.;:]")
BARE_THAT_END = re.compile(r"[.;:]|,\s")


def bare_accusations(doc: DocText, sent: Sentence, lexicon: AllegationLexicon, index: EntityIndex,
                     taken: list[tuple[int, int]]) -> list[Allegation]:
    """"X accused Y of ..." or "X alleged that Y ..." with no cue saying of what: type other; "police suspect Y" with
    Y its object is suspected of the deed told (responsibility)."""
    rules = lexicon.text
    out = []
    for m in lexicon.accusing.finditer(doc.text, sent.start, sent.end):
        if is_unasserted(doc, sent, m.start(), rules):
            continue
        if ADJECTIVE_BEFORE.search(doc.text, sent.start, m.start()):
            # "raids on suspected IS hideouts", "the alleged mastermind of": an adjective or noun, no accusation
            continue
        that = THAT.match(doc.text, m.end())
        suspects = SUSPECTS.fullmatch(m.group(0))
        stopped = (BARE_THAT_END if that or suspects else BARE_OF).search(doc.text, m.end(), sent.end)
        if not that and not suspects and not (stopped and stopped.group(0) == "of"):
            continue
        end = stopped.start() if stopped else sent.end
        # a cue already read the accusation ("accused X of| backing ..."), or the verb is part of a cue
        if any(m.end() <= a < max(end, m.end() + 1) or a <= m.start() < b for a, b in taken):
            continue
        accused = parties_after(doc, that.end() if that else m.end(), end, rules, max_gap=40)
        if accused:
            taken.append((m.start(), end))
            kind = "responsibility" if suspects and not that else "other"
            out.extend(allegation_rows(doc, sent, m.start(), m.end(), kind, accused, lexicon, index,
                                       accuser_of(doc, sent, m.start(), lexicon, index)))
    return out


def allegation_rows(doc: DocText, sent: Sentence, cue_start: int, cue_end: int, kind: str, accused: list[Party],
                    lexicon: AllegationLexicon, index: EntityIndex, speaker: Party | None) -> list[Allegation]:
    """One allegation per accused, made by `speaker` (accuser_of the cue); nobody accuses themself ("The BLA said it
    was behind the attack") or their own movement ("the BLA spokesman said the attack was carried out by the group's
    Majeed Brigade")."""
    accuser = titled(doc, sent, speaker, lexicon, index)
    group = group_spoken_for(doc, sent, accuser, lexicon, index)
    if group is not None:
        # "Its spokesman said the assault had been carried out by the group's Amjad Farooqi unit", "a spokesman for
        # X said the group had carried out the attack": its own claim;
        # "the group identified the bomber as X": a person the registry does not know is the group's own man
        accused = [p for p in accused if not lexicon.own_agent.search(doc.text, cue_end, p.start)
                   and not same_movement(group, p) and not (p.entity_type == "person" and p.entity_id is None)]
    hedged = is_hedged(doc, sent, cue_start, lexicon.text)
    accusers = demonym_states(accuser, lexicon, index) or [accuser]
    return [Allegation(sent, cue_start, cue_end, kind, who, party, hedged)
            for who in accusers for party in accused if who is None or not same_movement(who, party)]


def group_spoken_for(doc: DocText, sent: Sentence, accuser: Party | None, lexicon: AllegationLexicon,
                     index: EntityIndex) -> Party | None:
    """The armed group the accuser is, or speaks for ("Its spokesman, Azam Tariq, told ..."); else None."""
    if accuser is not None and accuser.entity_type == "person":
        accuser = speaker_group(doc, sent, accuser, lexicon.text, index)
    return accuser if accuser is not None and accuser.entity_type == "armed_group" else None


CAPITALISED_BEFORE = re.compile(r"(?!(?:The|A|An|But|And)\s)(?-i:[A-Z])[\w-]*\s+$")   # "Chhattisgarh police chief"


def titled(doc: DocText, sent: Sentence, party: Party | None, lexicon: AllegationLexicon,
           index: EntityIndex) -> Party | None:
    """An official the registry does not know, named with their title, standing for the office:
    "Interior Minister Rehman Malik" -> the interior ministry of the state last named (else that state, else no
    entity); "Chhattisgarh police chief Vishwa Ranjan" keeps the capitalised word before a lowercase title."""
    if party is None or party.entity_id is not None or party.entity_type != "person":
        return party
    found = lexicon.title.search(doc.text, max(sent.start, party.start - 40), party.start)
    if not found:
        return party
    start = found.start()
    if found.group("title")[0].islower():
        owner = CAPITALISED_BEFORE.search(doc.text, max(sent.start, start - 30), start)
        start = owner.start() if owner else start
    office = office_of(doc, start, lexicon.offices[HEAD_SPACES.sub(" ", found.group("title").lower())], index)
    name = doc.text[start:party.end]
    if office is None:
        return Party(start, party.end, None, name, party.entity_type)
    return Party(start, party.end, office.entity_id, name, office.entity_type, office.root_id)


def office_of(doc: DocText, pos: int, office: str, index: EntityIndex) -> Party | None:
    """The registry's "<state> <office>" ("Pakistan Interior Ministry") of the state last named before `pos`, or of
    the state a body named last belongs to; else that state; None when no state is named before."""
    for party in doc.previous_parties(pos, 0):
        state = party.entity_id if party.entity_type == "state" else \
            party.root_id if party.entity_type == "state_agency" else None
        if state and index.types.get(state) == "state":
            found = index.by_alias.get(name_key(f"{index.names[state]} {office}"))
            return index.party(found or state, party.start, party.end)
    return None


DEMONYM_LIST = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\s+)")


def demonym_states(party: Party | None, lexicon: AllegationLexicon, index: EntityIndex) -> list[Party]:
    """An unnamed source made of demonyms stands for their states, one each: "Afghan and Indian officials"
    -> Afghanistan, India; "Pakistani officials" -> Pakistan. Anything else gives [].

    >>> lexicon = load_allegation_lexicon()
    >>> index = EntityIndex({"afghanistan": "Afghanistan", "india": "India"}, {"afghanistan": "state", "india": "state"},
    ...                     {}, {}, {})
    >>> [p.name for p in demonym_states(Party(0, 27, None, "Afghan and Indian officials", "other"), lexicon, index)]
    ['Afghanistan', 'India']
    >>> demonym_states(Party(0, 9, None, "officials", "other"), lexicon, index)
    []
    """
    if party is None or party.entity_id is not None:
        return []
    words = party.name.strip()
    for head in sorted(lexicon.text.description_kinds, key=len, reverse=True):
        if lexicon.text.description_kinds[head] == "unnamed" and words.lower().endswith(" " + head):
            names = [n for n in DEMONYM_LIST.split(words[:-len(head)].strip()) if n]
            ids = [lexicon.demonyms.get(n.lower().replace("’", "'")) for n in names]
            if names and all(i in index.names for i in ids):
                return [index.party(i, party.start, party.end) for i in dict.fromkeys(ids)]
            return []
    return []


def same_movement(a: Party, b: Party) -> bool:
    """One party, or two of one armed movement (a group, its wing, its spokesman): the top of the
    parent chain is shared and it is an armed group.

    >>> bla = Party(0, 3, "bla", "BLA", "armed_group", "bla")
    >>> same_movement(bla, Party(9, 20, "majeed_brigade", "Majeed Brigade", "armed_group", "bla"))
    True
    >>> same_movement(Party(0, 3, "isi", "ISI", "state_agency", "pakistan"), Party(5, 9, "pakistan", "Pakistan", "state", "pakistan"))
    False
    """
    if a.key == b.key:
        return True
    root = a.root_id or a.key
    return root == (b.root_id or b.key) and (a.entity_type == "armed_group" or b.entity_type == "armed_group")


def without_headline_repeats(doc: DocText, found: list[Allegation], title: str | None) -> list[Allegation]:
    """A headline's allegation ("Toll rises to 90; NDS blames Zarqa network") is the body's told short: dropped when
    a body sentence makes the same (accuser, accused) pair; kept when only the headline does."""
    if not title or not found:
        return found
    head = title.strip()

    def in_headline(a: Allegation) -> bool:
        return doc.text[a.sent.start:a.sent.end].strip() == head

    def pair(a: Allegation) -> tuple:
        return a.accuser.key if a.accuser else None, a.accused.key

    body = {pair(a) for a in found if not in_headline(a)}
    return [a for a in found if not (in_headline(a) and pair(a) in body)]


def allegations(documents: pl.DataFrame, sentences: pl.DataFrame, mentions: pl.DataFrame, events: pl.DataFrame,
                entities: pl.DataFrame, lexicon: AllegationLexicon) -> pl.DataFrame:
    """One row per (accuser, accused) pair in a sentence, for a batch of documents."""
    index = entity_index(entities)
    rows = []
    patterns = [cue.pattern for cue in lexicon.cues] + [cue_pattern(lexicon.accusing.pattern)]
    titles = dict(documents.select("doc_id", "title").rows()) if "title" in documents.columns else {}
    for doc in doc_texts(documents, sentences, mentions, index, lexicon.text):
        seen: set[tuple] = set()
        hits = cue_hits(doc, patterns)
        found = [a for i, sent in enumerate(doc.sentences) if i in hits
                 for a in sentence_allegations(doc, sent, [h for h in hits[i] if h[0] < len(lexicon.cues)], lexicon,
                                               index)]
        for a in without_headline_repeats(doc, found, titles.get(doc.doc_id)):
            sent = a.sent
            pair = (sent.idx, a.accuser.key if a.accuser else None, a.accused.key)
            if pair in seen:
                continue
            seen.add(pair)
            start, end = evidence(doc, sent, a.cue_start, a.cue_end)
            rows.append({
                "doc_id": doc.doc_id, "sentence_idx": sent.idx, "char_start": start, "char_end": end,
                "allegation_id": stable_id(doc.doc_id, a.cue_start, a.cue_end, pair[1], pair[2]),
                "evidence_text": doc.text[start:end],
                "accuser_id": a.accuser.entity_id if a.accuser else None,
                "accuser_name": a.accuser.name if a.accuser else None,
                "accused_id": a.accused.entity_id, "accused_name": a.accused.name,
                "allegation_type": a.allegation_type, "cue": doc.text[a.cue_start:a.cue_end],
                "is_hedged": a.hedged,
            })
    if not rows:
        return empty_table(Allegations)
    return pl.DataFrame(rows, schema=polars_schema(Allegations)).sort("doc_id", "char_start", "allegation_id")
