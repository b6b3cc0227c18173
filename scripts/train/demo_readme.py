#!/usr/bin/python3
"""Rewrites the figure tables of resources/demo/README.md from expected_accuracy.json.

    /usr/bin/python3 scripts/train/demo_readme.py [--out resources/demo]

The tables sit between the lines "<!-- figures: begin -->" and "<!-- figures: end -->"; the
rest of the README is hand-written. tests/demo checks that each model's row shows its figures.
Needs only the Python standard library.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

BEGIN, END = "<!-- figures: begin -->", "<!-- figures: end -->"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
           "Bag", "Ankle boot"]


def pct(head):
    if head["metric"] == "entity_f1":
        return "%.2f" % (100 * common.f1_value(head["true_positives"], head["predicted"],
                                               head["gold"]))
    return "%.2f" % (100 * head["correct"] / head["total"])


def counts(head):
    if head["metric"] == "entity_f1":
        return "%d/%d/%d" % (head["true_positives"], head["predicted"], head["gold"])
    return "%d/%d" % (head["correct"], head["total"])


def size(record):
    return "%.0f KiB" % (record["bytes"] / 1024) if "bytes" in record else "-"


def tables(data):
    out = ["### Fashion-MNIST", "",
           "| model | architecture | parameters | file | top-1, test 0-1999 (committed) "
           "| top-1, all 10,000 test images |",
           "| --- | --- | ---: | ---: | ---: | ---: |"]
    arch = {"fashion_cnn": "3x (Conv 3x3 + BN + ReLU + MaxPool), FC 256, FC 10",
            "fashion_mlp": "FC 256, FC 128, FC 10"}
    fashion = [k for k in ("fashion_cnn", "fashion_mlp") if k in data]
    for k in fashion:
        r = data[k]
        h, f = r["heads"]["logits"], r["full"]["heads"]["logits"]
        out.append("| %s | %s | %s | %s | %s %% (%s) | %s %% (%s) |"
                   % (k, arch[k], "{:,}".format(r["params"]), size(r), pct(h), counts(h), pct(f),
                      counts(f)))
    out += ["", "Per class, top-1 on all 10,000 test images (1,000 per class):", "",
            "| class | " + " | ".join(fashion) + " |",
            "| --- | " + " | ".join("---:" for _ in fashion) + " |"]
    for c in CLASSES:
        cells = ["%.1f %%" % (100 * data[k]["full"]["per_class"][c]) for k in fashion]
        out.append("| %s | %s |" % (c, " | ".join(cells)))
    out += ["", "Training: " + "; ".join("%s %s" % (k, data[k]["training"]) for k in fashion)
            + ".", ""]

    nlp = [k for k in ("commands_fused", "commands_intent", "commands_slots", "commands_teacher",
                       "commands_student", "commands_student_scratch") if k in data]
    out += ["### In-car commands", "",
            "Validation split (%d sentences, never trained on). Intent: top-1 accuracy (correct/"
            "total). Slots: entity-level F1 over BIO spans (true positives/predicted/gold "
            "entities)." % data[nlp[0]]["samples"] if nlp else "", "",
            "| model | architecture | parameters | file | intent accuracy | slot entity F1 "
            "| zh: intent / F1 | en: intent / F1 |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for k in nlp:
        r = data[k]
        h = r["heads"]
        cell = lambda name: ("%s %% (%s)" % (pct(h[name]), counts(h[name]))  # noqa: E731
                             if name in h else "-")

        def lang(code):
            v = r["by_language"][code]
            return " / ".join("%.2f" % (100 * v[n]) if n in v else "-"
                              for n in ("intent_logits", "slot_logits"))
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s |"
                   % (k, r["arch"], "{:,}".format(r["params"]), size(r), cell("intent_logits"),
                      cell("slot_logits"), lang("zh"), lang("en")))
    if nlp:
        out += ["", "Training: " + "; ".join("%s %s" % (k, data[k]["training"]) for k in nlp)
                + "."]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=common.DEMO_DIR)
    args = ap.parse_args()
    data = common.read_json(os.path.join(args.out, "expected_accuracy.json"))
    path = os.path.join(args.out, "README.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    a, b = text.find(BEGIN), text.find(END)
    if a < 0 or b < a:
        raise SystemExit("%s has no %s ... %s section" % (path, BEGIN, END))
    text = text[:a + len(BEGIN)] + "\n" + tables(data) + "\n" + text[b:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print("updated", path)


if __name__ == "__main__":
    main()
