#!/usr/bin/env python3
"""Assemble the corpus from slice files and fix the test split by event.

usage: python3 data/corpus/assemble.py SLICE_DIR [SLICE_DIR ...]

Reads every *.jsonl under the given folders, drops the rows listed in excluded.tsv (with the
reason each was left out), applies the corrections of the fact check (../review/fact_checks.jsonl: text
edits; metadata_fixes.tsv: wrong dates, places or sources), gives one name to events written
under two (event_aliases.tsv), applies relabels.tsv (labels settled after the blind review, each with
its reason appended to the row's rationale), checks ids are unique, and writes
data/corpus/train.jsonl and data/corpus/test.jsonl, rows sorted by id.

The split is a pure function of the event, never of the rows or labels: reports are grouped by
event key (event name lower-cased + year-month, as check_corpus.py groups them), and groups that
share a full date and country are merged (the same real event written under two names; real
events only, since a fictional event cannot be a real one renamed). A group
goes to the test split when the SHA-256 of its smallest event key, read as a number, is below
TEST_SHARE of the range, unless split_pins.tsv pins its split. Standard library only.
"""
import hashlib, json, os, re, sys

TEST_SHARE = 0.20
HERE = os.path.dirname(os.path.abspath(__file__))


def rows_in(folders):
    for folder in folders:
        for root, _, names in sorted(os.walk(folder)):
            for name in sorted(names):
                if name.endswith(".jsonl"):
                    with open(os.path.join(root, name), encoding="utf-8") as fh:
                        for line in fh:
                            if line.strip():
                                yield json.loads(line)


def event_key(row):
    return (row["event"].strip().lower(), row["event_date"][:7])


def tsv_rows(name):
    """The tab-separated fields of each non-comment line of a file beside this script."""
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]


def excluded_ids():
    return {fields[0] for fields in tsv_rows("excluded.tsv")}


def event_aliases():
    """(alias event, alias date) -> (canonical event, canonical date) from event_aliases.tsv."""
    return {(event, date): (canonical, canonical_date) for event, date, canonical, canonical_date in tsv_rows("event_aliases.tsv")}


def split_pins():
    """(event key) -> split from split_pins.tsv."""
    return {(event, month): split for event, month, split, _why in tsv_rows("split_pins.tsv")}


