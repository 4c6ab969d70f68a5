#!/usr/bin/env bash
# VAE: logp against the same model in PyTorch (benchmarks/peers/vae_torch.py), in one run, on
# binarized Fashion-MNIST, same architecture (784-H-H-L, relu, Bernoulli decoder), batch 100, Adam 1e-3.
#   benchmarks/vae_vs_pytorch.sh [train_examples=2000] [iwae_examples=20] [k=5000] [hidden=500,500] [latent=50]
# 1. Throughput, 1 and 2 threads each (the peer's better setting is the reference):
#    training examples/s over one epoch on the first `train_examples` training examples, and
#    IWAE-k evaluation examples/s on the first `iwae_examples` test examples.
# 2. The test ELBO (one draw per example) and IWAE-k of both models after that training, in nats
#    ± standard error over the test examples (a lower bound and a stochastic estimate, not exact).
# 3. The same throughputs per CPU-second (user + system), for a machine shared with other work:
#    logp: the whole `logp fit` / `logp score` process (start-up, HDF5 and saving included, which
#    counts against logp); PyTorch: the peer run again with time.perf_counter replaced by
#    time.process_time (its own timed sections, unchanged otherwise).
# Writes benchmarks/results/vae_vs_pytorch.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/peers/peer_env.sh
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

cpu_time() {  # file command... -> runs the command; writes its "user system" CPU seconds (rusage) to file
  $py -c 'import resource, subprocess, sys; code = subprocess.run(sys.argv[2:]).returncode
u = resource.getrusage(resource.RUSAGE_CHILDREN); open(sys.argv[1], "w").write(f"{u.ru_utime} {u.ru_stime}"); sys.exit(code)' "$@"
}

logp_run() {  # threads -> one JSON line
  local threads=$1 fit_err start end
  fit_err=$(cpu_time "$work/fit-cpu-$threads" "$build/logp" --threads "$threads" fit --model vae --hidden-layers "$hidden" --latent "$latent" \
    --epochs 1 --batch-size 100 --shard-size 100 --learning-rate 1e-3 --valid-split none --seed 0 \
    --data "$work/data.h5" --out "$work/vae-$threads.h5" 2>&1 >/dev/null)
  local rate
  rate=$(echo "$fit_err" | sed -n 's/.* at \([0-9]*\) examples\/s.*/\1/p')
  local elbo iwae
  elbo=$("$build/logp" --threads "$threads" --json score --model "$work/vae-$threads.h5" --data "$work/data.h5")
  start=$(date +%s.%N)
  iwae=$(cpu_time "$work/iwae-cpu-$threads" "$build/logp" --threads "$threads" --json score \
    --model "$work/vae-$threads.h5" --data "$work/data.h5" --estimator iwae --k "$k")
  end=$(date +%s.%N)
  $py -c 'import json,sys; e=json.loads(sys.argv[2])[0]; i=json.loads(sys.argv[3])[0]; s=float(sys.argv[5])-float(sys.argv[4]);
print(json.dumps({"threads": int(sys.argv[1]), "train_examples_per_second": float(sys.argv[6]),
  "test_elbo": -e["mean_nll_nats"], "test_elbo_se": e["std_error_nats"], "test_iwae": -i["mean_nll_nats"],
  "test_iwae_se": i["std_error_nats"], "iwae_seconds": s, "iwae_examples_per_second": i["n"] / s,
  "train_examples_per_cpu_second": int(sys.argv[7]) / sum(map(float, open(sys.argv[8]).read().split())),
  "iwae_examples_per_cpu_second": i["n"] / sum(map(float, open(sys.argv[9]).read().split()))}))' \
    "$threads" "$elbo" "$iwae" "$start" "$end" "$rate" "$train_examples" "$work/fit-cpu-$threads" "$work/iwae-cpu-$threads"
}

torch_run() {  # threads [cpu] -> one JSON line; with cpu, its timers measure process CPU time
  local clock=perf_counter
  [[ ${2:-} == cpu ]] && clock=process_time
  $py -c 'import runpy, sys, time; time.perf_counter = getattr(time, sys.argv[1]); sys.argv = sys.argv[2:];
runpy.run_path(sys.argv[0], run_name="__main__")' "$clock" benchmarks/peers/vae_torch.py --data "$work/data.h5" --threads "$1" --encoder "$hidden" --latent "$latent" \
    --train-examples 0 --epochs 1 --test-examples 0 --k "$k"
}

{
  echo "# VAE: logp vs PyTorch"
  echo
  echo "Command: \`benchmarks/vae_vs_pytorch.sh $train_examples $iwae_examples $k $hidden $latent\`  "
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average" \
       "$(cut -d' ' -f1-3 /proc/loadavg) at the start, $(date -u +%Y-%m-%dT%H:%MZ)  "
  echo "Model: $arch (relu), Bernoulli decoder, batch 100, Adam 1e-3, 1 epoch on the first $train_examples" \
       "training examples of fashion-mnist-binary.h5; IWAE with k=$k on the first $iwae_examples test examples." \
       "logp: \`--shard-size 100\` (the whole batch is one shard; its GEMMs run in parallel row blocks)."
  echo "ELBO: one draw per example; IWAE: a stochastic estimate whose expectation is a lower bound. Nats ± s.e. over the test examples."
  echo
  echo '| system | threads | train examples/s | IWAE examples/s | test ELBO | test IWAE |'
  echo '|---|---:|---:|---:|---:|---:|'
  for threads in 1 2; do
    logp_run "$threads" > "$work/logp-$threads.json"
    torch_run "$threads" > "$work/torch-$threads.json"
    torch_run "$threads" cpu > "$work/torch-cpu-$threads.json"
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
print()
print("Per CPU-second (user + system; see the script's header for what each side's time covers):")
print()
print("| system | threads | train examples per CPU-s | IWAE examples per CPU-s |")
print("|---|---:|---:|---:|")
cpu = {"logp": [(r["threads"], r["train_examples_per_cpu_second"], r["iwae_examples_per_cpu_second"]) for r in runs["logp"]],
       "torch": []}
for t in (1, 2):
    r = json.load(open(f"{w}/torch-cpu-{t}.json"))
    cpu["torch"].append((t, r["train_examples_per_second"], r["iwae_examples_per_second"]))
for system, name in (("logp", "logp"), ("torch", "PyTorch")):
    for t, train, iwae in cpu[system]:
        print(f"| {name} | {t} | {train:.0f} | {iwae:.3f} |")
print()
for index, name in ((1, "training"), (2, "IWAE evaluation")):
    mine, peer = max(r[index] for r in cpu["logp"]), max(r[index] for r in cpu["torch"])
    print(f"- {name} per CPU-second: logp best {mine:.3f} vs PyTorch best {peer:.3f}: ratio {mine / peer:.2f}x")
EOF
} | tee "$out"
