"""CPU time of each extraction step on one batch of a corpus, without Prefect.

    .venv/bin/python bench/step_speed.py --raw bench/.work/corpus-1000-s7-... [--n 1000] [--project DIR]

Reads the first --n sources of the corpus, cleans them into documents and sentences, then
runs each step of flows.extract on them and reports its CPU time (time.process_time, so a
loaded machine changes the figure little), documents/s and MB/s. --project points at
another checkout (a copy of an older commit) to compare two versions on the same input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(results: dict, name: str, fn, *args):
    start = time.process_time()
    out = fn(*args)
    results[name] = time.process_time() - start
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--project", type=Path, default=ROOT)
    args = parser.parse_args()
    sys.path.insert(0, str(args.project.resolve()))

    import polars as pl

    from flows import extract
    from flows.allegations import allegations
    from flows.claims import claims
    from flows.dates import date_mentions
    from flows.events import events
    from flows.mentions import mentions
    from flows.sources import discover_sources, fingerprint_sources, read_sources
    from flows.schemas import TABLES, empty_table

    started = time.process_time()
    reference = extract.load_reference(args.project.resolve() / "data" / "reference")
    load_seconds = time.process_time() - started
    found, _ = discover_sources(args.raw, 10_000_000)
    listed, _ = fingerprint_sources(args.raw, found.sort("source_path").head(args.n), empty_table(TABLES["manifest"]))
    sources, _ = read_sources(args.raw, listed)
    seconds: dict[str, float] = {}
    text, _ = timed(seconds, "clean, documents, sentences", extract.text_tables, sources, reference,
                    dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    docs, sents = text["documents"], text["sentences"]
    dated = docs.select("doc_id", "text", "published_date", pl.col("is_day_first").alias("day_first"))
    found_mentions = timed(seconds, "mentions", mentions, docs, sents, reference.registry)
    found_dates = timed(seconds, "date_mentions", date_mentions, dated, sents)
    found_events, event_mentions = timed(seconds, "events", events, docs, sents, found_mentions, found_dates,
                            reference.entities, reference.events)
    found_claims = timed(seconds, "claims", claims, docs, sents, found_mentions, found_events, reference.entities,
                         reference.claims)
    found_allegations = timed(seconds, "allegations", allegations, docs, sents, found_mentions, found_events,
                              reference.entities, reference.allegations)
    if hasattr(extract, "attributed_perpetrators"):
        timed(seconds, "perpetrators", extract.attributed_perpetrators, found_events, event_mentions, found_claims,
              found_allegations, reference.entities)
    megabytes = docs["text"].str.len_bytes().sum() / 1e6
    print(f"{docs.height} documents, {megabytes:.1f} MB of text, code from {args.project}; "
          f"reference data (registry, lexicons) loaded in {load_seconds:.2f} s CPU")
    print(f"{'step':<30} {'CPU s':>7} {'docs/s':>8} {'MB/s':>6}")
    for name, secs in [*seconds.items(), ("all", sum(seconds.values()))]:
        print(f"{name:<30} {secs:7.2f} {docs.height / secs:8.0f} {megabytes / secs:6.2f}")


if __name__ == "__main__":
    main()
