"""A deterministic corpus of article-sized sources for benchmarking the pipeline.

    python bench/generate_corpus.py --out DIR --n 10000 --seed 7
    python bench/generate_corpus.py --self-check

Each source is a news report, an analysis or an interview of 2-8 KB, assembled from
templates and the names in data/reference/ (armed groups, agencies, think tanks,
media, places), with the furniture real pages carry: datelines, bylines, closing
credits, "Leave a Reply" footers, and now and then a NAME.meta.json sidecar or an
exact copy of an earlier source (syndication). Document i depends only on (seed, i)
and the reference names, so a smaller corpus is a prefix of a larger one and the same
seed gives byte-identical files. Nothing in a document comes from the clock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
GENERATOR_VERSION = "1"
PER_FOLDER = 1000
SIDECAR_SHARE = 0.2
DUPLICATE_SHARE = 0.01
FIRST_DAY = dt.date(2014, 1, 1)
LAST_DAY = dt.date(2024, 12, 31)

# Used when a reference file is missing or mid-edit by someone else: the corpus must
# still build, just with fewer names.
FALLBACK_NAMES = {
    "armed_group": ["Islamic State Khorasan Province", "Tehrik-i-Taliban Pakistan", "Lashkar-e-Taiba",
                    "Jaish-e-Muhammad", "Balochistan Liberation Army", "Haqqani Network", "al-Qaeda"],
    "state_agency": ["Inter-Services Intelligence", "Research and Analysis Wing", "Counter-Terrorism Department",
                     "National Directorate of Security", "Frontier Corps"],
    "organisation": ["European Foundation for South Asian Studies", "International Crisis Group",
                     "Pak Institute for Peace Studies", "Observer Research Foundation"],
    "media": ["Reuters", "Dawn", "IANS", "The Hindu", "Associated Press"],
    "channel": ["Amaq News Agency", "Umar Media", "Voice of Khurasan", "As-Sahab"],
}
FALLBACK_PLACES = [("Quetta", "Balochistan", "Pakistan"), ("Peshawar", "Khyber Pakhtunkhwa", "Pakistan"),
                   ("Jalalabad", "Nangarhar", "Afghanistan"), ("Srinagar", "Jammu and Kashmir", "India"),
                   ("Chattogram", "Chattogram", "Bangladesh")]
COUNTRY_NAMES = {"PK": "Pakistan", "AF": "Afghanistan", "IN": "India", "BD": "Bangladesh", "LK": "Sri Lanka",
                 "NP": "Nepal", "MM": "Myanmar", "IR": "Iran"}
DEMONYMS = {"Pakistan": "Pakistani", "India": "Indian", "Afghanistan": "Afghan", "Bangladesh": "Bangladeshi",
            "Sri Lanka": "Sri Lankan", "Nepal": "Nepali", "Myanmar": "Myanmar", "Iran": "Iranian"}

FIRST_NAMES = ["Ahmed", "Ayesha", "Rashid", "Priya", "Imran", "Fatima", "Sanjay", "Nadia", "Tariq", "Meera",
               "Bilal", "Sadia", "Arjun", "Zainab", "Khalid", "Ritu", "Omar", "Farah", "Vikram", "Shabnam",
               "James", "Sarah", "Michael", "Emma", "Daniel", "Laura", "Hamid", "Mariam", "Abdul", "Anita"]
LAST_NAMES = ["Khan", "Hussain", "Sharma", "Qureshi", "Chawla", "Baloch", "Rahman", "Siddiqui", "Mehta",
              "Yousafzai", "Ahmadzai", "Chowdhury", "Iyer", "Malik", "Shah", "Foxley", "Miller", "Jones",
              "Wilson", "Haider", "Durrani", "Kakar", "Verma", "Banerjee", "Stanekzai", "Jamal", "Rana"]
ROLES = ["Senior Fellow", "Research Fellow", "Visiting Fellow", "Director", "Senior Analyst", "Associate Professor"]
TARGETS = ["a police checkpoint", "a security forces convoy", "a crowded market", "a Shia mosque",
           "a Sufi shrine", "a polling station", "a girls' school", "a bus carrying pilgrims",
           "a military camp", "a Frontier Corps post", "a hotel used by foreigners", "a court complex",
           "a wedding party", "a funeral prayer", "a paramilitary training centre", "a government office"]
# (who, verbs that fit them): a bomb goes off, people storm.
ATTACKERS = [("A suicide bomber", ["struck", "attacked", "targeted"]),
             ("A teenage suicide bomber", ["struck", "targeted"]),
             ("Gunmen on motorcycles", ["attacked", "opened fire on", "ambushed"]),
             ("Militants armed with rifles and grenades", ["stormed", "attacked", "raided"]),
             ("Unidentified assailants", ["attacked", "opened fire on"]),
             ("Several heavily armed attackers", ["stormed", "laid siege to"]),
             ("A car bomb", ["exploded outside", "ripped through", "hit"]),
             ("An improvised explosive device", ["exploded near", "went off near"]),
             ("A remote-controlled bomb", ["exploded near", "hit", "went off outside"])]
OFFICIALS = ["officials said", "police said", "a senior police officer told reporters",
             "a local administration official said", "hospital sources confirmed",
             "a spokesman for the provincial government said", "security officials said"]
WEAPONS = ["a suicide vest", "explosives packed in a vehicle", "hand grenades", "a roadside bomb",
           "assault rifles", "a motorcycle bomb"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
REGIONS = ["South Asia", "Afghanistan", "Pakistan", "Kashmir", "Balochistan", "Khyber Pakhtunkhwa",
           "the tribal districts", "the Af-Pak border region", "Bangladesh"]
FOOTERS = [["Leave a Reply", "Your email address will not be published. Required fields are marked *"],
           ["Source link"], ["Source link", "Leave a Response"], ["Also Watch:"],
           ["Leave a Reply", "Your email address will not be published."], ["Share this article"],
           ["Related Posts"], [], []]
THINK_TANK = re.compile(r"Institut|Foundation|Cent(re|er)|Stud(y|ies)|Crisis Group|Program|Council|Corporation|Portal|Project|Network|Database|Index")
DOMAINS = ["capsindia.org", "southasiamonitor.org", "newsdesk-pk.com", "kashmirwire.in", "afpakreview.net"]

HEADLINES = [
    "{killed} killed in {place} {kind} attack",
    "{group} claims responsibility for deadly {place} attack",
    "Suicide bombing at {target_short} in {place} leaves {killed} dead",
    "{thinktank} accuses {agency} of backing {group}",
    "{group} expanding its footprint in {region}: report",
    "Death toll in {place} blast rises to {killed}",
    "Why {group} is regaining ground in {region}",
    "Rival claims cloud {place} attack investigation",
    "{group} denies role in {place} bombing",
    "Interview: \u2018{group} is trying to work with local groups\u2019",
    "Security forces on alert after {place} attack",
    "The resurgence of {group} and what it means for {region}",
    "{province}: {killed} dead as militants target {target_short}",
    "Growth of {group} network in {region}",
]
ATTACK = [
    "{attacker} {verb} {target} in {place}, {province} on {weekday}, killing {killed} people and wounding {wounded}, {official}.",
    "At least {killed} people were killed and {wounded} others injured when {attacker_l} {verb} {target} in {place} on {weekday}, {official}.",
    "{attacker} {verb} {target} in the {province} town of {place} on {weekday}, {official}. The attack killed {killed} people, among them {victims}.",
    "The death toll from {weekday}\u2019s attack on {target} in {place} rose to {killed} after {more} of the wounded died in hospital, {official}. Another {wounded} people are being treated for their injuries.",
    "{attacker} {verb} {target} in {place} late on {weekday} evening, leaving {killed} dead and {wounded} injured, {official}.",
    "Investigators said {weapon} had been used in {weekday}\u2019s attack on {target} near {place}. {killed_cap} people died at the scene and {wounded} were wounded.",
]
DETAIL = [
    "Rescue workers shifted the wounded to the district headquarters hospital, where an emergency was declared. Several of the injured were said to be in critical condition.",
    "Security forces cordoned off the area and launched a search operation. No arrests had been made by the evening.",
    "The {province} government announced compensation for the families of the victims and ordered an inquiry into the security lapse.",
    "Television footage showed damaged vehicles and shattered shop fronts around the site of the explosion, which could be heard several kilometres away.",
    "The attack was the {nth} of its kind in {place} this year, and the deadliest since {month} {year}.",
    "Police said the attacker had travelled from {place2} and that the explosives weighed around {kg} kilograms.",
    "Shops and schools in {place} remained closed on the following day as traders observed a day of mourning.",
    "The provincial police chief said the attackers had been under surveillance for weeks, but that the information on the timing of the attack was not specific.",
    "Officials said the bomber appeared to be between {age} and {age2} years old. His remains were sent for forensic examination.",
    "The prime minister condemned the attack and directed the security agencies to bring those responsible to justice.",
]
HISTORY = [
    "In {month} {year}, a similar attack on {target2} in {place2} killed {n_past} people.",
    "The same group was blamed for a bombing in {place2} in {month} {year} that left {n_past} dead.",
    "{place2} has seen repeated attacks since {year}, when militants killed {n_past} people at {target2}.",
    "On {day_past} {month} {year}, gunmen attacked {target2} in {place2}, killing {n_past} people; {group2} later said it had carried out that attack.",
]
CLAIM = [
    "{group} claimed responsibility for the attack through its {channel}.",
    "In a statement released on {channel}, {group} said its fighters had carried out the attack.",
    "{group} claimed the attack in a message posted on Telegram, a claim that could not be independently verified.",
    "A spokesman for {group} told {media} by telephone that the group was behind the bombing.",
    "{channel}, the mouthpiece of {group}, said the attack was revenge for military operations in {region}.",
]
COMPETING = [
    "Hours later {group2} also claimed the attack, saying the bomber was one of its members.",
    "{group2} issued a separate claim, which analysts said was an attempt to stay relevant.",
]
DENIAL = [
    "{group} denied any involvement in the attack and condemned the killing of civilians.",
    "A spokesman for {group} rejected the claims, saying the group does not target mosques or markets.",
    "{group} distanced itself from the bombing in a statement sent to journalists.",
]
UNCLAIMED = [
    "No group has so far claimed responsibility for the attack.",
    "There was no immediate claim of responsibility, but suspicion fell on {group}, which has carried out similar attacks in {province}.",
]
ALLEGATION = [
    "{thinktank} accused {agency} of supporting {group}.",
    "The {thinktank} report alleged that {agency} had provided funding and training to {group}.",
    "In a statement, the {country_adj} foreign ministry blamed {agency} for sheltering {group} leaders.",
    "{thinktank} alleged that {agency} was using {group} to carry out attacks in {region}.",
    "Officials accused {agency} of backing {group}, a charge {country_name} has repeatedly denied.",
    "Analysts at {thinktank} have long argued that {group} could not operate without the blessing of {agency}.",
]
ANALYSIS = [
    "{group} has been weakened by military operations in {region}, but it continues to recruit from the ranks of disgruntled fighters of other groups.",
    "Security analysts believe that the group is trying increasingly to work with local outfits rather than recruit for itself, as it lacks the networks it once had.",
    "The rise of {group} poses a challenge to {agency}, which has focused its counter-terrorism operations elsewhere for much of the past decade.",
    "According to {thinktank}, the number of militant attacks in {region} rose sharply in {year}, with {group} and its affiliates responsible for most of them.",
    "The competition between {group} and {group2} for recruits and funds has made the militant landscape in {region} more violent and less predictable.",
    "Since its formation in {year}, {group} has drawn fighters from {group2} and other factions, often over disputes about leadership and the sharing of resources.",
    "The government\u2019s decision to hold talks with militant groups has been criticised by opposition parties, who say it emboldened {group}.",
    "Attacks on minorities have increased, and rights groups say the authorities have done too little to protect places of worship in {province}.",
    "Experts warn that the withdrawal of foreign forces from Afghanistan gave {group} room to regroup along the border with Pakistan.",
    "What is more interesting is that both {group} and {group2} have, at different times, claimed credit for the same attacks.",
    "Its leadership has been decimated by drone strikes and arrests, yet the group has shown a remarkable capacity to regenerate.",
    "Recruitment is increasingly taking place online, through encrypted messaging apps and closed social media groups.",
    "Local officials in {province} say the group finances itself through extortion, kidnapping for ransom and the smuggling of timber and opium.",
    "The group\u2019s propaganda has shifted from global themes to local grievances, such as land disputes and alleged abuses by the security forces.",
    "A study by {thinktank} counted {n_past} attacks attributed to {group} in {year} alone, most of them in {province}.",
    "The tactic of sending attackers who fight to the death, known as inghimasi attacks, has been borrowed from the fighting in Syria and Iraq.",
    "Sectarian violence has been a persistent feature of militancy in {region}, with Shia and Ahmadi communities bearing the brunt of it.",
]
QUOTE = [
    "\u201c{group} is looking for new ventures after its defeats elsewhere. It is now trying its luck in {region},\u201d {person}, a {city}-based security expert, told {media}.",
    "\u201cThe threat has not gone away. It has only changed shape,\u201d said {person}, {role_l} at {thinktank}.",
    "\u201cWe will not allow anyone to use our soil against our neighbours,\u201d a spokesman for the {country_adj} foreign ministry said.",
    "\u201cThese attacks are meant to show that the group is still capable of striking anywhere,\u201d {person} said.",
    "\u201cWe have identified the network behind the attack and several suspects have been detained,\u201d a senior official of {agency} told {media}.",
    "\u201cThe group needs spectacular attacks to attract recruits and funding,\u201d said {person}, who has studied militancy in {region} for two decades.",
]
QUESTIONS = [
    "How credible is the claim by {group}?",
    "Is {group} firmly in position in {region}?",
    "What role does {agency} play in all this?",
    "Are there parallels with earlier attacks in {place}?",
    "How do you evaluate the impact of the group\u2019s territorial losses?",
    "Should the region worry about {group2} as well?",
    "Is the modus operandi in this attack close to that of the group elsewhere?",
]
FILLER = ANALYSIS + DETAIL + QUOTE + ALLEGATION + HISTORY


@dataclass(frozen=True)
class Vocabulary:
    """The names documents are made of, per kind; lists are sorted so the corpus depends only on them."""

    names: dict[str, list[str]]
    places: list[tuple[str, str, str]]   # (place, province, country)

    def digest(self) -> str:
        """A short hash of the vocabulary: the corpus changes exactly when this does."""
        blob = json.dumps({"names": self.names, "places": self.places}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


def read_yaml(path: Path) -> dict:
    """A YAML mapping, or {} when the file is missing or unreadable (someone may be mid-edit)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def surface_names(entry: dict) -> list[str]:
    """How a text may name an entity: its name without a '(Country)' disambiguator, and up to
    three mixed-case aliases (acronyms alone make unreadable prose)."""
    name = str(entry.get("name", ""))
    country = re.search(r"\s*\(([^)]*)\)$", name)
    if country and country.group(1) in COUNTRY_NAMES.values():
        name = name[:country.start()]
    aliases = [a for a in entry.get("aliases") or [] if isinstance(a, str) and any(c.islower() for c in a)]
    return list(dict.fromkeys(n.strip() for n in [name, *aliases[:3]] if n.strip()))


