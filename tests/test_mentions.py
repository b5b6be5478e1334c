"""Finding mentions: matching rules on an invented registry, then the real samples."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from test_registry import TINY_ENTITIES, TINY_PLACES, write_reference

from flows.mentions import MENTION_SCHEMA, find_mentions, mentions
from flows.registry import load_registry

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "raw"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return load_registry(write_reference(tmp_path_factory.mktemp("tiny"), TINY_ENTITIES, TINY_PLACES))


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def samples():
    return {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))}


def found(text, registry):
    return [(m.surface_text, m.entity_id, m.match_method) for m in find_mentions(text, registry)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jamaat-ul-Zarqa struck.", [("Jamaat-ul-Zarqa", "jamaat_ul_zarqa", "exact")]),
        ("Jamaat ul Zarqa struck.", [("Jamaat ul Zarqa", "jamaat_ul_zarqa", "normalised")]),
        ("Jamaat – ul – Zarqa struck.", [("Jamaat – ul – Zarqa", "jamaat_ul_zarqa", "normalised")]),
        ("JAMAAT-UL-ZARQA STRUCK", [("JAMAAT-UL-ZARQA", "jamaat_ul_zarqa", "case_insensitive")]),
        ("They met JuZ fighters.", [("JuZ", "jamaat_ul_zarqa", "exact")]),
        ("They met JUZ fighters.", []),
        ("They met juz fighters.", []),
        ("jamaat-ul-zarqa struck.", []),
    ],
)
def test_dashes_spaces_and_case_follow_the_alias(tiny, text, expected):
    assert found(text, tiny) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zarqastan's army", [("Zarqastan", "zarqastan", "exact")]),
        ("Zarqastan’s army", [("Zarqastan", "zarqastan", "exact")]),
        ("the Zarqastan-based cell", [("Zarqastan", "zarqastan", "exact")]),
        ("Zarqastani officials", []),
        ("the HaZ, Zarqastan and Ostravia", [("HaZ", "harakat_al_zarqa", "exact"), ("Zarqastan", "zarqastan", "exact"), ("Ostravia", "ostravia", "exact")]),
    ],
)
def test_possessives_and_word_boundaries(tiny, text, expected):
    assert found(text, tiny) == expected


def test_longest_span_wins_over_its_parts(tiny):
    assert found("Harakat al-Zarqa claimed it.", tiny) == [("Harakat al-Zarqa", "harakat_al_zarqa", "exact")]


def test_offsets_point_at_the_surface_text(tiny):
    text = "In  Zarqa City,\n\tthe  Jamaat -  ul-Zarqa’s men met JuZ."
    for mention in find_mentions(text, tiny):
        assert text[mention.char_start : mention.char_end] == mention.surface_text
    assert [m.entity_id for m in find_mentions(text, tiny)] == ["zarqa_city", "jamaat_ul_zarqa", "jamaat_ul_zarqa"]


def test_an_alias_never_spans_two_lines(tiny):
    assert found("Harakat al-\nZarqa", tiny) == []


@pytest.mark.parametrize(
    ("text", "entity_id", "method"),
    [
        ("Zarqastan police said a bomb hit Port Vell. Zarqastan blamed Ostravia.", "port_vell_xa", "document_country"),
        ("Ostravia said Port Vell was calm; Ostravia and Zarqastan talked.", "port_vell_xb", "document_country"),
        ("Zarqastan and Ostravia said Port Vell was calm.", None, "ambiguous"),
        ("Port Vell was calm.", None, "ambiguous"),
        ("Ostravia spoke. Zarqastan said Port Vell was calm. Ostravia agreed.", "port_vell_xa", "document_country"),
        ("Zarqastan spoke.\nOstravia and Zarqastan met. Port Vell was calm in Ostravia.", "port_vell_xb", "document_country"),
        ("Zarqastan spoke.\nOstravia met us. Port Vell was calm.\nZarqastan agreed.", "port_vell_xb", "document_country"),
        ("Ostravia spoke.\nZarqastan and Ostravia said Port Vell was calm.", "port_vell_xb", "document_country"),
    ],
)
def test_shared_place_names_are_decided_by_the_sentence_then_paragraph_then_documents_countries(tiny, text, entity_id, method):
    (mention,) = [m for m in find_mentions(text, tiny) if m.surface_text == "Port Vell"]
    assert (mention.entity_id, mention.match_method, mention.entity_type) == (entity_id, method, "location")
    assert mention.candidate_ids == ("port_vell_xa", "port_vell_xb")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fighters of Jamaat-ul-Zaqra attacked.", [("Jamaat-ul-Zaqra", "jamaat_ul_zarqa", "fuzzy")]),
        ("Fighters of Harakat al-Zraqa attacked.", [("Harakat al-Zraqa", "harakat_al_zarqa", "fuzzy")]),
        ("the Zarqastanis marched.", [("Zarqastanis", None, "unresolved")]),
        ("a JUZQ cell", []),
    ],
)
def test_near_misspellings_of_long_names_match_fuzzily_but_not_extensions_or_acronyms(tiny, text, expected):
    assert found(text, tiny) == expected


@pytest.mark.parametrize(
    ("text", "surface", "entity_type"),
    [
        ("The cell was led by Dr Qorvan Meltasi last year.", "Qorvan Meltasi", "person"),
        ("A raid in Velloran district left two dead.", "Velloran district", "location"),
        ("Men from Lashkar-e-Qorvan were held.", "Lashkar-e-Qorvan", "armed_group"),
        ("The claim was relayed by Tanzeem Qorvan on Monday.", "Tanzeem Qorvan", "armed_group"),
        ("She spoke to Meltasi Qorvan about it.", "Meltasi Qorvan", "person"),
        ("They toured the Qorvan University campus.", "Qorvan University", "organisation"),
        ("He praised Abu Qorvan al-Meltasi in a video.", "Abu Qorvan al-Meltasi", "person"),
        ("By Qorvan Meltasi\nThe cell was small.", "Qorvan Meltasi", "person"),
        ("The story was filed by Velloran Qorvan University staff.", "Velloran Qorvan University", "organisation"),
        ("Police busted Harkat-ul-Velmar-e-Islam, a new module.", "Harkat-ul-Velmar-e-Islam", "armed_group"),
        ("They were trained by the Velloran Army in camps.", "Velloran Army", "armed_group"),
        ("The attack was claimed by Commander Qorvan Brigade fighters.", "Qorvan Brigade", "armed_group"),
        ("Men of Tanzeem e Velmar were held.", "Tanzeem e Velmar", "armed_group"),
        ("Only the Army spoke.", "Army", "other"),
        ("She studied at the University of Zarqastan.", "University", "other"),
    ],
)
def test_unknown_proper_names_become_unresolved_mentions_with_a_guessed_type(tiny, text, surface, entity_type):
    unresolved = [m for m in find_mentions(text, tiny) if m.match_method == "unresolved"]
    assert [(m.surface_text, m.entity_id, m.entity_type) for m in unresolved] == [(surface, None, entity_type)]


@pytest.mark.parametrize(
    "text",
    [
        "However, the talks failed.",
        "Fairly credible, he said.",
        "It happened on Monday, 3 January.",
        "Zarqastani and Muslim leaders met.",
        "Defeated in Velloran, Fighters Create Presence in Qorvan\nThe rest is quiet.",
        "The Twenty-ninth report and Three Hundred pages.",
    ],
)
def test_sentence_starts_calendar_words_demonyms_and_headlines_are_not_names(tiny, text):
    assert [m for m in find_mentions(text, tiny) if m.match_method == "unresolved"] == []


def test_a_sentence_initial_name_is_kept_when_the_document_confirms_it(tiny):
    text = "The study cites Qorvan Meltasi. Meltasi said more."
    assert [(m.surface_text, m.entity_type) for m in find_mentions(text, tiny)] == [
        ("Qorvan Meltasi", "person"),
        ("Meltasi", "person"),
    ]


def test_lowercase_is_never_the_islamic_state(registry):
    assert found("This is what it is.", registry) == []
    assert found("Why is IS here?", registry) == [("IS", "islamic_state", "exact")]


def test_isi_and_isis_stay_distinct(registry):
    assert found("ISI backed ISIS, said ISIS-K, not IS.", registry) == [
        ("ISI", "isi", "exact"),
        ("ISIS", "islamic_state", "exact"),
        ("ISIS-K", "iskp", "exact"),
        ("IS", "islamic_state", "exact"),
    ]


@pytest.mark.parametrize(
    ("surface", "entity_id"),
    [
        ("IS-Khorasan", "iskp"),
        ("IS- Khorasan", "iskp"),
        ("IS-KP", "iskp"),
        ("ISKP", "iskp"),
        ("ISIS-K", "iskp"),
        ("IS-K", "iskp"),
        ("Islamic State – Khorasan Province", "iskp"),
        ("Islamic State Khorasan Province", "iskp"),
        ("Islamic State-Khorasan Province", "iskp"),
        ("Wilayah Khorasan", "iskp"),
        ("Khorasan group", "iskp"),
        ("Wilayah Pakistan", "ispp"),
        ("Wilayat Pakistan", "ispp"),
        ("Waliyah of Hind", "ishp"),
        ("Wilayat al-Hind", "ishp"),
        ("India Province", "ishp"),
        ("Daesh", "islamic_state"),
        ("ISIL", "islamic_state"),
        ("Tehrik-e-Taliban Pakistan", "ttp"),
        ("Tehrik-i-Taliban Pakistan", "ttp"),
        ("Pakistani Taliban", "ttp"),
        ("Jamaat-ul-Ahrar", "jamaat_ul_ahrar"),
        ("Jamaat-ul-Arhar", "jamaat_ul_ahrar"),
        ("Lashkar-i-Jhangvi", "lej"),
        ("LeJ-A", "lej_alami"),
        ("LeJA", "lej_alami"),
        ("Lashkar-e-Taiba", "let"),
        ("Lashkar-e-Toiba", "let"),
        ("Jamaat-Ul-Dawa", "jud"),
        ("Jaish-e-Muhammad", "jem"),
        ("Haqqani Network", "haqqani_network"),
        ("HQN", "haqqani_network"),
        ("Inter-Services Intelligence", "isi"),
        ("Pakistani intelligence agency", "isi"),
        ("General Headquarters", "pakistan_army"),
        ("Counter-Terrorism Department", "ctd_pakistan"),
        ("National Directorate of Security", "nds"),
        ("Research and Analysis Wing", "raw"),
        ("UN Security Council", "unsc"),
        ("UNAMA", "unama"),
        ("Amaq News Agency", "amaq"),
        ("Jeruselam Post", "jerusalem_post"),
        ("European Foundation for South Asia Studies", "efsas"),
        ("UFSAS", "efsas"),
        ("Centre for Air Power Studies", "caps_india"),
        ("U.S.", "united_states"),
        ("America", "united_states"),
    ],
)
def test_listed_spellings_resolve_to_their_one_entity(registry, surface, entity_id):
    text = f"Officials said {surface} was involved."
    (mention,) = [m for m in find_mentions(text, registry) if m.char_start == text.index(surface)]
    assert (mention.surface_text, mention.entity_id) == (surface, entity_id)


@pytest.mark.parametrize(
    ("sample", "surface", "entity_id"),
    [
        ("000", "IS- Khorasan", "iskp"),
        ("000", "IS-Khorasan", "iskp"),
        ("000", "LeJ-A", "lej_alami"),
        ("000", "LeJA", "lej_alami"),
        ("000", "JMB", "jmb"),
        ("000", "TTP", "ttp"),
        ("000", "Program on Extremism", "gwu_program_on_extremism"),
        ("001", "Amaq News Agency", "amaq"),
        ("001", "Waliyah of Hind", "ishp"),
        ("001", "Wilayah Pakistan", "ispp"),
        ("001", "Intelligence Bureau", "ib_pakistan"),
        ("001", "Counter-Terrorism Department", "ctd_pakistan"),
        ("001", "Lashkar-i-Jhangvi", "lej"),
        ("001", "Jamaat-ul-Ahrar", "jamaat_ul_ahrar"),
        ("001", "UN Security Council", "unsc"),
        ("001", "Jeruselam Post", "jerusalem_post"),
        ("001", "Baluchistan police", "balochistan_police"),
        ("002", "Tehrik-e-Taliban Pakistan", "ttp"),
        ("002", "Jamaat-ul-Arhar", "jamaat_ul_ahrar"),
        ("002", "Islamic State – Khorasan Province", "iskp"),
        ("002", "UN Assistance Mission in Afghanistan", "unama"),
        ("002", "Khorasan group", "iskp"),
        ("002", "Centre for Air Power Studies", "caps_india"),
        ("002", "Abu Bakr al-Baghdadi", "abu_bakr_al_baghdadi"),
        ("003", "Pakistani intelligence agency", "isi"),
        ("003", "European Foundation for South Asia Studies", "efsas"),
        ("003", "UFSAS", "efsas"),
        ("003", "Jamaat-Ul-Dawa", "jud"),
        ("003", "Islamic State-Khorasan Province", "iskp"),
        ("003", "UN General Assembly", "unga"),
        ("004", "Islamic State Khorasan Province", "iskp"),
        ("004", "IS-KP", "iskp"),
        ("004", "Tehrik-i-Taliban Pakistan", "ttp"),
        ("004", "Jaish-e-Muhammad", "jem"),
        ("004", "Inter-Services Intelligence", "isi"),
        ("004", "HQN", "haqqani_network"),
        ("004", "General Headquarters", "pakistan_army"),
        ("004", "IANS", "ians"),
    ],
)
def test_sample_spellings_resolve_to_their_one_entity(registry, samples, sample, surface, entity_id):
    hits = {m.entity_id for m in find_mentions(samples[sample], registry) if surface in m.surface_text}
    assert hits == {entity_id}


def test_samples_keep_isi_and_isis_apart(registry, samples):
    by_surface = {}
    for text in samples.values():
        for m in find_mentions(text, registry):
            by_surface.setdefault(m.surface_text, set()).add(m.entity_id)
    assert by_surface["ISI"] == {"isi"}
    assert by_surface["ISIS"] == {"islamic_state"}
    assert by_surface["IS"] == {"islamic_state"}


@pytest.mark.parametrize(("sample", "name"), [("002", "Noreen Leghari"), ("003", "Timothy Foxley"), ("001", "Rashid Hussain"), ("001", "Ishfaq Ahmad Sofi")])
def test_samples_people_missing_from_the_registry_are_unresolved_person_mentions(registry, samples, sample, name):
    hits = [m for m in find_mentions(samples[sample], registry) if m.surface_text == name]
    assert [(m.entity_id, m.entity_type, m.match_method) for m in hits] == [(None, "person", "unresolved")]


@pytest.mark.parametrize(
    ("sample", "surface", "country_iso2"),
    [
        ("000", "Quetta", "PK"),
        ("000", "Dhaka", "BD"),
        ("001", "Colombo", "LK"),
        ("001", "Shopian", "IN"),
        ("001", "Sehwan", "PK"),
        ("002", "Taxila", "PK"),
        ("002", "Sari Pul", "AF"),
        ("002", "Hyderabad", "PK"),
    ],
)
def test_sample_places_resolve_to_the_right_country(registry, samples, sample, surface, country_iso2):
    hits = [m for m in find_mentions(samples[sample], registry) if surface in m.surface_text]
    assert hits
    for mention in hits:
        place = registry.entities[mention.entity_id]
        assert (place.entity_type, place.country_iso2) == ("location", country_iso2)
        assert place.latitude is not None


def test_mentions_table_assigns_sentences_and_keeps_inputs_intact(tiny):
    documents = pl.DataFrame({"doc_id": ["b", "a"], "text": ["JuZ hit Port Vell.", "Zarqastan spoke. Later JuZ left."], "title": ["x", "y"]})
    sentences = pl.DataFrame(
        {"doc_id": ["a", "a", "b"], "sentence_idx": [0, 1, 0], "char_start": [0, 17, 0], "char_end": [16, 32, 18]}
    )
    before = (documents.clone(), sentences.clone())
    table = mentions(documents, sentences, tiny)
    assert table.schema == pl.Schema(MENTION_SCHEMA)
    assert table.select("doc_id", "sentence_idx", "surface_text", "entity_id", "match_method").rows() == [
        ("a", 0, "Zarqastan", "zarqastan", "exact"),
        ("a", 1, "JuZ", "jamaat_ul_zarqa", "exact"),
        ("b", 0, "JuZ", "jamaat_ul_zarqa", "exact"),
        ("b", 0, "Port Vell", "port_vell_xa", "document_country"),
    ]
    assert documents.equals(before[0]) and sentences.equals(before[1])


def test_mentions_table_of_no_documents_is_empty_with_the_schema(tiny):
    empty_docs = pl.DataFrame(schema={"doc_id": pl.String, "text": pl.String})
    empty_sentences = pl.DataFrame(schema={"doc_id": pl.String, "sentence_idx": pl.Int32, "char_start": pl.Int32, "char_end": pl.Int32})
    table = mentions(empty_docs, empty_sentences, tiny)
    assert table.is_empty() and table.schema == pl.Schema(MENTION_SCHEMA)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Interior Minister Qorvan Meltasi spoke.", [("Qorvan Meltasi", "person")]),
        ("Inspector General of Police Qorvan Meltasi spoke.", [("Qorvan Meltasi", "person")]),
        ("They met at the University of Velloran yesterday.", [("University of Velloran", "organisation")]),
        ("Many Fighters of Velloran Qorvan left.", [("Fighters", "other"), ("Velloran Qorvan", "person")]),
    ],
)
def test_titles_end_a_name_and_of_joins_only_after_an_institution(tiny, text, expected):
    assert [(m.surface_text, m.entity_type) for m in find_mentions(text, tiny) if m.entity_id is None] == expected


def test_list_punctuation_never_joins_an_alias(registry):
    assert found("Keywords: ISIS, Pakistan.", registry) == [("ISIS", "islamic_state", "exact"), ("Pakistan", "pakistan", "exact")]


def test_an_alias_ending_in_punctuation_keeps_it(registry):
    assert found("Cadres of the CPI (Maoist) and the U.S. military", registry) == [
        ("CPI (Maoist)", "cpi_maoist", "exact"),
        ("U.S. military", "us_military", "exact"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks were held in Male on Friday.", ["Male"]),
        ("Two male students were hurt.", []),
        ("Police said the attack was foiled. Along the road, Mobile units waited.", []),
        ("A SWAT team reached Swat on Monday.", ["Swat"]),
    ],
)
def test_english_words_that_are_also_towns_are_not_places(registry, text, expected):
    assert [m.surface_text for m in find_mentions(text, registry) if m.entity_type == "location"] == expected


def test_a_mention_between_sentences_belongs_to_the_sentence_before(tiny):
    documents = pl.DataFrame({"doc_id": ["a"], "text": ["Zarqastan spoke.   JuZ left."]})
    sentences = pl.DataFrame({"doc_id": ["a", "a"], "sentence_idx": [0, 1], "char_start": [0, 21], "char_end": [16, 28]})
    table = mentions(documents, sentences, tiny)
    assert table.select("surface_text", "sentence_idx").rows() == [("Zarqastan", 0), ("JuZ", 0)]


def test_unresolved_mentions_view_ranks_names_by_frequency():
    table = pl.DataFrame(
        {
            "doc_id": ["d2", "d1", "d1", "d3", "d1"],
            "sentence_idx": [0, 0, 1, 0, 2],
            "char_start": [0, 0, 10, 0, 20],
            "char_end": [5, 5, 15, 5, 25],
            "surface_text": ["Qorvan Meltasi", "Qorvan Meltasi", "Qorvan Meltasi", "Velloran", "Zarqastan"],
            "entity_id": [None, None, None, None, "zarqastan"],
            "entity_type": ["person", "person", "person", "other", "state"],
            "match_method": ["unresolved", "unresolved", "unresolved", "unresolved", "exact"],
        },
        schema=MENTION_SCHEMA,
    )
    sql = (Path(__file__).resolve().parent.parent / "sql" / "unresolved_mentions.sql").read_text(encoding="utf-8")
    connection = duckdb.connect()
    connection.register("mentions_table", table.to_arrow())
    connection.execute("create view mentions as select * from mentions_table")
    connection.execute(f"create view unresolved_mentions as {sql}")
    assert connection.execute("select * from unresolved_mentions").fetchall() == [
        ("Qorvan Meltasi", "person", 3, 2, "d1"),
        ("Velloran", "other", 1, 1, "d3"),
    ]


def test_matching_is_fast_enough(registry, samples):
    import time

    text = "\n\n".join(samples.values()) * 50  # about 1 MB
    started = time.process_time()  # CPU time: other processes on the machine do not count
    find_mentions(text, registry)
    assert time.process_time() - started < 2.0  # >= 0.5 MB/s; about 4 MB/s measured


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WHAT IS NEXT FOR THE US\nIS claimed it.", [("IS", "islamic_state")]),
        ("GROWTH OF ISIS NETWORK IN PAKISTAN", [("ISIS", "islamic_state"), ("PAKISTAN", "pakistan")]),
        ("RAW FOOTAGE SHOWS THE BLAST", []),
        ("Pakistan blamed RAW for the blast.", [("Pakistan", "pakistan"), ("RAW", "raw")]),
    ],
)
def test_acronyms_that_are_words_are_skipped_on_all_caps_lines(registry, text, expected):
    assert [(m.surface_text, m.entity_id) for m in find_mentions(text, registry)] == expected


def test_places_are_never_matched_fuzzily(tiny):
    assert found("Troops entered Zarqa Citty at dawn.", tiny) == [("Zarqa Citty", None, "unresolved")]


@pytest.mark.parametrize(
    ("text", "entity_id"),
    [
        ("Imran Khan's PTI led protests across Pakistan; Pakistan's police responded.", "pti_party"),
        ("India said on Monday, PTI reported from New Delhi, that India would respond.", "pti"),
    ],
)
def test_shared_acronyms_of_actors_are_decided_by_the_documents_countries(registry, text, entity_id):
    (mention,) = [m for m in find_mentions(text, registry) if m.surface_text == "PTI"]
    assert (mention.entity_id, mention.match_method) == (entity_id, "document_country")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n\t ",
        "—–-’'“”…",
        "İSTANBUL İS a city; ﬁne Straße in Kābul’s İSI office.",
        "Line one\r\nPakistan’s ISI\r\n\r\nand the TTP's men",
        "ISIS-ISIS-ISIS--ISI ISI'S U.S.A. U.S..",
        "Dr. Al-Baghdadi's al-Qaeda Mr Bin Laden’s",
        "Кветта, کوئٹہ and Quetta",
        "A" * 5000 + " Quetta",
    ],
)
def test_any_text_gives_ordered_non_overlapping_mentions_with_true_offsets(registry, text):
    found_mentions = find_mentions(text, registry)
    for mention in found_mentions:
        assert text[mention.char_start : mention.char_end] == mention.surface_text
        assert mention.match_method in {"exact", "case_insensitive", "normalised", "variant", "document_country", "ambiguous", "fuzzy", "unresolved"}
        assert (mention.entity_id is None) == (mention.match_method in {"ambiguous", "unresolved"})
    spans = [(m.char_start, m.char_end) for m in found_mentions]
    assert spans == sorted(spans)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jamaat-i-Zarqa struck.", [("Jamaat-i-Zarqa", "jamaat_ul_zarqa", "variant")]),
        ("Jamaat Zarqa struck.", [("Jamaat Zarqa", "jamaat_ul_zarqa", "variant")]),
        ("Jamaatud Zarqa struck.", [("Jamaatud Zarqa", "jamaat_ul_zarqa", "variant")]),
        ("Jama'at-ud-Zarqa struck.", [("Jama'at-ud-Zarqa", "jamaat_ul_zarqa", "variant")]),
        ("Harkat-ul-Zarqa struck.", [("Harkat-ul-Zarqa", "harakat_al_zarqa", "variant")]),
        ("jamaat-i-zarqa struck.", []),
        ("Fighters of Harkat-i-Zarqa attacked.", [("Harkat-i-Zarqa", "harakat_al_zarqa", "variant")]),
        ("Fighters of Harakat-ul-Zarqa-i-Velmar attacked.", [("Harakat-ul-Zarqa-i-Velmar", None, "unresolved")]),
    ],
)
def test_transliteration_spellings_of_reviewed_aliases_match_as_variants(tiny, text, expected):
    assert found(text, tiny) == expected


def test_a_spelling_two_entities_would_share_matches_neither_and_reviewed_aliases_win(tmp_path):
    entities = {
        "entities": [
            {"id": "velmar_e", "name": "Tehrik-e-Velmar", "type": "armed_group", "aliases": ["Tehrik-e-Velmar"]},
            {"id": "velmar_i", "name": "Tahrik-i-Velmar", "type": "armed_group", "aliases": ["Tahrik-i-Velmar"]},
            {"id": "velmar_x", "name": "Tehreek-i-Velmar", "type": "armed_group", "aliases": ["Tehreek-i-Velmar"]},
        ]
    }
    registry = load_registry(write_reference(tmp_path / "ref", entities, {"places": []}))
    assert found("Tehreek-i-Velmar struck.", registry) == [("Tehreek-i-Velmar", "velmar_x", "exact")]
    assert "tahrik e velmar" not in registry.aliases  # generated for velmar_e and velmar_i


def test_shared_actor_names_are_decided_by_the_document_not_the_accused_country_in_their_sentence(tmp_path):
    entities = {
        "entities": [
            *TINY_ENTITIES["entities"],
            {"id": "bureau_xa", "name": "Velmar Bureau (XA)", "type": "state_agency", "country": "XA", "aliases": ["Velmar Bureau"]},
            {"id": "bureau_xb", "name": "Velmar Bureau (XB)", "type": "state_agency", "country": "XB", "aliases": ["Velmar Bureau"]},
        ],
        "ambiguous_aliases": [{"alias": "Velmar Bureau", "entities": ["bureau_xa", "bureau_xb"], "rule": "document_country"}],
    }
    registry = load_registry(write_reference(tmp_path / "ref", entities, {"places": []}))
    text = "Zarqastan police spoke. Zarqastan agreed. The Velmar Bureau blamed Ostravia."
    (mention,) = [m for m in find_mentions(text, registry) if m.surface_text == "Velmar Bureau"]
    assert (mention.entity_id, mention.match_method) == ("bureau_xa", "document_country")


SURNAME_PEOPLE = {
    "entities": [
        {"id": "velmar_qorvani", "name": "Velmar Qorvani", "type": "person", "aliases": ["Velmar Qorvani"]},
        {"id": "tazim_qorvani", "name": "Tazim Qorvani", "type": "person", "aliases": ["Tazim Qorvani"]},
        {"id": "ostan_brevik", "name": "Ostan Brevik", "type": "person", "aliases": ["Ostan Brevik"]},
    ]
}


@pytest.fixture(scope="module")
def people(tmp_path_factory):
    return load_registry(write_reference(tmp_path_factory.mktemp("people"), SURNAME_PEOPLE, {"places": []}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Velmar Qorvani returned home. Crowds cheered as Qorvani waved.",
         [("Velmar Qorvani", "velmar_qorvani", "exact"), ("Qorvani", "velmar_qorvani", "surname")]),
        ("Velmar Qorvani spoke first.\n\nQorvani said the talks had failed.",
         [("Velmar Qorvani", "velmar_qorvani", "exact"), ("Qorvani", "velmar_qorvani", "surname")]),
        ("A spokesman for Qorvani spoke. Later Velmar Qorvani arrived.",
         [("Qorvani", None, "unresolved"), ("Velmar Qorvani", "velmar_qorvani", "exact")]),
        ("Velmar Qorvani and Tazim Qorvani met. Then Qorvani left.",
         [("Velmar Qorvani", "velmar_qorvani", "exact"), ("Tazim Qorvani", "tazim_qorvani", "exact"), ("Qorvani", None, "unresolved")]),
        ("Ostan Brevik met Danel Brevik, and Brevik left.",
         [("Ostan Brevik", "ostan_brevik", "exact"), ("Danel Brevik", None, "unresolved"), ("Brevik", None, "unresolved")]),
        ("Ostan Brevik spoke. Velmar Qorvani listened, and then Brevik left.",
         [("Ostan Brevik", "ostan_brevik", "exact"), ("Velmar Qorvani", "velmar_qorvani", "exact"), ("Brevik", "ostan_brevik", "surname")]),
    ],
    ids=["after-full-name", "sentence-initial-surname", "surname-before-full-name", "two-registry-people-share-it",
         "an-unresolved-namesake-blocks-it", "another-person-in-between"],
)
def test_a_bare_surname_names_the_one_person_mentioned_before_by_full_name(people, text, expected):
    assert found(text, people) == expected


def test_bare_surnames_in_real_reports_resolve(registry):
    text = ("Two explosions tore through the procession welcoming Benazir Bhutto. Bhutto, who had survived, blamed "
            "militants loyal to Baitullah Mehsud. A spokesman for Mehsud denied any role.")
    resolved = {(m.surface_text, m.entity_id) for m in find_mentions(text, registry) if m.match_method == "surname"}
    assert resolved == {("Bhutto", "benazir_bhutto"), ("Mehsud", "baitullah_mehsud")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Military spokesman Lt-Gen Velmar Qorvani said so.", [("Velmar Qorvani", None, "unresolved")]),
        ("Military spokesman Maj-Gen Athar Abbas said so.", [("Athar Abbas", "athar_abbas", "exact")]),
        ("Military spokesman Lt-Gen Asim Bajwa said so.", [("Asim Bajwa", "asim_saleem_bajwa", "exact")]),
    ],
)
def test_hyphenated_ranks_are_titles_not_names(registry, text, expected):
    assert found(text, registry) == expected


# --- demonym + institution phrases (rule 7) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Indian agencies were behind the attack.", [("Indian agencies", "raw", "demonym")]),
        ("Afghan intelligence blamed the network.", [("Afghan intelligence", "nds", "exact")]),  # the registry's alias
        ("Pakistani security agencies arrested two men.", [("Pakistani security agencies", "isi", "demonym")]),
        ("Iranian officials denied it.", [("Iranian officials", "iran", "demonym")]),
        ("Bangladeshi authorities said.", [("Bangladeshi authorities", "bangladesh", "demonym")]),
        ("Senior Pakistani officials said.", [("Pakistani officials", "pakistan", "demonym")]),
        ("Iran's intelligence services denied it.", [("Iran's intelligence services", "iran", "demonym")]),
        ("Somali authorities said.", [("Somali authorities", "iso:so", "demonym")]),
        ("Afghan and Indian officials said.", []),  # two states: left to the readers of the sentence
        ("The Indian Mujahideen officials said.", [("Indian Mujahideen", "indian_mujahideen", "exact")]),
    ],
)
def test_demonym_and_institution_name_the_state_or_its_agency(registry, text, expected):
    assert found(text, registry) == expected


def test_demonym_rule_is_driven_by_the_name_rules(tmp_path):
    import yaml

    from flows.registry import DEFAULT_REFERENCE_DIR

    entities = {
        "entities": [
            *TINY_ENTITIES["entities"],
            {"id": "zarqa_directorate", "name": "Directorate Q", "type": "state_agency", "parent": "zarqastan", "country": "XA",
             "aliases": ["Directorate Q", "Zarqastani spy agency"]},
        ],
        "ambiguous_aliases": TINY_ENTITIES["ambiguous_aliases"],
    }
    directory = write_reference(tmp_path / "ref", entities, TINY_PLACES)
    rules = yaml.safe_load((DEFAULT_REFERENCE_DIR / "name_rules.yaml").read_text(encoding="utf-8"))
    rules["demonyms"] = {"heads": {"agency": ["agencies"], "state": ["envoys"]}, "agency_lookup": ["spy agency"],
                         "countries": {"Zarqastani": "XA", "Ostravian": "XB", "Velmaran": "XC"}}
    (directory / "name_rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True))
    tiny = load_registry(directory)
    assert found("Zarqastani agencies and Ostravian agencies met Zarqastani envoys.", tiny) == [
        ("Zarqastani agencies", "zarqa_directorate", "demonym"),   # the agency the registry names
        ("Ostravian agencies", "ostravia", "demonym"),             # no agency: the state
        ("Zarqastani envoys", "zarqastan", "demonym"),
    ]
    # no state for XC; "officials" is not a head of these rules
    assert [m for m in found("Velmaran envoys and Zarqastani officials met.", tiny) if m[2] == "demonym"] == []
