"""Events: golden records from invented reports, the casualty parser, the non-event rules, clusters.

The reports are invented (groups such as "Jamaat-ul-Zarqa" are added to a copy of the
reviewed registry); places are real registry places. Inputs are built by the real upstream
steps (sentences, mentions, date_mentions), so these tests also pin the contract with them.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandera.polars  # noqa: F401 - registers the polars backend used by validate()
import polars as pl
import pytest
import yaml

from flows.dates import date_mentions
from flows.events import (
    Count,
    attributed_perpetrators,
    casualties,
    event_clusters,
    events,
    is_future,
    is_generic,
    is_generic_plural,
    is_hypothetical,
    is_infinitive,
    is_negated,
    is_question,
    load_event_lexicon,
)
from flows.mentions import mentions
from flows.registry import DEFAULT_REFERENCE_DIR, REFERENCE_FILES, entities_table, load_registry
from flows.schemas import EventMentions, Events, polars_schema
from flows.sentences import load_sentence_rules, sentences

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "raw"
PUBLISHED = dt.date(2021, 3, 10)  # a Wednesday: "on Monday" is 2021-03-08
INVENTED_GROUPS = [
    {"id": "jamaat_ul_zarqa", "name": "Jamaat-ul-Zarqa", "type": "armed_group", "aliases": ["Jamaat-ul-Zarqa", "JuZ"]},
    {"id": "tehrik_e_nasr", "name": "Tehrik-e-Nasr", "type": "armed_group", "aliases": ["Tehrik-e-Nasr", "TeN"]},
]
# invented places: two towns far apart, a neighbourhood the registry puts inside one (`parent`), a naval base
INVENTED_PLACES = [
    {"id": "naseerkot", "name": "Naseerkot", "country": "PK", "admin1": "Khyber Pakhtunkhwa", "lat": 33.91, "lon": 71.23,
     "aliases": ["Naseerkot"]},
    {"id": "zarghunabad", "name": "Zarghunabad", "country": "PK", "admin1": "Balochistan", "lat": 28.91, "lon": 66.42,
     "aliases": ["Zarghunabad"]},
    {"id": "gul_mohallah", "name": "Gul Mohallah", "country": "PK", "admin1": "Khyber Pakhtunkhwa", "lat": 33.92,
     "lon": 71.24, "parent": "naseerkot", "aliases": ["Gul Mohallah"]},
    {"id": "pns_sarmast", "name": "PNS Sarmast", "country": "PK", "admin1": "Balochistan", "lat": 28.93, "lon": 66.44,
     "aliases": ["PNS Sarmast"]},
]


@pytest.fixture(scope="module")
def lexicon():
    return load_event_lexicon()


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    """The reviewed registry plus the invented groups and places."""
    directory = tmp_path_factory.mktemp("reference")
    for name in REFERENCE_FILES:
        shutil.copy(DEFAULT_REFERENCE_DIR / name, directory / name)
    reviewed = yaml.safe_load((directory / "entities.yaml").read_text(encoding="utf-8"))
    reviewed["entities"] += INVENTED_GROUPS
    (directory / "entities.yaml").write_text(yaml.safe_dump(reviewed, allow_unicode=True), encoding="utf-8")
    places = yaml.safe_load((directory / "places.yaml").read_text(encoding="utf-8"))
    places["places"] += INVENTED_PLACES
    (directory / "places.yaml").write_text(yaml.safe_dump(places, allow_unicode=True), encoding="utf-8")
    return load_registry(directory)


def extract(texts: list[str], registry, published: dt.date | None = PUBLISHED) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Run the real upstream steps and the events step on invented documents d0, d1, ..."""
    docs = pl.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts,
                         "published_date": [published] * len(texts), "is_day_first": [False] * len(texts)},
                        schema={"doc_id": pl.String, "text": pl.String, "published_date": pl.Date, "is_day_first": pl.Boolean})
    sents = sentences(docs, load_sentence_rules())
    found_mentions = mentions(docs, sents, registry)
    found_dates = date_mentions(docs.select("doc_id", "text", "published_date", pl.col("is_day_first").alias("day_first")), sents)
    return events(docs, sents, found_mentions, found_dates, entities_table(registry), load_event_lexicon())


def one_event(text: str, registry, published: dt.date | None = PUBLISHED) -> dict:
    found, _ = extract([text], registry, published)
    assert found.height == 1, found.select("event_type", "evidence_text").rows()
    return found.row(0, named=True)


# --- golden records: an invented report, what it tests, and the expected event row ----------

