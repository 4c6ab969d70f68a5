#!/usr/bin/env bash
# DCGAN: logp against the same model in PyTorch (benchmarks/peers/dcgan_torch.py), in one run.
#   benchmarks/dcgan_vs_pytorch.sh [--write] [steps=300]
# What is measured: training throughput in steps/s (one step = one discriminator update on a real
# and a fake batch + one generator update with fresh z; batch 64, C=32, Adam 2e-4 (0.5, 0.999),
# non-saturating BCE loss) on Fashion-MNIST 8-bit (data/fashion-mnist-8bit.h5, train split,
# pixels scaled to [-1, 1]), the same number of steps for both, from seed 0.
#   PyTorch: the peer at 1 and 2 threads (torch.set_num_threads); its better steps/s is the
#            reference. Its timer covers the training loop only (time.perf_counter; no data
#            loading, no sampling or file writing).
#   logp:    `logp fit dcgan ... --json` once, at logp's default thread count (all cores; set
#            LOGP_THREADS=N to pass --threads N); its steps/s is the one logp reports (see the
#            marked block below for the command and the JSON field).
# BatchNorm: the peer uses plain nn.BatchNorm2d over the whole batch of 64 (the standard model);
# logp normalizes each 32-example TBB shard (its default --shard-size) with its own statistics. The cost per step is about
# the same; for losses and samples that match logp's definition, run the peer with --bn-shard 32.
# Also shown: each command's whole-process wall time and CPU time (user + system over all its
# threads, from /usr/bin/time; start-up, HDF5 reading and, for logp, saving the model included),
# the CPU-time ratio of the same two runs (robust to a loaded machine, where wall-clock rates are
# not), the load average at the start and the end, the final-step losses and D outputs (single-step GAN losses are
# noisy; they are there to show both runs trained, not to rank them).
# Prints a Markdown report; with --write also writes it to benchmarks/results/dcgan_vs_pytorch.md.
# Environment: LOGP_BUILD (default build), LOGP_THREADS (default: none given).
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/peers/peer_env.sh
write=0
if [[ ${1:-} == --write ]]; then write=1; shift; fi
steps=${1:-300}
channels=32
batch=64
data=data/fashion-mnist-8bit.h5
build=${LOGP_BUILD:-build}
py=/usr/bin/python3
peer=benchmarks/peers/dcgan_torch.py
[[ -f $data ]] || { echo "$data is missing: make it with logp's data commands first" >&2; exit 1; }
[[ -x $build/logp ]] || tools/build.sh "$build" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- logp side: the one place to adjust when `logp fit dcgan` lands ---------------------------
logp_cmd=("$build/logp" ${LOGP_THREADS:+--threads "$LOGP_THREADS"} fit dcgan --data "$data"
          --channels "$channels" --batch-size "$batch" --epochs 1 --max-steps "$steps" --seed 0
          --out "$work/logp-dcgan.h5" --json)
logp_rate_field=steps_per_second  # field of logp's --json output (an object, or a list whose first
                                  # element is the object) holding its training steps/s
logp_loss_fields="d_loss g_loss d_real d_fake"  # optional fields shown when present
# -----------------------------------------------------------------------------------------------

peer_cmd() {  # threads -> the peer's command line (words)
  printf '%s\n' "$py" "$peer" --data "$data" --epochs 1 --max-steps "$steps" --batch-size "$batch" \
    --channels "$channels" --threads "$1" --seed 0 --json "$work/torch-$1.json"
}