def entity_names(entities: list) -> dict[str, list[str]]:
    """Names per kind from entities.yaml; media with a parent group are the groups' channels."""
    names: dict[str, set[str]] = {kind: set() for kind in FALLBACK_NAMES}
    for entry in entities:
        if not isinstance(entry, dict):
            continue
        kind = entry.get("type")
        if kind == "media" and entry.get("parent"):
            kind = "channel"
        if kind == "organisation" and not THINK_TANK.search(str(entry.get("name", ""))):
            continue   # parties, platforms and NGOs do not publish the reports the templates cite
        if kind in names:
            names[kind].update(surface_names(entry))
    return {kind: sorted(found) if len(found) >= 3 else FALLBACK_NAMES[kind] for kind, found in names.items()}


def place_triples(places: list) -> list[tuple[str, str, str]]:
    """(place, province, country) for every place with a known country and province."""
    found = set()
    for entry in places:
        if not isinstance(entry, dict) or entry.get("acts_as"):
            continue
        country = COUNTRY_NAMES.get(str(entry.get("country")))
        name, province = entry.get("name"), entry.get("admin1")
        if country and isinstance(name, str) and isinstance(province, str) and name != province:
            found.add((name, province, country))
    return sorted(found) if len(found) >= 5 else FALLBACK_PLACES