GOLDEN = [
    ("sum of victims and attackers, day from a weekday, group subject",
     "Two policemen and four assailants were killed when Jamaat-ul-Zarqa militants stormed a checkpoint in Quetta on Monday.",
     {"event_type": "attack", "killed_low": 6, "killed_high": 6, "location_name": "Quetta", "country_iso2": "PK",
      "event_date_start": dt.date(2021, 3, 8), "date_text": "on Monday", "perpetrator_names": ["Jamaat-ul-Zarqa"]}),
    ("lower and upper bounds, explicit date",
     "At least 12 people were killed and up to 30 wounded in a bomb blast at a market in Peshawar on 4 March 2021.",
     {"event_type": "bombing", "killed_low": 12, "killed_high": None, "wounded_low": None, "wounded_high": 30,
      "location_name": "Peshawar", "event_date_start": dt.date(2021, 3, 4), "date_precision": "day"}),
    ("number words and 'two dozen', suicide flag from the bomber",
     "A suicide bomber blew himself up near a mosque in Kabul, killing nine worshippers and wounding two dozen others.",
     {"event_type": "bombing", "is_suicide": True, "killed_low": 9, "wounded_low": 24, "location_name": "Kabul",
      "country_iso2": "AF", "event_date_start": None}),
    ("suicide flag for a fidayeen attack",
     "A fidayeen attack on an army camp in Uri killed 17 soldiers.",
     {"event_type": "attack", "is_suicide": True, "killed_low": 17, "location_name": "Uri", "country_iso2": "IN"}),
    ("passive voice: the agent after 'by' is the perpetrator, not the subject",
     "A police station in Bannu was attacked by Jamaat-ul-Zarqa militants on Tuesday.",
     {"event_type": "attack", "perpetrator_names": ["Jamaat-ul-Zarqa"], "event_date_start": dt.date(2021, 3, 9)}),
    ("victim is not the perpetrator: the group ambushed is the target",
     "Unidentified gunmen ambushed a convoy of Tehrik-e-Nasr commanders in Khost, killing three of them.",
     {"event_type": "attack", "perpetrator_names": [], "killed_low": 3}),
    ("a spokesman's claim is his group's",
     "A bomb exploded at a bus stand in Quetta on Monday. Jamaat-ul-Zarqa spokesman Talha Qorvani claimed responsibility.",
     {"event_type": "bombing", "perpetrator_names": ["Jamaat-ul-Zarqa"], "location_name": "Quetta"}),
    ("a registered spokesman's claim is his group's (the registry's parent)",
     "Gunmen ambushed an army convoy in Khost on Sunday. Zabihullah Mujahid claimed responsibility.",
     {"event_type": "attack", "perpetrator_names": ["Taliban"]}),
    ("claim in the next sentence attributes the attack",
     "Gunmen attacked a passenger bus in Mastung on Friday. Tehrik-e-Nasr claimed responsibility.",
     {"event_type": "attack", "perpetrator_names": ["Tehrik-e-Nasr"], "location_name": "Mastung",
      "event_date_start": dt.date(2021, 3, 5)}),
    ("attribution by the authorities ('blamed the attack on X')",
     "A grenade attack on a police post in Gwadar wounded five constables. Officials blamed the attack on Jamaat-ul-Zarqa.",
     {"event_type": "bombing", "perpetrator_names": ["Jamaat-ul-Zarqa"], "wounded_low": 5, "location_name": "Gwadar"}),
    ("security operation killing militants: the state force is the perpetrator, militants count as killed",
     "Pakistani troops killed five Jamaat-ul-Zarqa militants during a raid in North Waziristan on Sunday.",
     {"event_type": "security_operation", "perpetrator_names": ["Pakistan Army"], "killed_low": 5,
      "location_name": "North Waziristan", "event_date_start": dt.date(2021, 3, 7)}),
    ("a gunfight with security forces naming no group is a security operation",
     "Two militants were killed in a gunfight with security forces in Pulwama on Tuesday.",
     {"event_type": "security_operation", "killed_low": 2, "location_name": "Pulwama"}),
    ("'X claimed the attack' is a claim of responsibility",
     "A bomb exploded at a bus stand in Peshawar on Monday. Jamaat-ul-Zarqa claimed the attack.",
     {"event_type": "bombing", "perpetrator_names": ["Jamaat-ul-Zarqa"]}),
    ("plural airstrikes on one day are one event; fighters killed by forces",
     "Airstrikes killed 12 Jamaat-ul-Zarqa fighters in Kunar on Monday.",
     {"event_type": "security_operation", "killed_low": 12, "perpetrator_names": [], "event_date_start": dt.date(2021, 3, 8)}),
    ("a security operation by a state's forces naming no place is in that state",
     "Pakistani troops killed five Jamaat-ul-Zarqa militants during a raid on Sunday.",
     {"event_type": "security_operation", "location_name": None, "country_iso2": "PK"}),
    ("one named person killed counts one",
     "Security forces killed Abdul Rauf Qasmi, a commander of Jamaat-ul-Zarqa, in Pulwama.",
     {"event_type": "security_operation", "killed_low": 1, "killed_high": 1, "location_name": "Pulwama"}),
    ("the text says nobody claimed it",
     "A car bomb exploded outside a bank in Karachi on Monday. No group has claimed the blast.",
     {"event_type": "bombing", "is_unclaimed": True, "location_name": "Karachi", "perpetrator_names": []}),
    ("the most specific place of 'village of X in the Y district'",
     "Militants attacked the village of Amshipora in the Shopian district of India-administered Kashmir.",
     {"location_name": "Amshipora", "country_iso2": "IN", "admin1": "Jammu and Kashmir"}),
    ("a formation names the formed group; a yearless date takes the dateline's year (back one when later)",
     "On May 11, Jamaat-ul-Zarqa announced the formation of Tehrik-e-Nasr as its new wing.",
     {"event_type": "formation", "event_date_start": dt.date(2020, 5, 11), "date_text": "May 11",
      "perpetrator_names": ["Jamaat-ul-Zarqa", "Tehrik-e-Nasr"]}),
    ("a pledge: the pledger is the perpetrator, not the group pledged to",
     "Tehrik-e-Nasr pledged allegiance to Jamaat-ul-Zarqa in 2016.",
     {"event_type": "pledge", "perpetrator_names": ["Tehrik-e-Nasr"], "event_date_start": dt.date(2016, 1, 1),
      "date_precision": "year"}),
    ("a foiled bombing is a plot, keeping the suicide flag",
     "Police foiled a suicide attack on a church in Lahore.",
     {"event_type": "plot", "is_suicide": True, "location_name": "Lahore"}),
]


