#!/usr/bin/env python3
"""Assemble the corpus from slice files and fix the test split by event.

usage: python3 data/corpus/assemble.py SLICE_DIR [SLICE_DIR ...]

Reads every *.jsonl under the given folders, drops the rows listed in excluded.tsv (with the
reason each was left out), checks ids are unique, and writes
data/corpus/train.jsonl and data/corpus/test.jsonl, rows sorted by id.

The split is a pure function of the event, never of the rows or labels: reports are grouped by
event key (event name lower-cased + year-month, as check_corpus.py groups them), and groups that
share a full date and country are merged (the same real event written under two names). A group
goes to the test split when the SHA-256 of its smallest event key, read as a number, is below
TEST_SHARE of the range. Standard library only.
"""
import hashlib, json, os, sys

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


def excluded_ids():
    with open(os.path.join(HERE, "excluded.tsv"), encoding="utf-8") as fh:
        return {line.split("\t", 1)[0] for line in fh if line.strip() and not line.startswith("#")}


def main(folders):
    excluded = excluded_ids()
    rows = [r for r in rows_in(folders) if r["id"] not in excluded]
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
        if len(r["event_date"]) == 10:
            day = (r["event_date"], r["place"].rsplit(",", 1)[-1].strip().lower())
            if day in by_day:
                parent[find(key)] = find(by_day[day])
            else:
                by_day[day] = key
    groups = {}
    for r in rows:
        groups.setdefault(find(event_key(r)), []).append(event_key(r))
    for r in rows:
        anchor = min(groups[find(event_key(r))])
        digest = hashlib.sha256("|".join(anchor).encode("utf-8")).hexdigest()
        r["split"] = "test" if int(digest, 16) < TEST_SHARE * 16 ** 64 else "train"
    rows.sort(key=lambda r: r["id"])
    for split in ("train", "test"):
        with open(os.path.join(HERE, f"{split}.jsonl"), "w", encoding="utf-8") as fh:
            for r in rows:
                if r["split"] == split:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    n_test = sum(r["split"] == "test" for r in rows)
    print(f"{len(rows)} rows: {len(rows) - n_test} train, {n_test} test")


if __name__ == "__main__":
    main(sys.argv[1:] or sys.exit(__doc__))
