"""Allegations: who accuses whom of what, on invented groups, agencies and a tiny registry.

Inputs: real sentences from flows.sentences and a mentions frame matched from the tiny
registry below (standing in for flows.mentions).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from types import MappingProxyType

import duckdb
import polars as pl
import pytest
import tiny_registry

from flows.allegations import allegations, load_allegation_lexicon
from flows.schemas import Allegations, Events, empty_table, polars_schema

# the shipped cues with an invented demonym ("a Norlandic proxy" -> Norland)
LEXICON = dataclasses.replace(load_allegation_lexicon(),
                              demonyms=MappingProxyType({"norlandic": "norland", "sindaran": "sindara_guard"}))
SQL = (Path(__file__).resolve().parent.parent / "sql" / "allegation_network.sql").read_text()

# entity_id, canonical_name, entity_type, aliases, parent, acts_as
REGISTRY = [
    ("dawlat_zarqa", "Dawlat Zarqa", "armed_group", ["Dawlat Zarqa"], None, None),
    ("wilayat_qandor", "Wilayat Qandor", "armed_group", ["Wilayat Qandor"], "dawlat_zarqa", None),
    ("juz", "Jamaat-ul-Zarqa", "armed_group", ["Jamaat-ul-Zarqa", "JuZ"], None, None),
    ("zlf", "Zarqa Liberation Front", "armed_group", ["Zarqa Liberation Front", "ZLF"], None, None),
    ("norland", "Norland", "state", ["Norland"], None, None),
    ("directorate_q", "Directorate Q", "state_agency", ["Directorate Q", "Norlandic intelligence agency"], "norland", None),
    ("vesta", "Vesta", "location", ["Vesta"], None, "norland"),
    ("kellin", "Kellin", "location", ["Kellin"], None, None),
    ("ocis", "Observatory for Conflict in Sindara", "organisation", ["Observatory for Conflict in Sindara", "OCIS"], None, None),
    ("sindara_guard", "Sindara Guard", "state_agency", ["Sindara Guard"], None, None),
    ("norland_police", "Norland Police", "state_agency", ["Norland Police"], "norland", None),
    ("zarqa_review", "Zarqa Review", "media", ["Zarqa Review"], None, None),
    ("norland_interior", "Ministry of Interior (Norland)", "state_agency", ["Norland Interior Ministry"], "norland", None),
]
PEOPLE = ["Ravi Tendal", "Mira Solvik", "Omar Kestrel"]


def entities_frame() -> pl.DataFrame:
    return tiny_registry.entities_frame(REGISTRY)


def build(texts: dict[str, str], doc_type: str = "news", authors: list[str] | None = None):
    return tiny_registry.build(texts, REGISTRY, PEOPLE, doc_type, authors)


def run(text: str, **kw) -> pl.DataFrame:
    docs, sents, mentions = build({"d1": text}, **kw)
    return allegations(docs, sents, mentions, empty_table(Events), entities_frame(), LEXICON)


def summary(table: pl.DataFrame) -> set[tuple]:
    return {(r["accuser_name"], r["accused_name"], r["allegation_type"]) for r in table.iter_rows(named=True)}


P = pytest.param
OCIS = "Observatory for Conflict in Sindara"
ZLF = "Zarqa Liberation Front"
OCIS_NAME = "Observatory for Conflict in Sindara"


@pytest.mark.parametrize(
    "text, expected",
    [
        # the subject of a reporting verb accuses; the subject of the cue is accused, past an apposition
        P("OCIS warned that the Norlandic intelligence agency, Directorate Q, is assisting the ZLF.",
          {(OCIS, "Directorate Q", "support")}, id="warned-assisting"),
        # passive: the agent after "supported by" is accused; a trailing "X said" accuses
        P("The ZLF is supported by Directorate Q, OCIS said.", {(OCIS, "Directorate Q", "support")},
          id="supported-by-trailing-said"),
        # a capital acting as its state: "under Vesta's patronage" accuses Norland
        P("According to OCIS, the ZLF thrives under Vesta's patronage.", {(OCIS, "Norland", "support")},
          id="capital-patronage"),
        # a demonym: "a Norlandic proxy" accuses Norland
        P("OCIS said that Jamaat-ul-Zarqa is also a Norlandic proxy.", {(OCIS, "Norland", "support")}, id="demonym-proxy"),
        # the owner of the deeds: "Norland's double game of sheltering, funding and training"
        P("OCIS said that Norland's double game of sheltering, funding and training militant groups continues.",
          {(OCIS, "Norland", "support")}, id="possessive-gerunds"),
        # "it" stands for the last state or agency
        P("Norland has ties to the West, but it is nurturing the ZLF, OCIS said.", {(OCIS, "Norland", "support")},
          id="pronoun-nurturing"),
        # control: a firm grip
        P("OCIS claimed that Directorate Q has taken a firm grip over the ZLF.", {(OCIS, "Directorate Q", "control")},
          id="firm-grip"),
        # control: a state agency using a group
        P("OCIS claimed that Directorate Q is using the ZLF to carry out attacks.", {(OCIS, "Directorate Q", "control")},
          id="state-using-group"),
        # control: an agenda implemented through a group
        P("OCIS alleged that Directorate Q is implementing its agenda through the ZLF.",
          {(OCIS, "Directorate Q", "control")}, id="agenda-through"),
        # a group using groups is collaboration, each side accused; the body whose report it is accuses
        P("A recent OCIS report revealed that Jamaat-ul-Zarqa has been using groups such as the ZLF to carry out "
          "attacks on its behalf.", {(OCIS, "Jamaat-ul-Zarqa", "collaboration"), (OCIS, ZLF, "collaboration")},
          id="group-using-groups"),
        # "a report by X stated": X accuses; "jointly conducted by X and Y" accuses both
        P("A special report by OCIS stated that the raid was jointly conducted by Jamaat-ul-Zarqa and the ZLF.",
          {(OCIS, "Jamaat-ul-Zarqa", "collaboration"), (OCIS, ZLF, "collaboration")}, id="report-by-jointly"),
        # support by recruiting into a group
        P("OCIS claimed that Directorate Q is making efforts to recruit more fighters from Jamaat-ul-Zarqa into the ZLF.",
          {(OCIS, "Directorate Q", "support")}, id="recruit-into"),
        # arms supply, "it was X who supplied"
        P("OCIS pointed out that it was Directorate Q who supplied arms and ammunition to the ZLF.",
          {(OCIS, "Directorate Q", "arms_supply")}, id="it-was-x-who-supplied"),
        # blame: the objects before "for" are accused of the attack
        P("OCIS blamed Jamaat-ul-Zarqa and the ZLF for the bombing in Kellin.",
          {(OCIS, "Jamaat-ul-Zarqa", "responsibility"), (OCIS, ZLF, "responsibility")}, id="blamed-for"),
        # "blamed X for supporting": the deed says what of
        P("OCIS blamed Norland for supporting the ZLF.", {(OCIS, "Norland", "support")}, id="blamed-x-for-supporting"),
        # "blamed the attack on X"
        P("Officials blamed the attack on the ZLF.", {("Officials", ZLF, "responsibility")}, id="blamed-attack-on"),
        # "bears the hallmarks of X", officials said
        P("The bombing bears the hallmarks of the ZLF, officials said.", {("officials", ZLF, "responsibility")},
          id="hallmarks-of"),
        # links: both sides accused; members of a group stand for it
        P("OCIS said that key figures in the ZLF have had links with officers of Directorate Q.",
          {(OCIS, ZLF, "collaboration"), (OCIS, "Directorate Q", "collaboration")}, id="links-with-members"),
        # "accusations made by X about the cooperation between Y and Z"
        P("It also referred to the accusations made by the Sindara Guard about the cooperation between the ZLF and "
          "Directorate Q.", {("Sindara Guard", ZLF, "collaboration"), ("Sindara Guard", "Directorate Q", "collaboration")},
          id="accusations-made-by"),
        # "accused X of" with no cue saying of what: other
        P("The Sindara Guard accused Jamaat-ul-Zarqa of crimes against civilians.",
          {("Sindara Guard", "Jamaat-ul-Zarqa", "other")}, id="accused-of"),
        # the object of "accused X of" does the deed that follows
        P("The Sindara Guard accused Norland of backing militants in Kellin.", {("Sindara Guard", "Norland", "support")},
          id="accused-x-of-backing"),
        # ... and of "providing safe havens to"
        P("The Sindara Guard accused Norland of providing safe havens to the ZLF.",
          {("Sindara Guard", "Norland", "support")}, id="safe-havens"),
        # "called on X to stop supporting": X supports
        P("The Sindara Guard called on Norland to stop supporting militant groups.", {(None, "Norland", "support")},
          id="called-on-x-to-stop"),
        # passive accusation: the subject is accused, nobody accuses
        P("The ZLF has been accused of sheltering Jamaat-ul-Zarqa leaders.", {(None, ZLF, "support")},
          id="passive-accused-of"),
        # a trailing "according to X"
        P("Directorate Q has long supported the ZLF, according to OCIS.", {(OCIS, "Directorate Q", "support")},
          id="trailing-according-to"),
        # a reporting verb without "that"
        P("Analysts say Norland is arming the ZLF.", {("Analysts", "Norland", "support")}, id="say-without-that"),
        # "under the protection of X"
        P("The ZLF operates under the protection of Directorate Q.", {(None, "Directorate Q", "support")},
          id="under-the-protection-of"),
        # "X's support for <group>"
        P("Norland's support for the ZLF has been documented.", {(None, "Norland", "support")},
          id="possessive-support-for"),
        # "they" before a reporting verb is the speaker of the frame before it; "suspected X" needs no "of" and
        # suspects X of the deed told (responsibility)
        P("Sindara officials said they suspected the ZLF, which they said operates with the support of Directorate Q.",
          {("Sindara officials", ZLF, "responsibility"), ("Sindara officials", "Directorate Q", "support")},
          id="they-said-with-support-of"),
        # "suspicion fell on X"
        P("Nobody claimed the bombing, but suspicion fell on the ZLF.", {(None, ZLF, "responsibility")},
          id="suspicion-fell-on"),
        # "accused X of carrying out the attack": responsibility
        P("The Sindara Guard accused the ZLF of carrying out the attack.", {("Sindara Guard", ZLF, "responsibility")},
          id="accused-of-carrying-out"),
        # passive blame: the subject is blamed
        P("The ZLF has been blamed for the attack.", {(None, ZLF, "responsibility")}, id="been-blamed-for"),
        # "believed to be behind": responsibility, hedged
        P("Jamaat-ul-Zarqa is believed to be behind the attack.", {(None, "Jamaat-ul-Zarqa", "responsibility")},
          id="believed-to-be-behind"),
        # "alleged that X carried out the bombing": responsibility
        P("The Sindara Guard alleged that the ZLF carried out the Kellin bombing.",
          {("Sindara Guard", ZLF, "responsibility")}, id="alleged-that-carried-out"),
        # "receive funding from X": X supports
        P("According to OCIS, the ZLF continues to receive funding from Dawlat Zarqa.",
          {(OCIS, "Dawlat Zarqa", "support")}, id="receive-funding-from"),
        # "found sanctuary in X": X shelters
        P("The ZLF found sanctuary in Norland, OCIS said.", {(OCIS, "Norland", "support")}, id="found-sanctuary-in"),
        # an unnamed accuser is kept as words
        P("Officials said that Directorate Q has infiltrated the ZLF.", {("Officials", "Directorate Q", "infiltration")},
          id="unnamed-officials"),
        # nobody is named as the source: no accuser
        P("Directorate Q has infiltrated the ZLF with its cadres.", {(None, "Directorate Q", "infiltration")},
          id="no-accuser"),
        # what this tests: "X is a front for Y" accuses the one behind the front of control
        P("Sindara officials believe the ZLF is a front for Jamaat-ul-Zarqa.",
          {("Sindara officials", "Jamaat-ul-Zarqa", "control")}, id="front-for"),
        # what this tests: "described as a front for" after a relative pronoun
        P("Ravi Tendal told reporters that the ZLF, which he described as a front for Dawlat Zarqa, is growing.",
          {("Ravi Tendal", "Dawlat Zarqa", "control")}, id="described-as-front"),
        # what this tests: "acts as a veritable arm of" is control by the agency
        P("Mira Solvik told reporters that the ZLF acts as a veritable arm of Directorate Q.",
          {("Mira Solvik", "Directorate Q", "control")}, id="acts-as-arm-of"),
        # what this tests: "with X support, <militants> planned" is support by X; "saying" reports
        P('Ravi Tendal went further, saying that "with Directorate Q support, ZLF fighters planned" the raid.',
          {("Ravi Tendal", "Directorate Q", "support")}, id="with-x-support"),
        # what this tests: "X officers had helped plan the bombing" is support by a state agency
        P("Sindara officials said that Directorate Q officers had helped plan the bombing in Kellin.",
          {("Sindara officials", "Directorate Q", "support")}, id="helped-plan"),
        # what this tests: "continued to tolerate <group>" is support; "the army" counts as a state body
        P("Analysts argue that the army continued to tolerate the ZLF.", {("Analysts", "army", "support")},
          id="tolerate"),
        # what this tests: "accused X of allowing militants to use its soil" is sanctuary (support)
        P("The Sindara Guard accused Norland of allowing militants to use its soil to plan attacks.",
          {("Sindara Guard", "Norland", "support")}, id="allowing-soil"),
        # what this tests: "providing operational support to the group" is support
        P("The Sindara Guard accused Jamaat-ul-Zarqa of providing operational support to the group.",
          {("Sindara Guard", "Jamaat-ul-Zarqa", "support")}, id="providing-support"),
        # what this tests: an official saying "the attack had been carried out by X" accuses X
        P("Ravi Tendal told a briefing that the Kellin attack had been carried out by the ZLF.",
          {("Ravi Tendal", ZLF, "responsibility")}, id="carried-out-by"),
        # what this tests: "said the attackers were members of X", a bare "said" reports
        P("Ravi Tendal said the attackers were members of the ZLF and had no ties abroad.",
          {("Ravi Tendal", ZLF, "responsibility")}, id="attackers-members-of"),
        # what this tests: "investigations pointed towards X"
        P("Police officials said initial investigations pointed towards the ZLF.",
          {("Police", ZLF, "responsibility")}, id="pointed-towards"),
        # what this tests: "planned and directed from <place> by X" accuses X, not the place
        P("Norland insisted that the attack had been planned and directed from Kellin by the ZLF chief.",
          {("Norland", ZLF, "responsibility")}, id="planned-from-by"),
        # what this tests: "planned in <state>" with no agent accuses the state
        P("The Sindara Guard said the attack had been planned in Norland.",
          {("Sindara Guard", "Norland", "responsibility")}, id="planned-in-state"),
        # what this tests: a reduced passive "attacks blamed on X" has no accuser
        P("Dozens died in attacks blamed on militant groups such as the ZLF.", {(None, ZLF, "responsibility")},
          id="attacks-blamed-on"),
        # what this tests: "attributed to X"
        P("The killings were widely attributed to Jamaat-ul-Zarqa.", {(None, "Jamaat-ul-Zarqa", "responsibility")},
          id="attributed-to"),
        # what this tests: "which <officials> describe as a front for": the officials accuse, not the relative pronoun
        P("The ZLF, which Sindara officials describe as a front for Dawlat Zarqa, claimed the ambush.",
          {("Sindara officials", "Dawlat Zarqa", "control")}, id="relative-describe-front"),
        # what this tests: "directed from across the border by X"
        P("Police said the attack had been planned and directed from across the border by ZLF handlers.",
          {("Police", ZLF, "responsibility")}, id="directed-from-across-by"),
        # what this tests: "received training and weapons from X"
        P("Sindara officials said the militants had received training and weapons from Directorate Q.",
          {("Sindara officials", "Directorate Q", "support")}, id="received-training-and-weapons"),
        # what this tests: "Police officials said" is the police of the state named before, where the registry has it
        P("Norland has seen a wave of bombings. Police officials said suspicion fell on the ZLF.",
          {("Norland Police", ZLF, "responsibility")}, id="police-of-the-state"),
        # what this tests: demonym accusers stand for their states, one row each
        P("Norlandic and Sindaran officials blamed the ZLF for the raid.",
          {("Norland", ZLF, "responsibility"), ("Sindara Guard", ZLF, "responsibility")}, id="two-demonym-accusers"),
        # what this tests: instructions received from a state name it (type other), the quote's speaker accuses
        P("\"The terrorists were receiving instructions from Norland,\" Mira Solvik said.",
          {("Mira Solvik", "Norland", "other")}, id="instructions-from"),
        # what this tests: handlers sitting in a state name it; handlers direct (type control)
        P("Mira Solvik said the insurgents had been in contact with their handlers in Norland throughout the siege.",
          {("Mira Solvik", "Norland", "control")}, id="handlers-in"),
        # what this tests: an attack done "with X's support" accuses X of support
        P("Mira Solvik told reporters that the attack had been orchestrated with Norland's support.",
          {("Mira Solvik", "Norland", "support")}, id="orchestrated-with-support"),
        # what this tests: "had a hand in it" after a suspicion verb
        P("Mira Solvik suggested that Norland had a hand in it.", {("Mira Solvik", "Norland", "responsibility")},
          id="had-a-hand-in"),
        # what this tests: a finding verb ("had assessed that") frames the deed, a possessive day before the noun
        P("Mira Solvik said the government had assessed that the ZLF carried out Tuesday's attack on the market.",
          {("Mira Solvik", ZLF, "responsibility")}, id="assessed-that"),
        # what this tests: two coordinated passive verbs, "planned and controlled from" a state: the state only as the
        # place it was directed from (type other)
        P("Mira Solvik said the attack had been planned and controlled from Norland.",
          {("Mira Solvik", "Norland", "other")}, id="planned-and-controlled-from"),
        # what this tests: "planned in" a state names where it was planned (responsibility)
        P("Mira Solvik said the attack had been planned in Norland.",
          {("Mira Solvik", "Norland", "responsibility")}, id="planned-in-state"),
        # what this tests: "blamed the opposition X and its ally Y for" (lowercase words before the name)
        P("Ravi Tendal blamed the opposition ZLF and its ally Jamaat-ul-Zarqa for the wave of killings.",
          {("Ravi Tendal", ZLF, "responsibility"), ("Ravi Tendal", "Jamaat-ul-Zarqa", "responsibility")},
          id="blamed-lowercase-modifier"),
        # what this tests: accusing a state of stirring unrest is support
        P("Mira Solvik accused Norland of stirring unrest in Kellin.", {("Mira Solvik", "Norland", "support")},
          id="stirring-unrest"),
        # what this tests: "accused X of providing direct help to the attackers" is support; "It" at a sentence's head
        # is the body speaking in the sentence before
        P("The Sindara Guard said in a statement that the attack had been carried out by the ZLF. It accused "
          "Directorate Q of providing direct help to the attackers.",
          {("Sindara Guard", ZLF, "responsibility"), ("Sindara Guard", "Directorate Q", "support")},
          id="it-accused-providing-help"),
        # what this tests: an armed group helping another collaborates ("with the help of")
        P("Police suspect the ZLF had carried out the attacks with the help of the banned Jamaat-ul-Zarqa.",
          {("Police", ZLF, "responsibility"), ("Police", "Jamaat-ul-Zarqa", "collaboration")},
          id="with-the-help-of-group"),
        # what this tests: sharing means with another group is collaboration, with "with" or as a coordinated subject
        P("Investigators said ZLF militants were known to share safe houses and operatives with Jamaat-ul-Zarqa.",
          {("Investigators", ZLF, "collaboration"), ("Investigators", "Jamaat-ul-Zarqa", "collaboration")},
          id="share-with"),
        P("Mira Solvik alleged that the ZLF and Jamaat-ul-Zarqa now share training facilities.",
          {("Mira Solvik", ZLF, "collaboration"), ("Mira Solvik", "Jamaat-ul-Zarqa", "collaboration")},
          id="coordinated-share"),
        # what this tests: a reporting aside inside a relative clause leaves its head the subject
        P("Police suspect the involvement of the ZLF, which, analysts believe, works closely with Jamaat-ul-Zarqa.",
          {("Police", ZLF, "responsibility"), ("analysts", ZLF, "collaboration"),
           ("analysts", "Jamaat-ul-Zarqa", "collaboration")}, id="aside-in-relative-works-closely"),
        # what this tests: weapons "smuggled to the insurgents by X" is arms supply
        P("Mira Solvik said rifles were smuggled to the insurgents by ZLF commanders.",
          {("Mira Solvik", ZLF, "arms_supply")}, id="smuggled-to-insurgents-by"),
        # what this tests: a quote attributed with a trailing participle keeps its speaker as accuser
        P("\"We believe that ZLF operatives executed the blasts,\" a senior officer of the Sindara Guard said, asking "
          "not to be named.", {("Sindara Guard", ZLF, "responsibility")}, id="trailing-said-asking"),
        # what this tests: "blamed on" right after "blamed" is passive whatever stands before it
        P("Police said 40 people were killed in Kellin attacks last year, most of them blamed on the ZLF.",
          {("Police", ZLF, "responsibility")}, id="reduced-relative-blamed-on"),
        # what this tests: an adverb and a longer noun phrase between "was behind" and the deed
        P("The ZLF was allegedly behind the January 2016 attack on the Kellin base.",
          {(None, ZLF, "responsibility")}, id="allegedly-behind-long-np"),
        # what this tests: "the terrorists were from X" names their group
        P('"The terrorists were from the ZLF," Mira Solvik said.', {("Mira Solvik", ZLF, "responsibility")},
          id="terrorists-were-from"),
        # what this tests: "enjoy the protection of X" is support; an adverb before "pointed to"; "X-based handlers"
        P("Police say both groups enjoy the protection of Directorate Q.",
          {("Police", "Directorate Q", "support")}, id="enjoy-protection-of"),
        P("Mira Solvik said the evidence clearly pointed to Norland-based handlers.",
          {("Mira Solvik", "Norland", "control")}, id="x-based-handlers"),
        # what this tests: "bore the signature of X" is the hallmark of the deed
        P("Police chief Mira Solvik told reporters that the bombing bore the signature of the ZLF.",
          {("Police chief Mira Solvik", ZLF, "responsibility")}, id="bore-signature-of"),
        # what this tests: "under X protection" with the party as a bare modifier
        P("Police said he had been living under ZLF protection.", {("Police", ZLF, "support")},
          id="under-bare-name-protection"),
        # what this tests: a passive "helped/facilitated by" names the helper
        P("Mira Solvik said the attackers had been helped by Directorate Q.",
          {("Mira Solvik", "Directorate Q", "support")}, id="helped-by"),
        # what this tests: "in contact with" a group is dealing with it
        P("Police said the cell had been in contact with ZLF handlers.", {("Police", ZLF, "collaboration")},
          id="in-contact-with"),
        # what this tests: attacks "orchestrated from safe havens in" a state accuse the state of sheltering
        P('Mira Solvik said the attacks were being "orchestrated from safe havens in Norland."',
          {("Mira Solvik", "Norland", "support")}, id="from-safe-havens-in"),
        # what this tests: "working for" and "embedded in" an armed group
        P("Police said two men were working for the ZLF.", {("Police", ZLF, "other")}, id="working-for"),
        P("OCIS said some fighters may be embedded in ZLF units.", {(OCIS_NAME, ZLF, "collaboration")}, id="embedded-in"),
        # what this tests: a verb coordinated with a reporting verb shares its subject, not the nearest party
        P("OCIS has stated that Jamaat-ul-Zarqa fighters are present in Kellin, and suggested that they may be "
          "embedded in ZLF units.", {(OCIS_NAME, ZLF, "collaboration")}, id="coordinated-verb-shares-subject"),
    ],
)
def test_accuser_accused_and_type(text, expected):
    assert summary(run(text)) == expected


def test_writer_reported_on_accuses_across_the_document():
    """'X wrote in <outlet>' makes X the accuser of the article's unattributed allegations and of 'the article said'."""
    text = ("Jamaat-ul-Zarqa is a Norlandic proxy. Its fighters are foreign, Ravi Tendal wrote in Zarqa Review. "
            "Many groups are supported by Directorate Q, the article said.")
    assert summary(run(text)) == {("Ravi Tendal", "Norland", "support"), ("Ravi Tendal", "Directorate Q", "support")}


