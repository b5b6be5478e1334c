"""A tiny invented registry's entities frame and mentions, built the way the pipeline builds them.

Shared by the claim and allegation tests: real sentences from flows.sentences, and a
mentions frame matched from the test's registry (standing in for flows.mentions), longest
alias first, no overlaps. Registry rows: (entity_id, canonical_name, entity_type, aliases,
parent, acts_as).
"""

from __future__ import annotations

import re

import polars as pl

from flows.sentences import load_sentence_rules, sentences


def entities_frame(registry: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        {"entity_id": [r[0] for r in registry], "canonical_name": [r[1] for r in registry],
         "entity_type": [r[2] for r in registry], "aliases": [r[3] for r in registry],
         "parent_entity_id": [r[4] for r in registry], "country_iso2": [None] * len(registry),
         "latitude": [None] * len(registry), "longitude": [None] * len(registry), "admin1": [None] * len(registry),
         "acts_as_entity_id": [r[5] for r in registry]},
        schema_overrides={"aliases": pl.List(pl.Utf8), "parent_entity_id": pl.Utf8, "country_iso2": pl.Utf8,
                          "latitude": pl.Float64, "longitude": pl.Float64, "admin1": pl.Utf8,
                          "acts_as_entity_id": pl.Utf8})


def build(texts: dict[str, str], registry: list[tuple], people: list[str], doc_type: str = "news",
          authors: list[str] | None = None, others: list[str] | None = None):
    """(documents, sentences, mentions) for tiny texts: longest alias first, no overlaps; `others` are capitalised
    names the registry does not know (flows.mentions keeps them unresolved, typed other)."""
    docs = pl.DataFrame({"doc_id": list(texts), "text": list(texts.values()), "doc_type": [doc_type] * len(texts),
                         "authors": [authors or []] * len(texts)}, schema_overrides={"authors": pl.List(pl.Utf8)})
    sents = sentences(docs.select("doc_id", "text"), load_sentence_rules())
    names = [(alias, r[0], r[2]) for r in registry for alias in r[3]] + [(p, None, "person") for p in people] \
        + [(o, None, "other") for o in others or []]
    rows = []
    for doc_id, text in texts.items():
        taken: list[tuple[int, int]] = []
        for alias, entity_id, entity_type in sorted(names, key=lambda n: -len(n[0])):
            for m in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text):
                if any(m.start() < b and m.end() > a for a, b in taken):
                    continue
                taken.append(m.span())
                idx = sents.filter((pl.col("doc_id") == doc_id) & (pl.col("char_start") <= m.start())
                                   )["sentence_idx"].max()
                rows.append((doc_id, idx, m.start(), m.end(), m.group(0), entity_id, entity_type, "alias"))
    mentions = pl.DataFrame(rows, schema={"doc_id": pl.Utf8, "sentence_idx": pl.Int32, "char_start": pl.Int32,
                                          "char_end": pl.Int32, "surface_text": pl.Utf8, "entity_id": pl.Utf8,
                                          "entity_type": pl.Utf8, "match_method": pl.Utf8}, orient="row")
    return docs, sents, mentions
