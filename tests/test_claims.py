"""Claims: who claims, announces, states or denies what, on invented groups and a tiny registry.

Inputs are built the way the pipeline builds them: real sentences from flows.sentences,
and a mentions frame matched from the tiny registry below (standing in for flows.mentions).
"""

from __future__ import annotations

import polars as pl
import pytest
import tiny_registry

from flows.claims import claims, competing_claims, load_claim_lexicon
from flows.schemas import Claims, Events, polars_schema

LEXICON = load_claim_lexicon()

# entity_id, canonical_name, entity_type, aliases, parent, acts_as
REGISTRY = [
    ("dawlat_zarqa", "Dawlat Zarqa", "armed_group", ["Dawlat Zarqa"], None, None),
    ("wilayat_qandor", "Wilayat Qandor", "armed_group", ["Wilayat Qandor", "Qandor Province"], "dawlat_zarqa", None),
    ("juz", "Jamaat-ul-Zarqa", "armed_group", ["Jamaat-ul-Zarqa", "JuZ"], None, None),
    ("zlf", "Zarqa Liberation Front", "armed_group", ["Zarqa Liberation Front", "ZLF"], None, None),
    ("norland", "Norland", "state", ["Norland"], None, None),
    ("directorate_q", "Directorate Q", "state_agency", ["Directorate Q"], "norland", None),
    ("vesta", "Vesta", "location", ["Vesta"], None, "norland"),
    ("kellin", "Kellin", "location", ["Kellin"], None, None),
    ("al_mizan", "Al-Mizan Agency", "media", ["Al-Mizan Agency", "Al-Mizan"], "dawlat_zarqa", None),
    ("ocis", "Observatory for Conflict in Sindara", "organisation", ["Observatory for Conflict in Sindara", "OCIS"], None, None),
    ("vesta_police", "Vesta Police", "state_agency", ["Vesta police", "Vesta Police"], "norland", None),
    ("reuters", "Reuters", "media", ["Reuters"], None, None),
    ("tarek_voss", "Tarek Voss", "person", ["Tarek Voss"], "zlf", None),
]
PEOPLE = ["Ravi Tendal", "Tendal", "Mira Solvik", "Voss"]


def entities_frame() -> pl.DataFrame:
    return tiny_registry.entities_frame(REGISTRY)


def build(texts: dict[str, str], doc_type: str = "news", authors: list[str] | None = None,
          others: list[str] | None = None):
    return tiny_registry.build(texts, REGISTRY, PEOPLE, doc_type, authors, others)


def events_frame(rows: list[tuple[str, str, int, int, str, str]]) -> pl.DataFrame:
    """Hand-made events: (event_id, doc_id, sentence_idx, char_start, event_type, event_cluster_id)."""
    schema = polars_schema(Events)
    base = {name: [None] * len(rows) for name in schema}
    base.update({
        "event_id": [r[0] for r in rows], "doc_id": [r[1] for r in rows], "sentence_idx": [r[2] for r in rows],
        "char_start": [r[3] for r in rows], "char_end": [r[3] + 5 for r in rows], "event_type": [r[4] for r in rows],
        "event_cluster_id": [r[5] for r in rows], "evidence_text": ["x"] * len(rows), "trigger_text": ["x"] * len(rows),
        "is_suicide": [False] * len(rows), "is_unclaimed": [False] * len(rows),
        "perpetrator_ids": [[] for _ in rows], "perpetrator_names": [[] for _ in rows]})
    return pl.DataFrame(base, schema=schema)


def run(text: str, events: pl.DataFrame | None = None, **kw) -> pl.DataFrame:
    docs, sents, mentions = build({"d1": text}, **kw)
    return claims(docs, sents, mentions, events if events is not None else events_frame([]), entities_frame(), LEXICON)


def summary(table: pl.DataFrame) -> list[tuple]:
    return [(r["claim_type"], r["claimant_name"]) for r in table.iter_rows(named=True)]


P = pytest.param