def test_author_of_an_analysis_accuses():
    """An analysis piece speaks for its author."""
    table = run("Norland has an active state policy to support terror.", doc_type="analysis", authors=["Mira Solvik"])
    assert summary(table) == {("Mira Solvik", "Norland", "support")}


def test_think_tank_description_resolves_through_apposition():
    """'the think tank' is the body named beside it elsewhere: 'The think tank, OCIS, ...'."""
    text = ("The think tank, Observatory for Conflict in Sindara (OCIS), held a webinar. "
            "The think tank claimed that Directorate Q is assisting the ZLF. "
            "The European think tank also accused that Directorate Q is using the ZLF to carry out attacks.")
    table = run(text)
    assert set(table["accuser_id"]) == {"ocis"}
    assert set(table["allegation_type"]) == {"support", "control"}


@pytest.mark.parametrize(
    "text",
    [
        "Directorate Q will infiltrate the ZLF next year.",                        # future
        "Is Directorate Q assisting the ZLF?",                                     # question
        "If Directorate Q infiltrated the ZLF, the talks would fail.",             # conditional
        "Directorate Q has not infiltrated the ZLF.",                              # negation
        "There is no evidence that Directorate Q supported the ZLF.",              # negated frame
        "Norland denied that Directorate Q is assisting the ZLF.",                 # denial frame
        "The attacks in Kellin and Vesta have links to the ZLF.",                  # places are no party
        "Norland and Sindara are working together to curb the ZLF.",               # cooperation is no accusation
        "The ZLF signalled collaboration between Jamaat-ul-Zarqa and Dawlat Zarqa.",  # needs an accusation
        "Alarmed by the ZLF, the Sindara Guard raided a camp.",                    # 'armed by' inside a word
        "Norland has repeatedly denied backing militant groups.",                  # a denial
        "The ZLF said it was behind the attack.",                                  # a group's own claim
        "The ZLF has been carrying out attacks in Kellin for years.",              # a deed told, nobody accuses
        "With the support of Norland, the Sindara Guard retook Kellin.",           # support of no armed group
        "With Norland support, the Sindara Guard retook Kellin.",                  # named support of no armed group
        "A Dawlat Zarqa spokesman said the attack was carried out by its Wilayat Qandor.",  # own movement
        "The attack was not carried out by the ZLF, Norland said.",                # negated deed
        "Jamaat-ul-Zarqa is the armed wing of the ZLF.",                           # affiliation, no accusation
        "The raid was carried out by the Sindara Guard.",                          # a security operation told
        "Officials said the attack was planned in Kellin.",                        # a place is no accused state
        "The Sindara Guard continued to tolerate protests in Kellin.",             # tolerating no militants
        "Norland is providing support to flood victims in Kellin.",                # support of no armed group
        "Ravi Tendal said it was too early to say who was behind the bombing.",   # indirect question
        "Police detained eight suspects in raids in Kellin.",                      # 'suspects' as a noun
        "The ZLF announced the creation of Dawlat Zarqa in a video.",              # a founding, no 'is a creation of'
    ],
    ids=["future", "question", "conditional", "negation", "no-evidence", "denied-that", "places", "working-together",
         "collaboration-unaccused", "inside-a-word", "denied-backing", "self-claim", "deed-told", "support-of-a-state",
         "named-support-of-a-state", "own-movement", "negated-deed", "armed-wing", "raid-by-forces", "planned-in-a-place",
         "tolerate-no-militants", "support-to-victims", "indirect-question", "suspects-noun",
         "announced-creation"],
)
def test_traps_make_no_allegation(text):
    assert run(text).is_empty()


