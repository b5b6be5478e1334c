"""List, per gold row, which fields the matched predictions get wrong (held-out diagnostics).

    .venv/bin/python eval/heldout/field_misses.py /tmp/heldout_out/warehouse.duckdb eval/heldout/gold.yaml
"""
import sys, importlib.util
from collections import defaultdict
import duckdb, yaml

spec = importlib.util.spec_from_file_location("score", "/work/shared/eval/score.py")
S = importlib.util.module_from_spec(spec); spec.loader.exec_module(S)

wh, gp = sys.argv[1], sys.argv[2]
gold = yaml.safe_load(open(gp, encoding="utf-8"))
con = duckdb.connect(wh, read_only=True)
docs = S.fetch(con, "documents")
doc_name = {d["doc_id"]: S.basename(d["source_path"]) for d in docs}
pa = defaultdict(set)
for e in S.fetch(con, "entities"):
    names = [e.get("canonical_name")] + list(e.get("aliases") or [])
    for n in names:
        pa[S.key(n)] |= {S.key(m) for m in names if m}
resolve = S.Resolver(gold["entities"], pa)
doc_of = lambda p: doc_name.get(p.get("doc_id"))
kinds = {"events": lambda g, p: S.EVENT_FAMILY.get(g["type"], g["type"]) == S.EVENT_FAMILY.get(p.get("event_type"), p.get("event_type")),
         "claims": lambda g, p: g["type"] == p.get("claim_type"), "allegations": lambda g, p: True}
M = {}
preds = {}
for t, k in kinds.items():
    preds[t] = [p for p in S.fetch(con, t) if doc_of(p) in gold["documents"]]
    M[t], _ = S.match(gold.get(t, []), preds[t], doc_of, k)
ev_by_id = defaultdict(list)
for p in preds["events"]:
    ev_by_id[p["event_id"]].append(p)
for g in gold["events"]:
    rows = M["events"].get(g["id"])
    if not rows:
        continue
    bad = []
    if "date" in g:
        want = g["date"]; starts = [S.as_date(r["event_date_start"]) for r in rows]
        if want is None:
            if any(starts): bad.append(f"date want null got {starts} ({[r['date_text'] for r in rows]})")
        else:
            ok = S.as_date(want["start"]) in starts or (want.get("precision") == "year" and any(s and s.year == S.as_date(want["start"]).year for s in starts))
            if not ok and not (want.get("lenient") and all(s is None for s in starts)):
                bad.append(f"date want {want['start']} got {starts} ({[r['date_text'] for r in rows]})")
    if g.get("location") and not any(S.key(g["location"]) in (S.key(r["location_name"]), S.key(r["location_text"])) for r in rows):
        bad.append(f"location want {g['location']} got {[r['location_text'] for r in rows]}")
    if g.get("country") and not any((r["country_iso2"] or "").upper() == g["country"] for r in rows):
        bad.append(f"country want {g['country']} got {[r['country_iso2'] for r in rows]}")
    for f in ("killed", "wounded"):
        if g.get(f) and not any(S.in_range(r[f + "_low"], g[f]) for r in rows):
            bad.append(f"{f} want {g[f]} got {[(r[f+'_low'], r[f+'_high']) for r in rows]}")
    if g.get("perpetrators") and not any(resolve(r["perpetrator_names"]) & set(g["perpetrators"]) for r in rows):
        bad.append(f"perp want {g['perpetrators']} got {[r['perpetrator_names'] for r in rows]}")
    if bad:
        print("EVENT", g["id"], *bad, sep="\n   ")
for g in gold["claims"]:
    rows = M["claims"].get(g["id"])
    if not rows:
        continue
    bad = []
    if g.get("claimant") and not any(resolve(r["claimant_name"]) & set(g["claimant"]) for r in rows):
        bad.append(f"claimant want {g['claimant']} got {[r['claimant_name'] for r in rows]}")
    if g.get("event"):
        target = {id(x) for x in M["events"].get(g["event"], [])}
        if not any(id(e) in target for r in rows for e in ev_by_id.get(r["event_id"], [])):
            bad.append(f"event_link want {g['event']} got {[(e['evidence_text'] or '')[:70] for r in rows for e in ev_by_id.get(r['event_id'], [])]}")
    if g.get("competing") and not any(r["competing"] for r in rows):
        bad.append("competing want true")
    if bad:
        print("CLAIM", g["id"], *bad, sep="\n   ")
for g in gold["allegations"]:
    rows = M["allegations"].get(g["id"])
    if not rows:
        continue
    bad = []
    if g.get("accused") and not any(resolve(r["accused_name"]) & set(g["accused"]) for r in rows):
        bad.append(f"accused want {g['accused']} got {[r['accused_name'] for r in rows]}")
    if g.get("accuser") and not any(resolve(r["accuser_name"]) & set(g["accuser"]) for r in rows):
        bad.append(f"accuser want {g['accuser']} got {[r['accuser_name'] for r in rows]}")
    if not any(r["allegation_type"] == g["type"] for r in rows):
        bad.append(f"type want {g['type']} got {[r['allegation_type'] for r in rows]}")
    if bad:
        print("ALLEG", g["id"], *bad, sep="\n   ")