@pytest.mark.parametrize(("what", "text", "expected"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_record(what, text, expected, registry):
    row = one_event(text, registry)
    assert {k: row[k] for k in expected} == expected


NOT_EVENTS = [
    ("negation", "No attack took place in Quetta on Monday, police said."),
    ("future", "Jamaat-ul-Zarqa will attack government offices in Quetta."),
    ("question", "Was the blast in Peshawar the work of Jamaat-ul-Zarqa?"),
    ("hypothetical", "If Jamaat-ul-Zarqa attacks Quetta, the army would respond."),
    ("generic plural", "The attacks in Balochistan show the reach of Jamaat-ul-Zarqa."),
    ("kinds of attacks", "These kinds of suicide attacks are powerful because the fighters do not expect to survive."),
    ("infinitive", "Jamaat-ul-Zarqa wants to carry out attacks in Kabul."),
    ("modal", "We may see more bombings in Karachi."),
    ("adjectival formation", "Jamaat-ul-Zarqa works with already established jihadi groups in Sindh."),
    ("formation of a non-group", "Jamaat-ul-Zarqa announced the formation of bases in Afghanistan."),
    ("an individual's allegiance", "She posted a video declaring her allegiance to Jamaat-ul-Zarqa."),
    ("figurative", "The minister died of a heart attack in Quetta on Monday."),
    ("a reported fear", "She named people she feared were plotting against her in Naseerkot on Monday."),
    ("an unknown toll", "Officials said it was not known how many militants were killed in the exchange of fire."),
]


@pytest.mark.parametrize(("what", "text"), NOT_EVENTS, ids=[n[0] for n in NOT_EVENTS])
def test_not_an_event(what, text, registry):
    found, _ = extract([text], registry)
    assert found.is_empty(), found.select("event_type", "trigger_text").rows()


def test_two_events_in_one_sentence_are_two_rows_with_their_own_places(registry):
    found, support = extract(["A bomb exploded in Quetta on Monday, while gunmen kidnapped two engineers in Gwadar."], registry)
    rows = found.select("event_type", "location_name", "event_date_start").rows()
    assert rows == [("bombing", "Quetta", dt.date(2021, 3, 8)), ("abduction", "Gwadar", None)]
    assert found["event_id"].n_unique() == 2
    assert all("Gwadar" not in t for t in found.filter(pl.col("event_type") == "bombing")["evidence_text"])


def test_sentences_about_one_attack_merge_and_all_support_it(registry):
    text = ("Jamaat-ul-Zarqa militants stormed a police academy in Quetta on Monday. "
            "The attack lasted three hours. Four policemen wounded during the assault were taken to hospital. "
            "More than 60 people were killed in the attack on the academy.")
    found, support = extract([text], registry)
    assert found.height == 1
    row = found.row(0, named=True)
    assert (row["killed_low"], row["killed_high"], row["wounded_low"]) == (60, None, 4)
    assert row["event_date_start"] == dt.date(2021, 3, 8)
    assert sorted(support["sentence_idx"].to_list()) == [0, 1, 2, 3]


def test_in_the_region_points_at_the_previous_sentence_place(registry):
    text = ("Jamaat-ul-Zarqa has a base in the village of Amshipora in Shopian district. "
            "Security forces recently killed Abdul Rauf Qasmi, a commander of the group in the region.")
    row = one_event(text, registry)
    assert (row["event_type"], row["location_name"], row["country_iso2"], row["killed_low"]) == (
        "security_operation", None, "IN", 1)


def test_different_attacks_in_one_document_stay_apart(registry):
    text = "A bomb exploded in Quetta on Monday. Another bomb exploded in Peshawar on Tuesday."
    found, _ = extract([text], registry)
    assert found["location_name"].to_list() == ["Quetta", "Peshawar"]


def test_tables_match_their_schemas_and_ids_are_stable(registry):
    texts = ["Gunmen attacked a passenger bus in Mastung on Friday.", "No event here."]
    first, support = extract(texts, registry)
    again, _ = extract(texts, registry)
    assert first.schema == polars_schema(Events) and support.schema == polars_schema(EventMentions)
    Events.validate(first)
    EventMentions.validate(support)
    assert first["event_id"].to_list() == again["event_id"].to_list()
    assert first["doc_id"].to_list() == ["d0"]
    text = texts[0]
    row = first.row(0, named=True)
    assert text[row["char_start"]:row["char_end"]] == row["evidence_text"]


def test_no_date_is_invented_without_an_anchor(registry):
    row = one_event("Gunmen attacked a passenger bus in Mastung on Friday.", registry, published=None)
    assert (row["event_date_start"], row["date_text"]) == (None, "on Friday")


def test_empty_input_gives_typed_empty_tables(registry):
    found, support = extract([""], registry)
    assert found.is_empty() and found.schema == polars_schema(Events)
    assert support.is_empty() and support.schema == polars_schema(EventMentions)


# --- casualty parser -----------------------------------------------------------------------------

CASUALTIES = [
    ("more than 60 were killed", (60, None), None),
    ("at least 2 people were killed", (2, None), None),
    ("killed scores of people and injured some 300 others", (None, None), (300, 300)),
    ("up to 5 civilians were wounded", None, (None, 5)),
    ("killed 290 people and wounded 500 others", (290, 290), (500, 500)),
    ("two people and four assailants were killed", (6, 6), None),
    ("killed nine ISIS members", (9, 9), None),
    ("Four Pakistanis wounded during the assault", None, (4, 4)),
    ("killing a dozen soldiers", (12, 12), None),
    ("wounding two dozen others", None, (24, 24)),
    ("half a dozen policemen were injured", None, (6, 6)),
    ("killed twenty-five people", (25, 25), None),
    ("1,200 people were killed", (1200, 1200), None),
    ("between 10 and 15 people were killed", (10, 15), None),
    ("killed 10 to 12 people", (10, 12), None),
    ("dozens were injured", None, (None, None)),
    ("the death toll rose to 43", (43, 43), None),
    ("The death toll has risen to 25", (25, 25), None),
    ("raising the death toll from Saturday's bombing in the capital to 53", (53, 53), None),
    ("bringing the death toll to 17", (17, 17), None),
    ("A policeman and two civilians were injured", None, (3, 3)),
    ("12 dead and 30 injured", (12, 12), (30, 30)),
    ("no one was killed", (0, 0), None),
    ("nearly 40 people died", (40, 40), None),  # the stated figure, as GTD records it
    ("up to 40 people died", (None, 40), None),
    ("a policeman was killed", (1, 1), None),
    ("killed two soldiers and three civilians", (5, 5), None),
    ("a three-hour gunfight", None, None),
    ("a 20-year-old was killed", None, None),
    ("over 100 were killed and more than 200 injured", (100, None), (200, None)),
    ("some 300 people were hurt", None, (300, 300)),
    ("two policemen, three soldiers and a child were killed", (6, 6), None),
    ("14 people, including three children, were killed", (14, 14), None),
    ("killed 14 people, including three children", (14, 14), None),
    ("12 people sustained injuries", None, (12, 12)),
    ("In a separate incident, two soldiers were martyred", (2, 2), None),
]


@pytest.mark.parametrize(("phrase", "killed", "wounded"), CASUALTIES, ids=[c[0] for c in CASUALTIES])
def test_casualty_parser(phrase, killed, wounded, lexicon):
    got = casualties(phrase, 0, len(phrase), lexicon.casualty)
    assert got == (Count(*killed) if killed else None, Count(*wounded) if wounded else None)


def test_named_person_after_a_kill_verb_counts_one(lexicon):
    text = "security forces killed Ishfaq Ahmad Sofi"
    assert casualties(text, 0, len(text), lexicon.casualty, named=((text.index("Ishfaq"), len(text)),))[0] == Count(1, 1)
    text = "Noor Wali Mehsud was killed in a drone strike"
    assert casualties(text, 0, len(text), lexicon.casualty, named=((0, 16),))[0] == Count(1, 1)


# --- the non-event rules --------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "word", "asked"), [
    ("With IS claiming the attack in Quetta on Monday, is IS firmly in position?", "attack", False),
    ("With IS claiming the attack in Quetta on Monday, is IS firmly in position?", "firmly", True),
    ("Are there parallels to the IS attack at the Dhaka Cafe?", "attack", True),
    ("How credible is the claim?", "claim", True),
    ("The attack killed 12.", "attack", False),
])
def test_is_question(sentence, word, asked, lexicon):
    assert is_question(sentence, sentence.index(word), lexicon) is asked


@pytest.mark.parametrize(("rule", "before", "expected"), [
    (is_future, "IS-KP will claim responsibility for", True),
    (is_future, "on May 11 officially", False),
    (is_future, "we may indeed see", True),
    (is_hypothetical, "I think if we look at the", True),
    (is_hypothetical, "Militants", False),
])
def test_context_rules(rule, before, expected, lexicon):
    assert rule(before, lexicon) is expected


@pytest.mark.parametrize(("rule", "before", "is_noun", "expected"), [
    (is_negated, "there was no", True, True),
    (is_negated, "they did not", False, True),
    (is_negated, "LeJA has no intention of", False, True),
    (is_negated, "did not claim the", True, False),
    (is_generic, "these kinds of Inghimasi (Fidayeen or suicide", True, True),
    (is_generic, "for all the terror", True, True),
    (is_generic, "Muslims being", False, True),
    (is_generic, "following a suicide", True, False),
    (is_infinitive, "any organization that wants to", True, True),
    (is_infinitive, "collaborating to conduct terror", True, True),
    (is_infinitive, "in response to the", True, False),
])
def test_word_rules(rule, before, is_noun, expected, lexicon):
    assert rule(before, is_noun, lexicon) is expected


@pytest.mark.parametrize(("trigger", "before", "generic"), [
    ("attacks", "the", True),
    ("attacks", "even the Paris", True),
    ("bombings", "last month’s series of Easter Sunday", False),
    ("blasts", "twin", False),
    ("explosions", "three", False),
    ("attack", "the police academy", False),
])
def test_is_generic_plural(trigger, before, generic, lexicon):
    assert is_generic_plural(trigger, before, lexicon) is generic


# --- clusters across documents ----------------------------------------------------------------------

def test_two_reports_of_one_attack_share_a_cluster_and_different_attacks_do_not(registry):
    reports = [
        "Jamaat-ul-Zarqa militants stormed a police academy in Quetta on Monday, killing 61 cadets.",
        "More than 60 cadets died when gunmen attacked the Quetta police training college on Monday. JuZ claimed the attack.",
        "A bomb exploded at a vegetable market in Quetta on Friday.",
    ]
    found, _ = extract(reports, registry)
    clustered = event_clusters(found).sort("doc_id")
    ids = clustered["event_cluster_id"].to_list()
    assert ids[0] == ids[1] == min(clustered["event_id"].to_list()[:2])
    assert ids[2] != ids[0]
    assert event_clusters(found.head(0)).is_empty()


def test_undated_reports_cluster_only_when_place_and_perpetrator_agree():
    base = {name: None for name in polars_schema(Events)}
    rows = [
        {**base, "event_id": "a", "event_type": "attack", "location_entity_id": "quetta", "admin1": "Balochistan",
         "perpetrator_ids": ["juz"]},
        {**base, "event_id": "b", "event_type": "bombing", "location_entity_id": "quetta", "admin1": "Balochistan",
         "perpetrator_ids": ["juz"]},
        {**base, "event_id": "c", "event_type": "attack", "location_entity_id": "quetta", "admin1": "Balochistan",
         "perpetrator_ids": ["ten"]},
    ]
    frame = pl.DataFrame(rows, schema=polars_schema(Events))
    assert event_clusters(frame)["event_cluster_id"].to_list() == ["a", "a", "c"]