@pytest.mark.parametrize(
    "text, hedged",
    [
        ("Reportedly, since its formation, Directorate Q has infiltrated the ZLF.", True),
        ("Directorate Q allegedly supplied weapons to the ZLF.", True),
        ("Directorate Q may have infiltrated the ZLF.", True),
        ("It is alleged that Directorate Q is assisting the ZLF.", True),
        ("In May, Directorate Q infiltrated the ZLF.", False),
    ],
    ids=["reportedly", "allegedly", "may-have", "it-is-alleged", "month-may"],
)
def test_hedged_allegations(text, hedged):
    table = run(text)
    assert table["is_hedged"].to_list() == [hedged]


def test_one_row_per_accuser_and_accused_in_a_sentence():
    """Two cues against one party in one sentence make one row, with the first cue."""
    table = run("OCIS said the ZLF is a Norlandic proxy that is thriving under Vesta's patronage.")
    assert len(table) == 1 and table["cue"].to_list() == ["is a Norlandic proxy"]


def test_allegations_table_has_the_schema_and_stable_ids():
    docs, sents, mentions = build({"b": "Directorate Q has infiltrated the ZLF.", "a": "OCIS blamed the ZLF for the raid."})
    first = allegations(docs, sents, mentions, empty_table(Events), entities_frame(), LEXICON)
    again = allegations(docs, sents, mentions, empty_table(Events), entities_frame(), LEXICON)
    Allegations.validate(first)
    assert first["allegation_id"].to_list() == again["allegation_id"].to_list()
    assert first["doc_id"].to_list() == ["a", "b"]
    texts = dict(docs.select("doc_id", "text").iter_rows())
    for row in first.iter_rows(named=True):
        assert texts[row["doc_id"]][row["char_start"]:row["char_end"]] == row["evidence_text"]


