#!/usr/bin/env python3
"""Draw a blind-review sample from the assembled corpus.

usage: python3 data/review/draw_sample.py OUT_DIR SEED N SLICE [SLICE ...]
       python3 data/review/draw_sample.py --fact-checked OUT_DIR SEED N

The first form picks N rows at random, in random order (Python's random.Random(SEED) over the
sorted ids), among the rows whose id prefix is one of the SLICEs. The second takes every row whose
label-bearing facts the fact check corrected (fact_checks.jsonl, label_affected) and fills up to N
with rows drawn at random from the other rows it corrected, then shuffles them. Both write
OUT_DIR/sample.jsonl (id and text only: what the reviewer sees) and
OUT_DIR/sample_labels_at_review.jsonl (the corpus labels, kept from the reviewer).
Standard library only.
"""
import json, os, random, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def corpus_rows():
    rows = {}
    for split in ("train", "test"):
        with open(os.path.join(HERE, "..", "corpus", f"{split}.jsonl"), encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                rows[row["id"]] = row
    return rows


def from_slices(rows, seed, n, slices):
    pool = sorted(rid for rid in rows if rid.rsplit("-", 1)[0] in slices)
    return random.Random(seed).sample(pool, n)


def fact_checked(rows, seed, n):
    with open(os.path.join(HERE, "fact_checks.jsonl"), encoding="utf-8") as fh:
        checks = [json.loads(line) for line in fh if line.strip()]
    affected = sorted(c["id"] for c in checks if c["label_affected"] and c["id"] in rows)
    edited = sorted(c["id"] for c in checks if c["edits"] and not c["label_affected"] and c["id"] in rows)
    chosen = affected + random.Random(seed).sample(edited, n - len(affected))
    random.Random(seed).shuffle(chosen)
    return chosen


def write(out_dir, rows, chosen):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "sample.jsonl"), "w", encoding="utf-8") as fh:
        for rid in chosen:
            fh.write(json.dumps({"id": rid, "text": rows[rid]["text"]}, ensure_ascii=False) + "\n")
    with open(os.path.join(out_dir, "sample_labels_at_review.jsonl"), "w", encoding="utf-8") as fh:
        for rid in chosen:
            r = rows[rid]
            fh.write(json.dumps({"id": rid, "label": r["label"], "runner_up": r["runner_up"]}) + "\n")
    print(f"{len(chosen)} rows -> {out_dir}")


if __name__ == "__main__":
    args = sys.argv[1:]
    rows = corpus_rows()
    if len(args) == 4 and args[0] == "--fact-checked":
        write(args[1], rows, fact_checked(rows, int(args[2]), int(args[3])))
    elif len(args) >= 4:
        write(args[0], rows, from_slices(rows, int(args[1]), int(args[2]), set(args[3:])))
    else:
        sys.exit(__doc__)