def fact_checks():
    """The fact check's verdicts, one per real-event row (../review/fact_checks.jsonl)."""
    with open(os.path.join(HERE, "..", "review", "fact_checks.jsonl"), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def fact_check_edits():
    """id -> [(old, new)] text edits from the fact check."""
    return {c["id"]: [(e["old"], e["new"]) for e in c["edits"]] for c in fact_checks() if c["edits"]}


def apply_fact_checks(rows):
    """Applies the fact check's text edits and metadata fixes; each edit must match exactly once."""
    edits = fact_check_edits()
    fixes = {}
    for rid, field, value, _why in tsv_rows("metadata_fixes.tsv"):
        fixes.setdefault(rid, []).append((field, value))
    for r in rows:
        for old, new in edits.get(r["id"], []):
            if r["text"].count(old) != 1:
                sys.exit(f"{r['id']}: fact-check edit does not match exactly once: {old!r}")
            r["text"] = r["text"].replace(old, new)
        if r["id"] in edits:  # a deleted clause can leave doubled or trailing spaces
            r["text"] = "\n".join(re.sub(" {2,}", " ", line).strip() for line in r["text"].split("\n")).strip()
        for field, value in fixes.get(r["id"], []):
            r[field] = value


def relabels():
    """id -> (label, runner_up, note) from relabels.tsv: labels settled after the blind reviews."""
    return {
        rid: (label, None if runner_up == "-" else runner_up, f"Relabelled ({decision}): {reason}")
        for rid, label, runner_up, decision, reason in tsv_rows("relabels.tsv")
    }


def main(folders):
    excluded = excluded_ids()
    rows = [r for r in rows_in(folders) if r["id"] not in excluded]
    apply_fact_checks(rows)
    aliases = event_aliases()
    for r in rows:
        r["event"], r["event_date"] = aliases.get((r["event"], r["event_date"]), (r["event"], r["event_date"]))
    for r in rows:
        if r["id"] in RELABELS:
            r["label"], r["runner_up"], note = RELABELS[r["id"]]
            r["rationale"] = f"{r['rationale']} {note}"
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        sys.exit("duplicate ids")
    parent = {}

    def find(k):
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    by_day = {}
    for r in rows:
        key = event_key(r)
        find(key)
        if len(r["event_date"]) == 10 and r["origin"] == "real-event":
            day = (r["event_date"], r["place"].rsplit(",", 1)[-1].strip().lower())
            if day in by_day:
                parent[find(key)] = find(by_day[day])
            else:
                by_day[day] = key
    pins = split_pins()
    groups = {}
    for r in rows:
        groups.setdefault(find(event_key(r)), []).append(event_key(r))
    for r in rows:
        anchor = min(groups[find(event_key(r))])
        digest = hashlib.sha256("|".join(anchor).encode("utf-8")).hexdigest()
        r["split"] = "test" if int(digest, 16) < TEST_SHARE * 16 ** 64 else "train"
        r["split"] = pins.get(event_key(r), r["split"])
    rows.sort(key=lambda r: r["id"])
    for split in ("train", "test"):
        with open(os.path.join(HERE, f"{split}.jsonl"), "w", encoding="utf-8") as fh:
            for r in rows:
                if r["split"] == split:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    n_test = sum(r["split"] == "test" for r in rows)
    print(f"{len(rows)} rows: {len(rows) - n_test} train, {n_test} test")
    refresh_guide()


def command_output(*command):
    import subprocess
    done = subprocess.run(command, capture_output=True, text=True, cwd=os.path.join(HERE, "..", ".."))
    return (done.stdout + done.stderr).rstrip()


def fact_check_summary():
    """Counts of the fact check's verdicts, over the real-event rows now in the corpus."""
    checks = fact_checks()
    kept = set()
    for split in ("train", "test"):
        with open(os.path.join(HERE, f"{split}.jsonl"), encoding="utf-8") as fh:
            kept |= {json.loads(line)["id"] for line in fh}
    excluded = excluded_ids()
    lines = ["| verdict | rows | still in the corpus | corrected by text edits |", "|---|---|---|---|"]
    for verdict in ("ok", "minor", "wrong", "unverified", "not checked"):
        rows = [c for c in checks if c["verdict"] == verdict]
        lines.append(
            f"| {verdict} | {len(rows)} | {sum(c['id'] in kept for c in rows)} | {sum(bool(c['edits']) and c['id'] in kept for c in rows)} |"
        )
    affected = [c["id"] for c in checks if c["label_affected"]]
    lines.append("")
    lines.append(
        f"{len(checks)} real-event rows; {sum(c['verdict'] != 'not checked' for c in checks)} checked against sources, "
        f"of which {sum(c['verdict'] in ('minor', 'wrong') for c in checks)} needed corrections; {len(affected)} had errors that bore on the label: "
        f"{sum(a in excluded for a in affected)} left out (excluded.tsv), {sum(a in RELABELS and a not in excluded for a in affected)} "
        f"relabelled on the corrected text (relabels.tsv), {sum(a not in RELABELS and a not in excluded for a in affected)} kept as labelled after re-reading."
    )
    return "\n".join(lines)


def refresh_guide():
    """Rewrites the generated blocks of README.md: the checker's figures and the review agreement."""
    guide = os.path.join(HERE, "README.md")
    with open(guide, encoding="utf-8") as fh:
        text = fh.read()
    checker = os.path.join(HERE, "..", "..", "..", "shared", "tools", "check_corpus.py")
    blocks = {
        "factcheck": fact_check_summary(),
        "checker": command_output("python3", checker, "--strict", "data/corpus") if os.path.exists(checker) else None,
        "review": command_output("python3", "data/review/agreement.py"),
    }
    for name, body in blocks.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        if body is None or start not in text:
            continue
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        fence = "```" if name == "checker" else ""
        text = f"{before}{start}\n{fence}\n{body}\n{fence}\n{end}{after}"
    with open(guide, "w", encoding="utf-8") as fh:
        fh.write(text)


RELABELS = relabels()

if __name__ == "__main__":
    main(sys.argv[1:] or sys.exit(__doc__))