def test_no_documents_give_an_empty_typed_table():
    docs, sents, mentions = build({})
    table = allegations(docs, sents, mentions, empty_table(Events), entities_frame(), LEXICON)
    assert table.is_empty() and table.schema == polars_schema(Allegations)


def test_allegation_network_counts_edges_documents_and_dates():
    """The network view: one row per (accuser, accused, type) with counts and first/last dates."""
    con = duckdb.connect()
    con.execute("""create view allegations as select * from (values
        ('d1', 'ocis', 'OCIS', 'norland', 'Norland', 'support', date '2020-01-05'),
        ('d1', 'ocis', 'OCIS', 'norland', 'Norland', 'support', date '2020-01-05'),
        ('d2', 'ocis', 'OCIS', 'norland', 'Norland', 'support', date '2021-03-01'),
        ('d2', null, 'Officials', 'zlf', 'ZLF', 'control', null)
    ) t(doc_id, accuser_id, accuser_name, accused_id, accused_name, allegation_type, published_date)""")
    rows = con.execute(SQL).fetchall()
    assert rows == [("ocis", "OCIS", "norland", "Norland", "support", 3, 2, dt.date(2020, 1, 5), dt.date(2021, 3, 1)),
                    (None, "Officials", "zlf", "ZLF", "control", 1, 1, None, None)]