# --- the samples ---------------------------------------------------------------------------------------

def test_samples_give_the_reviewed_events(registry):
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    found, support = extract(texts[1:2], registry, published=None)
    summary = found.select("event_type", "location_name", "killed_low", "wounded_low").rows()
    assert ("security_operation", "Quetta", 9, 4) in summary
    assert ("bombing", "Colombo", 290, 500) in summary
    assert not found.filter(pl.col("evidence_text").str.contains("formation of bases")).height


def test_competing_claims_stay_one_event_with_both_claimants(registry):
    text = ("Gunmen attacked a police academy in Quetta on Monday. Jamaat-ul-Zarqa claimed responsibility for the attack. "
            "Tehrik-e-Nasr also claimed credit for the attack.")
    found, _ = extract([text], registry)
    assert found.height == 1
    assert sorted(found["perpetrator_names"][0].to_list()) == ["Jamaat-ul-Zarqa", "Tehrik-e-Nasr"]


def test_the_group_that_carried_out_a_named_attack_is_its_perpetrator(registry):
    row = one_event("Jamaat-ul-Zarqa carried out the Pulwama attack in February 2019 that killed 40 CRPF personnel.", registry)
    assert (row["perpetrator_names"], row["location_name"], row["killed_low"]) == (["Jamaat-ul-Zarqa"], "Pulwama", 40)


@pytest.mark.parametrize("text", [
    "Since its inception, Jamaat-ul-Zarqa has killed thousands of civilians.",
    "According to a think tank, 1,200 civilians were killed in terrorist violence in 2013.",
    "An attack on Kabul airport would be devastating.",
])
def test_statistics_and_hypothetical_subjects_are_not_events(text, registry):
    found, _ = extract([text], registry)
    assert found.is_empty(), found.select("event_type", "trigger_text").rows()


def test_a_dateline_is_not_the_place_of_the_event(registry):
    row = one_event("SRINAGAR: Three militants were killed in an encounter with security forces in Pulwama on Tuesday.", registry)
    assert (row["event_type"], row["location_name"], row["killed_low"]) == ("security_operation", "Pulwama", 3)


# --- held-out error classes: golden records with invented groups (one general rule each) ------------------

REFERENCE_GOLDEN = [
    ("'the attack' as the object of condemn / investigate / claim points back: one row, the claimant is a perpetrator",
     "A bomb exploded at a market in Quetta on Monday, killing six people. China condemned the attack and asked "
     "Pakistan to investigate the attack. Tehrik-e-Nasr claimed the attack.",
     {"event_type": "bombing", "killed_low": 6, "location_name": "Quetta", "perpetrator_names": ["Tehrik-e-Nasr"]}),
    ("'the <Place> attack' with a place of its own joins the event at that place",
     "Gunmen stormed a hotel in Gwadar on Monday, killing four guards. Officials said the Gwadar attack had been "
     "planned in Afghanistan.",
     {"event_type": "attack", "location_name": "Gwadar", "killed_low": 4}),
    ("a reference told before the report joins the report (a lede's claim of 'the attack on ...')",
     "Jamaat-ul-Zarqa claimed the attack on the police academy. Gunmen stormed the police academy in Quetta on Monday, "
     "killing 12 cadets.",
     {"event_type": "attack", "killed_low": 12, "perpetrator_names": ["Jamaat-ul-Zarqa"],
      "event_date_start": dt.date(2021, 3, 8)}),
    ("'was planning attacks' is a plot",
     "Police said the Jamaat-ul-Zarqa module was planning suicide attacks and serial blasts on churches in Lahore.",
     {"event_type": "plot", "location_name": "Lahore"}),
    ("'the bomber struck' is a bombing",
     "The bomber struck inside a shrine in Sehwan on Thursday evening.",
     {"event_type": "bombing", "location_name": "Sehwan", "event_date_start": dt.date(2021, 3, 4)}),
    ("an attempted attack ('tried to storm') is an attack",
     "Militants tried to storm a police station in Bannu on Sunday but were repulsed.",
     {"event_type": "attack", "location_name": "Bannu", "event_date_start": dt.date(2021, 3, 7)}),
    ("'fired on' is an attack",
     "Insurgents fired on an embassy in Kabul on Sunday.",
     {"event_type": "attack", "location_name": "Kabul"}),
    ("forces destroying a group's cell is a security operation counting the fighters killed",
     "Security forces destroyed a Jamaat-ul-Zarqa cell in Kandahar on Sunday, killing three fighters.",
     {"event_type": "security_operation", "killed_low": 3, "location_name": "Kandahar"}),
    ("an abduction ending in killing is an attack; 'shot them dead' counts the abducted",
     "Gunmen abducted 11 miners in Bolan on Sunday and shot them dead.",
     {"event_type": "attack", "killed_low": 11, "killed_high": 11}),
    ("each number binds to its own verb, in either order",
     "The Wardak bombing on Sunday wounded 77 soldiers and killed five civilians.",
     {"event_type": "bombing", "killed_low": 5, "wounded_low": 77}),
    ("a singular noun phrase joined to the count adds one",
     "A suicide bomber rammed a car into a convoy in Shangla on Tuesday, killing five engineers and their driver.",
     {"event_type": "bombing", "killed_low": 6, "killed_high": 6}),
    ("the attackers' deaths told after the victims' add to killed",
     "Three gunmen stormed a consulate in Karachi on Friday, killing two policemen and two civilians before they were "
     "shot dead by security forces.",
     {"event_type": "attack", "killed_low": 7}),
    ("a dateline's day is the report's: the clause's own weekday dates the event",
     "NASEERKOT, Pakistan, March 10 (Reuters) - A car bomb exploded outside a hotel in Naseerkot late on Monday, "
     "killing four people.",
     {"event_type": "bombing", "event_date_start": dt.date(2021, 3, 8)}),
    ("'before all three attackers were shot dead' adds the three, counted once",
     "Gunmen stormed a consulate in Zarghunabad on Monday. Two policemen and two visitors were killed before all "
     "three attackers were shot dead.",
     {"event_type": "attack", "killed_low": 7}),
    ("'the figure did not include the bomber' adds one",
     "Six people were killed when a suicide bomber blew himself up in a mosque in Naseerkot on Monday. Police said "
     "the figure did not include the bomber, whose body parts were recovered from the courtyard.",
     {"event_type": "bombing", "killed_low": 7}),
    ("a figure with a verb of its own after ', and' is not summed: 75 killed, 120 hurt",
     "The blasts at a church in Naseerkot on Monday killed at least 75 people, and more than 120 others were hurt.",
     {"event_type": "bombing", "killed_low": 75, "wounded_low": 120}),
    ("'and another was critically injured' is one wounded",
     "Five soldiers were killed and another was critically injured when militants ambushed a truck in Naseerkot on Monday.",
     {"event_type": "attack", "killed_low": 5, "wounded_low": 1}),
    ("'killing him and five associates' is six",
     "A commander was killed in Zarghunabad on Monday when a suicide bomber struck his hideout, killing him and five associates.",
     {"event_type": "bombing", "killed_low": 6}),
    ("'in 2019 gunmen stormed' is no count of gunmen",
     "In 2019 gunmen from Jamaat-ul-Zarqa stormed a hotel in Zarghunabad, killing five people before they were shot dead.",
     {"event_type": "attack", "killed_low": 5}),
    ("'All six terrorists were killed.' in the next sentence adds the attackers",
     "Twenty-three soldiers were martyred when six militants attacked a police station in Bannu on Tuesday. "
     "All six terrorists were killed, the army said.",
     {"event_type": "attack", "killed_low": 29}),
    ("the attackers' deaths told three sentences after the toll still add to it",
     "Seven people were killed on Tuesday when four gunmen stormed a bank in Zarghunabad. The gunmen fired on the "
     "guards. Police sealed off the area. All four attackers were killed.",
     {"event_type": "attack", "killed_low": 11}),
    ("'engaged the attackers in a clash ..., and all three gunmen were killed' adds the three to the toll",
     "Gunmen stormed a college in Zarghunabad on Monday, killing 12 students. The gunmen moved from room to room. "
     "Police engaged the attackers in a clash that lasted four hours, and all three gunmen were killed.",
     {"event_type": "attack", "killed_low": 15}),
    ("'N others were injured' in the next sentence, past a subset clause, is the event's wounded",
     "Three engineers were killed on Tuesday when a woman blew herself up next to a van in Karachi. "
     "Four others, including a guard and a driver, were injured.",
     {"event_type": "bombing", "killed_low": 3, "wounded_low": 4}),
    ("an unregistered name killed counts one",
     "Jamaat-ul-Zarqa commander Assadullah Qorvani was eventually killed in a drone strike in Kunar in June 2018.",
     {"event_type": "security_operation", "killed_low": 1}),
    ("a standalone claim a sentence or two later names the perpetrator",
     "Gunmen attacked a school in Peshawar on Monday, killing 14 pupils. The building was sealed off. "
     "Jamaat-ul-Zarqa claimed responsibility within hours.",
     {"event_type": "attack", "perpetrator_names": ["Jamaat-ul-Zarqa"]}),
    ("the claimant is the subject, not the group named in its appositive",
     "A bomb exploded at a hospital in Quetta on Monday, killing 20. Tehrik-e-Nasr, a breakaway faction of "
     "Jamaat-ul-Zarqa, claimed responsibility for the bombing.",
     {"event_type": "bombing", "perpetrator_names": ["Tehrik-e-Nasr"]}),
    ("a dateline with a date and an agency is not the place; the district in the sentence is",
     "Srinagar, Feb 14 (PTI) At least 40 CRPF personnel were killed on Thursday when a suicide bomber rammed their "
     "convoy in Pulwama district.",
     {"event_type": "bombing", "location_name": "Pulwama", "killed_low": 40}),
    ("an event naming no place happened at the dateline city",
     "QUETTA: A lawyer was shot dead by unidentified gunmen on Monday while he was on his way to court.",
     {"event_type": "attack", "location_name": "Quetta", "country_iso2": "PK", "killed_low": 1}),
    ("a country-level event takes the specific place of the next sentence",
     "Gunmen abducted 11 miners in southwestern Pakistan and shot them dead on Sunday. "
     "The miners were taken from a coal field in Bolan district.",
     {"location_name": "Bolan", "killed_low": 11}),
    ("the day a claim was made is not the event's date; 'The attack took place on Sunday' refines it",
     "Jamaat-ul-Zarqa on Monday claimed responsibility for the suicide bombing at a rally in Bajaur that killed 54 "
     "people. The attack took place on Sunday afternoon.",
     {"event_type": "bombing", "killed_low": 54, "event_date_start": dt.date(2021, 3, 7),
      "perpetrator_names": ["Jamaat-ul-Zarqa"]}),
    ("an adjectival year dates the event; 'one of the deadliest' is no count",
     "Tehrik-e-Nasr has claimed several previous attacks in Mastung, including a 2018 bombing at a rally that killed "
     "149 people, one of the deadliest attacks in the country.",
     {"event_type": "bombing", "killed_low": 149, "killed_high": 149, "date_precision": "year",
      "event_date_start": dt.date(2018, 1, 1), "perpetrator_names": ["Tehrik-e-Nasr"]}),
]