def load_vocabulary(reference_dir: Path = REFERENCE_DIR) -> Vocabulary:
    """Group, agency, think-tank, media and place names from the project's reference data."""
    entities = read_yaml(reference_dir / "entities.yaml").get("entities") or []
    places = read_yaml(reference_dir / "places.yaml").get("places") or []
    return Vocabulary(names=entity_names(entities if isinstance(entities, list) else []),
                      places=place_triples(places if isinstance(places, list) else []))


def random_day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def dateline(day: dt.date, rng: random.Random) -> str:
    """The publication date as pages print it, in one of the common styles."""
    month = day.strftime("%B")
    return rng.choice([f"{WEEKDAYS[day.weekday()]}, {month} {day.day}, {day.year}",
                       f"{day.day:02d} {month} {day.year}",
                       f"{month} {day.day}, {day.year}",
                       f"Published on {month[:3]} {day.day}, {day.year}"])


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def slots(vocab: Vocabulary, rng: random.Random, published: dt.date) -> dict[str, str]:
    """A cast: the names and numbers the templates of (part of) a document draw on."""
    names = vocab.names
    place, province, country = rng.choice(vocab.places)
    group, group2 = rng.sample(names["armed_group"], 2)
    attack_day = published - dt.timedelta(days=rng.randrange(1, 6))
    killed, age = rng.randrange(2, 80), rng.randrange(14, 30)
    attacker, verbs = rng.choice(ATTACKERS)
    return {
        "place": place, "province": province, "country_name": country,
        "country_adj": DEMONYMS.get(country, country), "place2": rng.choice(vocab.places)[0],
        "city": rng.choice(vocab.places)[0], "region": rng.choice(REGIONS),
        "group": group, "group2": group2,
        "agency": rng.choice(names["state_agency"]), "thinktank": rng.choice(names["organisation"]),
        "media": rng.choice(names["media"]), "channel": rng.choice(names["channel"]),
        "attacker": attacker, "attacker_l": attacker[0].lower() + attacker[1:], "verb": rng.choice(verbs),
        "target": rng.choice(TARGETS), "target2": rng.choice(TARGETS), "weapon": rng.choice(WEAPONS),
        "target_short": rng.choice(["mosque", "market", "checkpoint", "shrine", "convoy", "school"]),
        "kind": rng.choice(["suicide", "bomb", "gun", "grenade"]),
        "victims": rng.choice(["two policemen", "three children", "a local journalist", "several worshippers"]),
        "weekday": WEEKDAYS[attack_day.weekday()], "official": rng.choice(OFFICIALS),
        "killed": str(killed), "killed_cap": NUMBER_WORDS[killed - 2].capitalize() if killed < 13 else str(killed),
        "wounded": str(rng.randrange(3, 150)), "more": rng.choice(NUMBER_WORDS[:4]), "n_past": str(rng.randrange(3, 120)),
        "nth": rng.choice(["second", "third", "fourth", "fifth"]), "kg": str(rng.randrange(5, 120)),
        "age": str(age), "age2": str(age + rng.randrange(2, 6)),
        "month": dt.date(2000, rng.randrange(1, 13), 1).strftime("%B"), "day_past": str(rng.randrange(1, 29)),
        "year": str(rng.randrange(2008, published.year + 1)),
        "person": person(rng), "role_l": rng.choice(ROLES).lower(),
    }


