#!/usr/bin/env python3
"""Draw a blind-review sample from the assembled corpus.

usage: python3 data/review/draw_sample.py OUT_DIR SEED N SLICE [SLICE ...]

Picks N rows at random, in random order (Python's random.Random(SEED) over the sorted ids), among the rows whose id
prefix is one of the SLICEs, and writes OUT_DIR/sample.jsonl (id and text only: what the reviewer
sees) and OUT_DIR/sample_labels_at_review.jsonl (the corpus labels, kept from the reviewer).
Standard library only.
"""
import json, os, random, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(out_dir, seed, n, slices):
    rows = {}
    for split in ("train", "test"):
        with open(os.path.join(HERE, "..", "corpus", f"{split}.jsonl"), encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row["id"].rsplit("-", 1)[0] in slices:
                    rows[row["id"]] = row
    chosen = random.Random(seed).sample(sorted(rows), n)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "sample.jsonl"), "w", encoding="utf-8") as fh:
        for rid in chosen:
            fh.write(json.dumps({"id": rid, "text": rows[rid]["text"]}, ensure_ascii=False) + "\n")
    with open(os.path.join(out_dir, "sample_labels_at_review.jsonl"), "w", encoding="utf-8") as fh:
        for rid in chosen:
            r = rows[rid]
            fh.write(json.dumps({"id": rid, "label": r["label"], "runner_up": r["runner_up"]}) + "\n")
    print(f"{len(chosen)} of {len(rows)} rows from {', '.join(slices)} -> {out_dir}")


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), set(sys.argv[4:]))