@pytest.mark.parametrize(("what", "text", "expected"), REFERENCE_GOLDEN, ids=[g[0] for g in REFERENCE_GOLDEN])
def test_heldout_error_classes(what, text, expected, registry):
    row = one_event(text, registry)
    assert {k: row[k] for k in expected} == expected


def test_a_clause_with_its_own_trigger_and_figures_is_its_own_event(registry):
    """', as the death toll from a bombing ... rose to N' splits from the raids and gives N killed."""
    found, _ = extract(["Security forces killed 20 militants in raids in North Waziristan on Sunday, as the death toll "
                        "from a suicide bombing at a shrine in Quetta rose to 30."], registry)
    rows = sorted(found.select("event_type", "killed_low", "location_name").rows())
    assert rows == [("bombing", 30, "Quetta"), ("security_operation", 20, "North Waziristan")]


def test_an_earlier_attack_named_after_after_is_another_event_not_dated_by_the_sentence(registry):
    """', two weeks after the attack in Pahalgam that killed 26' is an earlier event; the day belongs to the strikes."""
    found, _ = extract(["India carried out missile strikes on sites in Azad Kashmir on Wednesday, two weeks after the "
                        "attack in Pahalgam that killed 26 people."], registry)
    rows = {r[0]: r[1:] for r in found.select("event_type", "event_date_start", "location_name", "killed_low").rows()}
    assert rows["security_operation"][0] == dt.date(2021, 3, 10)
    assert rows["attack"] == (None, "Pahalgam", 26)


def test_a_bombing_reference_skips_a_shooting_told_in_between(registry):
    """'claimed responsibility for the bombing' goes to the bombing, not to the shooting told just before."""
    text = ("A suicide bomber struck a hospital in Quetta on Monday, killing 70 people. A lawyer had been shot dead "
            "earlier in the day. Jamaat-ul-Zarqa claimed responsibility for the bombing.")
    found, _ = extract([text], registry)
    bombing = found.filter(pl.col("event_type") == "bombing").row(0, named=True)
    assert bombing["perpetrator_names"] == ["Jamaat-ul-Zarqa"]
    assert found.filter(pl.col("event_type") == "attack")["perpetrator_names"].to_list() in ([], [[]])


@pytest.mark.parametrize(("phrase", "killed", "wounded"), [
    ("wounded 77 soldiers and killed five civilians", (5, 5), (77, 77)),
    ("killed at least 54 people and injured nearly 200", (54, None), (200, 200)),
    ("killed 149 people, one of the deadliest attacks", (149, 149), None),
    ("killing five engineers and their driver", (6, 6), None),
    ("abducted 11 miners and shot them dead", (11, 11), None),
    ("Four others, including a guard and a driver, were injured", None, (4, 4)),
    ("the death toll from a bombing at a shrine rose to 88", (88, 88), None),
])
def test_casualty_parser_binds_numbers_to_their_own_verbs(phrase, killed, wounded, lexicon):
    got = casualties(phrase, 0, len(phrase), lexicon.casualty)
    assert got == (Count(*killed) if killed else None, Count(*wounded) if wounded else None)


def test_cities_named_like_their_province_rank_as_towns():
    """Kandahar, Herat, Chittagong are cities in the registry (a geonameid), not provinces; Balochistan is one."""
    from flows.events import _Entity, _is_province
    assert not _is_province("kandahar", _Entity("Kandahar", "location", "AF", 31.6, 65.7, "Kandahar", None, None))
    assert _is_province("balochistan", _Entity("Balochistan", "location", "PK", 28.5, 65.1, "Balochistan", None, None))
    assert _is_province("iso:pk-sd", _Entity("Sindh", "location", "PK", 26.0, 68.0, "Sindh", None, None))