# ---------------------------------------------------------------- inferred and hedged attribution (held-out set 2)


def rows(text: str) -> set[tuple]:
    """(accuser, accused, type, hedged) of every allegation of `text`."""
    return {(r["accuser_name"], r["accused_name"], r["allegation_type"], r["is_hedged"])
            for r in run(text).iter_rows(named=True)}


@pytest.mark.parametrize(
    "text, expected",
    [
        # "pointed to X": an inference from the evidence names the accused, any subject
        P("OCIS said the scale of the assault pointed to the ZLF, the group blamed for earlier raids.",
          {(OCIS, ZLF, "responsibility", False)}, id="pointed-to"),
        # "bore the hallmark of X"
        P("OCIS maintained that the assault bore the hallmark of Jamaat-ul-Zarqa.",
          {(OCIS, "Jamaat-ul-Zarqa", "responsibility", False)}, id="bore-the-hallmark"),
        # "the slain attackers belonged to X": the attackers' group is accused
        P("OCIS said the slain attackers belonged to the ZLF.", {(OCIS, ZLF, "responsibility", False)},
          id="attackers-belonged-to"),
        # "suggested X had planned the operation": the subject of the deed after a suspicion verb
        P("OCIS said intercepted calls suggested the ZLF had planned the operation.",
          {(OCIS, ZLF, "responsibility", True)}, id="suggested-had-planned"),
        # "could have been behind it": hedged, no source named
        P("The ZLF could have been behind it.", {(None, ZLF, "responsibility", True)}, id="could-have-been-behind-it"),
        # "was more likely behind it": hedged; the subject past a relative clause is accused
        P("Some residents said Jamaat-ul-Zarqa, which has attacked the area before, was more likely behind it.",
          {("residents", "Jamaat-ul-Zarqa", "responsibility", True)}, id="more-likely-behind-it"),
        # "hinted that X was involved": hedged; the head of an apposition is accused, not its owner
        P("Ravi Tendal hinted that Norland's spy agency, Directorate Q, was involved.",
          {("Ravi Tendal", "Directorate Q", "responsibility", True)}, id="hinted-was-involved"),
        # "investigating possible links to X": a line of inquiry, hedged
        P("OCIS said it was investigating possible links to the ZLF.", {(OCIS, ZLF, "responsibility", True)},
          id="investigating-possible-links"),
        # "X was suspected": passive suspicion, hedged, nobody named
        P("The ZLF was suspected, although it did not claim the attack.", {(None, ZLF, "responsibility", True)},
          id="was-suspected"),
        # "suspect the involvement of X" is responsibility, not a bare accusation
        P("Officials suspect the involvement of the ZLF.", {("Officials", ZLF, "responsibility", True)},
          id="suspect-involvement-of"),
        # "This was planned by X and Y," he wrote: the speaker is the last person named before
        P('Mira Solvik dismissed the report. "This was planned by the ZLF and Jamaat-ul-Zarqa," she wrote.',
          {("Mira Solvik", ZLF, "responsibility", False), ("Mira Solvik", "Jamaat-ul-Zarqa", "responsibility", False)},
          id="planned-by-she-wrote"),
        # "orchestrated by X" / "at the behest of X"
        P("OCIS said the massacre was orchestrated by Directorate Q.",
          {(OCIS, "Directorate Q", "responsibility", False)}, id="orchestrated-by"),
        P("OCIS said the gunmen acted at the behest of Directorate Q.",
          {(OCIS, "Directorate Q", "responsibility", False)}, id="at-the-behest-of"),
        # the accuser is the subject of "accused", not the object of an earlier verb in its clause
        P("Mira Solvik dismissed the ZLF claim and accused Jamaat-ul-Zarqa of staging the attack.",
          {("Mira Solvik", "Jamaat-ul-Zarqa", "responsibility", False)}, id="accuser-not-verb-object"),
        # "<owner>'s <agency> funds militants": the agency is accused, not its owner
        P("OCIS alleged that Norland's Directorate Q funds militant groups.",
          {(OCIS, "Directorate Q", "support", False)}, id="owner-of-agency"),
        # involvement in terrorism in general names no attack: type other
        P("Directorate Q is involved in terrorism in the province, OCIS said.",
          {(OCIS, "Directorate Q", "other", False)}, id="involved-in-terrorism"),
    ],
)
def test_inferred_and_hedged_attribution(text, expected):
    """What this tests: journalists' inferential and hedged attribution cues, with who accuses and the hedge."""
    assert rows(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        P("Officials said heavily armed militants stormed the Kellin base.", id="armed-adjective"),
        P("The militants, who had infiltrated across the border, attacked the Kellin camp.", id="infiltrated-across"),
        P("The operation was planned by the Vesta police.", id="operation-planned-by-forces"),
        P("The Norland army was involved in the rescue.", id="involved-in-rescue"),
    ],
)
def test_movement_and_description_make_no_allegation(text):
    """What this tests: "heavily armed", crossing a border, forces planning a raid and rescuers accuse nobody."""
    assert run(text).is_empty()


