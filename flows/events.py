"""Events: what happened, when, where, by whom, and how many were killed and wounded.

Detection is per sentence, from the reviewed trigger lexicons of data/reference/events.yaml.
A trigger is dropped when a named rule says its words are not a report of one event:
`is_question`, `is_hypothetical`, `is_future`, `is_negated`, `is_generic`,
`is_generic_plural`, `is_infinitive`, `is_modifier`, `is_predicate`, `is_figurative`,
`is_hypothetical_subject`, `is_adjectival` (formations must also form a group). In one clause the
trigger of the highest-priority type stands for the event ("foiled a suicide bombing" is a
plot); bare kill verbs ("killed") only make an event when no other trigger does and the
killer or the killed say what kind it was.

Arguments come from the event's share of its sentence (its span):
- date: the date mention nearest the trigger, exactly as flows.dates resolved it (an
  unresolved "May 16" keeps its words and null dates; vague words give no date);
- place: the most specific place mention (town > site > district > province > country >
  region), never a dateline, an origin ("from X"), an actor or a possessive owner of a
  non-place ("Islamabad's security forces"); "Pakistan's Quetta" -> Quetta;
- perpetrators: the actors of an active trigger, the agent of a passive one ("by X"),
  groups claiming it (same or next sentence), minus groups denying it; victims and
  mere mentions are never perpetrators; for security operations the state's forces;
- killed/wounded: `casualties` (digits, number words, bounds, sums, named victims).

Mentions of one event in a document merge (`merge_mentions`): a later mention joins an
earlier one of the same type family when their dates, places and actors are compatible
and it shares a specific argument with it or only continues it ("the attack", the next
sentence without a place or date of its own). The best-sourced mention is the row's
evidence; every supporting sentence is a row of event_mentions. An event that says
nothing of when, where, who or how many is not reported.

References and splits (named rules, each with examples in its docstring):
- `is_reference`: a definite event noun without a figure of its own and not the subject of
  a predicate of occurrence ("China condemned the attack", "the Besham attack had been
  planned in Afghanistan") points back: only the place and date inside its noun phrase
  (`noun_phrase_end`) are its own; it joins the event told most recently (`_referent`: its
  own type first, then its family), its actors never keep it apart, and an event made only
  of references (a headline, a lede's claim) joins the next compatible one
  (`_absorb_references`); "Both attacks were claimed" goes to the two events told last.
- clauses: ", as the death toll from X rose to N" and ", two weeks after the attack in Y"
  are clauses of their own (`_HARD_BREAK`), and so is a subordinate clause reporting an act
  of its own ("a standoff that began when gunmen attacked the gate": `subordinate_clause`;
  after "after"/"before" it is another event); of two event nouns joined by "and" the first
  holds the clause (`is_coordinated`); a headline (`is_headline`) is never evidence, and an
  event told only by the headline joins the body's first event of its family; a sentence
  is cut into clauses for evidence only when its clauses went to different events.
- mentions of one event across sentences also merge when the next sentence refines it
  ("The attack took place in Mastung district"), names a place nearby (`nearby`) or a town
  in the province told (`within`); a mention with nothing of its own (`Found.is_bare`)
  joins the latest event of its family.
- dates: the day a claim was made or something was said is not the event's
  (`date_of_report`; the latter never for "the weekend assault", a noun with a time of its
  own); nor the day of a toll ("buried their dead on Sunday as the death toll from a bombing
  rose"); "a 2018 bombing" (`adjectival_year`) ("in July that year" is the date step's); the next
  sentence's date dates an undated event it continues.
- places: the event's own clause first, a dash aside included; not a dateline with a date
  and an agency (`is_dateline`), a place inside a hyphenated name (`in_compound_name`) or
  the origin or destination of a journey; the main report's own place when specific; an
  event placed only in a country takes the next sentence's specific place
  (`place_from_next`); an event naming no place happened at the dateline city
  (`dateline_fallback`, never making an event by itself; the dateline also hides its country:
  "MINGORA, Pakistan, Oct 9 (AFP) -"); provinces come from the registry
  (`curated_subdivisions`), so cities named like their province rank as towns; a place in
  a "who" clause about a person is not the event's; "stormed the compound" is at the place of
  the event told just before (`anaphoric_target`); a place another mention puts inside the chosen one wins (`refines`); the row names the populated place
  (`populated_place`: a neighbourhood's registry parent city, a site's nearby town).
- perpetrators: claimants of a standalone claim within `CLAIM_REACH` sentences, the head of
  an appositive (`claim_subject`), "claimed by the group" (`the_group_claimed`,
  `salient_group`), "IS-K took credit for both." for the two events told last (`claimed_events`), a subject
  naming that group ("its fighters", "a suicide bomber from the group": `group_subject`); an actor the registry
  does not know only when typed an armed group or state. After claims and allegations are extracted,
  `attributed_perpetrators` (wired in flows.extract) adds the claimants of responsibility claims linked to the
  event and the armed groups accused of it.
- casualties: each number bound to its own verb, "one of the deadliest" no count, "and
  their driver" +1 (`joined_singular`), "shot them dead" (`pronoun_killed`), the attackers'
  deaths added (`attackers_killed_after`, `attackers_killed_orphan`), unregistered names
  killed count one, ", along with four militants" adds, "three of whom blew themselves up" / "two of the
  attackers detonated" is no event of its own (`is_partitive`), an abduction ending in killing is an attack (`abduction_killed`);
  "not known how many were killed" is no figure; figures told as more ("two soldiers also
  died", "Two other girls were also wounded") and the attackers' deaths told apart ("One of
  the attackers was shot dead") add to the toll unless it includes them (`adds_to_toll`,
  `counts_attackers`, `event_toll`); a casualty sentence in the passive ("ten security
  personnel were killed") is a toll, not an operation by the personnel.
- not events also: a fear ("people she feared were plotting", `is_belief`); "another was
  arrested" continues the report (`is_new_event`); a claim's motive ("revenge for the killing
  of X in a drone strike") is not the event claimed; a raid claimed by a group or on the
  state's forces is an attack (`targets_forces`).

`event_clusters` links reports of one real-world event across documents.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import polars as pl
import yaml

from flows.prefilter import alternation_guard, gated, guarded
from flows.registry import same_length_lower
from flows.schemas import EventMentions, Events, empty_table, polars_schema
from flows.versions import REFERENCE_DIR


MAX_EVIDENCE = 600
FAMILY = MappingProxyType({"attack": "violence", "bombing": "violence", "abduction": "violence"})
ACTOR_TYPES = frozenset({"armed_group", "organisation", "state", "state_agency", "person"})
GROUP_TYPES = frozenset({"armed_group", "organisation"})
STATE_TYPES = frozenset({"state", "state_agency"})
PLACE_TYPES = frozenset({"location", "state"})
CONTINUING = frozenset({"violence", "security_operation"})
_PRECISION_RANK = MappingProxyType({"day": 0, "month": 1, "year": 2})
CLAIM_REACH = 3  # a claim naming no event ("X claimed responsibility.") is for the event told this close before
ORPHAN_REACH = 3  # a figure without a trigger ("The death toll rose to 17.") belongs to an event this close before

# Clause breaks: a semicolon or dash, a comma before a conjunction, ", as the death toll ... rose" (a clause of its
# own), ", two weeks after the attack in Pahalgam" (a temporal clause naming another, earlier event).
_HARD_BREAK = guarded(re.compile(r"[;:]|\s[–—]\s|\s-\s|,\s+(?:and|but|while|whereas|although|though)\b|\b(?:but|whereas)\b"
                         r"|,\s+as\s+(?!well\b|part\b|such\b|a\s+result\b|many\b|much\b|long\b|soon\b|of\b|if\b)"
                         r"|,\s+(?:[\w-]+\s+){0,3}?(?:after|before)\s+(?=(?:the|a|an)\s)"))
_CLAUSE_JOIN = re.compile(r";|,\s+(?:and|but|while|whereas|although|though|as)\s+(?!well\b|part\b|such\b|a\s+result\b)")
_SOFT_BREAK = re.compile(r"[,;:]|\s[–—-]\s")
_QUESTION_END = re.compile(r"\?['\"”’)\]]*\s*$")
_CLAUSE_START = re.compile(r"(?:^|[,;:]|\s[–—-]|\.\.\.|…)\s*([A-Za-z']+)")
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
# a determiner and up to three modifiers of the noun; "the attackers in a clash" is no definite clash
_DEFINITE = guarded(re.compile(r"(?:\b(?:the|this|that|these|those|both)\b|['’]s?)\s*"
                               r"(?:(?!(?:a|an|in|on|at|of|by|with|into|from|during)\s)[\w-]+\s+){0,3}$", re.I))
_PASSIVE = re.compile(r"(?<![\w-])(?:was|were|been|being|is|are)\s+(?:\w+\s+)?$", re.I)
_PREDICATE = re.compile(r"(?<![\w-])(?:it|this|that)\s+(?:was|is|has been|had been|marked|became)(?:\s+[\w-]+){0,3}\s*$", re.I)
_SEPARATORS = re.compile(r"(?:[\s,()&/]|\band\b|\bor\b|\bas well as\b|\bboth\b)*")
# an origin or the destination of a journey ("on its way from Jammu to Srinagar") is not where it happened
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$|\bfrom\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,4}\s+to\s+(?:the\s+)?$")
_NEXT_WORD = re.compile(r"\s*([\w-]+)")
_JOINED = re.compile(r"[\s,()&/]*(?:\band\b|\bor\b|\bas well as\b|,|&|/)[\s,()&/]*(?:\w[\w-]*\s+){0,3}?|[\s,()&/]+")


def _alternation(entries, *, spaces: bool = True) -> str:
    """One regex alternation of lexicon entries, longest first; a space matches any run."""
    ordered = sorted(set(entries), key=len, reverse=True)
    return "(?:" + "|".join(e.replace(" ", r"\s+") if spaces else e for e in ordered) + ")" if ordered else "(?!)"


def _words(entries) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alternation(entries)})(?![\w])", re.I)


def _at_end(entries, words: int, *, case: int = re.I) -> re.Pattern[str]:
    """A cue followed by at most `words` words at the end of a text."""
    return re.compile(rf"(?<![\w-]){_alternation(entries)}(?:\W+[\w'’-]+){{0,{words}}}\W*$", case)


@dataclass(frozen=True)
class EventLexicon:
    """Reviewed trigger words and cue lists from data/reference/events.yaml, compiled."""

    priority: tuple[str, ...]
    triggers: re.Pattern[str]
    kill_verbs: re.Pattern[str]
    suicide: re.Pattern[str]
    force_subject: re.Pattern[str]
    with_forces: re.Pattern[str]
    militant_words: re.Pattern[str]
    future: re.Pattern[str]
    hypothetical: re.Pattern[str]
    question_openers: frozenset[str]
    negated_noun: re.Pattern[str]
    negated_verb: re.Pattern[str]
    generic_noun: re.Pattern[str]
    generic_verb: re.Pattern[str]
    habitual: re.Pattern[str]
    plural_specific: re.Pattern[str]
    modifier_heads: re.Pattern[str]
    infinitive: re.Pattern[str]
    found_things: re.Pattern[str]
    new_event: re.Pattern[str]
    subordinate: re.Pattern[str]
    sequence: frozenset[str]
    belief: re.Pattern[str]
    timed_noun: re.Pattern[str]
    motive: re.Pattern[str]
    adjective_prefix: re.Pattern[str]
    group_nouns: re.Pattern[str]
    group_anaphor: re.Pattern[str]
    group_after: re.Pattern[str]
    partitive: re.Pattern[str]
    subject_filler: re.Pattern[str]
    agent_filler: re.Pattern[str]
    agent_cues: re.Pattern[str]
    claim_cues: re.Pattern[str]
    claimed_by: re.Pattern[str]
    denial: re.Pattern[str]
    unclaimed: re.Pattern[str]
    site_words: re.Pattern[str]
    district_words: re.Pattern[str]
    anaphoric_place: re.Pattern[str]
    place_nouns: re.Pattern[str]
    modal_after: re.Pattern[str]
    role_words: re.Pattern[str]
    figurative: re.Pattern[str]
    agent_verbs: re.Pattern[str]
    occurrence: re.Pattern[str]
    report_verbs: re.Pattern[str]
    casualty: "CasualtyLexicon"


@dataclass(frozen=True)
class CasualtyLexicon:
    """The compiled casualty grammar: counts, bounds and the death / injury words."""

    count: re.Pattern[str]
    killed_count_first: re.Pattern[str]
    killed_verb_first: re.Pattern[str]
    wounded_count_first: re.Pattern[str]
    wounded_verb_first: re.Pattern[str]
    zero_killed: re.Pattern[str]
    zero_wounded: re.Pattern[str]
    lower: re.Pattern[str]
    upper: re.Pattern[str]
    aux_tail: re.Pattern[str]
    aux_run: re.Pattern[str]
    subset: re.Pattern[str]
    subset_clause: re.Pattern[str]
    pronoun_killed: re.Pattern[str]
    attackers: re.Pattern[str]
    attackers_dead: re.Pattern[str]
    attacker_shot: re.Pattern[str]
    attacker_beside_toll: re.Pattern[str]
    all_attackers: re.Pattern[str]
    additive: re.Pattern[str]
    unknown: re.Pattern[str]
    numbers: Mapping[str, int]
    multipliers: Mapping[str, int]


@lru_cache(maxsize=4)
def load_event_lexicon(path: Path = REFERENCE_DIR / "events.yaml") -> EventLexicon:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    groups, words = [], []
    for event_type, kinds in raw["triggers"].items():
        for kind in ("nouns", "verbs"):
            if kinds.get(kind):
                groups.append(f"(?P<{event_type}__{kind}>{_alternation(kinds[kind])})")
                words += [w.replace(" ", r"\s+") for w in kinds[kind]]
    trigger_guard = alternation_guard(words, r"(?![\w])")  # most word starts begin no trigger: told at once
    word = lambda key: _words(raw[key])  # noqa: E731 - a local shorthand
    fillers = [*raw["subject_fillers"], *raw["militant_words"], *raw["force_words"]]
    return EventLexicon(
        priority=tuple(raw["triggers"]),
        triggers=re.compile(rf"(?<![\w-]){trigger_guard}(?:{'|'.join(groups)})(?![\w])"),
        kill_verbs=re.compile(rf"(?<![\w-]){_alternation(raw['kill_verbs'])}(?![\w])"),
        suicide=word("suicide_cues"),
        with_forces=re.compile(rf"\s+with\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?{_alternation(raw['force_words'])}(?![\w])", re.I),
        # not inside a prepositional phrase: "gunmen in military uniforms attacked" is no force's act
        force_subject=re.compile(rf"(?<![\w-])(?<!\bin\s)(?<!\bas\s)(?<!\bof\s)(?<!\bwith\s)"
                                 rf"{_alternation(raw['force_words'])}(?:\W+[\w'’-]+){{0,3}}\W*$", re.I),
        militant_words=word("militant_words"),
        future=_at_end(raw["future_cues"], 3, case=0),
        hypothetical=re.compile(rf"(?<![\w-]){_alternation(raw['hypothetical_cues'])}(?![\w])[^,;:.]*$", re.I),
        question_openers=frozenset(raw["question_openers"]),
        negated_noun=_at_end(raw["negation_cues"], 1),
        negated_verb=_at_end(raw["negation_cues"], 3),
        generic_noun=_at_end(raw["generic_cues"], 4),
        generic_verb=_at_end([c for c in raw["generic_cues"] if " " in c or c.endswith("ly") or c == "being"], 2),
        habitual=word("habitual_cues"),
        plural_specific=_at_end(raw["plural_specific_cues"], 3),
        modifier_heads=re.compile(rf"^\s+{_alternation(raw['modifier_heads'])}(?![\w])", re.I),
        infinitive=_at_end(raw["infinitive_cues"], 3),
        found_things=re.compile(_alternation(raw["found_things"]), re.I),
        new_event=_at_end(raw["new_event_cues"], 3),
        # the subordinator, then at most four words (its subject) and an active verb of violence
        # (a finite clause: "before entering the building and detonating" continues the same act)
        subordinate=re.compile(rf"(?<![\w-])(?P<sub>{_alternation(raw['subordinators'])})\s+(?![\w'’-]*ing\s)"
                               rf"(?=(?:(?!(?:was|were|is|are|been|being)\s)[\w'’-]+\s+){{1,4}}?"
                               rf"{_alternation(v for t in FAMILY for v in raw['triggers'][t]['verbs'] if not v.endswith('ing'))}"
                               rf"(?![\w]))", re.I),
        sequence=frozenset(raw["sequence_subordinators"]),
        belief=_at_end(raw["belief_cues"], 2),
        timed_noun=_at_end(raw["time_modifiers"], 1),
        motive=word("motive_cues"),
        adjective_prefix=re.compile(rf"{_alternation(raw['adjective_prefixes'], spaces=False)}$", re.I),
        group_nouns=word("group_nouns"),
        # a subject naming the group told before: "its fighters", "the group's men", "a suicide bomber from the group"
        group_anaphor=re.compile(rf"(?:(?<![\w-])(?:its|their|the\s+group['’]s)\s+(?:[\w-]+\s+)?{_alternation(raw['militant_words'])}"
                                 rf"|(?<![\w-]){_alternation(raw['militant_words'])}\s+(?:from|of)\s+the\s+{_alternation(raw['anaphoric_groups'])})"
                                 rf"(?![\w-])(?:\s+[\w'’-]+){{0,2}}\s*$", re.I),
        partitive=re.compile(rf"(?<![\w-])[\w-]+\s+of\s+(?:whom|them|(?:the|its|their)\s+{_alternation(raw['militant_words'])})"
                             rf"(?:\s+[\w'’-]+){{0,2}}\s*$", re.I),
        group_after=re.compile(rf"\s+(?:from|of)\s+the\s+{_alternation(raw['anaphoric_groups'])}(?![\w-])", re.I),
        subject_filler=re.compile(rf"(?:[\s,()\"“”'’]|(?<![\w-]){_alternation(fillers)}(?![\w]))*", re.I),
        agent_filler=re.compile(rf"(?:[\s'\"“”‘’]|(?<![\w-]){_alternation(raw['agent_fillers'])}(?![\w]))*", re.I),  # "by the 'Indian Mujahideen'"
        agent_cues=word("agent_cues"),
        claim_cues=word("claim_cues"),
        claimed_by=word("claimed_by_cues"),
        denial=word("denial_cues"),
        unclaimed=word("unclaimed_cues"),
        site_words=word("site_words"),
        district_words=word("district_words"),
        anaphoric_place=word("anaphoric_places"),
        role_words=re.compile(rf"(?:\s|['’]s?)+{_alternation(raw['role_words'])}\s+", re.I),
        figurative=_at_end(raw["figurative_modifiers"], 0),
        modal_after=re.compile(rf"^(?:\s+[\w'’-]+){{0,6}}?\s+(?:will|would|could|might|may|can|should|shall)\b"),
        agent_verbs=re.compile(rf"(?<![\w-]){_alternation(raw['agent_verbs'])}[\"“”]?(?:\s+[\"“”]?[\w'’-]+){{0,4}}\s*$", re.I),
        place_nouns=re.compile(_alternation([*raw["place_nouns"], *raw["site_words"], *raw["district_words"]]), re.I),
        occurrence=re.compile(rf"^\s*(?:[\w'’-]+\s+){{0,2}}?{_alternation(raw['occurrence_cues'])}(?![\w])", re.I),
        report_verbs=word("report_verbs"),
        casualty=_casualty_lexicon(raw),
    )


def _casualty_lexicon(raw: dict) -> CasualtyLexicon:
    numbers = {str(k).lower(): int(v) for k, v in raw["numbers"].items()}
    multipliers = {str(k).lower(): int(v) for k, v in raw["multipliers"].items()}
    word_number = rf"(?:{_alternation(numbers)})(?:[\s-]+(?:{_alternation(numbers)}))?(?:\s+{_alternation(multipliers)})?"
    amount = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{word_number})"
    bound = _alternation([*raw["lower_bounds"], *raw["upper_bounds"], *raw["approximate"]])
    count = (rf"(?<![\w-])(?<!no\s)(?:(?P<bound>{bound})\s+)?"
             rf"(?:(?P<vague>{_alternation(raw['vague_counts'])})(?:\s+of)?"
             rf"|between\s+(?P<lo>{amount})\s+and\s+(?P<hi>{amount})"
             rf"|(?P<a>{amount})(?:\s*(?:-|–|to|or)\s*(?P<b>{amount}))?)"
             rf"(?![\w-])(?!\s*{_alternation(raw['not_counts'])}(?![\w]))(?!-)")
    return CasualtyLexicon(
        count=re.compile(count, re.I),
        killed_count_first=_words(raw["killed_count_first"]),
        killed_verb_first=_words(raw["killed_verb_first"]),
        wounded_count_first=_words(raw["wounded_count_first"]),
        wounded_verb_first=_words(raw["wounded_verb_first"]),
        zero_killed=_words(raw["zero_killed"]),
        zero_wounded=_words(raw["zero_wounded"]),
        lower=re.compile(rf"^{_alternation(raw['lower_bounds'])}$", re.I),
        upper=re.compile(rf"^{_alternation(raw['upper_bounds'])}$", re.I),
        subset=re.compile(rf"(?<![\w-]){_alternation(raw['subset_cues'])}\s+$", re.I),
        subset_clause=re.compile(rf",?\s*(?<![\w-]){_alternation(raw['subset_cues'])}\s[^,;]*,?", re.I),
        pronoun_killed=_words(raw["pronoun_killed"]),
        attackers=re.compile(rf"(?:\s+[\w-]+)?\s+{_alternation(raw['attacker_words'])}(?![\w])", re.I),
        attackers_dead=_words(raw["attackers_dead"]),
        attacker_shot=_words(raw["attacker_shot"]),
        attacker_beside_toll=_words(raw["attacker_beside_toll"]),
        # "All six terrorists", "the attackers", "Four of the attackers", "One attacker"
        all_attackers=re.compile(rf"(?<![\w-])(?:[\w-]+\s+of\s+)?(?:(?:all|the)\s+)?(?:of\s+the\s+)?(?:[\w-]+\s+)?"
                                 rf"{_alternation(raw['attacker_words'])}(?![\w])", re.I),
        additive=_words(raw["additive_cues"]),
        unknown=_words(raw["unknown_count_cues"]),
        aux_tail=re.compile(rf"(?:\s+{_alternation(raw['passive_aux'])})*\s*$", re.I),
        aux_run=re.compile(rf"(?:\s+{_alternation(raw['passive_aux'])}(?![\w]))*\s*", re.I),
        numbers=MappingProxyType(numbers),
        multipliers=MappingProxyType(multipliers),
    )


# The cues the rules look for in spans of a document's text (the others are matched on a few words already cut out)
_SPAN_CUES = ("triggers", "kill_verbs", "suicide", "habitual", "agent_verbs", "claim_cues", "claimed_by", "denial",
              "unclaimed", "motive", "subordinate")
_SPAN_CASUALTY_CUES = ("killed_count_first", "killed_verb_first", "wounded_count_first", "wounded_verb_first",
                       "zero_killed", "zero_wounded", "subset", "subset_clause", "pronoun_killed", "attackers_dead",
                       "attacker_shot", "attacker_beside_toll", "all_attackers", "additive", "unknown")


def _document_lexicon(lex: EventLexicon, text: str, lowered: str) -> EventLexicon:
    """The lexicon with its span cues bound to one document (flows.prefilter `gated`): the rules ask for a cue in
    every sentence, clause and span, and most cues occur in few of them; a span holding none of a cue's literals is
    answered without running its regex. The matches are the same."""
    bound = gated([*(getattr(lex, n) for n in _SPAN_CUES), *(getattr(lex.casualty, n) for n in _SPAN_CASUALTY_CUES)],
                  text, lowered)
    casualty = replace(lex.casualty, **dict(zip(_SPAN_CASUALTY_CUES, bound[len(_SPAN_CUES):])))
    return replace(lex, casualty=casualty, **dict(zip(_SPAN_CUES, bound)))


# --- casualty parser ---------------------------------------------------------------------

class Count(NamedTuple):
    """A head count as bounds: (60, None) is "more than 60", (None, None) "scores"."""

    low: int | None
    high: int | None


def _number(words: str, lex: CasualtyLexicon) -> int | None:
    """'1,200' -> 1200, 'twenty-five' -> 25, 'two dozen' -> 24, 'a dozen' -> 12.

    >>> lex = load_event_lexicon().casualty
    >>> [_number(w, lex) for w in ("1,200", "twenty-five", "two dozen", "a dozen", "half a dozen")]
    [1200, 25, 24, 12, 6]
    """
    text = " ".join(words.lower().replace("-", " ").split())
    if text.replace(",", "").isdigit():
        return int(text.replace(",", ""))
    if text in lex.numbers:
        return lex.numbers[text]
    parts = text.split()
    if parts and parts[-1] in lex.multipliers and " ".join(parts[:-1]) in lex.numbers:
        return lex.numbers[" ".join(parts[:-1])] * lex.multipliers[parts[-1]]
    if len(parts) == 2 and parts[0] in lex.numbers and parts[1] in lex.numbers:
        return lex.numbers[parts[0]] + lex.numbers[parts[1]]
    return None


def parse_count(match: re.Match[str], lex: CasualtyLexicon) -> Count:
    """The bounds one matched count phrase states.

    >>> lex = load_event_lexicon().casualty
    >>> [parse_count(lex.count.search(p), lex) for p in ("more than 60", "up to 5", "some 300", "scores of")]
    [Count(low=60, high=None), Count(low=None, high=5), Count(low=300, high=300), Count(low=None, high=None)]
    """
    if match.group("vague"):
        return Count(None, None)
    if match.group("lo"):
        return Count(_number(match.group("lo"), lex), _number(match.group("hi"), lex))
    low = _number(match.group("a"), lex)
    high = _number(match.group("b"), lex) if match.group("b") else low
    bound = (match.group("bound") or "").lower()
    if bound and lex.lower.match(" ".join(bound.split())):
        return Count(low, None)
    if bound and lex.upper.match(" ".join(bound.split())):
        return Count(None, high)
    return Count(low, high)


def _sum(counts: list[Count]) -> Count:
    lows = [c.low for c in counts]
    highs = [c.high for c in counts]
    return Count(None if None in lows else sum(lows), None if None in highs else sum(highs))


# an aside of names between a count and its verb: "Two other girls, Shazia and Kainat Riaz, were wounded"
_NAMES_ASIDE = re.compile(r",\s*[A-Z][\w'’-]*(?:(?:\s+and\s+|\s*,\s*|\s+)[A-Z][\w'’-]*)*\s*,")
_ITEM_GAP = re.compile(r"^(?:\s+[^\W\d_][\w'’-]*){0,4}$")
_JOINED_ITEM = re.compile(r"^(?:\s+[^\W\d_][\w'’-]*){0,4}(?:\s*,\s*and|\s*,|\s+and|\s+plus)\s+$", re.I)
_AND_END = re.compile(r"\b(?:and|plus)\s+$", re.I)
_OBJECT_START = re.compile(r"^\s+(?:(?:a|an|the|his|her|their|its)\b|\d|[A-Z])")


def _counts_before(text: str, end: int, floor: int, lex: CasualtyLexicon) -> list[Count] | None:
    """Counts joined by 'and' just before a death / injury word: 'two people and four assailants'.

    A comma joins items only in a list that ends with 'and' ("two policemen, three soldiers and a child").
    """
    chain: list[Count] = []
    cursor = end
    joined_by_and = False
    subsets = [(c.start(), c.end()) for c in lex.subset_clause.finditer(text, floor, end)]
    for m in reversed(list(lex.count.finditer(text, floor, end))):
        if lex.subset.search(text, max(floor, m.start() - 20), m.start()) or any(a <= m.start() < b for a, b in subsets):
            continue  # "14 people, including three children, were killed": the three are among the 14
        if is_of_article(text, m):
            continue  # "the father of a soldier were killed": the article names whose father, not a head count
        gap = _NAMES_ASIDE.sub(" ", lex.subset_clause.sub(" ", text[m.end():cursor]))
        if chain:
            if not _JOINED_ITEM.match(gap) or not (joined_by_and or _AND_END.search(gap)) or _object_of_verb(text, m.start(), lex):
                break  # "killed 75 people, and 120 others were hurt": the 75 are the object of a verb of their own
            joined_by_and = True
        elif not _ITEM_GAP.match(_strip_aux(gap, lex)):
            if _SINGULAR_BEFORE.fullmatch(_strip_aux(gap, lex)):  # "five engineers and their driver were killed"
                chain.append(Count(1, 1))
            else:
                break
        chain.append(parse_count(m, lex))
        cursor = m.start()
    return list(reversed(chain)) or None


_SINGULAR_BEFORE = re.compile(r"(?:\s+[\w'’-]+){0,3}?\s+and\s+(?:a|an|the|their|his|her|its)\s+(?:[\w'’-]+\s+){0,3}?[a-z][\w'’-]*[^s\W]")
# "Five soldiers were killed and another was critically injured": one more
_ANOTHER = re.compile(r"(?<![\w-])(?:another|one\s+other)\s+(?:(?:was|has\s+been|had\s+been)\s+)?(?:\w+ly\s+)?$", re.I)


def _object_of_verb(text: str, pos: int, lex: CasualtyLexicon) -> bool:
    """A verb-first casualty word ends right before pos ("killed at least 75")."""
    lo = max(0, pos - 30)  # the verb may end the floor: a figure's own verb is read before it
    return any(not text[v.end():pos].strip() for p in (lex.killed_verb_first, lex.wounded_verb_first) for v in p.finditer(text, lo, pos))


def _strip_aux(gap: str, lex: CasualtyLexicon) -> str:
    """The gap without the auxiliaries ending it: ' people were reportedly ' -> ' people'."""
    return gap[:lex.aux_tail.search(gap).start()]


_OWN_VERB = re.compile(r"(?:\s+(?!(?:who|which|that|before|after|when|while|as|until|they|he|she)\b)[\w'’-]+){0,2}?\s+(?:were|was|are|is|had|have|has)\b", re.I)
_HIM_AND = re.compile(r"\s+(?:him|her)\s+and\s+", re.I)
_ALL_THE = re.compile(r"\s*(?:all\s+)?(?:of\s+)?(?:the\s+)?", re.I)
_OF_AFTER = re.compile(r"\s+of\b", re.I)
_SINGULAR_JOINED = re.compile(
    r"(?:\s+[\w'’-]+){0,3}?\s+and\s+(?:a|an|the|their|his|her|its)\s+(?:[\w'’-]+\s+){0,2}?[a-z][\w'’-]*[^s\W]"
    r"(?=\s*(?:[,.;:]|$|\s(?:in|on|at|near|and|when|as|before|after|while|who|were|was)\b))")


_OF_END = re.compile(r"\bof\s+$", re.I)


def is_of_article(text: str, m: re.Match[str]) -> bool:
    """An article after "of" is no head count ("the father of a soldier").

    >>> t = "the father of a soldier"
    >>> is_of_article(t, re.search(r"\\ba\\b", t)), is_of_article("a soldier", re.match("a", "a soldier"))
    (True, False)
    """
    return m.group().lower() in ("a", "an") and bool(_OF_END.search(text, max(0, m.start() - 4), m.start()))


def is_apposed_article(gap: str, m: re.Match[str]) -> bool:
    """"a"/"an" after a bare comma starts an apposition, not another item of the list ("killing six people, an
    attack officials blamed on X").

    >>> t = "six people, an attack"
    >>> is_apposed_article(", ", re.search(r"\\ban\\b", t)), is_apposed_article(" and ", re.search(r"\\ban\\b", t))
    (True, False)
    """
    return m.group().lower() in ("a", "an") and not _AND_END.search(gap)


def _counts_after(text: str, start: int, end: int, lex: CasualtyLexicon) -> tuple[list[Count] | None, int]:
    """Counts joined by 'and' just after a kill / injure verb ('killed two soldiers and three civilians'), and
    where they end. "one of the deadliest" joins no list; a singular noun phrase joined to the list counts one
    (`joined_singular`)."""
    chain: list[Count] = []
    cursor = start
    while True:
        m = lex.count.search(text, cursor, end)
        if m is None:
            break
        gap = text[cursor:m.start()]
        if chain and (not _JOINED_ITEM.match(gap) or _OF_AFTER.match(text, m.end()) or _OWN_VERB.match(text, m.end())
                      or is_apposed_article(gap, m)):
            break  # "killed 75 people, and more than 120 others were hurt": the 120 have a verb of their own
        if not chain and _HIM_AND.fullmatch(gap):
            chain.append(Count(1, 1))  # "killing him and five associates"
        elif not chain and gap.strip() and not _ALL_THE.fullmatch(gap):
            break  # "killed all four attackers", "killed the two gunmen" are counts
        chain.append(parse_count(m, lex))
        cursor = m.end()
    if chain and joined_singular(text, cursor, end):
        chain.append(Count(1, 1))
    return chain or None, cursor


def joined_singular(text: str, pos: int, end: int) -> bool:
    """After a count, its noun and "and" + a singular noun phrase: "five Chinese nationals and their driver".

    >>> t = "killing five Chinese nationals and their Pakistani driver."
    >>> joined_singular(t, t.index(" Chinese"), len(t)), joined_singular("five people and wounding 20", 4, 27)
    (True, False)
    """
    return bool(_SINGULAR_JOINED.match(text, pos, end))


_ALONG_WITH = re.compile(r",?\s+(?:along|together)\s+with\s+", re.I)


def casualties(text: str, start: int, end: int, lex: CasualtyLexicon,
               named: tuple[tuple[int, int], ...] = ()) -> tuple[Count | None, Count | None]:
    """(killed, wounded) stated in text[start:end]; None when the text gives no figure.

    `named` holds the (start, end) offsets of person names: "killed <name>" and
    "<name> was killed" count one.

    >>> lex = load_event_lexicon().casualty
    >>> t = "two people and four assailants were killed and nine wounded"
    >>> casualties(t, 0, len(t), lex)
    (Count(low=6, high=6), Count(low=9, high=9))
    >>> t = "two civilians were killed, along with four militants, three of whom blew themselves up"
    >>> casualties(t, 0, len(t), lex)
    (Count(low=6, high=6), None)
    >>> t = "The blasts killed at least 75 people, and more than 120 others were hurt"
    >>> casualties(t, 0, len(t), lex)
    (Count(low=75, high=None), Count(low=120, high=None))
    >>> t = "Five soldiers were killed and another was critically injured"
    >>> casualties(t, 0, len(t), lex)
    (Count(low=5, high=5), Count(low=1, high=1))
    >>> [casualties(t, 0, len(t), lex)[0] for t in ("five engineers and their Pakistani driver were killed",
    ...                                          "a bomber struck his hideout, killing him and five associates")]
    [Count(low=6, high=6), Count(low=6, high=6)]
    """
    killed: list[Count] = []
    wounded: list[Count] = []
    verbs = sorted(
        [(m.start(), m.end(), "k", "first") for m in lex.killed_count_first.finditer(text, start, end)]
        + [(m.start(), m.end(), "k", "verb") for m in lex.killed_verb_first.finditer(text, start, end)]
        + [(m.start(), m.end(), "w", "first") for m in lex.wounded_count_first.finditer(text, start, end)]
        + [(m.start(), m.end(), "w", "verb") for m in lex.wounded_verb_first.finditer(text, start, end)]
    )
    if not verbs and not (lex.pronoun_killed.search(text, start, end) or lex.zero_killed.search(text, start, end)
                          or lex.zero_wounded.search(text, start, end)):
        return None, None  # no death or injury word, no "shot them dead", no "nobody was hurt": most spans
    floor = read = start
    unknown = [m.end() for m in lex.unknown.finditer(text, start, end)]
    own = lex.attackers_dead.search(text, start, end)  # "before all three attackers were shot dead": added below
    for v_start, v_end, kind, order in verbs:
        if v_start < read or own and own.start() <= v_start < own.end():
            continue  # inside a figure already read ("wounded 77 soldiers and killed five": 77 is the wounded)
        if any(u <= v_start and not _SOFT_BREAK.search(text, u, v_start) for u in unknown):
            floor = max(floor, v_end)
            continue  # "it was not known how many were killed": no figure
        target = killed if kind == "k" else wounded
        reach = v_end
        if order == "first":
            after = text[v_end:v_end + 12]
            has_object = _OBJECT_START.match(after) or lex.count.match(text, _ALL_THE.match(text, v_end).end())
            if has_object and not _passive_before(text, floor, v_start):
                continue
            chain = _counts_before(text, v_start, floor, lex)
            if chain is None and _ANOTHER.search(text, floor, v_start):
                chain = [Count(1, 1)]
            if chain is None and any(floor <= e <= v_start and not _strip_aux(text[e:v_start], lex).strip() for _, e in named):
                chain = [Count(1, 1)]
            along = _ALONG_WITH.match(text, v_end)  # "two civilians were killed, along with four militants": 6
            if chain and along:
                more, reach = _counts_after(text, along.end(), end, lex)
                chain += more or []
        else:
            chain, reach = _counts_after(text, v_end, end, lex)
            if chain is None and any(v_end < n <= v_end + 2 for n, _ in named):
                chain = [Count(1, 1)]
        if chain:
            target.append(_sum(chain))
            read = max(read, reach) if reach > v_end else read
        floor = max(floor, v_end)
    them = pronoun_killed(text, start, end, lex)
    if them is not None:
        killed.append(them)
    attackers = attackers_killed_after(text, start, end, lex)
    if attackers is not None and killed:
        killed = [_sum([_best(killed), attackers])]
    if lex.zero_killed.search(text, start, end):
        killed.append(Count(0, 0))
    if lex.zero_wounded.search(text, start, end):
        wounded.append(Count(0, 0))
    return _best(killed), _best(wounded)


def pronoun_killed(text: str, start: int, end: int, lex: CasualtyLexicon) -> Count | None:
    """ "shot them dead", "killed them all": the victims are the count told just before in the span.

    >>> lex = load_event_lexicon().casualty
    >>> t = "Gunmen abducted 11 coal miners from a camp and shot them dead"
    >>> pronoun_killed(t, 0, len(t), lex)
    Count(low=11, high=11)
    """
    cue = lex.pronoun_killed.search(text, start, end)
    if cue is None:
        return None
    counts = [m for m in lex.count.finditer(text, start, cue.start()) if m.group().lower() not in ("a", "an")]
    return parse_count(counts[-1], lex) if counts else None


def attacker_count(text: str, start: int, end: int, lex: CasualtyLexicon) -> Count | None:
    """The count of the attackers named in text[start:end] ("Three gunmen stormed ..." -> 3); a year is no count
    ("in 2019 gunmen stormed a hotel").

    >>> lex = load_event_lexicon().casualty
    >>> attacker_count("in 2019 gunmen stormed a hotel", 0, 30, lex), attacker_count("all three attackers", 0, 19, lex)
    (None, Count(low=3, high=3))
    """
    for m in lex.count.finditer(text, start, end):
        if m.group().lower() not in ("a", "an") and not _YEAR.fullmatch(m.group()) and lex.attackers.match(text, m.end()):
            return parse_count(m, lex)
    return None


_YEAR = re.compile(r"(?:19|20)\d\d")


def attackers_killed_after(text: str, start: int, end: int, lex: CasualtyLexicon) -> Count | None:
    """The attackers' own deaths told after the victims': "Three gunmen stormed the consulate, killing two
    policemen and two civilians before they were shot dead" -> 3 more killed (killed counts attackers).

    >>> lex = load_event_lexicon().casualty
    >>> t = "Three gunmen stormed the consulate, killing four people before they were shot dead by police"
    >>> attackers_killed_after(t, 0, len(t), lex), casualties(t, 0, len(t), lex)[0]
    (Count(low=3, high=3), Count(low=7, high=7))
    >>> t = "A gunman stormed a temple, killing 25 worshippers before police shot him dead"
    >>> casualties(t, 0, len(t), lex)[0]
    Count(low=26, high=26)
    >>> t = "Two policemen were killed before all three attackers were shot dead."
    >>> casualties(t, 0, len(t), lex)[0]
    Count(low=5, high=5)
    """
    if lex.attacker_shot.search(text, start, end):  # "a gunman ... before forces shot him dead": the lone attacker
        return Count(1, 1)
    cue = lex.attackers_dead.search(text, start, end)
    if cue is None:
        return None
    return attacker_count(text, cue.start(), cue.end(), lex) or attacker_count(text, start, cue.start(), lex)


def attackers_told_before(text: str, event: Found, before: Found, lex: CasualtyLexicon) -> Found:
    """"Seven soldiers were killed before the attackers were shot dead" counting no attackers of its own: the
    attackers counted in the mention just before ("three militants cut through the fence") add to its dead.

    >>> lex = load_event_lexicon().casualty
    >>> t = "Three gunmen cut the fence. Two guards were killed before the attackers were shot dead."
    >>> f = Found(1, 28, len(t), 28, len(t), 0, 0, "killed", "attack", False, False, False, None, None, (None, None),
    ...           (), None, Count(2, 2), None, False, counts_attackers=True)
    >>> attackers_told_before(t, f, replace(f, sentence_idx=0, span_start=0, span_end=27), lex).killed
    Count(low=5, high=5)
    """
    if (event.killed is None or event.sentence_idx - before.sentence_idx != 1
            or not lex.attackers_dead.search(text, event.span_start, event.span_end)
            or attacker_count(text, event.span_start, event.span_end, lex) is not None):
        return event
    told = attacker_count(text, before.span_start, before.span_end, lex)
    return replace(event, killed=_sum([event.killed, told])) if told is not None else event


def attackers_killed_orphan(text: str, start: int, end: int, lex: CasualtyLexicon) -> Count | None:
    """A sentence of its own about the attackers' deaths ("All six terrorists were killed."): a figure to add to
    the victims of the attack told before, not a new toll.

    >>> lex = load_event_lexicon().casualty
    >>> t = "All six terrorists were killed, the ISPR said."
    >>> attackers_killed_orphan(t, 0, len(t), lex), attackers_killed_orphan("Six people were killed.", 0, 23, lex)
    (Count(low=6, high=6), None)
    >>> t = "The attacker opened fire on police, killing one policeman"
    >>> attackers_killed_orphan(t, 0, len(t), lex) is None  # the attacker killed, he was not killed
    True
    >>> t = "The two engineers died along with the attacker."
    >>> attackers_killed_orphan(t, 0, len(t), lex)
    Count(low=1, high=1)
    >>> t = "Troops engaged the attackers in a gunfight, and all four gunmen were killed."
    >>> attackers_killed_orphan(t, 0, len(t), lex)  # the attackers told first did nothing; the dead come later
    Count(low=4, high=4)
    """
    if lex.attacker_beside_toll.search(text, start, end):  # "Police said the figure did not include the bomber."
        return Count(1, 1)
    m = next((m for m in lex.all_attackers.finditer(text, start, end)
              if lex.killed_count_first.match(text, lex.aux_run.match(text, m.end()).end())), None)
    if m is None:
        return None
    killed, _ = casualties(text, m.start(), end, lex)
    return killed if killed is not None and killed.low is not None else None


def _passive_before(text: str, floor: int, v_start: int) -> bool:
    return bool(_PASSIVE.search(text, floor, v_start))


def _best(counts: list[Count]) -> Count | None:
    """The largest stated figure; a vague one only when nothing better is stated."""
    if not counts:
        return None
    return max(counts, key=lambda c: (c.low is not None or c.high is not None, c.low or 0, c.high or 0))


# --- non-event rules -------------------------------------------------------------------------

def is_question(sentence: str, offset: int, lex: EventLexicon) -> bool:
    """The offset lies in the asked part of a question (a fronted clause is told, not asked).

    >>> lex = load_event_lexicon()
    >>> s = "With IS claiming the attack in Quetta on Monday, is IS firmly in position?"
    >>> is_question(s, s.index("attack"), lex), is_question(s, s.index("firmly"), lex)
    (False, True)
    >>> is_question("Are there parallels to the IS attack at the Cafe?", 30, lex)
    True
    """
    start = question_start(sentence, lex)
    return start is not None and offset >= start


def question_start(sentence: str, lex: EventLexicon) -> int | None:
    """Where the asked part of a question begins (its first clause opening with an auxiliary
    or a wh-word; else the whole sentence); None for a statement.

    >>> question_start("With IS claiming the attack, is IS strong?", load_event_lexicon())
    29
    """
    if not _QUESTION_END.search(sentence):
        return None
    return next((m.start(1) for m in _CLAUSE_START.finditer(sentence) if m.group(1).lower() in lex.question_openers), 0)


def is_hypothetical(before: str, lex: EventLexicon) -> bool:
    """A conditional opener governs the trigger (its scope runs to the next comma).

    >>> lex = load_event_lexicon()
    >>> is_hypothetical("I think if we look at the", lex), is_hypothetical("If it rains, militants", lex)
    (True, False)
    """
    return bool(lex.hypothetical.search(before))


def is_future(before: str, lex: EventLexicon) -> bool:
    """A modal or future word a few words before the trigger ("will attack", "may see").

    Lowercase only, so the month in "on May 11 proclaimed" is no modal.

    >>> lex = load_event_lexicon()
    >>> is_future("IS-KP will claim responsibility for", lex), is_future("on May 11 officially", lex)
    (True, False)
    """
    return bool(lex.future.search(before))


def is_belief(before: str, lex: EventLexicon) -> bool:
    """A fear or suspicion governs the trigger: "people she feared were plotting against her".

    >>> lex = load_event_lexicon()
    >>> is_belief("naming people she feared were", lex), is_belief("suspected militants were", lex)
    (True, False)
    """
    return bool(lex.belief.search(before))


def is_partitive(before: str, lex: EventLexicon) -> bool:
    """The subject is some of the people told ("along with four militants, three of whom blew themselves up", "two
    of the attackers detonated their vests", "one of its fighters had blown himself up"): how they died or acted in the event told, not another event.

    >>> lex = load_event_lexicon()
    >>> is_partitive("three of whom ", lex), is_partitive("two of the attackers then ", lex), is_partitive("gunmen ", lex)
    (True, True, False)
    """
    return bool(lex.partitive.search(before))


def is_negated(before: str, is_noun: bool, lex: EventLexicon) -> bool:
    """A negation right before the trigger: "no attack", "did not attack", "no intention of pledging".

    >>> lex = load_event_lexicon()
    >>> is_negated("there was no", True, lex), is_negated("they did not", False, lex), is_negated("did not claim the", True, lex)
    (True, True, False)
    """
    return bool((lex.negated_noun if is_noun else lex.negated_verb).search(before))


def is_generic(before: str, is_noun: bool, lex: EventLexicon) -> bool:
    """A kind of event, a habit or a quantity of events rather than one event.

    >>> lex = load_event_lexicon()
    >>> is_generic("these kinds of Inghimasi", True, lex), is_generic("Muslims being", False, lex)
    (True, True)
    >>> is_generic("following a suicide", True, lex)
    False
    """
    return bool((lex.generic_noun if is_noun else lex.generic_verb).search(before))


def is_generic_plural(trigger: str, before: str, lex: EventLexicon) -> bool:
    """A plural event noun without what makes it one set ("series of", "twin", a number).

    >>> lex = load_event_lexicon()
    >>> is_generic_plural("attacks", "the", lex), is_generic_plural("bombings", "last month's series of Easter Sunday", lex)
    (True, False)
    >>> is_generic_plural("blasts", "two", lex), is_generic_plural("attack", "the", lex)
    (False, False)
    """
    last = trigger.split()[-1].lower()
    if not last.endswith("s") or last.endswith("ss"):
        return False
    if lex.plural_specific.search(before):
        return False
    tail = before.split()[-2:]
    return not any(_NUMBER.fullmatch(w) or w.lower() in lex.casualty.numbers and w.lower() not in ("a", "an") for w in tail)


_TO_END = re.compile(r"(?<![\w-])to\s*$", re.I)


def is_infinitive(before: str, is_noun: bool, lex: EventLexicon) -> bool:
    """The trigger is what someone means to do: "wants to attack", "to carry out attacks".

    >>> lex = load_event_lexicon()
    >>> is_infinitive("organization that wants to", True, lex), is_infinitive("to carry out terror", True, lex)
    (True, True)
    >>> is_infinitive("in response to the", True, lex)
    False
    """
    if _TO_END.search(before):
        return True
    return is_noun and bool(lex.infinitive.search(before))


def is_found_thing(trigger: str, before: str, after: str, lex: EventLexicon) -> bool:
    """A thing found, told in the passive with no agent: "body parts were recovered from the courtyard" is a find at
    the scene, not an operation; "arms were seized by the police" keeps its agent and is one.

    >>> lex = load_event_lexicon()
    >>> is_found_thing("recovered", "whose head and body parts were ", " from the courtyard", lex)
    True
    >>> is_found_thing("seized", "two rifles were ", " by police in a raid", lex), is_found_thing("recovered", "Police ", " two rifles", lex)
    (False, False)
    """
    return bool(lex.found_things.fullmatch(trigger) and _PASSIVE.search(before) and not re.match(r"\s+by\b", after))


def is_hypothetical_subject(before: str, after: str, lex: EventLexicon) -> bool:
    """An event noun opening its clause and followed by a modal: "An attack on Kabul airport would be devastating".

    >>> lex = load_event_lexicon()
    >>> is_hypothetical_subject("An", " on Kabul airport would be devastating.", lex)
    True
    >>> is_hypothetical_subject("killed in an", " that would later be claimed", lex)
    False
    """
    return len(before.split()) <= 2 and bool(lex.modal_after.match(after))


def is_predicate(before: str) -> bool:
    """The noun describes an event already told: "It was the third blast in the town".

    >>> is_predicate("It was the third"), is_predicate("Police said the")
    (True, False)
    """
    return bool(_PREDICATE.search(before))


def is_figurative(before: str, lex: EventLexicon) -> bool:
    """Not political violence: "heart attack", "cyber attack", "a verbal attack".

    >>> lex = load_event_lexicon()
    >>> is_figurative("suffered a heart", lex), is_figurative("a suicide", lex)
    (True, False)
    """
    return bool(lex.figurative.search(before))


def is_modifier(after: str, lex: EventLexicon) -> bool:
    """The noun modifies another noun: "attack helicopters", "suicide attack tactics".

    >>> lex = load_event_lexicon()
    >>> is_modifier(" helicopters hovered", lex), is_modifier(" on the police", lex)
    (True, False)
    """
    return bool(lex.modifier_heads.match(after))


def is_adjectival(before: str, after: str, lex: EventLexicon) -> bool:
    """A formation verb used as an adjective: "already established jihadi groups".

    >>> lex = load_event_lexicon()
    >>> is_adjectival("into already ", " jihadi groups", lex), is_adjectival("IS-Khorasan was ", " in January", lex)
    (True, False)
    """
    if lex.adjective_prefix.search(before):
        return True
    return bool(re.match(r"^\s+[a-z][\w-]*", after)) and not re.match(
        r"^\s+(?:a|an|the|its|their|his|her|in|on|at|by|as|to|from|with|for|of|since|during|after|before|this|that|new|two|three)\b", after)


_OWN_CLAUSE_END = re.compile(r"(?:[,;:]|\s[–—-]\s)(?!\s*(?:(?:in|during)\s+which|which|that|who|including|were|was|killing|wounding|injuring|leaving|claiming)\b)")
_NP_PREPOSITIONS = frozenset({"in", "at", "on", "near", "against", "outside", "inside", "of", "targeting", "across", "by"})
_NP_TOKEN = re.compile(r"\s+([\w'’-]+)")


def noun_phrase_end(text: str, trigger_end: int, hi: int) -> int:
    """Where the noun phrase of an event noun ends: its prepositional tail ("the attack on the prison in Jalalabad"),
    each preposition followed by at most four words; the first other word (a verb, "and", "that") ends it.

    >>> t = "China condemned the attack on the consulate in Karachi and asked Pakistan to investigate."
    >>> t[:noun_phrase_end(t, t.index("attack") + 6, len(t))]
    'China condemned the attack on the consulate in Karachi'
    >>> t = "The attack took place in Khar."
    >>> t[:noun_phrase_end(t, 10, len(t))]
    'The attack'
    """
    end, since_prep, cursor = trigger_end, None, trigger_end
    while True:
        m = _NP_TOKEN.match(text, cursor, hi)
        if m is None:
            return end
        word = m.group(1)
        if word.lower() in _NP_PREPOSITIONS and word.lower() != "by":
            since_prep = 0
        elif word.lower() in ("and", "or") and since_prep is not None and since_prep < 4 and (
                nxt := _NP_TOKEN.match(text, m.end(), hi)) and not nxt.group(1).endswith("ed"):
            since_prep += 1  # "the bombings of churches and hotels in Sri Lanka"
        elif since_prep is None or since_prep >= 4 or word.lower() in ("and", "or", "that", "which", "who", "but", "by"):
            return end
        else:
            since_prep += 1
        cursor = end = m.end()


def is_reference(before: str, after: str, has_figures: bool, is_noun: bool, lex: EventLexicon) -> bool:
    """A definite event noun ("the attack", "this bombing", "the Besham attack") that only points back at an event
    told before: it states no casualty figure and is not the subject of a predicate of occurrence ("took place").
    Such a mention is coreference: it joins the earlier event instead of making a new one, and only the place or
    date inside its own noun phrase ("the attack in Quetta") count as its arguments.

    >>> lex = load_event_lexicon()
    >>> is_reference("China condemned the", " and asked Pakistan to investigate", False, True, lex)
    True
    >>> is_reference("The", " took place on Sunday in Khar", False, True, lex)
    False
    >>> is_reference("the", " that killed 26 people", True, True, lex), is_reference("a", " in Quetta", False, True, lex)
    (False, False)
    """
    return is_noun and not has_figures and bool(_DEFINITE.search(before)) and not lex.occurrence.match(after)


_SAYING = re.compile(r",\s+(?:saying|adding|and\s+said)\b", re.I)


def claimed_in_speech(text: str, lo: int, trigger: int, lex: EventLexicon) -> bool:
    """The event a claim of responsibility tells in its own words ("claimed responsibility in a statement, saying
    its fighters had carried out a 'self-sacrificing' attack on a convoy") is the event claimed, told before.

    >>> lex = load_event_lexicon()
    >>> t = "The JuZ claimed responsibility in a statement, saying its fighters had carried out an attack on a convoy."
    >>> claimed_in_speech(t, 0, t.index("attack on"), lex), claimed_in_speech("Gunmen carried out an attack.", 0, 22, lex)
    (True, False)
    """
    claim = lex.claim_cues.search(text, lo, trigger)  # not a motive: "saying it avenged the killing of X in a drone strike"
    return claim is not None and bool(_SAYING.search(text, claim.end(), trigger)) and not lex.motive.search(text, lo, trigger)


# --- documents as plain structures -----------------------------------------------------------

class _Mention(NamedTuple):
    start: int
    end: int
    surface: str
    entity_id: str | None
    entity_type: str


class _Date(NamedTuple):
    start: int
    end: int
    text: str
    date_start: date | None
    date_end: date | None
    precision: str | None
    anchor: date | None
    kind: str


class _Entity(NamedTuple):
    name: str
    entity_type: str
    country: str | None
    latitude: float | None
    longitude: float | None
    admin1: str | None
    acts_as: str | None
    parent: str | None


class _Sentence(NamedTuple):
    idx: int
    start: int
    end: int
    mentions: tuple[_Mention, ...]
    dates: tuple[_Date, ...]


class _Place(NamedTuple):
    mention: _Mention
    entity_id: str
    rank: float


@dataclass(frozen=True)
class Found:
    """One mention of an event in one sentence, with the arguments read from its span."""

    sentence_idx: int
    sentence_start: int
    sentence_end: int
    span_start: int
    span_end: int
    trigger_start: int
    trigger_end: int
    trigger_text: str
    event_type: str
    is_suicide: bool
    is_anaphoric: bool
    is_new: bool
    date: _Date | None
    place: _Place | None
    region: tuple[str | None, str | None]
    perpetrators: tuple[tuple[str | None, str], ...]
    target: str | None
    killed: Count | None
    wounded: Count | None
    unclaimed: bool
    claimants: tuple[tuple[str | None, str], ...] = ()
    is_definite: bool = False
    is_reference: bool = False
    is_headline: bool = False
    adds: str = ""  # "more" / "attackers": figures told as more than the event's toll (`adds_to_toll`)
    counts_attackers: bool = False  # the toll told includes the attackers ("including all ten attackers")

    @property
    def family(self) -> str:
        return FAMILY.get(self.event_type, self.event_type)

    is_pair: bool = False

    @property
    def is_bare(self) -> bool:
        """Nothing of its own (no place, date, actor or figure): "the bomber had detonated his vest"."""
        return not self.is_new and self.place is None and self.date is None and not self.perpetrators and (
            self.killed is None and self.wounded is None)

    @property
    def has_own_arguments(self) -> bool:
        return self.date is not None or _own_place(self.place) or bool(self.perpetrators)

    def score(self) -> tuple:
        """How well-sourced this mention is: the best one becomes the event's evidence."""
        resolved = self.date is not None and self.date.date_start is not None
        placed = (self.place.rank if self.place else -1) >= 2
        told = placed and (self.killed is not None or self.date is not None and self.date.date_start is not None)
        return (not self.is_headline, not self.is_anaphoric, told, placed, self.killed is not None, (self.place.rank if self.place else -1) >= 2, resolved, self.date is not None,
                bool(self.perpetrators), self.killed is not None, self.place is not None)


class _Trigger(NamedTuple):
    start: int
    end: int
    text: str
    event_type: str
    is_noun: bool
    # its clause, read once (`_trigger`) as every rule asks for it: the start past the hard breaks, the subordinate
    # clause of violence opening it (`subordinate_clause`), the end, and the words back to the last soft break (the
    # defaults stand for a trigger shown on its own, as in the examples)
    hard: int = 0
    sub: re.Match[str] | None = None
    clause_end: int = 0
    near: str = ""

    @property
    def clause(self) -> int:
        """Where the clause starts (`_clause_start` with the lexicon)."""
        return self.sub.end() if self.sub else self.hard


# --- detection ---------------------------------------------------------------------------------

def _clause_start(text: str, lo: int, pos: int, lex: EventLexicon | None = None) -> int:
    """Start of the clause holding pos: after the last hard break before it; with `lex`, also after a subordinator
    opening a clause of violence of its own (`subordinate_clause`)."""
    last = lo
    for m in _HARD_BREAK.finditer(text, lo, pos):
        last = m.end()
    sub = subordinate_clause(text, last, pos, lex) if lex else None
    return sub.end() if sub else last


def subordinate_clause(text: str, lo: int, pos: int, lex: EventLexicon) -> re.Match[str] | None:
    """The last subordinator in text[lo:pos] whose clause reports an act of violence of its own: "ending a standoff
    that began when gunmen attacked the gate", "The bombing came a week after gunmen stormed a hotel".

    >>> lex = load_event_lexicon()
    >>> t = "Commandos stormed a building, ending a standoff that began when gunmen attacked the gate."
    >>> t[subordinate_clause(t, 0, t.index("attacked"), lex).end():t.index(" the gate")]
    'gunmen attacked'
    >>> subordinate_clause("Two were killed when the roof fell.", 0, 30, lex) is None
    True
    """
    found = None
    for m in lex.subordinate.finditer(text, lo, min(len(text), pos + 80)):  # the verb may lie past pos
        if m.end() > pos:
            break
        found = m
    return found


def _clause_end(text: str, pos: int, hi: int) -> int:
    m = _HARD_BREAK.search(text, pos, hi)
    return m.start() if m else hi


def _soft_before(text: str, lo: int, pos: int) -> str:
    """The words before pos back to the last comma, colon or dash (at most 60 chars)."""
    window = text[max(lo, pos - 60):pos]
    cut = 0
    for m in _SOFT_BREAK.finditer(window):  # the last break
        cut = m.end()
    return window[cut:]


def _kept(text: str, s: _Sentence, trig: _Trigger, lex: EventLexicon) -> bool:
    """None of the non-event rules applies to this trigger."""
    clause, near, clause_end = trig.clause, trig.near, trig.clause_end
    before = text[clause:trig.start]
    after = text[trig.end:min(s.end, trig.end + 40)]
    if is_question(text[s.start:s.end], trig.start - s.start, lex):
        return False
    # a plural dated to a day is one set of events ("airstrikes on Monday killed 12"); a generic plural is the most
    # frequent reason to drop a trigger and among the cheapest to tell, so these noun rules come first
    dated = any(d.precision == "day" and d.kind != "open_range" and clause <= d.start < clause_end for d in s.dates)
    if trig.event_type != "plot" and trig.is_noun and (
            is_generic_plural(trig.text, near, lex) and not dated or is_modifier(after, lex) or is_predicate(near)
            or is_hypothetical_subject(near, after, lex) or is_figurative(near, lex)):
        return False
    if is_hypothetical(before, lex) or is_future(near, lex) or is_belief(near, lex):
        return False
    if trig.event_type == "plot":
        return not is_negated(near, trig.is_noun, lex)
    if not trig.is_noun and is_partitive(near, lex):
        return False
    if is_negated(near, trig.is_noun, lex) or is_generic(near, trig.is_noun, lex) or is_infinitive(near, trig.is_noun, lex):
        return False
    if not trig.is_noun and is_found_thing(trig.text, near, after, lex):
        return False
    if lex.habitual.search(text, clause, clause_end):
        return False
    if trig.event_type == "formation":
        return not is_adjectival(text[max(s.start, trig.start - 10):trig.start], after, lex)
    return True


def _triggers(text: str, lowered: str, s: _Sentence, lex: EventLexicon) -> list[_Trigger]:
    """Trigger matches of a sentence; the lexicon is lowercase and matched on the lowered text (3x faster than re.I)."""
    found = []
    for m in lex.triggers.finditer(lowered, s.start, s.end):
        event_type, kind = m.lastgroup.split("__")
        found.append(_trigger(text, s, m.start(), m.end(), event_type, kind == "nouns", lex))
    return found


def _trigger(text: str, s: _Sentence, start: int, end: int, event_type: str, is_noun: bool, lex: EventLexicon) -> _Trigger:
    """A trigger of sentence s with its clause read."""
    hard = _clause_start(text, s.start, start)
    sub = subordinate_clause(text, hard, start, lex)
    return _Trigger(start, end, text[start:end], event_type, is_noun, hard, sub, _clause_end(text, end, s.end),
                    _soft_before(text, sub.end() if sub else hard, start))


def _forms_a_group(text: str, s: _Sentence, trig: _Trigger, lex: EventLexicon) -> bool:
    """A formation forms a group: its object (or passive subject) is a group mention or word."""
    clause = trig.hard
    if _PASSIVE.search(text, clause, trig.start) or re.match(r"\s+by\b", text[trig.end:trig.end + 5]):
        lo, hi = max(clause, trig.start - 60), trig.start
    else:  # the object, up to the first comma ("the formation of bases in India, two rivals ...")
        lo, hi = trig.end, min(trig.clause_end, trig.end + 120)
        comma = text.find(",", lo, hi)
        hi = comma if comma >= 0 else hi
    if any(m.entity_type in GROUP_TYPES and lo <= m.start < hi for m in s.mentions):
        return True
    return bool(lex.group_nouns.search(text, lo, hi))


def _subject(text: str, s: _Sentence, pos: int, lex: EventLexicon, floor: int) -> list[_Mention]:
    """The run of actor mentions right before pos ("IS-Khorasan as well as LeJ-A claimed")."""
    run: list[_Mention] = []
    cursor = pos
    for m in reversed(s.mentions):
        if m.end > cursor or m.start < floor:
            continue
        gap = text[m.end:cursor]
        if m.entity_type not in ACTOR_TYPES and not (m.entity_type == "location" and text[m.end:m.end + 2] in ("'s", "’s")):
            break
        if run and run[-1].entity_type == "person" and lex.role_words.fullmatch(gap):
            run[-1] = m  # "TTP spokesman Muhammad Khurasani": the group speaks through him
            cursor = m.start
            continue
        ok = lex.subject_filler.fullmatch(gap) if not run else _SEPARATORS.fullmatch(gap)
        if not ok:
            break
        run.append(m)
        cursor = m.start
    return list(reversed(run))


def _agents_after(text: str, s: _Sentence, pos: int, hi: int, lex: EventLexicon) -> list[_Mention]:
    """The actor run after pos, past agent fillers ("by the self-proclaimed Islamic State")."""
    run: list[_Mention] = []
    cursor = pos
    for m in s.mentions:
        if m.start < cursor or m.start >= hi:
            continue
        gap = text[cursor:m.start]
        if m.entity_type not in ACTOR_TYPES:
            break
        ok = lex.agent_filler.fullmatch(gap) if not run else _JOINED.fullmatch(gap) and lex.agent_filler.fullmatch(_JOINED.sub(" ", gap))
        if not ok:
            break
        run.append(m)
        cursor = m.end
    return run


def _actor(m: _Mention, entities: Mapping[str, _Entity]) -> tuple[str | None, str, str]:
    """(id, canonical name, type) of an actor mention.

    A capital acting as its state becomes the state; a registered member of a group (its
    leader, its spokesman) acts for the group, as GTD and ACLED code perpetrators.
    """
    e = entities.get(m.entity_id) if m.entity_id else None
    if e is None:
        return None, m.surface, m.entity_type
    acting_id = e.acts_as or (e.parent if e.entity_type == "person" else None)
    if acting_id in entities:
        acting = entities[acting_id]
        return acting_id, acting.name, acting.entity_type
    return m.entity_id, e.name, e.entity_type


def _perpetrators(actors: list[_Mention], allowed: frozenset[str], entities) -> tuple[tuple[str | None, str], ...]:
    """Actors of an allowed type; an actor the registry does not know counts only when typed an armed group or a
    state (never an "organisation" word such as "University" or an outlet)."""
    out: dict[str, tuple[str | None, str]] = {}
    for m in actors:
        entity_id, name, entity_type = _actor(m, entities)
        if entity_id is None and entity_type not in ("armed_group", "state", "state_agency"):
            continue
        if entity_type in allowed:
            out.setdefault(entity_id or name, (entity_id, name))
    return tuple(out.values())


_APPOSITIVE = re.compile(r",\s+(?:a|an|the|its|one)\s+[^,;:]{1,80}?,\s*(?:[\w'’-]+\s+){0,2}$", re.I)


def claim_subject(text: str, s: _Sentence, cue: int, lo: int, lex: EventLexicon, entities) -> list[_Mention]:
    """The subject of a claim cue, past an appositive: "Jamaatul Ahrar, a breakaway faction of the TTP, claimed"
    -> Jamaatul Ahrar; when the head is a person the registry does not know ("Sarbakaf Mohmand, a commander of the
    Pakistani Taliban, claimed"), the group the appositive names."""
    near = _subject(text, s, cue, lex, lo)
    appositive = _APPOSITIVE.search(text, max(lo, cue - 120), cue)
    if appositive is None:
        return near
    head = _subject(text, s, appositive.start(), lex, lo)
    if any(_actor(m, entities)[2] in GROUP_TYPES | STATE_TYPES for m in head):
        return head
    return near


def _claimants(text: str, s: _Sentence, lo: int, hi: int, lex: EventLexicon, entities) -> tuple[tuple[str | None, str], ...]:
    """Groups claiming responsibility in text[lo:hi], before the cue (`claim_subject`) or after "claimed by"."""
    actors: list[_Mention] = []
    for cue in lex.claim_cues.finditer(text, lo, hi):
        actors += claim_subject(text, s, cue.start(), lo, lex, entities)
    for cue in lex.claimed_by.finditer(text, lo, hi):
        actors += _agents_after(text, s, cue.end(), hi, lex)
    return _perpetrators(actors, GROUP_TYPES, entities)


def salient_group(mentions: list[_Mention]) -> _Mention | None:
    """The armed group a reader takes "the group" for: the one named most often so far (ties: the latest named).

    >>> iskp, taliban = _Mention(0, 4, "ISKP", "iskp", "armed_group"), _Mention(9, 16, "Taliban", "taliban", "armed_group")
    >>> salient_group([iskp, iskp, taliban]).surface, salient_group([]) is None
    ('ISKP', True)
    """
    if not mentions:
        return None
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        counts[m.entity_id or m.surface] += 1
    return max(reversed(mentions), key=lambda m: counts[m.entity_id or m.surface])


_THE_GROUP = re.compile(r"\s*the\s+(?:militant\s+|terrorist\s+|jihadist\s+)?(?:group|organi[sz]ation|outfit)\b", re.I)


def the_group_claimed(text: str, lo: int, hi: int, last_group: _Mention | None, lex: EventLexicon,
                      entities) -> tuple[tuple[str | None, str], ...]:
    """ "claimed by the group": the salient armed group before the sentence (`salient_group`).

    >>> lex = load_event_lexicon()
    >>> t = "Both attacks were claimed by the group, which named the bomber."
    >>> the_group_claimed(t, 0, len(t), _Mention(0, 4, "ISKP", None, "armed_group"), lex, {})
    ((None, 'ISKP'),)
    """
    if last_group is None:
        return ()
    for cue in lex.claimed_by.finditer(text, lo, hi):
        if _THE_GROUP.match(text, cue.end()):
            return _perpetrators([last_group], GROUP_TYPES, entities)
    return ()


def _denied(text: str, s: _Sentence, lo: int, hi: int, lex: EventLexicon, entities) -> set[str]:
    out = set()
    for cue in lex.denial.finditer(text, lo, hi):
        for m in _subject(text, s, cue.start(), lex, lo):
            entity_id, name, _ = _actor(m, entities)
            out.add(entity_id or name)
    return out


def _place(text: str, s: _Sentence, lo: int, hi: int, trigger: int, exclude: set[int], lex: EventLexicon,
           entities: Mapping[str, _Entity]) -> _Place | None:
    """The most specific place mention in text[lo:hi] (ties: nearest the trigger)."""
    best: tuple | None = None
    for m in s.mentions:
        if not (lo <= m.start < hi) or m.entity_type not in PLACE_TYPES or m.entity_id not in entities or m.start in exclude:
            continue
        if is_dateline(text, s, m) or _owns_no_place(text, m, lex) or _FROM.search(text, max(lo, m.start - 60), m.start) or (
                in_compound_name(text, m)) or m.start > trigger and _WHO.search(text, trigger, m.start):
            continue  # ", a schoolgirl who spoke out against atrocities in Swat": a place of the person, not the event
        e = entities[m.entity_id]
        rank = _place_rank(m, e, text, lex)
        key = (rank, -abs(m.start - trigger))
        if best is None or key > best[0]:
            best = (key, _Place(m, m.entity_id, rank))
    return best[1] if best else None


_WHO = re.compile(r",\s+(?:[\w'’-]+\s+){0,4}?who\b", re.I)


def is_dateline(text: str, s: _Sentence, m: _Mention) -> bool:
    """A place opening the sentence in capitals or before a colon is where the report was filed.

    >>> t = "SRINAGAR: Three militants were killed in Shopian."
    >>> is_dateline(t, _Sentence(0, 0, len(t), (), ()), _Mention(0, 8, "SRINAGAR", "srinagar", "location"))
    True
    """
    head = _DATELINE_HEAD.match(text, s.start, s.end)
    if head and m.start < head.end():  # "MINGORA, Pakistan, Oct 9, 2012 (AFP) -": the country is the dateline's too
        return True
    if m.start - s.start > 2:
        return False
    return m.surface.isupper() and len(m.surface) > 3 or text[m.end:m.end + 1] in (":", "(") or bool(
        _DATELINE_TAIL.match(text, m.end))


# "Srinagar, Feb 14 (PTI)", "Quetta, Pakistan, Jan 3 (Reuters) -": a place, an optional country, a date, an agency
_DATELINE_TAIL = re.compile(r"(?:,\s*[A-Z][\w .'-]{1,30}?)?,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*(?:[(\-–—]|$)", re.M)


_DATELINE_HEAD = re.compile(r"\s*[A-Z][\w .'-]{1,30}?,\s*(?:[A-Z][\w .'-]{1,30}?,\s*)?[A-Z][a-z]{2,8}\.?\s+\d{1,2}"
                            r"(?:,\s*\d{4})?\s*(?:\([^)]{1,30}\)\s*)?[\-–—]")


def in_compound_name(text: str, m: _Mention) -> bool:
    """A place inside a hyphenated name of something else: "the Jammu-Srinagar National Highway".

    >>> t = "on the Jammu-Srinagar National Highway"
    >>> in_compound_name(t, _Mention(7, 12, "Jammu", "jammu", "location")), in_compound_name("in Jammu.", _Mention(3, 8, "Jammu", "jammu", "location"))
    (True, False)
    """
    return bool(re.match(r"-[A-Z]", text[m.end:m.end + 2]) or re.search(r"[A-Za-z]-$", text[max(0, m.start - 2):m.start]))


def _owns_no_place(text: str, m: _Mention, lex: EventLexicon) -> bool:
    """A possessive place owning something other than a place: "Islamabad's security forces".

    "Pakistan's Quetta" and "Dhaka's Gulshan area" keep their possessor as a (wider) place.
    """
    if text[m.end:m.end + 2] not in ("'s", "’s"):
        return False
    following = _NEXT_WORD.match(text, m.end + 2)
    return following is None or not (following.group(1)[0].isupper() or lex.place_nouns.fullmatch(following.group(1)))


_PROVINCE = re.compile(r"\bprovince\b", re.I)


def _place_rank(m: _Mention, e: _Entity, text: str, lex: EventLexicon) -> float:
    """town 4 > site 3 > district 2.5 > province 2 > country 1 > region without a country 0.

    >>> lex = load_event_lexicon()
    >>> town = _Entity("Quetta", "location", "PK", 30.2, 67.0, "Balochistan", None, None)
    >>> _place_rank(_Mention(0, 6, "Quetta", "quetta", "location"), town, "Quetta city", lex)
    4
    """
    if e.entity_type == "state":
        return 1
    if e.country is None:
        return 0
    named = f"{m.surface} {e.name} {text[m.end:m.end + 12]}"
    if _is_province(m.entity_id, e) or _PROVINCE.search(named):
        return 2
    if lex.district_words.search(m.surface) or _district_after(lex.district_words.pattern).match(text[m.end:m.end + 30]):
        return 2.5
    appositive = _site_appositive(lex.site_words.pattern).match(text[m.end:m.end + 80])
    if lex.site_words.search(e.name) or lex.site_words.search(m.surface) or appositive:  # "the Karsaz bridge",
        return 3  # "PNS Mehran, the Pakistan Navy's aviation base"
    return 4


@lru_cache(maxsize=4)
def _district_after(district_words: str) -> re.Pattern[str]:
    """A district word right after a place, a word apart at most: "Mastung district"."""
    return re.compile(rf"\s+(?:[\w-]+\s+)?{district_words}")


@lru_cache(maxsize=4)
def _site_appositive(site_words: str) -> re.Pattern[str]:
    """An appositive naming a site: "PNS Mehran, the Pakistan Navy's aviation base"."""
    return re.compile(rf",\s+(?:the|an?)\s+(?:[\w'’-]+\s+){{0,4}}?{site_words}")


def _is_province(entity_id: str, e: _Entity) -> bool:
    """Generated subdivisions are 'iso:' ids; a reviewed place is one when the registry gives it an ISO 3166-2 code
    and no city (geonameid): Balochistan is, Kandahar, Herat or Chittagong (cities named like their province) are not."""
    return entity_id.startswith("iso:") or entity_id in curated_subdivisions()


@lru_cache(maxsize=1)
def curated_subdivisions(path: Path = REFERENCE_DIR / "places.yaml") -> frozenset[str]:
    """Ids of the reviewed places that are first-level subdivisions (an iso3166_2 code, no geonameid)."""
    if not Path(path).exists():
        return frozenset()
    raw = yaml.load(Path(path).read_bytes(), Loader=yaml.CSafeLoader) or {}  # as flows.registry reads it: 10x faster
    return frozenset(p["id"] for p in raw.get("places", []) if p.get("iso3166_2") and not p.get("geonameid"))


def _date(text: str, s: _Sentence, lo: int, hi: int, trigger: int, lex: EventLexicon, said: bool = True) -> _Date | None:
    """The dated (or unresolvable but specific) mention in text[lo:hi] nearest the trigger; the day a claim was
    made is never the event's, the day something was said only when no other date is given and (`said`) the event
    noun carries no time of its own ("said on Tuesday that its fighters carried out the weekend assault")."""
    dated = [d for d in s.dates if lo <= d.start < hi and d.kind != "vague"]
    head = _DATELINE_HEAD.match(text, s.start, s.end)
    if head:  # "QUETTA, April 22 (Reuters) - A car bomb exploded ... late on Wednesday": the dateline's day is the report's
        dated = [d for d in dated if d.start >= head.end()] or dated
    told = {d for d in dated if date_of_report(text, d.start, d.end, lex)}
    dated = [d for d in dated if d not in told] or [
        d for d in told if said and date_of_report(text, d.start, d.end, lex) == "said"]
    if not dated:
        return adjectival_year(text, s, lo, trigger)
    best = min(dated, key=lambda d: (abs(d.start - trigger), d.start))
    if best.precision == "year" and best.date_start is not None:  # "In 2008, ... in July that year": the month is finer
        finer = [d for d in dated if d.precision in ("day", "month") and d.date_start and d.date_start.year == best.date_start.year]
        best = min(finer, key=lambda d: abs(d.start - trigger)) if finer else best
    return best


_REPORT_AFTER = re.compile(r"^\s*,?\s*(?:(?:also|officially|later|formally|publicly)\s+)?(?P<cue>[a-z][\w ]{0,40})", re.I)


def date_of_report(text: str, start: int, end: int, lex: EventLexicon) -> str | None:
    """'claim' when the date is when a claim or denial was made ("IS on Monday claimed responsibility", "claimed
    responsibility on Tuesday for"), 'said' when it is when something was said ("the military said Friday");
    None for a date of the event.

    >>> lex = load_event_lexicon()
    >>> t = "The group on Monday claimed responsibility for the bombing on Sunday, the military said Friday."
    >>> [date_of_report(t, t.index(w), t.index(w) + len(w), lex) for w in ("on Monday", "on Sunday", "Friday")]
    ['claim', None, 'said']
    """
    after = text[end:end + 60]
    before = text[max(0, start - 45):start]
    cue_after = _REPORT_AFTER.match(after)
    for cues, kind in ((lex.claim_cues, "claim"), (lex.denial, "claim"), (lex.report_verbs, "said")):
        if cue_after and cues.match(after, cue_after.start("cue")) or _cue_ending(cues.pattern).search(before):
            return kind
    return None


@lru_cache(maxsize=16)
def _cue_ending(cues: str) -> re.Pattern[str]:
    """A cue (and "responsibility", "on") ending the text before a date: "claimed responsibility on"; compiled once
    per cue list."""
    return re.compile(rf"(?:{cues})(?:\s+(?:responsibility|credit))?\s+(?:on\s+|in\s+)?$", re.I)


_YEAR_BEFORE = re.compile(r"\b((?:19|20)\d\d)\s+(?:[\w-]+\s+){0,2}$")


def adjectival_year(text: str, s: _Sentence, lo: int, trigger: int) -> _Date | None:
    """A year used as an adjective of the event noun ("a 2018 bombing", "the 2016 attack") dates it to the year.

    >>> t = "including a 2018 bombing at a rally"
    >>> adjectival_year(t, _Sentence(0, 0, len(t), (), ()), 0, t.index("bombing")).date_start
    datetime.date(2018, 1, 1)
    """
    m = _YEAR_BEFORE.search(text, max(lo, trigger - 30), trigger)
    if m is None or any(d.start <= m.start(1) < d.end for d in s.dates):
        return None
    year = int(m.group(1))
    return _Date(m.start(1), m.end(1), m.group(1), date(year, 1, 1), date(year, 12, 31), "year", None, "explicit")


_TARGET_ON = re.compile(r"\s+(?:on|against|at|targeting)\s+(.+?)(?=\s+(?:in|near|between|that|which|who|where|when|was|were|on|by|during|killing|leaving|and)\b|[,;.:(–—]|$)")
_TARGET_OBJECT = re.compile(r"\s+((?:the|a|an|some|suspected|several)\s.+?|[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)+)(?=\s+(?:in|near|between|that|which|who|where|when|on|by|during|killing|leaving|and)\b|[,;.:(–—]|$)")
_TARGET_BEFORE = re.compile(r"\b(?:the|a|an)\s+((?:[a-z][\w-]*\s+){1,3})$")
_NO_TARGET = re.compile(r"\b(?:suicide|deadly|major|recent|terror|terrorist)\b")


def _target(text: str, trig: _Trigger, hi: int) -> str | None:
    """What was hit: "attack on the police academy", "raided suspected terrorist locales"."""
    after = text[trig.end:hi]
    m = _TARGET_ON.match(after)
    if m is None and not trig.is_noun:
        m = _TARGET_OBJECT.match(after)
    if m:
        return m.group(1).strip()[:200]
    m = _TARGET_BEFORE.search(text[max(0, trig.start - 40):trig.start])
    return m.group(1).strip() if m and not _NO_TARGET.search(m.group(1)) else None


def _kill_type(text: str, s: _Sentence, trig: _Trigger, lex: EventLexicon, entities) -> str | None:
    """What a bare kill verb reports, if it reports one event.

    Forces killing -> security_operation, a group killing -> attack, militants killed by
    nobody named -> security_operation. A figure (or a named victim) is required, so
    "the TTP has killed thousands" is no event; without a killer, also a town or a day,
    so "1,200 civilians were killed in 2013" is a statistic, not an event.
    """
    killed, _ = casualties(text, s.start, s.end, lex.casualty, _named(text, s))
    if killed is None or killed.low is None and killed.high is None:
        return None
    clause = trig.hard
    passive = _PASSIVE.search(text, clause, trig.start)  # "Two soldiers were killed": the soldiers are the killed
    kinds = set() if passive else {_actor(m, entities)[2] for m in _subject(text, s, trig.start, lex, clause)}
    if kinds & STATE_TYPES or (not kinds and not passive and lex.force_subject.search(_soft_before(text, clause, trig.start))):
        return "security_operation"
    if kinds & GROUP_TYPES:
        return "attack"
    place = _place(text, s, s.start, s.end, trig.start, set(), lex, entities)
    day = any(d.precision == "day" for d in s.dates)
    if not (day or _own_place(place)):
        return None
    obj = text[trig.end:trig.end + 40]
    militants = re.match(rf"^\s+(?:[\w,-]+\s+){{0,3}}?{lex.militant_words.pattern}", obj, re.I) or (
        _PASSIVE.search(text, clause, trig.start) and lex.militant_words.search(text, clause, trig.start))
    named_group = any(m.entity_type == "armed_group" and trig.end <= m.start < trig.end + 30 for m in s.mentions)
    return "security_operation" if militants or named_group else "attack"


def _sentence_triggers(text: str, lowered: str, s: _Sentence, raw: list[_Trigger], lex: EventLexicon,
                       entities) -> list[tuple[_Trigger, bool]]:
    """The triggers standing for events in a sentence (`raw`: its trigger matches), one per clause, with the suicide
    flag."""
    plots = [t for t in raw if t.event_type == "plot" and _kept(text, s, t, lex)]
    kept = []
    for t in raw:
        if t.event_type == "plot":
            continue
        if any(p.end <= t.start < p.clause_end for p in plots):
            continue  # the planned or foiled attack belongs to the plot
        if t.event_type == "formation" and not _forms_a_group(text, s, t, lex):
            continue
        if _kept(text, s, t, lex):
            kept.append(t)
    kept += plots
    if not raw:
        for m in lex.kill_verbs.finditer(lowered, s.start, s.end):
            t = _trigger(text, s, m.start(), m.end(), "", False, lex)
            kind = _kill_type(text, s, t, lex, entities) if _kept(text, s, t, lex) else None
            if kind:
                kept.append(t._replace(event_type=kind))
                break
    by_clause: dict[int, _Trigger] = {}
    for t in sorted(kept, key=lambda t: t.start):
        held = by_clause.get(t.clause)
        if held is None or lex.priority.index(t.event_type) < lex.priority.index(held.event_type) and not (
                is_coordinated(text, held, t)):
            by_clause[t.clause] = t
    out = []
    for clause, t in sorted(by_clause.items(), key=lambda kv: kv[1].start):
        out.append((t, bool(lex.suicide.search(text, clause, t.clause_end))))
    return out


_COORDINATED = re.compile(r"\s+and\s+(?:the|a|an|its|their)\s+(?:[\w-]+\s+)?$", re.I)


def is_coordinated(text: str, first: _Trigger, then: _Trigger) -> bool:
    """Two event nouns joined by "and" ("killed in the attack and the rescue operation"): the first names the event
    the clause's figures belong to, whatever the priority of the second.

    >>> t = "were killed in the attack and the rescue operation"
    >>> a = _Trigger(t.index("attack"), t.index("attack") + 6, "attack", "attack", True)
    >>> op = _Trigger(t.index("operation"), len(t), "operation", "security_operation", True)
    >>> is_coordinated(t, a, op), is_coordinated("a raid in which the attack", a, op)
    (True, False)
    """
    return first.is_noun and then.is_noun and bool(_COORDINATED.fullmatch(text, first.end, then.start))


def _retyped(event_type: str, actors: list[_Mention], trig: _Trigger, before: str, after: str, lex: EventLexicon,
             entities) -> str:
    """A raid by a group is an attack; an attack by the state's forces, or a gunfight "with
    security forces" that no group is named for, is a security operation."""
    kinds = {_actor(m, entities)[2] for m in actors}
    if event_type == "security_operation" and kinds and kinds <= GROUP_TYPES:
        return "attack"
    forces = not kinds and (lex.force_subject.search(before) if not trig.is_noun else lex.with_forces.match(after))
    if event_type == "attack" and (kinds and kinds <= STATE_TYPES or forces):
        return "security_operation"
    return event_type


def _spans(text: str, s: _Sentence, triggers: list[tuple[_Trigger, bool]], lex: EventLexicon) -> list[tuple[int, int]]:
    """Each event's share of its sentence: from its clause to the next event's clause; a question's asked part is no one's."""
    asked = question_start(text[s.start:s.end], lex)
    told_end = s.end if asked is None else s.start + asked
    out = []
    for i, (trig, _) in enumerate(triggers):
        lo = s.start if i == 0 else _clause_start(text, triggers[i - 1][0].end, trig.start, lex)
        nxt = triggers[i + 1][0] if i + 1 < len(triggers) else None
        hi = told_end if nxt is None else _clause_start(text, trig.end, nxt.start, lex)
        out.append((lo, hi if hi > trig.start else (nxt.start if nxt else told_end)))
    return out


def _actors(text: str, s: _Sentence, trig: _Trigger, hi: int, lex: EventLexicon,
            entities: Mapping[str, _Entity]) -> tuple[str, tuple[tuple[str | None, str], ...], list[_Mention]]:
    """(event type, perpetrators, actor mentions) of one trigger.

    The subject of an active trigger (or of "carried out" before a noun), the agent after
    "by"; the formed group of a formation; for violence without either, whoever killed in
    the span. The actors' kind can retype the event (a raid by a group is an attack).
    """
    clause = trig.clause
    subject = _subject(text, s, trig.start, lex, clause)
    if trig.is_noun and not subject:
        done = lex.agent_verbs.search(text, clause, trig.start)
        subject = _subject(text, s, done.start(), lex, clause) if done else []
    agents = []
    for cue in lex.agent_cues.finditer(text, trig.end, hi):
        if cue.group().strip().lower() != "by" or cue.start() <= trig.end + 12:
            agents += _agents_after(text, s, cue.end(), hi, lex)
    if trig.event_type in ("formation", "pledge"):
        actors = subject + (_formed(text, s, trig, hi) if trig.event_type == "formation" else [])
        return trig.event_type, _perpetrators(actors, GROUP_TYPES, entities), subject + agents
    passive = not trig.is_noun and _PASSIVE.search(text, clause, trig.start)
    actors = ([] if passive else subject) + agents
    event_type = _retyped(trig.event_type, actors, trig, trig.near, text[trig.end:trig.end + 60],
                          lex, entities)
    if event_type == "security_operation" and not actors and targets_forces(text, s, trig, hi, entities):
        event_type = "attack"
    if not actors:
        actors = _killers(text, s, clause, hi, lex)
    allowed = STATE_TYPES if event_type == "security_operation" else GROUP_TYPES
    return event_type, _perpetrators(actors, allowed, entities), subject + agents


def group_subject(text: str, clause: int, trig: _Trigger, last_group: _Mention | None, lex: EventLexicon,
                  entities) -> tuple[tuple[str | None, str], ...]:
    """A subject naming the group told before (`salient_group`) by a pronoun or "the group" is that group: "its
    fighters carried out coordinated attacks", "a suicide bomber from the group struck the station".

    >>> lex, juz = load_event_lexicon(), _Mention(0, 3, "JuZ", None, "armed_group")
    >>> t = "In May, a suicide bomber from the group struck a market."
    >>> group_subject(t, 8, _Trigger(t.index("struck"), t.index(" a market"), "struck", "attack", False), juz, lex, {})
    ((None, 'JuZ'),)
    >>> t = "Later a suicide bomber of the group hit a bus."
    >>> group_subject(t, 0, _Trigger(8, t.index(" of"), "suicide bomber", "bombing", True), juz, lex, {})
    ((None, 'JuZ'),)
    >>> t = "Its fighters are said to be tired of the attacks."
    >>> group_subject(t, 0, _Trigger(t.index("attacks"), len(t) - 1, "attacks", "attack", True), juz, lex, {})
    ()
    """
    if last_group is None:
        return ()
    done = lex.agent_verbs.search(text, clause, trig.start) if trig.is_noun else None
    if trig.is_noun and done is None:  # the noun names the actor: "a suicide bomber from the group"
        if not lex.group_after.match(text, trig.end):
            return ()
    elif not lex.group_anaphor.search(text, clause, done.start() if done else trig.start):
        return ()
    return _perpetrators([last_group], GROUP_TYPES, entities)


_ON_TARGET = re.compile(r"\s+(?:on|against|targeting)\s+(?:the\s+|an?\s+)?", re.I)


def targets_forces(text: str, s: _Sentence, trig: _Trigger, hi: int, entities) -> bool:
    """A raid or operation on the state's forces is an attack on them: "the raid on the army's General Headquarters".

    >>> t = "the raid on the General Headquarters in Rawalpindi"
    >>> ghq = _Mention(t.index("General"), t.index(" in"), "General Headquarters", "army", "state_agency")
    >>> army = {"army": _Entity("Pakistan Army", "state_agency", "PK", None, None, None, None, None)}
    >>> targets_forces(t, _Sentence(0, 0, len(t), (ghq,), ()), _Trigger(4, 8, "raid", "security_operation", True), len(t), army)
    True
    """
    on = _ON_TARGET.match(text, trig.end, hi)
    if not trig.is_noun or on is None:
        return False
    end = noun_phrase_end(text, trig.end, hi)
    return any(on.end() <= m.start < end and _actor(m, entities)[2] in STATE_TYPES for m in s.mentions)


def _region(text: str, prev: _Sentence | None, lo: int, hi: int, event_type: str, perpetrators, lex: EventLexicon,
            entities: Mapping[str, _Entity]) -> tuple[str | None, str | None]:
    """(country, admin1) of an event naming no place: "in the region" points at the previous
    sentence's place; a security operation by police or army happens in their own country
    (not so for a state acting abroad: "droned by the United States")."""
    if prev is not None and lex.anaphoric_place.search(text, lo, hi):
        earlier = _place(text, prev, prev.start, prev.end, prev.end, set(), lex, entities)
        if earlier is not None:
            e = entities[earlier.entity_id]
            return e.country, e.admin1
    if event_type == "security_operation":
        countries = {entities[i].country for i, _ in perpetrators
                     if i in entities and entities[i].entity_type == "state_agency" and entities[i].country}
        if len(countries) == 1:
            return countries.pop(), None
    return None, None


def _sentence_events(text: str, s: _Sentence, triggers: list[tuple[_Trigger, bool]], prev: _Sentence | None,
                     untold_next: _Sentence | None, lex: EventLexicon, entities: Mapping[str, _Entity],
                     last_group: _Mention | None = None) -> list[Found]:
    """The event mentions of one sentence (`triggers`: its `_sentence_triggers`) with the arguments read from their
    spans (`untold_next`: the next sentence when it holds no trigger, whose claims are for these events; `last_group`:
    the salient armed group before the sentence, for "claimed by the group")."""
    if not triggers:
        return []
    out = []
    named = _named(text, s)
    next_claims = _claimants(text, untold_next, untold_next.start, untold_next.end, lex, entities) if untold_next else ()
    for (trig, suicide), (lo, hi) in zip(triggers, _spans(text, s, triggers, lex)):
        clause, before = trig.clause, trig.near
        event_type, perpetrators, actors = _actors(text, s, trig, hi, lex, entities)
        if not actors and FAMILY.get(event_type) == "violence":
            perpetrators = perpetrators or group_subject(text, clause, trig, last_group, lex, entities)
        claimants = _claimants(text, s, lo, hi, lex, entities) or the_group_claimed(text, lo, hi, last_group, lex, entities)
        claimants += next_claims
        if lex.motive.search(text, s.start, trig.start):
            claimants = ()  # "..., saying it was revenge for the killing of X in a drone strike": not this event's claim
        denied = _denied(text, s, lo, hi, lex, entities)
        if event_type == "security_operation" and claimants and not perpetrators:
            event_type = "attack"  # "The TTP claimed responsibility for the raid": a group's raid is an attack
        killed, wounded = casualties(text, lo, hi, lex.casualty, named)
        np_end = noun_phrase_end(text, trig.end, hi)
        determiner = _DEFINITE.search(before)
        definite = trig.is_noun and determiner is not None
        comma = _OWN_CLAUSE_END.search(text, trig.end, hi)  # "claimed the attack, saying it avenged the killing of X": not its toll
        own_figures = (casualties(text, lo, comma.start(), lex.casualty, named) if comma else (killed, wounded)) != (None, None)
        claimed = not own_figures and claimed_in_speech(text, s.start, trig.start, lex)
        reference = claimed or is_reference(before, text[np_end:hi], own_figures, trig.is_noun, lex)
        # the claim's words about the event it claims ("a 'self-sacrificing' attack on a convoy of Chinese engineers")
        # place nothing: the event is the one told before
        arg_lo, arg_hi = ((trig.start, trig.end) if claimed else (trig.start - len(before) + determiner.start(), np_end)
                          ) if reference else (lo, hi)
        if reference:
            killed = wounded = None
        event_type = abduction_killed(event_type, killed)
        # the event's own clause first ("ambushed a convoy in Helmand, ..., as clashes continued in Kunduz"), else its span
        joined = _CLAUSE_JOIN.search(text, trig.end, arg_hi)  # a dash aside ("the shrine – in the city of Sehwan –") stays in
        own_lo, own_hi = max(arg_lo, clause), joined.start() if joined else arg_hi
        toll = _TOLL_OF.search(before)  # "the death toll from a bombing rose ... on Sunday": the day of the toll, not the bombing
        date = _date(text, s, trig.start - len(before) + toll.start(), np_end, trig.start, lex) if toll else _date(
            text, s, arg_lo, arg_hi, trig.start, lex, said=not (trig.is_noun and lex.timed_noun.search(before)))
        # "The bombing came a week after gunmen stormed a hotel": the stormed hotel is another event
        sub = trig.sub
        after_another = sub is not None and sub.group("sub").lower() in lex.sequence and any(
            t.start < sub.start() for t, _ in triggers)
        acting = {m.start for m in actors}  # an actor is no place
        place = _place(text, s, own_lo, own_hi, trig.start, acting, lex, entities)
        if place is None and (own_lo, own_hi) != (arg_lo, arg_hi):
            place = _place(text, s, arg_lo, arg_hi, trig.start, acting, lex, entities)
        region = _region(text, prev, lo, hi, event_type, perpetrators, lex, entities) if place is None and not reference else (None, None)
        out.append(Found(
            sentence_idx=s.idx, sentence_start=s.start, sentence_end=s.end, span_start=lo, span_end=hi,
            trigger_start=trig.start, trigger_end=trig.end, trigger_text=trig.text, event_type=event_type,
            is_suicide=suicide, is_anaphoric=claimed or definite and (reference or not _own_place(place)),
            is_new=is_new_event(before, trig.is_noun, lex) or after_another, date=date, place=place, region=region,
            perpetrators=tuple(p for p in perpetrators if (p[0] or p[1]) not in denied),
            target=_target(text, trig, hi) if event_type not in ("formation", "pledge") else None,
            killed=killed, wounded=wounded, unclaimed=bool(lex.unclaimed.search(text, lo, hi)),
            claimants=tuple(p for p in claimants if (p[0] or p[1]) not in denied),
            is_definite=definite, is_reference=reference,
            is_pair=reference and bool(_PAIR.search(before)),
            adds=adds_to_toll(text, lo, hi, killed, wounded, lex.casualty),
            counts_attackers=counts_attackers(text, lo, hi, lex.casualty),
        ))
    return out


_PAIR = re.compile(r"\b(?:both|the\s+two)\s+$", re.I)
_TOLL_OF = re.compile(r"\btoll\s+(?:from|of|in|for)\s+(?:[\w'’-]+\s+){0,5}$", re.I)
_WORD = re.compile(r"[\w'’-]+")
_AUX_ONLY = re.compile(r"\W*(?:(?:was|were|is|are|had|has|have)\s+)?(?:been\s+)?(?:was|were|is|are|been)\W*", re.I)


def is_new_event(before: str, is_noun: bool, lex: EventLexicon) -> bool:
    """A cue of another event right before the trigger ("another attack", "Another bomb exploded", "a second
    blast"); before a verb "another" with only an auxiliary between is a pronoun ("another was arrested": one more
    of the people told, not another event).

    >>> lex = load_event_lexicon()
    >>> is_new_event("Another bomb", False, lex), is_new_event("and another was", False, lex), is_new_event("a second", True, lex)
    (True, False, True)
    """
    m = lex.new_event.search(before)
    if m is None:
        return False
    cue = _WORD.match(m.group())
    return is_noun or not _AUX_ONLY.fullmatch(m.group()[cue.end():])


def adds_to_toll(text: str, lo: int, hi: int, killed: Count | None, wounded: Count | None, lex: CasualtyLexicon) -> str:
    """How a mention's figures relate to the event's toll: "attackers" when its dead are the attackers only ("One of
    the attackers was shot dead"), "more" when told as more than those counted ("two soldiers also died", "Two other
    girls ... were also wounded"), "" for a toll of its own.

    >>> lex = load_event_lexicon().casualty
    >>> t = "two soldiers also died in the operation"
    >>> adds_to_toll(t, 0, len(t), Count(2, 2), None, lex), adds_to_toll("One of the attackers was shot dead", 0, 34, Count(1, 1), None, lex)
    ('more', 'attackers')
    >>> adds_to_toll("Two soldiers died", 0, 17, Count(2, 2), None, lex)
    ''
    """
    if killed is not None and attackers_killed_orphan(text, lo, hi, lex) == killed:
        return "attackers"
    if killed is None and wounded is None:
        return ""
    for cue in lex.additive.finditer(text, lo, hi):
        told = lex.count.search(text, max(lo, cue.start() - 60), cue.start())
        verb = [p.search(text, cue.end(), min(hi, cue.end() + 60)) for p in (lex.killed_count_first, lex.wounded_count_first)]
        if told and any(verb) and not _SOFT_BREAK.search(text, told.end(), cue.start()):
            return "more"
    return ""


def counts_attackers(text: str, lo: int, hi: int, lex: CasualtyLexicon) -> bool:
    """The toll told in text[lo:hi] includes the attackers ("36 people, including all ten attackers, were killed",
    "killing four people before they were shot dead"), so their deaths told elsewhere add nothing.

    >>> lex = load_event_lexicon().casualty
    >>> t = "36 people, including all ten attackers, were killed"
    >>> counts_attackers(t, 0, len(t), lex), counts_attackers("36 people were killed", 0, 21, lex)
    (True, False)
    """
    return bool(lex.attackers_dead.search(text, lo, hi) or lex.attacker_shot.search(text, lo, hi)) or any(
        lex.all_attackers.search(m.group()) for m in lex.subset_clause.finditer(text, lo, hi))


def abduction_killed(event_type: str, killed: Count | None) -> str:
    """An abduction that ends in killing ("abducted 11 miners and shot them dead") is an attack counting its dead.

    >>> abduction_killed("abduction", Count(11, 11)), abduction_killed("abduction", None)
    ('attack', 'abduction')
    """
    if event_type == "abduction" and killed is not None and (killed.low or killed.high or 0) > 0:
        return "attack"
    return event_type


def _killers(text: str, s: _Sentence, lo: int, hi: int, lex: EventLexicon) -> list[_Mention]:
    """The subject of a kill verb in the span ("Pakistani troops killed five militants during a raid")."""
    for m in lex.kill_verbs.finditer(text, lo, hi):
        run = _subject(text, s, m.start(), lex, _clause_start(text, lo, m.start()))
        if run:
            return run
    return []


_NAME = guarded(re.compile(r"(?<![\w-])[A-Z][a-z]{2,}(?:[ -](?:[A-Z][a-z'’-]+|ul|al|ud|bin|ibn)){1,3}(?![\w-])"))


def _named(text: str, s: _Sentence) -> tuple[tuple[int, int], ...]:
    """Person names of a sentence: its person mentions and unregistered names (capitalised words the registry
    does not know as a place or group: "had killed Assadullah Orakzai, also known as ...")."""
    people = [(m.start, m.end) for m in s.mentions if m.entity_type == "person"]
    taken = people + [(m.start, m.end) for m in s.mentions if m.entity_type != "person" and (m.entity_id or m.entity_type != "other")]
    for n in _NAME.finditer(text, s.start, s.end):  # (a name found never starts inside one found before)
        if n.start() > s.start and not any(a <= n.start() < b for a, b in taken):
            people.append((n.start(), n.end()))
    return tuple(sorted(people))


def _own_place(place: _Place | None) -> bool:
    return place is not None and place.rank >= 2


def _formed(text: str, s: _Sentence, trig: _Trigger, hi: int) -> list[_Mention]:
    """The groups a formation verb names as formed (its object, up to the clause end)."""
    end = _clause_end(text, trig.end, hi)
    return [m for m in s.mentions if trig.end <= m.start < end and m.entity_type in GROUP_TYPES]


def _added(told: Count | None, new: Count | None, more: bool) -> Count | None:
    """A figure joined to the one told: summed when told as more ("Two other girls were also wounded"), else the larger.

    >>> _added(Count(1, 1), Count(2, 2), True), _added(Count(9, 9), Count(2, 2), False), _added(None, Count(2, 2), True)
    (Count(low=3, high=3), Count(low=9, high=9), Count(low=2, high=2))
    """
    if told is None or new is None:
        return told or new
    return _sum([told, new]) if more else _best([told, new])


def anaphoric_target(event: Found, before: Found) -> Found:
    """An event without a place of its own whose target is a definite noun phrase ("army commandos stormed the
    compound") happened at the place of the event told in the sentence before ("took the staff of a centre in Bannu
    hostage"), not at a place named later.

    >>> bannu = _Place(_Mention(0, 5, "Bannu", "bannu", "location"), "bannu", 4)
    >>> f = Found(1, 0, 9, 0, 9, 0, 7, "stormed", "security_operation", False, False, False, None, None, (None, None),
    ...           (), "the compound", None, None, False)
    >>> anaphoric_target(f, replace(f, sentence_idx=0, place=bannu, target="a centre")).place.entity_id
    'bannu'
    """
    if event.place is not None or not event.target or not _DEFINITE_TARGET.match(event.target):
        return event
    if event.sentence_idx - before.sentence_idx != 1 or not _own_place(before.place):
        return event
    return replace(event, place=before.place)


_DEFINITE_TARGET = re.compile(r"(?:the|its|their)\s", re.I)


def _orphan_casualties(text: str, s: _Sentence, lex: EventLexicon) -> tuple[Count | None, Count | None]:
    """Figures in a sentence without a trigger ("Nine people died."), for the event before it."""
    return casualties(text, s.start, s.end, lex.casualty, _named(text, s))


_DETERMINER_END = re.compile(r"\b(?:the|this|that|these|those|both)\s+$", re.I)


def names_other_event(text: str, s: _Sentence, raw: list[_Trigger]) -> bool:
    """A sentence without a kept trigger whose dropped event noun is not definite ("a similar attack on a cultural centre
    left 40 dead", "400 were killed in sectarian attacks") tells figures of other events, not of the event told
    before; "The blasts killed 75 people" points back (`raw`: the sentence's trigger matches).

    >>> lex = load_event_lexicon()
    >>> t = "A similar attack left 40 dead. The blasts killed 75."
    >>> sentences = [_Sentence(i, a, b, (), ()) for i, a, b in ((0, 0, 30), (1, 31, 52))]
    >>> [names_other_event(t, s, _triggers(t, t.lower(), s, lex)) for s in sentences]
    [True, False]
    """
    return any(t.is_noun and not _DETERMINER_END.search(text, max(s.start, t.start - 8), t.start) for t in raw)


def is_headline(sentence: str, title: str) -> bool:
    """The sentence is the document's title line.

    >>> is_headline("Blast at Quetta hospital kills 70", "Blast at Quetta hospital kills 70"), is_headline("A bomb.", "Blast")
    (True, False)
    """
    return " ".join(sentence.split()).casefold() == " ".join(title.split()).casefold()


# --- merging -------------------------------------------------------------------------------------

def _dates_compatible(a: _Date | None, b: _Date | None) -> bool:
    """Overlapping spans; two unresolved dates only when written alike ("May 11" vs "May 15": two events)."""
    if a is None or b is None:
        return True
    if a.date_start is None and b.date_start is None:
        return a.text.lower() == b.text.lower()
    if a.date_start is None or b.date_start is None:
        return True
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    return a.date_start <= b_end and b.date_start <= a_end


def _places_compatible(a: Found, b: Found, entities) -> bool:
    if a.place is None or b.place is None or a.place.entity_id == b.place.entity_id:
        return True
    ea, eb = entities[a.place.entity_id], entities[b.place.entity_id]
    if min(a.place.rank, b.place.rank) <= 2:  # a country or province holds the other place
        return ea.country == eb.country or None in (ea.country, eb.country)
    return nearby(ea, eb)


def within(entities, a: _Place, b: _Place) -> bool:
    """One place is the province holding the other (Sindh and Sehwan)."""
    outer, inner = (a, b) if a.rank < b.rank else (b, a)
    eo, ei = entities[outer.entity_id], entities[inner.entity_id]
    return outer.rank == 2 and inner.rank > 2 and eo.country == ei.country and eo.admin1 is not None and eo.admin1 == ei.admin1


def refines(entities, a: _Place, b: _Place) -> bool:
    """a is a place the registry puts inside b (its `parent`): Badaber in Peshawar, a neighbourhood in its city.

    >>> ents = {"bdr": _Entity("Badaber", "location", "PK", None, None, None, None, "psh")}
    >>> refines(ents, _Place(_Mention(0, 7, "Badaber", "bdr", "location"), "bdr", 3), _Place(_Mention(0, 8, "Peshawar", "psh", "location"), "psh", 4))
    True
    """
    return a.entity_id != b.entity_id and entities[a.entity_id].parent == b.entity_id


NEARBY_KM = 40.0


def nearby(a: _Entity, b: _Entity, km: float = NEARBY_KM) -> bool:
    """Two places close enough to be one scene: a town and its district, a town and its headquarters.

    >>> khar = _Entity("Khar", "location", "PK", 34.73, 71.52, "Khyber Pakhtunkhwa", None, None)
    >>> bajaur = _Entity("Bajaur", "location", "PK", 34.78, 71.51, "Khyber Pakhtunkhwa", None, None)
    >>> quetta = _Entity("Quetta", "location", "PK", 30.18, 67.0, "Balochistan", None, None)
    >>> nearby(khar, bajaur), nearby(khar, quetta)
    (True, False)
    """
    if None in (a.latitude, a.longitude, b.latitude, b.longitude) or a.country != b.country:
        return False
    from math import asin, cos, radians, sin, sqrt
    dlat, dlon = radians(b.latitude - a.latitude), radians(b.longitude - a.longitude)
    h = sin(dlat / 2) ** 2 + cos(radians(a.latitude)) * cos(radians(b.latitude)) * sin(dlon / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(h)) <= km


def _actors_compatible(a: tuple, b: tuple) -> bool:
    return not a or not b or bool({x[0] or x[1] for x in a} & {x[0] or x[1] for x in b})


def _shares_argument(a: Found, b: Found) -> bool:
    if a.place and b.place and a.place.entity_id == b.place.entity_id and a.place.rank >= 2:
        return True
    if a.date and b.date and a.date.date_start and a.date.date_start == b.date.date_start and a.date.precision == "day":
        return True
    if a.killed and b.killed and a.killed.low is not None and a.killed == b.killed:
        return True
    return bool(a.target and b.target and _bare(a.target) == _bare(b.target))


def _bare(phrase: str) -> str:
    """'the police academy' -> 'police academy'."""
    return re.sub(r"^(?:the|a|an|this|that)\s+", "", phrase.lower())


def _joins(event: list[Found], m: Found, entities) -> bool:
    """Whether mention m reports the same event as the merged mentions of `event`."""
    last = event[-1]
    if m.is_new or not all(_dates_compatible(x.date, m.date) and _places_compatible(x, m, entities) for x in event):
        return False
    same_family = all(x.family == m.family for x in event if not x.is_bare)  # "another was arrested" joined it
    if m.family in ("formation", "pledge", "plot"):
        return same_family and all({p[0] or p[1] for p in x.perpetrators} == {p[0] or p[1] for p in m.perpetrators}
                                   for x in event) and any(_shares_argument(x, m) or x.date == m.date for x in event)
    close = m.sentence_idx - last.sentence_idx <= 1
    if m.is_reference:  # "X claimed the attack", "condemned the bombing": the actors named do not tell it apart
        return same_family or (close and m.family in CONTINUING and last.family in CONTINUING)
    if not all(_actors_compatible(x.perpetrators, m.perpetrators) for x in event):
        return False
    if (m.is_anaphoric or m.is_bare) and not m.has_own_arguments:
        return same_family or (close and m.family in CONTINUING and last.family in CONTINUING)
    if (m.adds == "attackers" and not m.has_own_arguments and m.sentence_idx - last.sentence_idx <= ORPHAN_REACH
            and any(x.killed is not None for x in event)):
        return same_family  # "..., and all three gunmen were killed": the attackers' end of the toll told before
    if not same_family:
        return False
    if any(_shares_argument(x, m) for x in event):
        return True
    if close and m.is_definite:  # "The attack took place in Mastung district": the next sentence refines the event
        return True
    if close and m.place and any(x.place and x.place.rank >= 2.5 and m.place.rank >= 2.5 for x in event):
        return True  # the next sentence, at a place nearby (the places were checked compatible above)
    if close and m.place and any(x.place and within(entities, x.place, m.place) for x in event):
        return True  # "... a shrine in Sindh province" + "The bomber struck ... in the town of Sehwan"
    # the next sentence without a place of its own continues the event, and its date dates an undated one ("A day
    # after gunmen killed 20 people at a university in X, ..." + "Four attackers scaled the wall on Wednesday")
    if close and m.place and m.event_type == last.event_type and not any(_own_place(x.place) for x in event):
        return True  # "Gunmen on Tuesday shot and wounded X" + "A gunman ... in Mingora opened fire": it places the event
    return close and m.family in CONTINUING and m.place is None and (
        m.date is None or all(x.date is None or x.date.date_start is None for x in event))


def merge_mentions(found: list[Found], entities: Mapping[str, _Entity]) -> list[list[Found]]:
    """Group a document's event mentions (in text order) into events.

    A mention joins the latest open event it is compatible with; an anaphoric mention
    with nothing of its own ("for this attack") joins the latest event of its family, of its
    own type first ("the bombing" skips a shooting told in between). An event made only of
    references (a headline's "the Army Public School Massacre", a lede's "X claimed the
    attack") joins the first later event it is compatible with (`_absorb_references`).
    """
    events: list[list[Found]] = []
    for m in found:
        joinable = sorted((event for event in reversed(events) if _joins(event, m, entities)),
                          key=lambda e: -max(x.sentence_idx for x in e))  # the event told most recently first
        if not joinable:
            events.append([m])
            continue
        pick = joinable[0] if m.has_own_arguments else _referent(m, joinable)
        pick.append(m)
        if m.is_reference and m.is_pair:  # "Both attacks were claimed by the group": the two events told last
            other = next((e for e in joinable if e is not pick and all(x.family == m.family for x in e)), None)
            if other is not None:
                other.append(m)
    return _absorb_references(events, entities)


def _referent(m: Found, joinable: list[list[Found]]) -> list[Found]:
    """The event a mention with nothing of its own continues, among those it may join (nearest first): one of its
    own type ("the bombing" skips a shooting told in between), else for a reference ("condemned the attack") one
    of its family, else the one told just before, else the nearest."""
    def own_type(e: list[Found]) -> bool:
        return m.event_type != "attack" and any(x.event_type == m.event_type for x in e)

    def family(e: list[Found]) -> bool:
        return all(x.family == m.family for x in e if not x.is_bare)

    def just_before(e: list[Found]) -> bool:
        return m.sentence_idx - e[-1].sentence_idx <= 1

    tests = (own_type, family, just_before) if m.is_reference else (own_type, just_before, family)
    return next((e for test in tests for e in joinable if test(e)), joinable[0])


def _absorb_references(events: list[list[Found]], entities) -> list[list[Found]]:
    """Events told only by references join the first later compatible event of their family; an event told only by
    the headline joins the first later event of its family whatever the places (a title names the scene loosely:
    "Mehran base" for the body's "PNS Mehran")."""
    out: list[list[Found]] = []
    for i, event in enumerate(events):
        headline = all(m.is_headline for m in event)
        if headline or all(m.is_reference for m in event):
            later = next((e for e in events[i + 1:] if e[0].family == event[0].family and all(
                _dates_compatible(x.date, m.date) and (headline or _places_compatible(x, m, entities)) for x in e for m in event)), None)
            if later is not None:
                later[:0] = event
                continue
        out.append(event)
    return out


# --- rows ------------------------------------------------------------------------------------------

_BOTH = re.compile(r"\s*(?:for\s+|of\s+)?(?:them\s+)?both\b(?!\s+(?:of\s+)?(?:the\s+)?(?:group|side)s?\b)", re.I)


def claimed_events(text: str, s: _Sentence, found: list[Found], lex: EventLexicon) -> list[int]:
    """The mentions a claim naming no event is for: the event told last; "X took credit for both." also the one told
    before it in an earlier sentence (within `CLAIM_REACH`).

    >>> lex = load_event_lexicon()
    >>> t = "IS-K took credit for both."
    >>> f = Found(0, 0, 9, 0, 9, 0, 7, "stormed", "attack", False, False, False, None, None, (None, None), (), None, None,
    ...           None, False)
    >>> claimed_events(t, _Sentence(3, 0, len(t), (), ()), [f, replace(f, sentence_idx=1), replace(f, sentence_idx=2)], lex)
    [2, 1]
    """
    last = len(found) - 1
    if not any(_BOTH.match(text, cue.end()) for cue in lex.claim_cues.finditer(text, s.start, s.end)):
        return [last]
    earlier = next((i for i in range(last - 1, -1, -1) if found[i].sentence_idx != found[last].sentence_idx
                    and not found[i].is_reference and found[i].family in CONTINUING), None)
    return [last] if earlier is None or s.idx - found[earlier].sentence_idx > CLAIM_REACH else [last, earlier]


def _event_id(doc_id: str, m: Found) -> str:
    return hashlib.sha256(f"{doc_id}:{m.trigger_start}:{m.trigger_end}".encode()).hexdigest()[:16]


def _figure_event(found: list[Found]) -> int:
    """The mention a figure without a trigger is for: the one told last, past mentions with nothing of their own."""
    return next((i for i in range(len(found) - 1, -1, -1) if not found[i].is_bare), len(found) - 1)


def _evidence(text: str, m: Found, shared: bool) -> tuple[int, int]:
    """The sentence, or the event's clause when the sentence holds several events or is too long."""
    start, end = (m.span_start, m.span_end) if shared else (m.sentence_start, m.sentence_end)
    if end - start > MAX_EVIDENCE:
        start = max(start, min(m.trigger_start - MAX_EVIDENCE // 2, end - MAX_EVIDENCE))
        end = min(end, start + MAX_EVIDENCE)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _event_row(doc_id: str, text: str, mentions: list[Found], shared: set[int], entities,
               dateline: _Place | None = None) -> dict:
    main = max(mentions, key=lambda m: (m.score(), -m.trigger_start))
    start, end = _evidence(text, main, main.sentence_idx in shared)
    dated = [m for m in mentions if m.date is not None]
    when = max(dated, key=lambda m: (m.date.date_start is not None, -_PRECISION_RANK.get(m.date.precision, 3), m is main),
               default=None)
    placed = [m for m in mentions if m.place is not None]
    # the main report's own place when specific (a district or finer), else the most specific place any mention gives
    where = main if main.place is not None and main.place.rank >= 2.5 else max(
        placed, key=lambda m: (m.place.rank, m is main), default=None)
    # "a camp on the outskirts of Peshawar" + "the camp at Badaber": the place another mention names inside it
    where = next((m for m in placed if where is not None and refines(entities, m.place, where.place)), where)
    region = next((m.region for m in mentions if m.region != (None, None)), (None, None))
    where_place = where.place if where else dateline_fallback(dateline, region, main.family, entities)
    where_place = populated_place(where_place, [m.place for m in placed], dateline, entities)
    place = entities[where_place.entity_id] if where_place else None
    actors: dict[str, tuple[str | None, str]] = {}
    for m in sorted(mentions, key=lambda m: m is not main):
        for p in m.perpetrators + m.claimants:
            actors.setdefault(p[0] or p[1], p)
    killed, wounded = event_toll(mentions, "killed"), event_toll(mentions, "wounded")
    d = when.date if when else None
    event_id = _event_id(doc_id, main)
    return {
        "doc_id": doc_id,
        "sentence_idx": main.sentence_idx,
        "char_start": start,
        "char_end": end,
        "event_id": event_id,
        "evidence_text": text[start:end],
        "event_type": main.event_type,
        "trigger_text": main.trigger_text,
        "is_suicide": any(m.is_suicide for m in mentions),
        "event_date_start": d.date_start if d else None,
        "event_date_end": d.date_end if d else None,
        "date_precision": d.precision if d else None,
        "date_text": d.text if d else None,
        "date_anchor": d.anchor if d else None,
        "location_text": where_place.mention.surface if where_place else None,
        "location_name": place.name if place else None,
        "location_entity_id": where_place.entity_id if where_place else None,
        "admin1": place.admin1 if place else region[1],
        "country_iso2": place.country if place else region[0],
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "perpetrator_ids": [i for i, _ in actors.values() if i is not None],
        "perpetrator_names": [n for _, n in actors.values()],
        "target_text": main.target or next((m.target for m in mentions if m.target), None),
        "killed_low": killed.low if killed else None,
        "killed_high": killed.high if killed else None,
        "wounded_low": wounded.low if wounded else None,
        "wounded_high": wounded.high if wounded else None,
        "is_unclaimed": any(m.unclaimed for m in mentions),
        "event_cluster_id": event_id,
    }


def event_toll(mentions: list[Found], field: str) -> Count | None:
    """The event's killed or wounded: the largest toll its mentions tell, plus the figures told as more than it
    ("two soldiers also died") and the attackers' deaths told apart when the toll does not include them.

    >>> f = Found(0, 0, 9, 0, 9, 0, 7, "stormed", "attack", False, False, False, None, None, (None, None), (), None,
    ...           Count(3, 3), None, False)
    >>> event_toll([f, replace(f, killed=Count(1, 1), adds="attackers")], "killed")
    Count(low=4, high=4)
    >>> event_toll([replace(f, counts_attackers=True), replace(f, killed=Count(1, 1), adds="attackers")], "killed")
    Count(low=3, high=3)
    """
    included = any(m.counts_attackers for m in mentions)
    figures = [(getattr(m, field), m.adds if (m.adds == "more" or field == "killed") and not m.is_headline else "")
               for m in mentions if getattr(m, field) is not None]  # a headline's figure sums up the body's
    told = _best([c for c, adds in figures if not adds])
    more = [c for c, adds in figures if adds == "more" or adds == "attackers" and not included]
    return _sum([c for c in (told, *more) if c is not None]) if told or more else _best([c for c, _ in figures])


def place_from_next(text: str, s: _Sentence, event: Found, lex: EventLexicon, entities: Mapping[str, _Entity]) -> Found:
    """An event placed only in a country (or nowhere) takes the specific place the next sentence gives when that
    sentence tells no event of its own: "Gunmen abducted 11 miners in southwestern Pakistan ..." + "The miners were
    taken from ... the Machh area of Bolan district" -> Machh."""
    place = _place(text, s, s.start, s.end, s.start, set(), lex, entities)
    if place is None or place.rank < 2.5:  # a district or a town, not a province named in an official's title
        return event
    if event.place is not None and entities[event.place.entity_id].country not in (None, entities[place.entity_id].country):
        return event
    return replace(event, place=place)


def populated_place(place: _Place | None, others: list[_Place], dateline: _Place | None,
                    entities: Mapping[str, _Entity]) -> _Place | None:
    """The populated place of the event, as GTD and ACLED code it: a place the registry puts inside a city (a
    neighbourhood, a road, a base: its `parent`) is that city; a site without one (an airport, "the X bridge") is
    the target, and the event happened in the town another mention or the dateline names nearby (for a site the
    registry cannot map, in the same country): "PNS Mehran" under the dateline "Karachi, May 23" -> Karachi. The
    words of the text stay the location_text.

    >>> base = _Place(_Mention(0, 10, "PNS Mehran", "pns", "location"), "pns", 3)
    >>> city = _Place(_Mention(0, 7, "Karachi", "karachi", "location"), "karachi", 4)
    >>> ents = {"pns": _Entity("PNS Mehran", "location", "PK", None, None, None, None, None),
    ...         "karachi": _Entity("Karachi", "location", "PK", 24.9, 67.0, "Sindh", None, None)}
    >>> populated_place(base, [], city, ents).entity_id, populated_place(base, [], None, ents).entity_id
    ('karachi', 'pns')
    >>> ents["pns"] = ents["pns"]._replace(parent="karachi")
    >>> populated_place(base, [], None, ents).entity_id
    'karachi'
    """
    if place is None:
        return None
    site = entities[place.entity_id]
    if site.parent in entities and entities[site.parent].entity_type == "location":
        return _Place(place.mention, site.parent, 4)
    if place.rank < 3 or place.rank > 3 and site.latitude is not None:  # a province stays, unmapped or not
        return place
    towns = [p for p in (*others, dateline) if p is not None and p.rank == 4 and (
        nearby(site, entities[p.entity_id]) if site.latitude is not None else entities[p.entity_id].country == site.country)]
    return towns[0] if towns else place


def dateline_fallback(dateline: _Place | None, region: tuple[str | None, str | None], family: str,
                      entities: Mapping[str, _Entity]) -> _Place | None:
    """An act of violence or an operation whose sentences name no place happened where the report was filed ("QUETTA:
    ... Mr Kasi was shot dead on Manno Jan Road"; "a mosque in the city's old quarter"), unless they put it in
    another country."""
    if dateline is None or family not in CONTINUING:
        return None
    country = entities[dateline.entity_id].country
    return dateline if region[0] in (None, country) else None


def document_dateline(text: str, sentences: list[_Sentence], entities: Mapping[str, _Entity]) -> _Place | None:
    """The place of the dateline ("PESHAWAR, Pakistan, Jan 30 (Reuters) -", "KARACHI:", a line "Karachi, May 23,
    2011") in the first sentences (after a title, a byline and a date line)."""
    for s in sentences[:5]:
        for m in s.mentions:
            if m.entity_type == "location" and m.entity_id in entities and is_dateline(text, s, m):
                return _Place(m, m.entity_id, 4)
    return None


def _informative(row: dict) -> bool:
    """An event row says at least when, where, who or how many; a bare "police arrested two suspects" does not."""
    return any(row[k] is not None for k in ("date_text", "location_entity_id", "country_iso2", "killed_low", "killed_high",
                                            "wounded_low", "wounded_high")) or bool(row["perpetrator_names"])


def _mention_rows(doc_id: str, text: str, event_id: str, mentions: list[Found], shared: set[int]) -> list[dict]:
    rows = {}
    for m in mentions:
        if m.sentence_idx not in rows:
            start, end = _evidence(text, m, m.sentence_idx in shared)
            rows[m.sentence_idx] = {"doc_id": doc_id, "sentence_idx": m.sentence_idx, "char_start": start, "char_end": end,
                                    "event_id": event_id, "evidence_text": text[start:end]}
    return list(rows.values())


def _entity_lookup(entities: pl.DataFrame) -> dict[str, _Entity]:
    cols = ["entity_id", "canonical_name", "entity_type", "country_iso2", "latitude", "longitude", "admin1", "acts_as_entity_id",
            "parent_entity_id"]
    return {row[0]: _Entity(*row[1:]) for row in entities.select(cols).iter_rows()}


def _grouped(frame: pl.DataFrame, columns: list[str], make) -> dict[str, dict[int, list[tuple]]]:
    """rows made into `make(*columns)` by doc_id, then by sentence_idx (rows without a sentence are dropped)."""
    out: dict[str, dict[int, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for row in frame.select(["doc_id", "sentence_idx", *columns]).sort("doc_id", "char_start").iter_rows():
        if row[1] is not None:
            out[row[0]][row[1]].append(make(*row[2:]))
    return out


def document_events(doc_id: str, text: str, sentences: list[_Sentence], lex: EventLexicon,
                    entities: Mapping[str, _Entity], title: str | None = None) -> tuple[list[dict], list[dict]]:
    """Event rows and event-mention rows of one document (`title`: the document's headline, whose mentions
    join the body's report and are never its evidence when the body tells it)."""
    found: list[Found] = []
    lowered = same_length_lower(text)
    lex = _document_lexicon(lex, text, lowered)
    raw = [_triggers(text, lowered, s, lex) for s in sentences]  # read once: the sentence before asks for them too
    group_mentions: list[_Mention] = []
    for i, s in enumerate(sentences):
        prev = sentences[i - 1] if i else None
        matched = raw[i]
        untold_next = sentences[i + 1] if i + 1 < len(sentences) and not raw[i + 1] else None
        triggers = _sentence_triggers(text, lowered, s, matched, lex, entities)
        here = _sentence_events(text, s, triggers, prev, untold_next, lex, entities,
                                salient_group(group_mentions) if triggers else None)
        group_mentions += [m for m in s.mentions if m.entity_type == "armed_group"]
        if here and title and is_headline(text[s.start:s.end], title):
            here = [replace(f, is_headline=True) for f in here]
        here = [attackers_told_before(text, f, found[-1], lex.casualty) if found else f for f in
                (anaphoric_target(f, found[-1]) if found else f for f in here)]
        # "X claimed responsibility, saying it was revenge for the killing of Y in a drone strike": the claim is for
        # the event told before, not for the one named as its motive
        told = [f for f in here if not lex.motive.search(text, s.start, f.trigger_start)]
        if (not here and found and s.idx - found[-1].sentence_idx == 1 and not _own_place(found[-1].place)
                and not found[-1].is_anaphoric and found[-1].family in CONTINUING):  # "the operation" points back
            found[-1] = place_from_next(text, s, found[-1], lex, entities)
        if not told and found and s.idx - found[-1].sentence_idx <= CLAIM_REACH and found[-1].family in CONTINUING:
            claimants = _claimants(text, s, s.start, s.end, lex, entities)  # "The TTP claimed responsibility within hours."
            for i in claimed_events(text, s, found, lex) if claimants else ():
                found[i] = replace(found[i], claimants=found[i].claimants + tuple(c for c in claimants if c not in found[i].claimants))
        # a figure without a trigger is for the event told last (`_figure_event`); a sentence whose trigger was dropped
        # ("a similar attack ... left 40 dead") tells another event's figures
        told = _figure_event(found) if not here and found and s.idx - found[-1].sentence_idx <= ORPHAN_REACH else None
        if (told is not None and s.idx - found[told].sentence_idx <= ORPHAN_REACH and found[told].family in CONTINUING
                and not names_other_event(text, s, matched)):
            killed, wounded = _orphan_casualties(text, s, lex)
            attackers = attackers_killed_orphan(text, s.start, s.end, lex.casualty)
            last = found[told]
            toll = next((i for i in range(len(found) - 1, -1, -1) if found[i].killed is not None and found[i].family == "violence"
                         and s.idx - found[i].sentence_idx <= ORPHAN_REACH), None)
            more = adds_to_toll(text, s.start, s.end, killed, wounded, lex.casualty) == "more"
            if attackers is not None and last.family == "violence" and toll is not None:
                if not found[toll].counts_attackers:
                    found[toll] = replace(found[toll], killed=_sum([found[toll].killed, attackers]))
                killed = None  # "All four attackers were killed, and at least 20 people were injured": the injured still count
            elif attackers is not None and last.family == "violence" and last.killed is None:
                # the toll was told further back: the attackers' deaths join the event's toll when its mentions merge
                found[told] = replace(last, killed=attackers, adds="attackers")
                killed = None
            for field, figure in (("killed", killed), ("wounded", wounded)):
                # more than told ("Two other girls were also wounded") adds to the figure told last within reach
                i = next((i for i in range(len(found) - 1, -1, -1) if getattr(found[i], field) is not None
                          and s.idx - found[i].sentence_idx <= ORPHAN_REACH), told) if more else told
                if figure is not None:
                    found[i] = replace(found[i], **{field: _added(getattr(found[i], field), figure, more)})
        found += here
    events, mentions = [], []
    dateline = document_dateline(text, sentences, entities)
    groups = merge_mentions(found, entities)
    # a sentence is split into its events' clauses only when it tells several events ("..., killing 33 militants; two
    # soldiers also died in the operation" is one)
    told_in = Counter(idx for group in groups for idx in {m.sentence_idx for m in group})
    shared = {idx for idx, n in told_in.items() if n > 1}
    for group in groups:
        row = _event_row(doc_id, text, group, shared, entities)
        if not _informative(row):
            continue
        if dateline is not None:  # the dateline places an event (or the site it names), it does not make one
            row = _event_row(doc_id, text, group, shared, entities, dateline)
        events.append(row)
        mentions += _mention_rows(doc_id, text, row["event_id"], group, shared)
    return events, mentions


def events(documents: pl.DataFrame, sentences: pl.DataFrame, mentions: pl.DataFrame, date_mentions: pl.DataFrame,
           entities: pl.DataFrame, lexicon: EventLexicon) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Events of a batch of documents and the sentences supporting them: (events, event_mentions)."""
    lookup = _entity_lookup(entities)
    by_mention = _grouped(mentions, ["char_start", "char_end", "surface_text", "entity_id", "entity_type"], _Mention)
    by_date = _grouped(date_mentions, ["char_start", "char_end", "date_text", "date_start", "date_end", "date_precision",
                                       "date_anchor", "date_kind"], _Date)
    spans: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for doc_id, idx, start, end in sentences.select("doc_id", "sentence_idx", "char_start", "char_end").sort(
            "doc_id", "char_start").iter_rows():
        spans[doc_id].append((idx, start, end))
    event_rows: list[dict] = []
    mention_rows: list[dict] = []
    titled = documents.select("doc_id", "text", pl.col("title") if "title" in documents.columns else pl.lit(None, pl.String))
    for doc_id, text, title in titled.iter_rows():
        doc_mentions, doc_dates = by_mention.get(doc_id, {}), by_date.get(doc_id, {})
        doc_sentences = [_Sentence(idx, start, end, tuple(doc_mentions.get(idx, ())), tuple(doc_dates.get(idx, ())))
                         for idx, start, end in spans.get(doc_id, ())]
        rows, support = document_events(doc_id, text or "", doc_sentences, lexicon, lookup, title)
        event_rows += rows
        mention_rows += support
    found = pl.DataFrame(event_rows, schema=polars_schema(Events)) if event_rows else empty_table(Events)
    support = pl.DataFrame(mention_rows, schema=polars_schema(EventMentions)) if mention_rows else empty_table(EventMentions)
    return found.sort("doc_id", "char_start"), support.sort("doc_id", "char_start", "event_id")


def attributed_perpetrators(events: pl.DataFrame, event_mentions: pl.DataFrame, claims: pl.DataFrame,
                            allegations: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """events with the groups the document's claims and allegations name as their authors added to the perpetrators:
    the claimant of a responsibility claim linked to the event ("A commander of the TTP said its fighters had carried
    out the attack"), and the armed group a responsibility allegation accuses in a sentence of the event, or, when
    that sentence tells no event, in one within `CLAIM_REACH` after the event told last ("Police blamed the attack on
    X"; "Officials believe X was behind it."). A group accused of something else (support, control) or a state is not
    the perpetrator; a person who speaks or acts for a group stands for it (`_actor`)."""
    if events.is_empty():
        return events
    lookup = _entity_lookup(entities)
    added: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
    for event_id, claimant_id, claimant in claims.filter(
            (pl.col("claim_type") == "responsibility") & pl.col("event_id").is_not_null()).select(
            "event_id", "claimant_id", "claimant_name").iter_rows():
        entity_id, name, kind = _actor(_Mention(0, 0, claimant, claimant_id, "armed_group"), lookup)
        if entity_id is not None and kind in GROUP_TYPES:
            added[event_id].append((entity_id, name))
    told: dict[str, list[tuple[int, str]]] = defaultdict(list)  # per document: (sentence, event) in text order
    for doc_id, idx, event_id in event_mentions.select("doc_id", "sentence_idx", "event_id").sort(
            "doc_id", "sentence_idx").iter_rows():
        told[doc_id].append((idx, event_id))
    for doc_id, idx, accused_id, accused in allegations.filter(pl.col("allegation_type") == "responsibility").select(
            "doc_id", "sentence_idx", "accused_id", "accused_name").iter_rows():
        entity_id, name, kind = _actor(_Mention(0, 0, accused, accused_id, "armed_group"), lookup)
        if entity_id is None or kind != "armed_group":
            continue
        here = {e for i, e in told[doc_id] if i == idx}
        before = [(i, e) for i, e in told[doc_id] if idx - CLAIM_REACH <= i < idx]
        if len(here) == 1 or not here and before:
            added[here.pop() if here else before[-1][1]].append((entity_id, name))
    if not added:
        return events
    ids, names = [], []
    for event_id, have_ids, have_names in events.select("event_id", "perpetrator_ids", "perpetrator_names").iter_rows():
        have_ids, have_names = list(have_ids or []), list(have_names or [])
        for entity_id, name in added.get(event_id, ()):
            if entity_id not in have_ids:
                have_ids.append(entity_id)
                have_names.append(name)
        ids.append(have_ids)
        names.append(have_names)
    return events.with_columns(pl.Series("perpetrator_ids", ids, dtype=pl.List(pl.String)),
                               pl.Series("perpetrator_names", names, dtype=pl.List(pl.String)))


# --- clusters across documents ------------------------------------------------------------------

def _span(start: date | None, end: date | None) -> tuple[date, date] | None:
    return (start, end or start) if start is not None else None


def _overlap(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return a is None or b is None or (a[0] <= b[1] and b[0] <= a[1])


def event_clusters(events: pl.DataFrame) -> pl.DataFrame:
    """events with event_cluster_id shared by reports of the same real-world event.

    Two events are one when they are of the same type family and either
    - both are dated to the day, the spans overlap, and they share a specific place (a
      town, site or district: not a country) or a named perpetrator without naming two
      different specific places; or
    - one is undated or dated only to the month or year (a weak date): then the place and
      the perpetrators must both agree, and the spans (when both given) overlap.
    The cluster id is the smallest event_id of the cluster, so it is stable across runs.
    """
    if events.is_empty():
        return events
    rows = events.select("event_id", "event_type", "event_date_start", "event_date_end", "date_precision",
                         "location_entity_id", "admin1", "perpetrator_ids").iter_rows()
    items = [(eid, FAMILY.get(kind, kind), _span(start, end), precision == "day", place if admin1 else None,
              frozenset(actors or ())) for eid, kind, start, end, precision, place, admin1, actors in rows]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: dict[tuple, list[int]] = defaultdict(list)
    agreeing: dict[tuple, list[int]] = defaultdict(list)
    for i, (_, family, span, is_day, place, actors) in enumerate(items):
        if is_day:
            if place:
                blocks[(family, "place", place)].append(i)
            for actor in actors:
                blocks[(family, "actor", actor)].append(i)
        if place and actors:
            agreeing[(family, place, actors)].append(i)
    for members in blocks.values():
        members.sort(key=lambda i: items[i][2])
        for pos, a in enumerate(members):  # sweep: only spans that overlap are compared
            for b in members[pos + 1:]:
                if items[b][2][0] > items[a][2][1]:
                    break
                if not (items[a][4] and items[b][4] and items[a][4] != items[b][4]):
                    parent[root(b)] = root(a)
    for members in agreeing.values():
        for weak in (i for i in members if not items[i][3]):
            for other in members:
                if _overlap(items[weak][2], items[other][2]):
                    parent[root(other)] = root(weak)
    smallest: dict[int, str] = {}
    for i, item in enumerate(items):
        r = root(i)
        smallest[r] = min(smallest.get(r, item[0]), item[0])
    return events.with_columns(pl.Series("event_cluster_id", [smallest[root(i)] for i in range(len(items))], dtype=pl.String))