def fill(rng: random.Random, templates: list[str], cast: dict[str, str]) -> str:
    return rng.choice(templates).format(**cast)


class Deck:
    """Sentence templates dealt without repetition, so a long article never says the same thing twice."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def left(self, pool: list[str]) -> list[str]:
        return [t for t in pool if t not in self.used]

    def sentence(self, pool: list[str], cast: dict[str, str]) -> str:
        """A sentence from a template of `pool` not dealt yet (pools are far larger than any body needs)."""
        template = self.rng.choice(self.left(pool) or pool)
        self.used.add(template)
        return template.format(**cast)

    def paragraph(self, pool: list[str], cast: dict[str, str]) -> str:
        """One to three sentences, as paragraphs in news copy run."""
        k = min(self.rng.randrange(1, 4), len(self.left(pool)))
        return " ".join(self.sentence(pool, cast) for _ in range(max(k, 1)))


def news_body(rng: random.Random, deck: Deck, cast: dict[str, str]) -> list[str]:
    """An attack report: what happened, then who claimed it, denied it, or nobody did."""
    paras = [deck.sentence(ATTACK, cast), deck.sentence(DETAIL, cast)]
    roll = rng.random()
    if roll < 0.55:
        paras.append(deck.sentence(CLAIM, cast))
        if rng.random() < 0.3:
            paras[-1] += " " + deck.sentence(COMPETING, cast)
    elif roll < 0.75:
        paras.append(deck.sentence(DENIAL, cast))
    else:
        paras.append(deck.sentence(UNCLAIMED, cast))
    return paras


def analysis_body(rng: random.Random, deck: Deck, cast: dict[str, str]) -> list[str]:
    """A think-tank piece: analysis and allegations, with an attack as evidence now and then."""
    paras = [deck.sentence(ANALYSIS, cast), deck.sentence(ALLEGATION, cast)]
    if rng.random() < 0.6:
        paras.append(deck.sentence(ATTACK, cast) + " " + deck.sentence(CLAIM, cast))
    return paras


def interview_body(rng: random.Random, deck: Deck, cast: dict[str, str]) -> list[str]:
    """Questions, each followed by an answer of one to three sentences."""
    paras = []
    for question in rng.sample(QUESTIONS, 4):
        paras += [question.format(**cast), deck.paragraph(ANALYSIS + ALLEGATION + HISTORY, cast)]
    return paras


def header_lines(rng: random.Random, kind: str, cast: dict[str, str], authors: list[str], published: dt.date) -> list[str]:
    """Headline, byline and (for 60%) a dateline, arranged as the kind of piece has them."""
    lines = [fill(rng, HEADLINES, cast)]
    if kind == "analysis" and authors:
        lines += [f"Dr {authors[0]}" if rng.random() < 0.4 else authors[0], f"{rng.choice(ROLES)}, {cast['thinktank']}"]
    elif authors:
        lines.append(f"By {authors[0]}")
    if rng.random() < 0.6:
        lines.insert(rng.randrange(2), dateline(published, rng))
    if kind == "interview":
        lines.append(f"Interview with {cast['person']}, a {rng.choice(ROLES)} at {cast['thinktank']}")
    return lines


def footer_lines(rng: random.Random, kind: str, cast: dict[str, str]) -> list[str]:
    """Disclaimers, page footers and comment-box furniture the cleaner has to drop."""
    lines = []
    if kind == "analysis" and rng.random() < 0.5:
        lines.append("(Disclaimer: The views and opinions expressed in this article are those of the author "
                     f"and do not necessarily reflect the position of {cast['thinktank']})")
    if rng.random() < 0.15:
        lines.append(f"{rng.randrange(1, 4)} | www.{rng.choice(DOMAINS)}")
    return lines + rng.choice(FOOTERS)


def article(vocab: Vocabulary, seed: int, index: int) -> tuple[str, dict | None]:
    """Document `index` of the corpus for `seed`: (text, sidecar metadata or None)."""
    rng = random.Random(f"{seed}:{index}")
    published = random_day(rng)
    cast = slots(vocab, rng, published)
    kind = rng.choices(["news", "analysis", "interview"], weights=[60, 25, 15])[0]
    target_size = rng.randrange(1800, 7300)   # header and footer bring the file to 2-8 KB
    authors = [person(rng)] if rng.random() < 0.6 else []
    header = header_lines(rng, kind, cast, authors, published)
    deck = Deck(rng)
    body = {"news": news_body, "analysis": analysis_body, "interview": interview_body}[kind](rng, deck, cast)
    if kind == "news" and rng.random() < 0.5:
        body[0] = f"{cast['place'].upper()}: {body[0]}"
    while sum(len(p) for p in body) < target_size:
        if not deck.left(FILLER):   # a long piece moves on to other groups and places
            cast, deck.used = {**cast, **slots(vocab, rng, published)}, set()
        body.insert(rng.randrange(1, len(body) + 1), deck.paragraph(FILLER, cast))
    if kind == "news" and rng.random() < 0.5:
        body[-1] += f" ({rng.choice(vocab.names['media'])})"
    text = "\n\n".join(header + body + footer_lines(rng, kind, cast)) + "\n"
    if rng.random() >= SIDECAR_SHARE:
        return text, None
    meta = {"url": f"https://www.{rng.choice(DOMAINS)}/{published:%Y/%m}/{rng.getrandbits(32):08x}",
            "outlet": rng.choice(vocab.names["media"]), "published_date": published.isoformat(), "doc_type": kind}
    return text, {**meta, "authors": authors} if authors else meta


def folder_of(index: int) -> str:
    """Sources go 1000 to a folder, as large archives are usually split: '0003'."""
    return f"{index // PER_FOLDER:04d}"


def source_name(seed: int, index: int) -> str:
    """'0003/003141_5f0c2a9d1b7e4c60.txt': numbered like the samples."""
    tag = hashlib.sha256(f"{seed}:{index}:name".encode()).hexdigest()[:16]
    return f"{folder_of(index)}/{index:06d}_{tag}.txt"


def original_of(seed: int, index: int) -> int:
    """The index whose content source `index` carries: itself, or for about 1% an earlier one."""
    rng = random.Random(f"{seed}:{index}:copy")
    return rng.randrange(index) if index > 0 and rng.random() < DUPLICATE_SHARE else index


def write_source(out: Path, vocab: Vocabulary, seed: int, index: int) -> int:
    """Write source `index` (and its sidecar) into its existing folder; returns the source's size in bytes."""
    text, meta = article(vocab, seed, original_of(seed, index))
    path = out / source_name(seed, index)
    data = text.encode("utf-8")
    path.write_bytes(data)
    if meta is not None:
        path.with_suffix(".meta.json").write_text(json.dumps(meta, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    return len(data)


def generate(out: Path, n: int, seed: int, vocab: Vocabulary | None = None, start: int = 0) -> dict:
    """Write sources start..n-1 under `out`; returns a summary (bytes are of the sources written)."""
    vocab = vocab or load_vocabulary()
    for folder in sorted({folder_of(i) for i in range(start, n)}):
        (out / folder).mkdir(parents=True, exist_ok=True)
    total = sum(write_source(out, vocab, seed, i) for i in range(start, n))
    return {"n": n, "seed": seed, "bytes": total, "generator_version": GENERATOR_VERSION,
            "vocabulary": vocab.digest()}


def tree_digest(root: Path) -> str:
    """One hash over every file's relative path and bytes."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def self_check(n: int = 300, seed: int = 7) -> str:
    """Same seed -> byte-identical tree; another seed -> a different one; sizes and variety sane."""
    vocab = load_vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        a, b, c = Path(tmp, "a"), Path(tmp, "b"), Path(tmp, "c")
        for folder, s in ((a, seed), (b, seed), (c, seed + 1)):
            generate(folder, n, s, vocab)
        assert tree_digest(a) == tree_digest(b), "same seed gave different files"
        assert tree_digest(a) != tree_digest(c), "different seeds gave the same files"
        texts = [p.read_bytes() for p in sorted(a.rglob("*.txt"))]
        sidecars = len(list(a.rglob("*.meta.json")))
    sizes = [len(t) for t in texts]
    assert 2000 <= min(sizes) and max(sizes) <= 8192, f"sizes out of range: {min(sizes)}-{max(sizes)}"
    assert len(set(texts)) > 0.95 * n, "too many identical sources"
    assert len({t.split(b"\n", 1)[0] for t in texts}) > n / 2, "first lines are not varied"
    assert sidecars > n / 10, "too few sidecars"
    for t in texts:
        paras = [p for p in t.split(b"\n\n") if len(p) > 80]
        assert len(paras) == len(set(paras)), "a paragraph repeats within a source"
    return (f"self-check passed: {n} sources, seed {seed}, {min(sizes)}-{max(sizes)} bytes, "
            f"{sidecars} sidecars, vocabulary {vocab.digest()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="folder to write the corpus to")
    parser.add_argument("--n", type=int, default=1000, help="number of sources (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--reference", type=Path, default=REFERENCE_DIR, help="reference data to take names from")
    parser.add_argument("--self-check", action="store_true", help="check determinism and variety, then exit")
    args = parser.parse_args(argv)
    if args.self_check:
        print(self_check())
        return 0
    if args.out is None:
        parser.error("--out is required")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty; generate into a fresh folder")
    print(json.dumps(generate(args.out, args.n, args.seed, load_vocabulary(args.reference))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