def test_a_yearless_month_takes_the_year_the_sentence_states(registry):
    """Without a publication date 'July' is unresolved; 'In 2008, ... in July that year' dates it July 2008."""
    row = one_event("In 2008, officials said a suicide bombing at an embassy in Kabul in July that year killed 58 people.",
                    registry, published=None)
    assert (row["event_type"], row["event_date_start"], row["date_precision"], row["killed_low"]) == (
        "bombing", dt.date(2008, 7, 1), "month", 58)


def test_a_yearless_day_is_not_given_another_years_number(registry):
    """'on March 3 ... since 2007': without a publication date the day stays undated, never 2007-03-03."""
    row = one_event("Gunmen attacked a police post in Naseerkot on March 3, the worst attack on the force since 2007.",
                    registry, published=None)
    assert (row["event_type"], row["event_date_start"]) == ("attack", None)


def test_both_attacks_claimed_by_the_group_go_to_the_two_events_and_the_salient_group(registry):
    """'Both attacks were claimed by the group': the two events told last, the group named most often so far."""
    text = ("Jamaat-ul-Zarqa wants to show that the army cannot protect anyone, Jamaat-ul-Zarqa said. "
            "A bombing in Quetta on Friday killed 46 worshippers, and a week later two bombers attacked a mosque in "
            "Peshawar, killing 60. Both attacks were claimed by the group, which also mocked Tehrik-e-Nasr.")
    found, _ = extract([text], registry)
    assert found.height == 2
    assert found["perpetrator_names"].to_list() == [["Jamaat-ul-Zarqa"], ["Jamaat-ul-Zarqa"]]


def test_a_headline_joins_the_body_report_and_is_not_its_evidence(registry):
    """The title line's 'the <School> Massacre' is a reference: it joins the body's report of the same attack."""
    title = "What the Peshawar School Massacre Changed"
    text = f"{title}\nOn 16 December 2014, six gunmen stormed a school in Peshawar, killing 147 people."
    docs = pl.DataFrame({"doc_id": ["d0"], "text": [text], "title": [title], "published_date": [None],
                         "is_day_first": [False]},
                        schema={"doc_id": pl.String, "text": pl.String, "title": pl.String, "published_date": pl.Date,
                                "is_day_first": pl.Boolean})
    sents = sentences(docs, load_sentence_rules())
    found_dates = date_mentions(docs.select("doc_id", "text", "published_date", pl.col("is_day_first").alias("day_first")), sents)
    found, support = events(docs, sents, mentions(docs, sents, registry), found_dates, entities_table(registry),
                            load_event_lexicon())
    assert found.height == 1
    row = found.row(0, named=True)
    assert (row["killed_low"], row["location_name"]) == (147, "Peshawar") and title not in row["evidence_text"]


@pytest.mark.parametrize(("what", "text", "expected"), [
    ("'killed all four attackers' is a count",
     "On Monday, militants tried to storm a naval base in Turbat. Security forces repulsed the assault and killed all "
     "four attackers.", {"killed_low": 4, "location_name": "Turbat"}),
    ("the destination of a journey is not the place ('on its way from X to Y when it was attacked')",
     "A convoy on its way from Quetta to Gwadar was attacked near Turbat on Monday, killing three soldiers.",
     {"location_name": "Turbat", "killed_low": 3}),
    ("a province in one sentence and a town in it in the next are one event",
     "Forty people were killed on Thursday in a suicide bombing at a shrine in Sindh province. The bomber struck "
     "inside the shrine in Sehwan during a ritual dance.",
     {"event_type": "bombing", "location_name": "Sehwan", "killed_low": 40}),
], ids=["all four attackers", "journey destination", "province then town"])
def test_places_and_counts_across_sentences(what, text, expected, registry):
    row = one_event(text, registry)
    assert {k: row[k] for k in expected} == expected


def test_a_demand_until_something_happens_is_no_event(registry):
    """'refused to bury them until the government arrested the killers' is a condition, not an arrest."""
    found, _ = extract(["Protesters blocked a road in Quetta and refused to bury the dead until the government "
                        "arrested the killers."], registry)
    assert found.is_empty(), found.select("event_type", "trigger_text").rows()


def test_soldiers_killed_in_the_passive_are_the_victims_of_the_attack_told_before(registry):
    """'Two soldiers were killed.' after an attack is its toll, not a security operation by the soldiers."""
    row = one_event("Militants attacked a checkpoint in Bannu on Sunday. The attack lasted three hours. "
                    "Two soldiers were killed.", registry)
    assert (row["event_type"], row["killed_low"], row["location_name"]) == ("attack", 2, "Bannu")


def test_the_place_of_the_events_own_clause_beats_a_place_in_a_conjoined_clause(registry):
    """', as clashes continued in Kunduz' is another clause: the ambush stays in Helmand."""
    row = one_event("Taliban fighters ambushed a convoy in Helmand, killing 12 soldiers, as clashes continued in Kunduz.",
                    registry)
    assert (row["event_type"], row["location_name"], row["killed_low"]) == ("attack", "Helmand", 12)


# --- held-out set 3 error classes: invented reports, one general rule each ---------------------------------------

CLAUSE_GOLDEN = [
    ("an attack told in a 'when' clause is its own event; the rescue that ended it is an operation, dated apart",
     "Commandos stormed a building in Naseerkot early on Sunday, ending a siege that began when Jamaat-ul-Zarqa gunmen "
     "attacked the gate of a police academy on Saturday. Nine attackers, 11 policemen and three hostages were killed "
     "in the attack and the rescue operation.",
     [("security_operation", dt.date(2021, 3, 7), None, []), ("attack", dt.date(2021, 3, 6), 23, ["Jamaat-ul-Zarqa"])]),
    ("'X claimed an attack on ...' names the perpetrator of that attack",
     "A bomb exploded at a market in Zarghunabad on Monday. Days later, Tehrik-e-Nasr claimed an attack on the offices "
     "of a charity in Naseerkot.",
     [("bombing", dt.date(2021, 3, 8), None, []), ("attack", None, None, ["Tehrik-e-Nasr"])]),
    ("an attack after 'came a week after' is another, earlier event with its own place, toll and perpetrator",
     "A bomb exploded at a market in Zarghunabad on Monday, killing six people. The bombing came a week after "
     "Tehrik-e-Nasr gunmen stormed a hotel in Naseerkot, killing at least 22 people, including 14 foreigners.",
     [("bombing", dt.date(2021, 3, 8), 6, []), ("attack", None, 22, ["Tehrik-e-Nasr"])]),
]


@pytest.mark.parametrize(("what", "text", "expected"), CLAUSE_GOLDEN, ids=[g[0] for g in CLAUSE_GOLDEN])
def test_subordinate_clause_attacks(what, text, expected, registry):
    found, _ = extract([text], registry)
    assert found.select("event_type", "event_date_start", "killed_low", "perpetrator_names").rows() == expected


