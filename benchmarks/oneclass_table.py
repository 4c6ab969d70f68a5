# The one-class tables of benchmarks/oneclass.sh and oneclass_geom.sh: reads `logp --json anomaly`
# outputs, one JSON object a line with "class" and "label" added, and prints AUROC per class and
# scorer with bootstrap intervals, the mean, and the mean AUPRC and FPR at 95% TPR.
#   python3 benchmarks/oneclass_table.py results.jsonl
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
labels = list(dict.fromkeys(r["label"] for r in rows))
classes = sorted({r["class"] for r in rows})
names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
cell = {(r["class"], r["label"]): r["metrics"]["auroc"] for r in rows}
fmt = lambda a: "%.3f [%.3f, %.3f]" % (a["value"], a["ci"][0], a["ci"][1])
print("| class | " + " | ".join(labels) + " |")
print("|---|" + "---|" * len(labels))
for c in classes:
    print("| %d %s | " % (c, names[c]) + " | ".join(fmt(cell[(c, l)]) for l in labels) + " |")
mean = lambda l, f: sum(f(cell[(c, l)]) for c in classes) / len(classes)
print("| **mean** | " + " | ".join("**%.3f** [%.3f, %.3f]" % (mean(l, lambda a: a["value"]), mean(l, lambda a: a["ci"][0]),
                                                             mean(l, lambda a: a["ci"][1])) for l in labels) + " |")
print()
print("Other metrics, mean over classes (AUPRC with anomalies positive; FPR at 95% TPR):")
print()
for l in labels:
    m = [r["metrics"] for r in rows if r["label"] == l]
    print("- %s: AUPRC %.3f, FPR@95%%TPR %.3f" % (l, sum(x["auprc"]["value"] for x in m) / len(m),
                                                 sum(x["fpr_at_95_tpr"]["value"] for x in m) / len(m)))