timed() {  # file command... -> runs the command (stdout to file), prints its wall seconds;
           # its CPU seconds (user + system) go to file.cpu
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$1.cpu" "${@:2}" > "$1"
  end=$(date +%s.%N)
  $py -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$start" "$end"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
for threads in 1 2; do
  mapfile -t cmd < <(peer_cmd "$threads")
  echo "${cmd[*]}" > "$work/torch-$threads.cmd"
  timed "$work/torch-$threads.out" "${cmd[@]}" > "$work/torch-$threads.wall"
done
echo "${logp_cmd[*]}" > "$work/logp.cmd"
timed "$work/logp.out" "${logp_cmd[@]}" > "$work/logp.wall"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

report=$($py - "$work" "$logp_rate_field" "$logp_loss_fields" <<'EOF'
import json, sys
work, rate_field, loss_fields = sys.argv[1], sys.argv[2], sys.argv[3].split()
read = lambda name: open(f"{work}/{name}").read().strip()
cpu = lambda name: sum(float(x) for x in read(f"{name}.out.cpu").split()[-2:])  # user + system s
torch_runs = {t: json.load(open(f"{work}/torch-{t}.json")) for t in (1, 2)}
logp = json.loads(read("logp.out"))
if isinstance(logp, list):
    logp = logp[0]
if rate_field not in logp:
    sys.exit(f"logp's --json output has no field {rate_field!r}: {sorted(logp)}; fix the marked block")
best = max(torch_runs, key=lambda t: torch_runs[t]["steps_per_second"])
peer_rate, logp_rate = torch_runs[best]["steps_per_second"], float(logp[rate_field])
fmt = lambda r, k: f"{r[k]:.3f}" if isinstance(r.get(k), (int, float)) else "—"
print("| system | threads | steps | steps/s | examples/s | wall s | CPU s | d_loss | g_loss | D(x) | D(G(z)) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for t, r in torch_runs.items():
    mark = " (best)" if t == best else ""
    print(f"| PyTorch{mark} | {t} | {r['steps']} | {r['steps_per_second']:.2f} | {r['examples_per_second']:.0f} "
          f"| {read(f'torch-{t}.wall')} | {cpu(f'torch-{t}'):.2f} | {r['d_loss']:.3f} | {r['g_loss']:.3f} | {r['d_real']:.3f} | {r['d_fake']:.3f} |")
logp_steps = logp.get("steps", "—")
print(f"| logp | {logp.get('threads', 'default')} | {logp_steps} | {logp_rate:.2f} | {float(logp.get('examples_per_second', logp_rate * torch_runs[best]['batch_size'])):.0f} "
      f"| {read('logp.wall')} | {cpu('logp'):.2f} | " + " | ".join(fmt(logp, k) for k in loss_fields) + " |")
print()
print(f"**logp / PyTorch (best, {best} thread{'s' if best > 1 else ''}): {logp_rate / peer_rate:.2f}x** "
      f"({logp_rate:.2f} vs {peer_rate:.2f} steps/s; > 1: logp is faster)")
print()
print(f"CPU-time ratio, PyTorch ({best} thread{'s' if best > 1 else ''}) / logp, whole processes: "
      f"**{cpu(f'torch-{best}') / cpu('logp'):.2f}x** ({cpu(f'torch-{best}'):.2f} vs {cpu('logp'):.2f} CPU s "
      f"for the same steps; > 1: logp used less CPU)")
EOF
)

{
  echo "# DCGAN: logp vs PyTorch"
  echo
  echo "Command: \`benchmarks/dcgan_vs_pytorch.sh $steps\`  "
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average" \
       "$load at the start, $load_end at the end, $(date -u +%Y-%m-%dT%H:%MZ); PyTorch $($py -c 'import torch; print(torch.__version__)')  "
  echo "Model: DCGAN, C=$channels, z in R^64, batch $batch, Adam 2e-4 (0.5, 0.999), non-saturating BCE loss;" \
       "$steps steps (1 D update + 1 G update each) on the train split of $data, seed 0."
  echo "steps/s: each system's own timer over its training loop; wall s: the whole process."
  echo "Losses and D outputs: the last step's (noisy; they show both trained, they do not rank them)."
  echo
  echo "$report"
  echo
  echo "Commands:"
  echo
  for threads in 1 2; do echo "    $(cat "$work/torch-$threads.cmd")"; done
  echo "    $(cat "$work/logp.cmd")"
  echo
  echo "(TMP: a temporary folder, removed at exit)"
} | sed "s|$work/|TMP/|g" > "$work/report.md"
cat "$work/report.md"
if (( write )); then
  mkdir -p benchmarks/results
  cp "$work/report.md" benchmarks/results/dcgan_vs_pytorch.md
  echo "wrote benchmarks/results/dcgan_vs_pytorch.md" >&2
fi
