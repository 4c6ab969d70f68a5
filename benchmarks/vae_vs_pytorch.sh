#!/usr/bin/env bash
# VAE: logp against the same model in PyTorch (benchmarks/peers/vae_torch.py), in one run, on
# binarized Fashion-MNIST, same architecture (784-H-H-L, relu, Bernoulli decoder), batch 100, Adam 1e-3.
#   benchmarks/vae_vs_pytorch.sh [train_examples=2000] [iwae_examples=20] [k=5000] [hidden=500,500] [latent=50]
# 1. Throughput, 1 and 2 threads each (the peer's better setting is the reference):
#    training examples/s over one epoch on the first `train_examples` training examples, and
#    IWAE-k evaluation examples/s on the first `iwae_examples` test examples.
# 2. The test ELBO (one draw per example) and IWAE-k of both models after that training, in nats
#    ± standard error over the test examples (a lower bound and a stochastic estimate, not exact).
# Writes benchmarks/results/vae_vs_pytorch.md.
set -euo pipefail
cd "$(dirname "$0")/.."
train_examples=${1:-2000}
iwae_examples=${2:-20}
k=${3:-5000}
hidden=${4:-500,500}
latent=${5:-50}
build=${LOGP_BUILD:-build}
[[ -x $build/logp ]] || tools/build.sh "$build" >/dev/null
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The same data for both: the first train_examples of train, the first iwae_examples of test.
$py - "$train_examples" "$iwae_examples" "$work/data.h5" <<'EOF'
import sys, h5py
n_train, n_test, target = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with h5py.File("data/fashion-mnist-binary.h5", "r") as src, h5py.File(target, "w") as dst:
    for key, value in src.attrs.items():
        dst.attrs[key] = value
    for split, count in (("train", n_train), ("test", n_test)):
        x = src[split]["x"]
        dst.create_group(split).create_dataset("x", data=x[:count])
        for key, value in x.attrs.items():
            dst[split]["x"].attrs[key] = value
EOF
out=benchmarks/results/vae_vs_pytorch.md
mkdir -p benchmarks/results
arch="784-$(echo "$hidden" | tr , -)-$latent"

logp_run() {  # threads -> one JSON line
  local threads=$1 fit_err start end
  fit_err=$("$build/logp" --threads "$threads" fit --model vae --hidden-layers "$hidden" --latent "$latent" \
    --epochs 1 --batch-size 100 --shard-size 50 --learning-rate 1e-3 --valid-split none --seed 0 \
    --data "$work/data.h5" --out "$work/vae-$threads.h5" 2>&1 >/dev/null)
  local rate
  rate=$(echo "$fit_err" | sed -n 's/.* at \([0-9]*\) examples\/s.*/\1/p')
  local elbo iwae
  elbo=$("$build/logp" --threads "$threads" --json score --model "$work/vae-$threads.h5" --data "$work/data.h5")
  start=$(date +%s.%N)
  iwae=$("$build/logp" --threads "$threads" --json score --model "$work/vae-$threads.h5" --data "$work/data.h5" \
    --estimator iwae --k "$k")
  end=$(date +%s.%N)
  $py -c 'import json,sys; e=json.loads(sys.argv[2])[0]; i=json.loads(sys.argv[3])[0]; s=float(sys.argv[5])-float(sys.argv[4]);
print(json.dumps({"threads": int(sys.argv[1]), "train_examples_per_second": float(sys.argv[6]),
  "test_elbo": -e["mean_nll_nats"], "test_elbo_se": e["std_error_nats"], "test_iwae": -i["mean_nll_nats"],
  "test_iwae_se": i["std_error_nats"], "iwae_seconds": s, "iwae_examples_per_second": i["n"] / s}))' \
    "$threads" "$elbo" "$iwae" "$start" "$end" "$rate"
}

torch_run() {
  $py benchmarks/peers/vae_torch.py --data "$work/data.h5" --threads "$1" --encoder "$hidden" --latent "$latent" \
    --train-examples 0 --epochs 1 --test-examples 0 --k "$k"
}

{
  echo "# VAE: logp vs PyTorch"
  echo
  echo "Command: \`benchmarks/vae_vs_pytorch.sh $train_examples $iwae_examples $k $hidden $latent\`  "
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average" \
       "$(cut -d' ' -f1-3 /proc/loadavg) at the start, $(date -u +%Y-%m-%dT%H:%MZ)  "
  echo "Model: $arch (relu), Bernoulli decoder, batch 100, Adam 1e-3, 1 epoch on the first $train_examples" \
       "training examples of fashion-mnist-binary.h5; IWAE with k=$k on the first $iwae_examples test examples."
  echo "ELBO: one draw per example; IWAE: a stochastic estimate whose expectation is a lower bound. Nats ± s.e. over the test examples."
  echo
  echo '| system | threads | train examples/s | IWAE examples/s | test ELBO | test IWAE |'
  echo '|---|---:|---:|---:|---:|---:|'
  for threads in 1 2; do
    logp_run "$threads" > "$work/logp-$threads.json"
    torch_run "$threads" > "$work/torch-$threads.json"
    for system in logp torch; do
      $py -c 'import json,sys; r=json.load(open(sys.argv[1])); print("| %s | %d | %.0f | %.3f | %.2f ± %.2f | %.2f ± %.2f |" % (sys.argv[2], r["threads"], r["train_examples_per_second"], r["iwae_examples_per_second"], r["test_elbo"], r["test_elbo_se"], r["test_iwae"], r["test_iwae_se"]))' \
        "$work/$system-$threads.json" "$([[ $system == torch ]] && echo PyTorch || echo logp)"
    done
  done
  echo
  $py - "$work" <<'EOF'
import json, sys
w = sys.argv[1]
runs = {s: [json.load(open(f"{w}/{s}-{t}.json")) for t in (1, 2)] for s in ("logp", "torch")}
best = lambda s, key: max(r[key] for r in runs[s])
for key, name in (("train_examples_per_second", "training"), ("iwae_examples_per_second", "IWAE evaluation")):
    print(f"- {name}: logp best {best('logp', key):.3f}/s vs PyTorch best {best('torch', key):.3f}/s: "
          f"ratio {best('logp', key) / best('torch', key):.2f}x")
EOF
} | tee "$out"