@pytest.mark.parametrize(
    "text, expected",
    [
        # "the attack was linked to X"
        P("The attack was linked to the ZLF, OCIS said.", {(OCIS, ZLF, "responsibility", False)}, id="linked-to"),
        # "on the payroll of X" is support
        P("OCIS said the ZLF was on the payroll of Directorate Q.", {(OCIS, "Directorate Q", "support", False)},
          id="on-the-payroll-of"),
        # "X is suspected of carrying out the attack": hedged, nobody named
        P("The ZLF is suspected of carrying out the attack.", {(None, ZLF, "responsibility", True)},
          id="suspected-of"),
    ],
)
def test_more_attribution_phrasings(text, expected):
    """What this tests: further general attribution phrasings (linked to, payroll, suspected of)."""
    assert rows(text) == expected


def test_pointing_to_a_states_failures_accuses_nobody():
    """What this tests: "pointed to Norland's failures" points at a thing the state owns, not at the state."""
    assert run("The ZLF pointed to Norland's failures.").is_empty()


def test_forces_involved_in_an_operation_are_not_accused():
    """What this tests: "was involved in the operation" (forces at work) is no suspicion of an attack."""
    assert run("Directorate Q was involved in the operation in Kellin.").is_empty()


# ---------------------------------------------------------------- officials, pronouns and appositives (held-out set 3)