HELDOUT3_GOLDEN = [
    ("'in which N people, including all the attackers, were killed' is the toll; the day it was said does not date "
     "'the weekend assault'",
     "Jamaat-ul-Zarqa said on Tuesday that its fighters carried out the weekend assault on a hotel in Naseerkot, in "
     "which 30 people, including all six attackers, were killed.",
     {"event_type": "attack", "killed_low": 30, "killed_high": 30, "event_date_start": None, "location_name": "Naseerkot"}),
    ("a lone attacker shot dead after the victims counts one more",
     "A gunman stormed a temple in Naseerkot on Wednesday, killing 12 worshippers before police shot him dead.",
     {"event_type": "attack", "killed_low": 13}),
    ("an attacker shot dead in a sentence of its own adds one; 'another was arrested with bullet wounds' is no "
     "operation; 'At least 9 others were injured' is the wounded",
     "Militants attacked a police checkpoint in Zarghunabad on Thursday, killing two constables. One of the attackers "
     "was shot dead in the gunfight with police, and another was arrested with bullet wounds. At least 9 others were "
     "injured.",
     {"event_type": "attack", "killed_low": 3, "wounded_low": 9, "location_name": "Zarghunabad"}),
    ("a casualty sentence naming forces as the killed is the attack's toll, and 'Three of the attackers were killed' "
     "adds to it",
     "Militants stormed a police station in Zarghunabad on Sunday night. Officials said eight security personnel, "
     "including Rangers, were killed and 11 others injured. Three of the attackers were killed.",
     {"event_type": "attack", "killed_low": 11, "wounded_low": 11, "location_name": "Zarghunabad"}),
    ("'Two other girls, <names>, were also wounded' adds to the named victim; a place in a 'who' clause about the "
     "victim is not the event's",
     "Gunmen on Tuesday shot and seriously wounded Nargis Baloch, a schoolgirl who campaigned for education in "
     "Zarghunabad. A gunman opened fire on her school van in Naseerkot. Two other girls, Sadia Khan and Hina Riaz, "
     "were also wounded.",
     {"event_type": "attack", "wounded_low": 3, "location_name": "Naseerkot", "event_date_start": dt.date(2021, 3, 9)}),
    ("the date is the attack's, not the day of the toll or the burials",
     "NASEERKOT (AP) — Mourners buried their dead on Sunday as the death toll from a suicide bombing in Naseerkot "
     "rose to 40. The bomber detonated a car bomb outside a court on Saturday.",
     {"event_type": "bombing", "killed_low": 40, "event_date_start": dt.date(2021, 3, 6)}),
    ("a neighbourhood the registry puts in a city is coded as the city; the words stay the location_text",
     "A bomb exploded in Gul Mohallah on Monday, killing four people.",
     {"event_type": "bombing", "location_name": "Naseerkot", "location_text": "Gul Mohallah"}),
    ("the attackers' deaths and the wounded of one orphan sentence both count",
     "Four gunmen stormed a college in Naseerkot on Wednesday, killing 18 students. All four attackers were killed by "
     "security forces, and at least 20 people were injured.",
     {"event_type": "attack", "killed_low": 22, "wounded_low": 20}),
    ("a lede's undated report and the next sentence's date are one event",
     "A day after gunmen killed 20 people at a college in Naseerkot, Jamaat-ul-Zarqa claimed the massacre. Four "
     "attackers scaled the back wall of the campus on Wednesday morning and opened fire on students.",
     {"event_type": "attack", "killed_low": 20, "location_name": "Naseerkot", "event_date_start": dt.date(2021, 3, 10),
      "perpetrator_names": ["Jamaat-ul-Zarqa"]}),
    ("a claim after an attacker's arrest joins the attack ('another was arrested' does not change its kind)",
     "Militants attacked a checkpoint in Zarghunabad on Friday, killing four policemen. One attacker was shot dead, "
     "and another was arrested. Police kept the area sealed. Jamaat-ul-Zarqa claimed the attack.",
     {"event_type": "attack", "perpetrator_names": ["Jamaat-ul-Zarqa"], "killed_low": 5}),
    ("a raid on the state's forces claimed by a group is an attack",
     "Militants attacked an army base in Zarghunabad on Monday, killing five soldiers. Tehrik-e-Nasr claimed "
     "responsibility for the raid.",
     {"event_type": "attack", "perpetrator_names": ["Tehrik-e-Nasr"], "killed_low": 5}),
]


@pytest.mark.parametrize(("what", "text", "expected"), HELDOUT3_GOLDEN, ids=[g[0] for g in HELDOUT3_GOLDEN])
def test_heldout3_error_classes(what, text, expected, registry):
    row = one_event(text, registry)
    assert {k: row[k] for k in expected} == expected


def test_a_clause_after_a_semicolon_continues_the_event_at_the_place_told_before(registry):
    """'; two soldiers also died in the operation' adds to the toll and stays in the evidence; 'stormed the compound'
    is at the place of the event told just before, not at a place of the next sentence."""
    text = ("In March, Tehrik-e-Nasr detainees overpowered guards at a prison in Naseerkot and took its staff hostage. "
            "Two days later, commandos stormed the compound, killing 20 militants; two soldiers also died in the "
            "operation. Officials in Zarghunabad said talks had failed.")
    found, _ = extract([text], registry)
    assert found["event_type"].to_list() == ["abduction", "security_operation"]
    row = found.row(1, named=True)
    assert (row["killed_low"], row["location_name"]) == (22, "Naseerkot")
    assert row["evidence_text"] == ("Two days later, commandos stormed the compound, killing 20 militants; two soldiers "
                                    "also died in the operation.")


def test_a_claim_whose_motive_names_another_event_is_for_the_attack_told_before(registry):
    """'saying it was revenge for the killing of X in a drone strike': the strike is another event, not the one
    claimed, and not an attack by the claimant."""
    found, _ = extract(["Gunmen stormed a hotel in Naseerkot on Monday, killing nine guests. Tehrik-e-Nasr claimed "
                        "responsibility on Tuesday, saying it was revenge for the killing of its commander in a drone "
                        "strike last year."], registry)
    rows = found.select("event_type", "perpetrator_names", "killed_low").rows()
    assert rows == [("attack", ["Tehrik-e-Nasr"], 9), ("security_operation", [], None)]


def extract_titled(title: str, text: str, registry) -> pl.DataFrame:
    """The events of one document with a title line."""
    docs = pl.DataFrame({"doc_id": ["d0"], "text": [text], "title": [title], "published_date": [PUBLISHED],
                         "is_day_first": [False]},
                        schema={"doc_id": pl.String, "text": pl.String, "title": pl.String, "published_date": pl.Date,
                                "is_day_first": pl.Boolean})
    sents = sentences(docs, load_sentence_rules())
    found_dates = date_mentions(docs.select("doc_id", "text", "published_date", pl.col("is_day_first").alias("day_first")), sents)
    found, _ = events(docs, sents, mentions(docs, sents, registry), found_dates, entities_table(registry),
                      load_event_lexicon())
    return found


def test_a_headline_naming_the_scene_loosely_joins_the_body_and_a_base_is_coded_as_the_dateline_town(registry):
    """The title's 'Sarmast base assault' joins the body's attack on 'PNS Sarmast, the navy's aviation base'; the
    base is the target, the place is the dateline's town nearby."""
    title = "Militants destroy two aircraft in Sarmast base assault"
    text = (f"{title}\nZarghunabad, May 23, 2021\nA squad of militants stormed PNS Sarmast, the navy's aviation base, "
            "late on Sunday night, killing ten sailors.")
    found = extract_titled(title, text, registry)
    assert found.height == 1
    row = found.row(0, named=True)
    assert (row["location_name"], row["killed_low"]) == ("Zarghunabad", 10) and title not in row["evidence_text"]