@pytest.mark.parametrize(
    "text, expected",
    [
        # active responsibility: the subject claims
        P("Jamaat-ul-Zarqa claimed responsibility for the bombing in Kellin.", [("responsibility", "Jamaat-ul-Zarqa")],
          id="claimed-responsibility"),
        # "took responsibility" is a responsibility cue too
        P("The Zarqa Liberation Front took responsibility for the ambush.", [("responsibility", "Zarqa Liberation Front")],
          id="took-responsibility"),
        # passive: the agent of "claimed by" claims
        P("A wave of attacks on shrines began, mainly claimed by the ZLF.", [("responsibility", "Zarqa Liberation Front")],
          id="claimed-by"),
        # "X said it carried out"
        P("Jamaat-ul-Zarqa said it had carried out the raid.", [("responsibility", "Jamaat-ul-Zarqa")],
          id="said-it-carried-out"),
        # "the group" is the last armed group named as a subject, not the object of "to"
        P("The ZLF swore loyalty to Dawlat Zarqa in 2019 and the group has claimed responsibility for two attacks.",
          [("responsibility", "Zarqa Liberation Front")], id="the-group-coref"),
        # a lead-in before a question still claims
        P("With Jamaat-ul-Zarqa claiming responsibility for the attack in Kellin, is the group growing?",
          [("responsibility", "Jamaat-ul-Zarqa")], id="question-lead-in"),
        # "claimed the <named> attack"
        P("Jamaat-ul-Zarqa, which claimed the Kellin bombing, is small.", [("responsibility", "Jamaat-ul-Zarqa")],
          id="claimed-named-attack"),
        # "the group has claimed several attacks"
        P("Jamaat-ul-Zarqa has claimed several attacks in Kellin.", [("responsibility", "Jamaat-ul-Zarqa")],
          id="claimed-several-attacks"),
        # a group saying it did the deed
        P("The ZLF claimed that they had killed five soldiers.", [("responsibility", "Zarqa Liberation Front")],
          id="claimed-they-had-killed"),
        # security forces reporting an operation claim no attack
        P("Directorate Q said it killed three militants in Kellin.", [], id="security-forces-operation"),
        # announcement: a group proclaims the formation of a province
        P("Dawlat Zarqa announced the formation of Wilayat Qandor.", [("announcement", "Dawlat Zarqa")],
          id="announced-formation"),
        # announcement: "said it had established"; the month May is no modal
        P("On May 2, Dawlat Zarqa said it had established a new province.", [("announcement", "Dawlat Zarqa")],
          id="said-it-had-established"),
        # announcement relayed "according to" an outlet
        P("Dawlat Zarqa, according to Al-Mizan, officially proclaimed the existence of Wilayat Qandor.",
          [("announcement", "Dawlat Zarqa")], id="proclaimed-existence"),
        # a state's new body is no group proclaiming itself
        P("Norland announced the formation of a task force.", [], id="state-announcement"),
        # denial of involvement
        P("Jamaat-ul-Zarqa denied any involvement in the bombing.", [("denial", "Jamaat-ul-Zarqa")],
          id="denied-involvement"),
        # rejecting the claims is a denial
        P("The Zarqa Liberation Front rejected the claims.", [("denial", "Zarqa Liberation Front")], id="rejected-claims"),
        # denial of support by a state
        P("Norland has repeatedly denied backing militant groups.", [("denial", "Norland")], id="denied-backing"),
        # the subject past "for its part": a possessive pronoun is no subject
        P("Norland, for its part, has consistently denied providing sanctuary to the ZLF.", [("denial", "Norland")],
          id="denied-for-its-part"),
        # "denied that ..."
        P("The ZLF denied that it had attacked the camp.", [("denial", "Zarqa Liberation Front")], id="denied-that"),
        # a spokesperson speaks for the body named after "for"
        P("A spokesman for Directorate Q told reporters that the camp was closed.", [("statement", "Directorate Q")],
          id="spokesman-for"),
        # ... past "the chief of the"
        P("Nine militants died, a spokesperson for the chief of the Vesta police told the press.",
          [("statement", "Vesta Police")], id="spokesperson-for-police"),
        # ... or named before the word; "made a statement" makes no second row
        P("ZLF spokesman Ravi Tendal made a statement.", [("statement", "Zarqa Liberation Front")], id="group-spokesman"),
        # "a spokesman for the group": the group named before
        P("The ZLF attacked a convoy in Kellin, a spokesman for the group said.", [("statement", "Zarqa Liberation Front")],
          id="spokesman-for-the-group"),
        # a ceasefire is no province, pledge or founding
        P("The ZLF announced a ceasefire last month.", [], id="ceasefire"),
        # a named source asserting a fact
        P("Tendal reminded that most of the fighters are foreigners.", [("statement", "Tendal")], id="reminded-that"),
        # no source given: no claimant
        P("It has been claimed that the ZLF has 500 fighters.", [("statement", None)], id="it-has-been-claimed"),
        # what this tests: "distanced the group from", said by "a spokesman for X, NAME,": X denies
        P("But a spokesman for the Zarqa Liberation Front (ZLF), Ravi Tendal, distanced the group from the bombing.",
          [("denial", "Zarqa Liberation Front")], id="distanced-the-group"),
        # what this tests: "said it had nothing to do with it" is a denial by the group "it" stands for
        P("The ZLF condemned the attack and said it had nothing to do with it.", [("denial", "Zarqa Liberation Front")],
          id="nothing-to-do-with"),
        # what this tests: a quoted "no role in" is a denial by the speaker's body, with no statement row
        P('"Our fighters have no role in the Kellin attack," ZLF spokesman Ravi Tendal said on Twitter.',
          [("denial", "Zarqa Liberation Front")], id="quoted-no-role"),
        # what this tests: a known spokesman (registry parent) speaks for the group
        P('"We have no role in the Kellin attack," Tarek Voss said.', [("denial", "Zarqa Liberation Front")],
          id="registry-spokesman"),
        # what this tests: rejecting an insinuation that links the attack to X is a denial
        P('Norland rejected "any insinuation by elements in the media that seek to link the attack to Norland".',
          [("denial", "Norland")], id="rejected-insinuation"),
        # what this tests: a retraction is a denial beside the earlier claim, by the elided subject after "but"
        P("The ZLF initially claimed responsibility for the raid in a post, but days later retracted the claim.",
          [("responsibility", "Zarqa Liberation Front"), ("denial", "Zarqa Liberation Front")], id="retracted"),
        # what this tests: "<group> spokesman said the attack was carried out by the group's <unit>" is responsibility
        P("In a statement, Dawlat Zarqa spokesman Ravi Tendal said the attack was carried out by the group's "
          "Wilayat Qandor.", [("responsibility", "Dawlat Zarqa")], id="own-unit-carried-out"),
        # what this tests: "NAME, a commander of X, claimed": the group claims, not the person
        P("Ravi Tendal, a commander of the Zarqa Liberation Front, claimed responsibility for the attack.",
          [("responsibility", "Zarqa Liberation Front")], id="commander-of"),
        # what this tests: "Its spokesman NAME said" speaks for the group the previous sentence is about
        P("Jamaat-ul-Zarqa, a breakaway faction of Dawlat Zarqa, claimed responsibility for the bombing. "
          "Its spokesman Ravi Tendal said in an email that more attacks would follow.",
          [("responsibility", "Jamaat-ul-Zarqa"), ("statement", "Jamaat-ul-Zarqa")], id="its-spokesman"),
        # what this tests: the dateline outlet is never the claimant
        P("KELLIN, May 3 (Reuters) - Jamaat-ul-Zarqa claimed responsibility on Tuesday for the bombing.",
          [("responsibility", "Jamaat-ul-Zarqa")], id="dateline-outlet"),
        # what this tests: a relative clause belongs to its head noun, even after a preposition
        P("Officials believe the ZLF is a front for the banned Jamaat-ul-Zarqa (JuZ), which has repeatedly denied "
          "links to attacks on civilians.", [("denial", "Jamaat-ul-Zarqa")], id="relative-clause-head"),
        # what this tests: a relative clause with a subject of its own is skipped when looking for the claimant
        P("The ZLF, which Sindara officials describe as a front for Dawlat Zarqa, claimed the ambush.",
          [("responsibility", "Zarqa Liberation Front")], id="relative-clause-skipped"),
        # what this tests: "took credit" is a responsibility cue like "took responsibility"
        P("The banned Zarqa Liberation Front (ZLF) took credit for the bombing.",
          [("responsibility", "Zarqa Liberation Front")], id="took-credit"),
        # what this tests: a spokesman's reported speech that his group did the deed, past a phone adverbial
        P("Hours later a man who identified himself as Ravi Tendal, a spokesman for Jamaat-ul-Zarqa, told Reuters by "
          "telephone that his group had sent the bomber.", [("responsibility", "Jamaat-ul-Zarqa")],
          id="spokesman-his-group-sent"),
        # what this tests: a unit "of the group" named in reported speech is the group's own deed, past "in an email to"
        P("ZLF spokesman Tarek Voss said in an email to journalists that a \"suicide squad\" of the group had carried "
          "out the assault.", [("responsibility", "Zarqa Liberation Front")], id="spokesman-squad-of-the-group"),
        # what this tests: a spokesman saying the attack avenged something claims it for the group the text is about
        P("Jamaat-ul-Zarqa claimed the bombing in Kellin. Its spokesman Ravi Tendal said in an emailed statement that "
          "the bombing avenged the army's offensive.",
          [("responsibility", "Jamaat-ul-Zarqa"), ("responsibility", "Jamaat-ul-Zarqa")], id="spokesman-avenged"),
        # what this tests: one speaker calling the attack a crime and denying a role makes one denial, no statement
        P("Dawlat Zarqa spokesman Mira Solvik called the attack \"a crime\" and said the group's fighters had no role "
          "in it.", [("denial", "Dawlat Zarqa")], id="denial-wins-over-statement"),
        # what this tests: a quoted "we reject the baseless allegations" is the speaker's body's denial
        P("\"We strongly reject the baseless allegations made by Norland,\" ZLF spokesman Tarek Voss said.",
          [("denial", "Zarqa Liberation Front")], id="quoted-reject-adjective"),
        # what this tests: dismissing "the claim that" + its content denies an accusation
        P("Norland also dismissed the claim that the attack had been planned on its soil.", [("denial", "Norland")],
          id="dismissed-claim-that"),
        # what this tests: "claimed it" with a channel or time after it refers back to the attack told before
        P("A bomb killed nine people in Kellin. Dawlat Zarqa claimed it through Al-Mizan within hours.",
          [("responsibility", "Dawlat Zarqa")], id="claimed-it"),
        # what this tests: "claimed both killings" names the events claimed
        P("Dawlat Zarqa claimed both killings as well.", [("responsibility", "Dawlat Zarqa")], id="claimed-both"),
        # what this tests: a dateline "Place, Country - " is never the clause's subject
        P("Kellin, Norland - The Dawlat Zarqa group's local affiliate claimed responsibility on Friday for a bombing.",
          [("responsibility", "Dawlat Zarqa")], id="dateline-place-dash"),
        # what this tests: a spokesman telling a three-word outlet that "the group carried out" the deed claims it
        P("The ZLF is active in Vesta. Its spokesman, Tarek Voss, told The Kellin Post by telephone that the group "
          "carried out the bombing.",
          [("responsibility", "Zarqa Liberation Front")], id="told-long-outlet-spoken-claim"),
        # what this tests: "one of its fighters, whom it named, had detonated" is the group's own deed told
        P("The ZLF said in a statement that one of its fighters, whom it identified as a foreigner, had detonated his "
          "vest.", [("responsibility", "Zarqa Liberation Front")], id="one-of-its-fighters-detonated"),
        # what this tests: a hijacking is a claimable event noun
        P("The ZLF claimed the hijacking within hours.", [("responsibility", "Zarqa Liberation Front")],
          id="claimed-the-hijacking"),
        # what this tests: "dismissed the remarks as baseless" denies; the speaker's statement is that denial
        P("Norland spokeswoman Mira Solvik dismissed the remarks as baseless and said Norland would help.",
          [("denial", "Norland")], id="dismissed-as-baseless"),
        # what this tests: "dismissed the <demonym> claims" denies a state's accusations
        P("The Zarqa Liberation Front's deputy spokesman, Tarek Voss, dismissed the Sindaran claims.",
          [("denial", "Zarqa Liberation Front")], id="dismissed-demonym-claims"),
        # what this tests: a statement whose content is a (negated) blaming is no statement
        P("Vesta Police spokesman Ravi Tendal said the residents did not blame any particular group.", [],
          id="statement-about-blame-is-none"),
        # what this tests: "the same faction" is the armed group named before
        P("Jamaat-ul-Zarqa bombed a bus. The same faction said it was behind the killing of two guards.",
          [("responsibility", "Jamaat-ul-Zarqa")], id="same-faction"),
        # what this tests: "the group" is not a group told inside a relative clause about another
        P("Officials believe the ZLF, which targets parties that back the Dawlat Zarqa, was behind the bombing. The "
          "group claimed the 2023 bombing at a rally.", [("responsibility", "Zarqa Liberation Front")],
          id="group-not-from-relative-clause"),
        # what this tests: a caller known only as "someone of <group>" speaks for it; "a news organisation" he called is
        # no subject
        P("A man identifying himself as Abu Sel of the ZLF called a news organisation and said the group was behind "
          "the attack.", [("responsibility", "Zarqa Liberation Front")], id="member-of-group-speaks"),
        # what this tests: a description after a preposition is no subject
        P("In a statement faxed to news agencies, a ZLF spokesman said its \"Kellin Squad\" had carried out the attack.",
          [("responsibility", "Zarqa Liberation Front")], id="description-after-preposition"),
    ],
)
def test_claim_type_and_claimant(text, expected):
    assert sorted(summary(run(text)), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize(
    "text",
    [
        "There is a strong likelihood that Jamaat-ul-Zarqa will claim responsibility for more attacks.",  # prediction
        "The ZLF will take responsibility for the attack soon.",                                        # future
        "How credible is their claim?",                                                                 # question
        "Did Jamaat-ul-Zarqa claim responsibility for the attack?",                                     # question
        "If Jamaat-ul-Zarqa claims responsibility, the talks will end.",                                # conditional
        "No group claimed responsibility for the bombing in Kellin.",                                   # negation
        "Jamaat-ul-Zarqa has not claimed responsibility for the attack.",                               # negation
        "The ZLF has yet to claim responsibility for the attack.",                                      # negation
        "No group has so far claimed responsibility for the blast.",                                    # negation
        "No Zarqa Front leader has so far claimed responsibility for the ambush.",                      # negated subject
        "The weather had nothing to do with the delay in Kellin.",                                      # no deed denied
        "The ZLF has no role in local politics.",                                                       # no deed denied
    ],
    ids=["prediction", "future", "question-noun", "question-verb", "conditional", "no-group", "has-not", "yet-to",
         "no-group-so-far", "negated-subject-far-from-verb", "nothing-to-do-no-deed", "no-role-no-deed"],
)
def test_traps_make_no_claim(text):
    assert run(text).is_empty()


def test_police_reporting_a_groups_deed_make_no_claim():
    """What this tests: reported speech of a group's deed is a claim only from the group or one speaking for it."""
    assert run("Vesta police said the group had carried out the raid on the market.").is_empty()


def test_group_name_cut_at_its_hyphen_is_that_group():
    """What this tests: "The Jamaat denied" after "Jamaat-ul-Zarqa" is that group (an unresolved short name)."""
    found = run("Police blamed Jamaat-ul-Zarqa for the attack. The Jamaat denied the charge.", others=["Jamaat"])
    assert summary(found) == [("denial", "Jamaat-ul-Zarqa")]


@pytest.mark.parametrize(
    "text, hedged",
    [
        ("Jamaat-ul-Zarqa reportedly claimed responsibility for the attack.", True),      # reportedly
        ("Jamaat-ul-Zarqa may have claimed responsibility for the attack.", True),        # may have: hedged, not future
        ("It has been claimed that the ZLF has 500 fighters.", True),                     # it has been claimed
        ("On May 4, Jamaat-ul-Zarqa claimed responsibility for the attack.", False),      # the month May is no hedge
    ],
    ids=["reportedly", "may-have", "it-has-been-claimed", "month-may"],
)
def test_hedged_claims(text, hedged):
    table = run(text)
    assert table["is_hedged"].to_list() == [hedged]


def test_two_claimants_of_one_cue_are_competing():
    """'both X as well as Y claimed credit' gives one row per claimant, each competing."""
    table = run("Both Jamaat-ul-Zarqa as well as the ZLF claimed credit for the attack in Kellin.")
    assert summary(table) == [("responsibility", "Jamaat-ul-Zarqa"), ("responsibility", "Zarqa Liberation Front")]
    assert table["competing"].to_list() == [True, True]


def test_joint_claim_is_not_competing():
    """'jointly claimed' is several claimants acting together."""
    table = run("Jamaat-ul-Zarqa and the ZLF jointly claimed responsibility for the attack.")
    assert len(table) == 2 and not any(table["competing"])


def test_channel_claim_names_the_group_and_the_outlet():
    """'Al-Mizan claimed that Wilayat Qandor had inflicted casualties': the group claims through the outlet."""
    row = run("Al-Mizan claimed that Wilayat Qandor had inflicted casualties on soldiers in Kellin.").row(0, named=True)
    assert (row["claim_type"], row["claimant_id"], row["channel_id"]) == ("responsibility", "wilayat_qandor", "al_mizan")
    assert row["claim_text"].startswith("Wilayat Qandor had inflicted casualties")


@pytest.mark.parametrize(
    "text, claimant, channel",
    [
        # "<outlet> said <group> had carried out": no "that" needed
        ("Al-Mizan said Wilayat Qandor had carried out the attack in Kellin.", "wilayat_qandor", "al_mizan"),
        # "through its <outlet>"
        ("Dawlat Zarqa claimed the attack through its Al-Mizan agency.", "dawlat_zarqa", "al_mizan"),
        # an outlet reporting on a group's own claim is no channel of it
        ("Reuters reported that the ZLF had claimed the Kellin bombing.", "zlf", None),
    ],
    ids=["said-without-that", "through-its-outlet", "reporting-outlet"],
)
def test_channels(text, claimant, channel):
    row = run(text).row(0, named=True)
    assert (row["claimant_id"], row["channel_id"]) == (claimant, channel)


def test_a_surname_alone_names_the_person_named_in_full_before():
    """'Ravi Tendal ... Tendal reminded that': the claimant is Ravi Tendal."""
    table = run("Ravi Tendal spoke first. Tendal reminded that most of the fighters are foreigners.")
    assert summary(table) == [("statement", "Ravi Tendal")]


def test_claim_links_the_event_after_its_cue_in_the_sentence():
    """The claimed event is the one the cue's object names, in the same sentence."""
    text = "After the raid, Jamaat-ul-Zarqa claimed responsibility for the bombing in Kellin."
    events = events_frame([("e-raid", "d1", 0, 6, "attack", "c1"), ("e-bomb", "d1", 0, 67, "bombing", "c2")])
    assert run(text, events)["event_id"].to_list() == ["e-bomb"]


def test_claim_of_the_attack_links_the_event_told_before():
    """'claimed credit for the attack' refers back to the attack already told."""
    text = "A bombing in Kellin killed nine. Police searched the area. Jamaat-ul-Zarqa claimed credit for the attack."
    events = events_frame([("e-bomb", "d1", 0, 2, "bombing", "c1"), ("e-dup", "d1", 2, 90, "attack", "c9")])
    assert run(text, events)["event_id"].to_list() == ["e-bomb"]


def test_claim_of_the_attack_on_a_place_links_the_event_told_before():
    """'claimed credit for the attack on the camp' with no event in its sentence refers back too."""
    text = "A bombing hit a camp in Kellin. Jamaat-ul-Zarqa has claimed credit for the attack on the camp."
    events = events_frame([("e-bomb", "d1", 0, 2, "bombing", "c1")])
    assert run(text, events)["event_id"].to_list() == ["e-bomb"]


def test_that_massacre_links_the_event_earlier_in_its_own_sentence():
    """'X said it was behind the killing of ... at Y, although Z also claimed that massacre': both the same event."""
    text = ("Jamaat-ul-Zarqa bombed a church in Vesta. Dawlat Zarqa said it was behind the killing of ten climbers at "
            "Kellin, although the ZLF also claimed that massacre.")
    events = events_frame([("e-church", "d1", 0, 0, "bombing", "c1"), ("e-climbers", "d1", 1, 43, "attack", "c2")])
    table = run(text, events)
    assert table["event_id"].to_list() == ["e-climbers", "e-climbers"]
    assert table["competing"].to_list() == [True, True]


def test_indefinite_event_before_claimed_by_links_its_own_sentence():
    """'..., in an attack claimed by X': the event this sentence tells, not the lead's."""
    text = "A truck bomb hit Vesta. It was the worst since March, when gunmen stormed a hospital in an attack claimed by the ZLF."
    events = events_frame([("e-truck", "d1", 0, 0, "bombing", "c1"), ("e-hospital", "d1", 1, 24, "attack", "c2")])
    assert run(text, events)["event_id"].to_list() == ["e-hospital"]


def test_claim_naming_its_own_attacks_takes_no_neighbour_event():
    """'a wave of attacks ... claimed by X' names its own events: the next sentence's event is another one."""
    text = "A wave of attacks on shrines began, mainly claimed by the ZLF. A bombing in Kellin followed."
    events = events_frame([("e-next", "d1", 1, 70, "bombing", "c1")])
    assert run(text, events)["event_id"].to_list() == [None]


def test_claims_of_one_event_by_different_movements_compete():
    """Two movements claiming one event compete; a province and its movement do not."""
    text = ("Dawlat Zarqa claimed responsibility for the bombing. Wilayat Qandor claimed responsibility for the attack. "
            "The ZLF also claimed responsibility for the attack.")
    events = events_frame([("e1", "d1", 0, 40, "bombing", "c1")])
    table = run(text, events)
    assert table["event_id"].to_list() == ["e1", "e1", "e1"]
    assert table["competing"].to_list() == [True, True, True]
    only_movement = run(" ".join(text.split(". ")[:2]) + ".", events)
    assert not any(only_movement["competing"])


def test_competing_claims_across_documents_through_event_clusters():
    """Claims of one clustered event from two documents, by two claimants, compete."""
    docs, sents, mentions = build({"a": "Jamaat-ul-Zarqa claimed responsibility for the bombing in Kellin.",
                                   "b": "The ZLF claimed responsibility for the Kellin bombing.",
                                   "c": "The ZLF claimed responsibility for the ambush."})
    events = events_frame([("ea", "a", 0, 40, "bombing", "k1"), ("eb", "b", 0, 30, "bombing", "k1"),
                           ("ec", "c", 0, 30, "attack", "k2")])
    table = claims(docs, sents, mentions, events, entities_frame(), LEXICON)
    assert not any(table["competing"])
    merged = competing_claims(table, events)
    assert dict(zip(merged["doc_id"], merged["competing"])) == {"a": True, "b": True, "c": False}
    assert merged.columns == table.columns


def test_claim_stops_competing_when_its_rivals_document_is_gone():
    """What this tests: a re-run recomputes `competing` from the within-document flag, not from last run's value."""
    docs, sents, mentions = build({"a": "Jamaat-ul-Zarqa claimed responsibility for the bombing in Kellin.",
                                   "b": "The ZLF claimed responsibility for the Kellin bombing."})
    events = events_frame([("ea", "a", 0, 40, "bombing", "k1"), ("eb", "b", 0, 30, "bombing", "k1")])
    published = competing_claims(claims(docs, sents, mentions, events, entities_frame(), LEXICON), events)
    assert published["competing"].to_list() == [True, True]
    rerun = competing_claims(published.filter(pl.col("doc_id") == "a"), events.filter(pl.col("doc_id") == "a"))
    assert rerun["competing"].to_list() == [False]


def test_claims_table_has_the_schema_stable_ids_and_sorted_rows():
    """Same input, same ids; rows sorted by document and offset; evidence indexes the text."""
    docs, sents, mentions = build({"b": "The ZLF denied any involvement. Jamaat-ul-Zarqa claimed credit for the attack.",
                                   "a": "Dawlat Zarqa announced the formation of Wilayat Qandor."})
    first = claims(docs, sents, mentions, events_frame([]), entities_frame(), LEXICON)
    again = claims(docs, sents, mentions, events_frame([]), entities_frame(), LEXICON)
    Claims.validate(first)
    assert first["claim_id"].to_list() == again["claim_id"].to_list()
    assert first["doc_id"].to_list() == ["a", "b", "b"]
    texts = dict(docs.select("doc_id", "text").iter_rows())
    for row in first.iter_rows(named=True):
        assert texts[row["doc_id"]][row["char_start"]:row["char_end"]] == row["evidence_text"]


def test_evidence_of_a_long_sentence_is_a_window_around_the_cue():
    """Evidence stays within 600 characters and keeps the cue."""
    text = "In Kellin, " + "after a long and bitter winter of unrest, " * 20 + \
        "Jamaat-ul-Zarqa claimed responsibility for the bombing" + ", which shocked the region" * 20 + "."
    row = run(text).row(0, named=True)
    assert len(row["evidence_text"]) <= 600 and "claimed responsibility" in row["evidence_text"]
    assert text[row["char_start"]:row["char_end"]] == row["evidence_text"]


def test_no_documents_give_an_empty_typed_table():
    docs, sents, mentions = build({})
    table = claims(docs, sents, mentions, events_frame([]), entities_frame(), LEXICON)
    assert table.is_empty() and table.schema == polars_schema(Claims)


def located_events(rows: list[tuple[str, str, int, int, str, str]], places: list[str | None]) -> pl.DataFrame:
    return events_frame(rows).with_columns(pl.Series("location_name", places, dtype=pl.Utf8))


def test_object_noun_selects_the_event_of_its_type():
    """What this tests: "claimed responsibility for the bombing" links the bombing, not an earlier shooting."""
    text = ("A bombing at the hospital in Kellin killed 70. Earlier, gunmen shot a lawyer in Vesta. "
            "Jamaat-ul-Zarqa claimed responsibility for the bombing.")
    events = events_frame([("e-bomb", "d1", 0, 2, "bombing", "c1"), ("e-shot", "d1", 1, 60, "attack", "c2")])
    assert run(text, events)["event_id"].to_list() == ["e-bomb"]


def test_place_in_the_object_selects_the_event_told_there():
    """What this tests: "the Kellin attack" links the event located in Kellin."""
    text = "Gunmen killed tourists near Kellin. A bomb hit Vesta. Norland has denied any role in the Kellin attack."
    events = located_events([("e-kellin", "d1", 0, 0, "attack", "c1"), ("e-vesta", "d1", 1, 40, "bombing", "c2")],
                            ["Kellin", "Vesta"])
    assert run(text, events)["event_id"].to_list() == ["e-kellin"]


def test_denial_links_the_event_told_before_not_the_next_one():
    """What this tests: earlier events are tried before later ones."""
    text = ("A suicide bomber killed 50 in Kellin. The ZLF denied involvement in a statement. "
            "Hours later, a second bomb went off in Vesta.")
    events = events_frame([("e-kellin", "d1", 0, 2, "bombing", "c1"), ("e-vesta", "d1", 2, 90, "bombing", "c2")])
    assert run(text, events)["event_id"].to_list() == ["e-kellin"]


def test_claim_without_an_object_links_the_main_event():
    """What this tests: "claimed responsibility within hours" links the document's first violent event."""
    text = ("Gunmen stormed a cafe in Kellin, killing 20. Two officers were killed in a gunfight in Vesta. "
            "Jamaat-ul-Zarqa claimed responsibility within hours.")
    events = located_events([("e-cafe", "d1", 0, 0, "attack", "c1"), ("e-gunfight", "d1", 1, 50, "attack", "c2")],
                            ["Kellin", "Vesta"])
    assert run(text, events)["event_id"].to_list() == ["e-cafe"]


def test_both_attacks_claimed_by_the_group_link_both_events():
    """What this tests: "Both attacks were claimed by the group" -> the group named before, one row per event."""
    text = ("The ZLF wants to show its strength. The Kellin bombing killed 46, and a week later gunmen attacked a "
            "mosque in Vesta. Both attacks were claimed by the group, which named the bomber.")
    events = events_frame([("e-kellin", "d1", 1, 40, "bombing", "c1"), ("e-vesta", "d1", 1, 90, "attack", "c2")])
    table = run(text, events)
    assert summary(table) == [("responsibility", "Zarqa Liberation Front")] * 2
    assert sorted(table["event_id"].to_list()) == ["e-kellin", "e-vesta"]
    assert table["claim_id"].n_unique() == 2


def test_province_and_its_movement_across_documents_do_not_compete():
    """What this tests: a province and its movement claiming one clustered event in two documents are one movement."""
    docs, sents, mentions = build({"a": "Wilayat Qandor claimed responsibility for the bombing in Kellin.",
                                   "b": "Dawlat Zarqa claimed responsibility for the Kellin bombing."})
    events = events_frame([("ea", "a", 0, 40, "bombing", "k1"), ("eb", "b", 0, 30, "bombing", "k1")])
    table = claims(docs, sents, mentions, events, entities_frame(), LEXICON)
    assert table["claimant_movement_id"].to_list() == ["dawlat_zarqa", "dawlat_zarqa"]
    assert not any(competing_claims(table, events)["competing"])


def test_retraction_is_about_the_claimed_event_and_hedges_the_claim():
    """What this tests: "retracted the claim" links the event of the claim it takes back, which becomes hedged."""
    text = ("Gunmen opened fire on tourists near Kellin. The ZLF initially claimed responsibility for the massacre, "
            "but days later retracted the claim, saying its accounts had been hacked.")
    events = events_frame([("e-kellin", "d1", 0, 0, "attack", "c1"), ("e-noise", "d1", 1, 60, "attack", "c2")])
    table = run(text, events)
    rows = {r["claim_type"]: r for r in table.iter_rows(named=True)}
    assert rows["responsibility"]["event_id"] == rows["denial"]["event_id"] == "e-kellin"
    assert rows["responsibility"]["is_hedged"] and not rows["denial"]["is_hedged"]


# ---------------------------------------------------------------- denials, claims in other words (held-out set 2)


@pytest.mark.parametrize(
    "text, expected",
    [
        # denials in other words
        P("Norland rejected the suggestion.", [("denial", "Norland")], id="rejected-the-suggestion"),
        P("The ZLF rejected any role in the attack and condemned it.", [("denial", "Zarqa Liberation Front")],
          id="rejected-any-role"),
        P("Jamaat-ul-Zarqa said it had no connection to the bombing.", [("denial", "Jamaat-ul-Zarqa")],
          id="no-connection-to"),
        P("Norland dismissed the allegations as baseless.", [("denial", "Norland")], id="dismissed-the-allegations"),
        # responsibility told to an outlet: "its fighters had carried out" is the group's claim
        P("A spokesman for the ZLF told Reuters that its fighters had carried out the shooting.",
          [("responsibility", "Zarqa Liberation Front")], id="told-its-fighters-carried-out"),
        # a named unit of the group did it: the group claims, not the unit's name
        P('A ZLF spokesman said its "Kellin Squad" of young fighters had carried out the attack.',
          [("responsibility", "Zarqa Liberation Front")], id="its-squad-carried-out"),
        # a group's own words in a quote: the speaker's group claims
        P('"We have carried out the attack on the convoy," ZLF spokesman Ravi Tendal told Reuters.',
          [("responsibility", "Zarqa Liberation Front")], id="we-have-carried-out"),
        # the name a description introduces claims, not the description
        P("A previously unknown group calling itself the Zarqa Liberation Front claimed responsibility.",
          [("responsibility", "Zarqa Liberation Front")], id="group-calling-itself"),
        P("The Sunni militant group Jamaat-ul-Zarqa claimed the attack on the convoy.",
          [("responsibility", "Jamaat-ul-Zarqa")], id="descriptor-then-name"),
    ],
)
def test_denials_and_claims_in_other_words(text, expected):
    """What this tests: denial and responsibility phrasings beyond "denied"/"claimed responsibility"."""
    assert summary(run(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a rhetorical line of an unnamed spokesman claims nothing
        P('A spokesman said Norland had made "a habit of blaming us" without an investigation.', id="unnamed-spokesman"),
        # a state dismissing a militant group's claim is no denial of its own role
        P("Officials in Vesta dismissed the claim as an attempt to deflect attention.", id="dismissed-a-group-claim"),
    ],
)
def test_rhetoric_and_dismissed_claims_make_no_claim(text):
    """What this tests: rhetoric without a named body and a dismissed group claim are no claims."""
    assert run(text).is_empty()


def test_that_attack_links_the_event_of_the_previous_sentence():
    """What this tests: "that attack" points to the nearest event told before, not the lead's event."""
    text = ("A bomb killed nine people in Kellin on Monday. Earlier, a blast hit a market in Vesta. "
            "The ZLF claimed responsibility for that attack.")
    events = events_frame([("e-kellin", "d1", 0, 2, "bombing", "c1"), ("e-vesta", "d1", 1, 56, "bombing", "c2")])
    assert run(text, events)["event_id"].to_list() == ["e-vesta"]


def test_headline_claim_repeated_in_the_body_is_one_claim():
    """What this tests: a headline's claim that the body makes again gives no second row."""
    text = "Twin blasts kill 9 in Kellin; ZLF claims responsibility\n\nThe ZLF claimed responsibility for the blasts."
    docs, sents, mentions = build({"d1": text})
    docs = docs.with_columns(pl.lit("Twin blasts kill 9 in Kellin; ZLF claims responsibility").alias("title"))
    table = claims(docs, sents, mentions, events_frame([]), entities_frame(), LEXICON)
    assert table["evidence_text"].to_list() == ["The ZLF claimed responsibility for the blasts."]


def test_group_calling_itself_an_unknown_name_claims_by_its_words():
    """What this tests: an unregistered self-given name claims, not the last known group of the document."""
    text = "The ZLF has attacked Kellin before. A group calling itself the Qoran Mujahideen claimed responsibility."
    assert summary(run(text)) == [("responsibility", "Qoran Mujahideen")]


def test_speech_introducing_a_claim_is_no_second_statement():
    """What this tests: "a spokesman for X said we have carried out ..." is one responsibility claim, no statement."""
    assert summary(run("A spokesman for the ZLF said we have carried out the attack.")) == [
        ("responsibility", "Zarqa Liberation Front")]


@pytest.mark.parametrize("text", [
    "A ZLF spokesman said in an email that more such attacks would be carried out against the courts.",
    "A ZLF spokesman said the group will continue to target the police.",
])
def test_spokesman_threatening_attacks_makes_no_statement(text):
    """What this tests: a spokesperson's threat of future attacks is a prediction, not a statement of fact."""
    assert summary(run(text)) == []


def test_spokesman_stating_a_fact_is_still_a_statement():
    """What this tests: the threat rule leaves a spokesperson's plain statement alone."""
    assert summary(run("A ZLF spokesman said the convoy had been carrying ammunition.")) == [
        ("statement", "Zarqa Liberation Front")]


def test_said_in_a_statement_that_its_fighters_is_a_claim():
    """What this tests: "said in a statement that its fighters had attacked" claims for the subject."""
    assert summary(run("The ZLF said in a statement that its fighters had attacked the convoy.")) == [
        ("responsibility", "Zarqa Liberation Front")]


def test_claimed_that_attack_links_the_nearest_event_before():
    """What this tests: a cue pointing back ("claimed that attack") links the event of the nearest earlier sentence."""
    text = ("Gunmen stormed a hospital in Kellin. Hours later, a bomber struck a funeral in Vesta. "
            "The ZLF claimed that attack.")
    events = events_frame([("e-kellin", "d1", 0, 0, "attack", "c1"), ("e-vesta", "d1", 1, 49, "bombing", "c2")])
    assert run(text, events)["event_id"].to_list() == ["e-vesta"]


def test_claim_links_the_body_event_not_the_headline_event():
    """What this tests: an event read off the headline is not what a body claim links when the body tells it."""
    title = "Blast kills 9 in Kellin"
    text = f"{title}\n\nA bomb killed nine people in Kellin. The ZLF claimed responsibility for the attack."
    docs, sents, mentions = build({"d1": text})
    docs = docs.with_columns(pl.lit(title).alias("title"))
    events = events_frame([("e-head", "d1", 0, 0, "bombing", "c1"), ("e-body", "d1", 1, 25, "bombing", "c1")])
    table = claims(docs, sents, mentions, events, entities_frame(), LEXICON)
    assert table["event_id"].to_list() == ["e-body"]


def test_outlet_reporting_a_claim_is_not_the_claimant():
    """What this tests: "Reuters reported the ZLF claimed ..." is the ZLF's claim; the outlet only reports it."""
    assert summary(run("Reuters reported the ZLF claimed responsibility for the attack.")) == [
        ("responsibility", "Zarqa Liberation Front")]


# ---------------------------------------------------------------- spokesmen, relative clauses, disowning (held-out set 3)


@pytest.mark.parametrize(
    "text, expected",
    [
        # what this tests: "A spokesman for <surname>" speaks for the person named in full before, and so for their group
        P("Tarek Voss leads the ZLF. A spokesman for Voss denied any role in the attack.",
          [("denial", "Zarqa Liberation Front")], id="spokesman-for-surname"),
        # what this tests: "Its spokesman, <unregistered name>, told reporters the assault had been carried out by the
        # group's <unit> unit" is the group's claim, not a statement
        P("Dawlat Zarqa claimed responsibility. Its spokesman, Omar Kestrel, told reporters by telephone that the "
          "assault had been carried out by the group's Qandor unit.",
          [("responsibility", "Dawlat Zarqa"), ("responsibility", "Dawlat Zarqa")], id="its-spokesman-own-unit"),
        # what this tests: a relative clause between subject and verb is skipped, and its "not" negates nothing
        P("The ZLF, whose spokesman Ravi Tendal tweeted that the group was not involved, denied any role.",
          [("denial", "Zarqa Liberation Front")], id="relative-clause-denial"),
        # what this tests: an appositive "a charge <state> dismisses" is a denial by that state (a capital as its state)
        P("Sindara officials accuse Norland of funding the ZLF, a charge Vesta dismisses as propaganda.",
          [("denial", "Norland")], id="appositive-charge-dismissed"),
        # what this tests: a spokesman calling the attack against Sharia disowns it
        P("But ZLF spokesman Ravi Tendal said in a statement that the attack was against Sharia.",
          [("denial", "Zarqa Liberation Front")], id="against-sharia"),
        # what this tests: "disowned it" is a denial by the group's spokesman, beside a commander's claim
        P("A commander of a ZLF faction claimed the massacre while the group's central spokesman disowned it as "
          "un-Islamic.", [("responsibility", "Zarqa Liberation Front"), ("denial", "Zarqa Liberation Front")],
          id="disowned-it"),
        # what this tests: "said on Tuesday that its fighters carried out" needs no auxiliary
        P("The ZLF said on Tuesday that its fighters carried out the weekend assault on the airport.",
          [("responsibility", "Zarqa Liberation Front")], id="said-on-day-its-fighters"),
        # what this tests: "claimed an attack on ..." (an indefinite event after the verb)
        P("Days later, Jamaat-ul-Zarqa claimed an attack on the offices of a charity in Kellin.",
          [("responsibility", "Jamaat-ul-Zarqa")], id="claimed-an-attack"),
        # what this tests: a spokesman attributing the attack to a place or agent makes an allegation, no statement
        P("Military spokesman Ravi Tendal told reporters the attack had been controlled from Norland.", [],
          id="spokesman-accusation-no-statement"),
    ],
)
def test_spokesmen_relative_clauses_and_disowning(text, expected):
    """What this tests: claimants behind spokesmen and relative clauses, appositive and religious denials."""
    assert sorted(summary(run(text)), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize(
    "text",
    [
        P("The ZLF said its convoy was ambushed near Kellin.", id="own-convoy-ambushed"),
        P("No ZLF leader has so far claimed an attack on the camp.", id="negated-indefinite-attack"),
        P("Will Jamaat-ul-Zarqa claim an attack on the camp?", id="question-indefinite-attack"),
    ],
)
def test_passives_and_negations_of_the_new_cues_make_no_claim(text):
    """What this tests: a passive after "its", a negated subject and a question never become claims."""
    assert run(text).is_empty()


def test_claim_with_a_reason_after_it_links_the_main_event_and_competes():
    """What this tests: ", with spokesman X saying ... a drone strike" is the reason, not the claimed event: both
    claims link the airport attack and compete."""
    text = ("Gunmen stormed the airport in Kellin. The ZLF said on Tuesday that its fighters carried out the assault. "
            "Jamaat-ul-Zarqa had already claimed responsibility on Monday, with spokesman Ravi Tendal saying it was "
            "revenge for a drone strike.")
    events = events_frame([("e-airport", "d1", 0, 0, "attack", "c1")])
    table = run(text, events)
    assert table["event_id"].to_list() == ["e-airport", "e-airport"]
    assert table["competing"].to_list() == [True, True]


@pytest.mark.parametrize(
    "text, expected",
    [
        # what this tests: "telephoned reporters to say the group had carried out" (an infinitive speech verb)
        P("Ravi Tendal, a spokesman for the ZLF, telephoned reporters to say the group had carried out the bombings.",
          [("responsibility", "Zarqa Liberation Front")], id="to-say-the-group-had"),
        # what this tests: a group's spokesman telling the group's target is its claim, not a statement
        P("ZLF spokesman Ravi Tendal said the police had been deliberately targeted for their raids.",
          [("responsibility", "Zarqa Liberation Front")], id="spokesman-own-target"),
        # what this tests: a group's spokesman calling the attack revenge claims it (the quote before the speaker)
        P("\"This was revenge for our brothers,\" ZLF spokesman Ravi Tendal told reporters.",
          [("responsibility", "Zarqa Liberation Front")], id="spokesman-revenge-quote"),
        # what this tests: a group's spokesman telling facts of another's attack stays a statement
        P("The assault lasted about 15 minutes, ZLF spokesman Ravi Tendal said.",
          [("statement", "Zarqa Liberation Front")], id="spokesman-other-attack-statement"),
        # what this tests: "said in a statement sent to reporters that it had targeted"
        P("Jamaat-ul-Zarqa said in a statement sent to reporters that it had targeted the officers.",
          [("responsibility", "Jamaat-ul-Zarqa")], id="statement-sent-to-reporters"),
    ],
)
def test_spokesmen_own_deeds_and_speech_verbs(text, expected):
    """What this tests: claims told as a group's own deed by its spokesperson, and infinitive speech verbs."""
    assert summary(run(text)) == expected


def test_a_modal_intention_is_no_denial():
    """What this tests: "may seek to distance itself from" predicts, it denies nothing."""
    assert run("The ZLF, for its part, may seek to distance itself from its patrons.").is_empty()


@pytest.mark.parametrize(
    "text, expected",
    [
        # what this tests: a claim through the group's agency about "three of its fighters"
        P("Dawlat Zarqa claimed through its Al-Mizan agency that three of its fighters had clashed with police in Kellin.",
          [("responsibility", "Dawlat Zarqa")], id="through-its-agency-three-of-its-fighters"),
        # what this tests: a channel announcing what the group's fighters did
        P("On 8 June, Al-Mizan announced that Dawlat Zarqa fighters had killed them.", [("responsibility", "Dawlat Zarqa")],
          id="channel-group-fighters"),
        # what this tests: holding a captive claims the abduction
        P("The ZLF claimed that a soldier who went missing after the gunfight was in its custody.",
          [("responsibility", "Zarqa Liberation Front")], id="captive-in-its-custody"),
        # what this tests: the group's claim and its spokesman's words in one sentence make one row
        P("The ZLF claimed responsibility in an email from its spokesman Ravi Tendal, and shared photographs of three men "
          "it said carried out the attack.", [("responsibility", "Zarqa Liberation Front")], id="claim-and-spokesman-once"),
    ],
)
def test_agencies_captives_and_one_row_per_claim(text, expected):
    """What this tests: claims through agencies and channels, captives, no statement beside a group's claim."""
    assert summary(run(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a state agency dismissing a suggestion about its own performance denies no role
        P("Vesta Police dismissed suggestions that the operation had been the result of an intelligence failure.",
          id="dismissed-performance"),
        # officials launching an investigation proclaim no group
        P("Vesta officials said they had launched an investigation into the attack.", id="officials-launched"),
        # a spokesman's "may be carried out" is a threat
        P("Ravi Tendal, a spokesman for the ZLF, said that further attacks may be carried out.", id="may-be-carried-out"),
    ],
)
def test_performance_denials_official_launches_and_threats_make_no_claim(text):
    """What this tests: a state's denial needs a role in violence; announcements need a group; "may" threatens."""
    assert run(text).is_empty()