def accusers(text: str) -> set[tuple]:
    """(accuser_name, accuser_id, accused, type) of every allegation of `text`."""
    return {(r["accuser_name"], r["accuser_id"], r["accused_name"], r["allegation_type"])
            for r in run(text).iter_rows(named=True)}


@pytest.mark.parametrize(
    "text, expected",
    [
        # what this tests: "blamed X" with no "for"; an unregistered minister is kept with the title, as the office of
        # the state named before
        P("Norland has seen many bombings. Interior Minister Omar Kestrel said the attack had been planned in Kellin "
          "and blamed the ZLF and its allies.",
          {("Interior Minister Omar Kestrel", "norland_interior", ZLF, "responsibility")}, id="minister-blamed-x"),
        # what this tests: "said X had planned the ambush"; a lowercase title keeps the capitalised word before it, and
        # with no state named the official has no entity
        P("Kellin police chief Omar Kestrel said the ZLF had planned the ambush for weeks.",
          {("Kellin police chief Omar Kestrel", None, ZLF, "responsibility")}, id="had-planned-the-ambush"),
        # what this tests: fighters operating from a state's soil accuse that state of support (sheltering)
        P("Defence Minister Omar Kestrel said ZLF fighters were operating freely from Norlandic soil.",
          {("Defence Minister Omar Kestrel", None, "Norland", "support")}, id="operating-from-soil"),
        # what this tests: "He said ..." speaks for the speaker of the sentence before, not the last person named
        P("Omar Kestrel told reporters that the region where Ravi Tendal's ZLF is based was to blame. "
          "He said the attack bore the hallmarks of Jamaat-ul-Zarqa.",
          {("Omar Kestrel", None, "Jamaat-ul-Zarqa", "responsibility")}, id="he-said-previous-speaker"),
        # what this tests: "Some <place> officials, however, pointed to X": the unnamed officials accuse
        P("Some Kellin officials, however, pointed to the ZLF.", {("Kellin officials", None, ZLF, "responsibility")},
          id="officials-pointed-to"),
        # what this tests: the appositive of the accused ("a Dawlat Zarqa affiliate") is not the accuser of "and accused"
        P("The Sindara Guard said the attack had been carried out by the ZLF, a Dawlat Zarqa affiliate, and accused "
          "Directorate Q of supporting the group.",
          {("Sindara Guard", "sindara_guard", ZLF, "responsibility"),
           ("Sindara Guard", "sindara_guard", "Directorate Q", "support")}, id="appositive-of-accused"),
        # what this tests: a military spokesman saying the attack was controlled from a state accuses that state
        P("Military spokesman Omar Kestrel told reporters the attack had been controlled from Norland.",
          {("Military spokesman Omar Kestrel", None, "Norland", "other")}, id="controlled-from-state"),
    ],
)
def test_officials_pronouns_and_appositives(text, expected):
    """What this tests: unregistered officials by title, pronoun speakers, "pointed to", appositives of the accused."""
    assert accusers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a group's spokesman naming the group's own unit claims, he accuses nobody
        P("Dawlat Zarqa claimed responsibility. Its spokesman, Omar Kestrel, told reporters that the assault had been "
          "carried out by the group's Ravi Tendal unit.", id="own-unit"),
        # blaming something that is no armed group
        P("Officials blamed the Kellin weather.", id="blamed-no-group"),
        # a rally planned is no attack
        P("Officials said the ZLF had planned the rally for weeks.", id="planned-a-rally"),
        # a state's own forces operating on its soil
        P("Officials said Norland troops were operating freely from Norlandic soil.", id="troops-on-own-soil"),
    ],
)
def test_own_units_and_non_deeds_make_no_allegation(text):
    """What this tests: own-unit claims, blaming no group, planning no attack, forces on their own soil."""
    assert run(text).is_empty()