HELDOUT4_GOLDEN = [
    ("'a suicide bomber from the group' is the group told before",
     "Jamaat-ul-Zarqa has stepped up its campaign this year. In May, a suicide bomber from the group struck a market in "
     "Naseerkot, killing five people.",
     {"event_type": "bombing", "perpetrator_names": ["Jamaat-ul-Zarqa"], "location_name": "Naseerkot"}),
    ("'its fighters carried out attacks' is the group told before",
     "Tehrik-e-Nasr is the largest armed group in the area. In August, its fighters carried out coordinated attacks "
     "across Zarghunabad that left 30 people dead.",
     {"event_type": "attack", "perpetrator_names": ["Tehrik-e-Nasr"], "killed_low": 30}),
    ("a group named in quotes after 'claimed by' is the claimant",
     "A bomb exploded at a court in Naseerkot on Monday, killing four people, which was claimed by the 'Tehrik-e-Nasr'.",
     {"event_type": "bombing", "perpetrator_names": ["Tehrik-e-Nasr"]}),
    ("'along with four militants, three of whom blew themselves up' adds the attackers and is no second event",
     "Gunmen stormed a police post in Zarghunabad on Monday. Eight policemen and two civilians were killed, along with "
     "four militants, three of whom blew themselves up as commandos closed in.",
     {"event_type": "attack", "killed_low": 14, "killed_high": 14, "location_name": "Zarghunabad"}),
    ("'two of the attackers detonated their vests' tells how the attack ended, not another event",
     "Militants stormed a college in Naseerkot on Monday, killing 12 students. Police said two of the attackers "
     "detonated their vests.",
     {"event_type": "attack", "killed_low": 12, "location_name": "Naseerkot"}),
    ("a place another sentence names inside the city told first is the event's (the words stay location_text)",
     "Gunmen stormed a school on the outskirts of Naseerkot on Monday, killing three teachers. The gunmen attacked the "
     "school at Gul Mohallah through a back gate.",
     {"event_type": "attack", "location_name": "Naseerkot", "location_text": "Gul Mohallah", "killed_low": 3}),
]


@pytest.mark.parametrize(("what", "text", "expected"), HELDOUT4_GOLDEN, ids=[g[0] for g in HELDOUT4_GOLDEN])
def test_heldout4_error_classes(what, text, expected, registry):
    row = one_event(text, registry)
    assert {k: row[k] for k in expected} == expected


def test_a_claim_of_both_goes_to_the_two_events_told_last(registry):
    """'X took credit for both.' after two attacks in two sentences: each has X as its perpetrator."""
    found, _ = extract(["On Monday, gunmen stormed a hotel in Naseerkot. On Friday, a suicide bomber struck a court in "
                        "Zarghunabad, killing five people. Jamaat-ul-Zarqa took credit for both."], registry)
    assert found.sort("event_date_start")["perpetrator_names"].to_list() == [["Jamaat-ul-Zarqa"], ["Jamaat-ul-Zarqa"]]


def test_claims_and_allegations_about_an_event_name_its_perpetrators(registry):
    """The responsibility claim linked to an event and the armed group a responsibility allegation accuses in a
    sentence of the event are perpetrators; a state accused of responsibility or a group accused of support is not."""
    found, support = extract(["Gunmen stormed a hotel in Naseerkot on Monday, killing five people. Officials said the "
                              "attack was planned abroad."], registry)
    event_id = found["event_id"][0]
    claims = pl.DataFrame({"claim_type": ["responsibility", "denial"], "claimant_id": ["jamaat_ul_zarqa", "tehrik_e_nasr"],
                           "claimant_name": ["Jamaat-ul-Zarqa", "Tehrik-e-Nasr"], "event_id": [event_id, event_id]})
    allegations = pl.DataFrame({"doc_id": ["d0", "d0", "d0"], "sentence_idx": [1, 1, 1],
                                "accused_id": ["tehrik_e_nasr", "pakistan", "jamaat_ul_zarqa"],
                                "accused_name": ["Tehrik-e-Nasr", "Pakistan", "Jamaat-ul-Zarqa"],
                                "allegation_type": ["responsibility", "responsibility", "support"]})
    row = attributed_perpetrators(found, support, claims, allegations, entities_table(registry)).row(0, named=True)
    assert row["perpetrator_names"] == ["Jamaat-ul-Zarqa", "Tehrik-e-Nasr"]
    assert row["perpetrator_ids"] == ["jamaat_ul_zarqa", "tehrik_e_nasr"]


def test_a_claims_own_words_about_the_attack_are_the_event_claimed(registry):
    """'claimed responsibility ..., saying its fighters had carried out an attack on a convoy' joins the event told
    before instead of making a new one, so the claimant is its perpetrator."""
    found, _ = extract(["A suicide bomber rammed a car into a convoy in Naseerkot on Monday, killing two engineers. "
                        "Jamaat-ul-Zarqa claimed responsibility in a statement, saying its fighters had carried out a "
                        "daring attack on a convoy of foreign engineers."], registry)
    assert found.select("event_type", "perpetrator_names", "killed_low").rows() == [("bombing", ["Jamaat-ul-Zarqa"], 2)]


HELDOUT6_GOLDEN = [
    ("'The toll climbed to N' without 'death' raises the toll told before",
     "A suicide bomber struck a rally in Naseerkot on Monday, killing 14 people. The toll climbed to 16 on Tuesday.",
     {"event_type": "bombing", "killed_low": 16, "killed_high": 16}),
    ("'the father of a soldier' counts one beside the soldiers, not the soldier",
     "Gunmen stormed an army camp in Zarghunabad on Monday. Four soldiers and the father of a soldier were killed in "
     "the attack.",
     {"event_type": "attack", "killed_low": 5, "killed_high": 5}),
    ("', an attack officials blamed on X' is an apposition, not one more killed",
     "Gunmen raided a radio station in Naseerkot on Monday, killing at least six people, an attack officials blamed on "
     "Tehrik-e-Nasr.",
     {"event_type": "attack", "killed_low": 6, "killed_high": None}),
    ("attackers counted in the sentence before add to a toll told 'before the attackers were shot dead'",
     "On Monday, three militants cut through the fence of an army camp in Zarghunabad and attacked the mess. Five "
     "soldiers were killed before the attackers were shot dead.",
     {"event_type": "attack", "killed_low": 8, "killed_high": 8}),
]


@pytest.mark.parametrize(("what", "text", "expected"), HELDOUT6_GOLDEN, ids=[g[0] for g in HELDOUT6_GOLDEN])
def test_heldout6_casualty_patterns(what, text, expected, registry):
    row = one_event(text, registry)
    assert {k: row[k] for k in expected} == expected


def test_figures_of_a_similar_attack_are_not_the_event_before(registry):
    """'a similar attack ... left 40 dead' (a dropped, indefinite trigger) is no orphan toll of the event told before."""
    found, _ = extract(["Gunmen stormed a shrine in Naseerkot on Monday, killing 12 worshippers. In May, a similar "
                        "attack on a school in Zarghunabad left 40 people dead."], registry)
    assert found.filter(pl.col("killed_low") == 12).height == 1 and found.filter(pl.col("killed_low") == 40).height <= 1


def test_a_headlines_count_of_militants_killed_adds_nothing_to_the_bodys_toll(registry):
    """'Nine militants killed as ... attack repulsed' sums up 'Nine militants and a guard were killed': 10, not 19."""
    title = "Nine militants killed as Zarghunabad base attack repulsed"
    found = extract_titled(title, "Militants stormed a naval base in Zarghunabad on Monday. Nine militants and a guard "
                                  "were killed in the fighting.", registry)
    assert found.height == 1 and (found["killed_low"][0], found["killed_high"][0]) == (10, 10)
