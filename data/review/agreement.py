#!/usr/bin/env python3
"""Agreement between the corpus labels and an independent blind re-labelling.

usage: python3 data/review/agreement.py

Each review round is a folder holding:
sample.jsonl                    the reports shown to the reviewer (id, text only), drawn at random
                                from the rows under review as they stood at review time
sample_labels_at_review.jsonl   the corpus labels of those reports at review time
blind_labels.jsonl              the reviewer's labels, made from the text and the codebook alone

Round 1 (this folder): 260 reports from the whole corpus of the first nine slices, seed 20261127.
Round 2 (round2/): reports from the seven slices written in the second round only, seed 20261128.
Round 3 (round3/): the 34 rows whose label-bearing facts the fact check corrected, and 46 drawn at
                   random (seed 20261130) from the other rows it corrected: a targeted sample, so
                   its agreement is not an estimate for the corpus as a whole.

Prints agreement, Cohen's kappa and the confusion between the two labellings, before and after
the relabels settled from the review (data/corpus/relabels.tsv). Standard library only.
"""
import collections, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = ("directed", "remote-controlled", "inspired", "unclaimed")


def read(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def current_labels():
    out = {}
    for split in ("train", "test"):
        path = os.path.join(HERE, "..", "corpus", f"{split}.jsonl")
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                out[row["id"]] = row["label"]
    return out


def report(title, corpus, blind):
    n = len(blind)
    agree = sum(corpus[b["id"]] == b["label"] for b in blind)
    a = collections.Counter(corpus[b["id"]] for b in blind)
    b_ = collections.Counter(b["label"] for b in blind)
    expected = sum(a[l] * b_[l] for l in LABELS) / (n * n)
    kappa = (agree / n - expected) / (1 - expected)
    print(f"{title}: {n} reports, agreement {agree / n:.3f}, Cohen's kappa {kappa:.3f}\n")
    cm = collections.Counter((corpus[b["id"]], b["label"]) for b in blind)
    print("| corpus \\ blind | " + " | ".join(LABELS) + " |")
    print("|---|---|---|---|---|")
    for g in LABELS:
        print(f"| {g} | " + " | ".join(str(cm[(g, x)]) for x in LABELS) + " |")
    print()


def main():
    now = current_labels()
    rounds = (("Round 1", HERE), ("Round 2", os.path.join(HERE, "round2")), ("Round 3", os.path.join(HERE, "round3")))
    for name, folder in rounds:
        if not os.path.exists(os.path.join(folder, "blind_labels.jsonl")):
            continue
        blind = read(folder, "blind_labels.jsonl")
        at_review = {r["id"]: r["label"] for r in read(folder, "sample_labels_at_review.jsonl")}
        report(f"{name}, before settling (corpus labels at review time)", at_review, blind)
        kept = [b for b in blind if b["id"] in now]
        print(f"({len(blind) - len(kept)} reviewed rows were later left out of the corpus: data/corpus/excluded.tsv)\n")
        report(f"{name}, after settling (corpus labels now)", now, kept)


if __name__ == "__main__":
    main()