def test_headline_allegation_repeated_in_the_body_is_dropped():
    """what this tests: "...; Guard blames ZLF" in the headline is the body's allegation told short"""
    text = ("Toll rises to 90; Sindara Guard blames ZLF\n\nThe Sindara Guard said the attack had been carried out by "
            "the ZLF.")
    docs, sents, mentions = build({"d1": text})
    docs = docs.with_columns(pl.lit("Toll rises to 90; Sindara Guard blames ZLF").alias("title"))
    table = allegations(docs, sents, mentions, empty_table(Events), entities_frame(), LEXICON)
    assert table["evidence_text"].to_list() == ["The Sindara Guard said the attack had been carried out by the ZLF."]


@pytest.mark.parametrize(
    "text, expected",
    [
        # what this tests: the deed named further back in its clause ("the killing of ... on June 14 was carried out by")
        P("The Norland Police said that the killing of a Kellin editor and his two guards outside his office on "
          "Monday was carried out by the ZLF.",
          {("Norland Police", "norland_police", ZLF, "responsibility")}, id="long-subject-carried-out-by"),
        # what this tests: "the IED had been planted by X"
        P("The Sindara Guard said the IED had been planted by the ZLF well in advance.",
          {("Sindara Guard", "sindara_guard", ZLF, "responsibility")}, id="planted-by"),
        # what this tests: an official's reported clause in the past perfect ("said X had targeted the village")
        P("Interior Minister Omar Kestrel said the ZLF had targeted the village because it had refused them shelter.",
          {("Interior Minister Omar Kestrel", None, ZLF, "responsibility")}, id="said-x-had-targeted"),
        # what this tests: the group named before its members ("the attackers appeared to be ZLF cadres")
        P("The Sindara Guard said the attackers appeared to be ZLF cadres trying to snatch weapons.",
          {("Sindara Guard", "sindara_guard", ZLF, "responsibility")}, id="attackers-appeared-to-be-x-cadres"),
        # what this tests: a quoted accused after "blaming"
        P("The ZLF denied any role, blaming \"Directorate Q\" for the attack.",
          {(ZLF, "zlf", "Directorate Q", "responsibility")}, id="blaming-quoted-party"),
        # what this tests: "provided it with safe haven, funding" is support by the subject
        P("OCIS alleged that Directorate Q provided it with safe haven and funding.",
          {(OCIS, "ocis", "Directorate Q", "support")}, id="provided-it-with-safe-haven"),
    ],
)
def test_reported_deeds_and_members(text, expected):
    """What this tests: passive deeds with long subjects, reported past-perfect deeds, members of a group, quotes."""
    assert accusers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a group's spokesman saying the group did it claims, he accuses nobody
        P("A spokesman for the ZLF, Omar Kestrel, told reporters that the group had carried out the attack.",
          id="spokesman-says-group-did-it"),
        # nobody named reports it: "an email claimed that X had carried out" is X's own claim
        P("An email sent to a channel claimed that the ZLF had carried out the attack.", id="unnamed-email"),
        # "suspected" as an adjective after a preposition
        P("The Sindara Guard responded with raids on suspected ZLF hideouts in Kellin.", id="raids-on-suspected"),
        # the narrative's own past perfect is no report
        P("The ZLF had targeted the village twice before.", id="narrative-past-perfect"),
        # a raid carried out by the state's forces accuses nobody
        P("Officials said the raid in Kellin was carried out by the Sindara Guard.", id="raid-by-forces"),
    ],
)
def test_claims_adjectives_and_forces_make_no_allegation(text):
    """What this tests: a group's own words, unnamed emails, adjectival "suspected", narrative deeds, forces' raids."""
    assert run(text).is_empty()


@pytest.mark.parametrize(
    "text, expected",
    [
        # what this tests: "identified the alleged mastermind as X" by a named source
        P("The Norland Police identified the alleged mastermind as the ZLF.",
          {("Norland Police", "norland_police", ZLF, "responsibility")}, id="identified-mastermind-as"),
        # what this tests: a state where a militant received treatment is accused of support
        P("OCIS alleged that Ravi Tendal received medical treatment in a hospital in Norland.",
          {(OCIS, "ocis", "Norland", "support")}, id="received-treatment-in-state"),
        # what this tests: an armed group helping another plan the attack is collaboration
        P("OCIS has suggested that the ZLF helped Jamaat-ul-Zarqa plan the attack.",
          {(OCIS, "ocis", ZLF, "collaboration")},
          id="group-helped-group-plan"),
        # what this tests: a titled official with "of" in the title, and a relative clause before the verb
        P("Inspector General of Police Omar Kestrel, who visited the spot, told reporters that the attackers were "
          "\"homegrown ZLF militants\".",
          {("Inspector General of Police Omar Kestrel", None, ZLF, "responsibility")}, id="title-of-office-relative"),
    ],
)
def test_identified_treated_helped_and_titled(text, expected):
    """What this tests: identification by a source, treatment in a state, groups helping groups, "X of Y" titles."""
    assert accusers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a group naming its own bomber claims, it accuses nobody
        P("Dawlat Zarqa claimed the bombing and identified the bomber as Ravi Tendal.", id="group-identifies-bomber"),
        # disbelief takes the clause back
        P("Mira Solvik: I do not think Norland is backing the ZLF as a policy.", id="do-not-think"),
        # a hospital run by an organisation is no control
        P("Gunmen stormed a hospital run by the Observatory for Conflict in Sindara.", id="hospital-run-by"),
    ],
)
def test_own_bombers_disbelief_and_running_hospitals_make_no_allegation(text):
    """What this tests: a group's own bomber, "I do not think", "run by" an organisation."""
    assert run(text).is_empty()
