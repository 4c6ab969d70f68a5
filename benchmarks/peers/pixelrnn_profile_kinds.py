#!/usr/bin/python3
"""Groups a flat perf profile (`perf report --no-children --sort symbol --stdio` on stdin) into
kinds of work and prints a Markdown table: kind, share of samples (%), top symbols of the kind.
Used by benchmarks/pixelrnn_vs_pytorch.sh.
"""
import re
import sys

KINDS = [  # first match wins
    ("GEMM (Eigen matrix products and packing)", r"gebp_kernel|gemm_pack|general_matrix_matrix|general_matrix_vector|gemv|triangular"),
    ("GEMM (OpenBLAS, fixed_shape_gemm)", r"^[sd]gemm_|cblas_|^[sd]gemm$"),
    ("memset / memcpy (zeroing, copies)", r"memset|memmove|memcpy"),
    ("LSTM gate ops", r"lstm"),
    ("line convolution ops (Row LSTM, state-to-state)", r"line_conv"),
    ("skew / unskew", r"skew"),
    ("im2col / conv2d / col2im", r"im2col|col2im|conv2d"),
    ("tape bookkeeping (add_grad, push, backward loop)", r"BasicTape|add_grad|push"),
    ("elementwise Eigen loops (add, bias, slices, activations)", r"dense_assignment|assign_op|redux|add_bias|logp::ad::"),
    ("math library (exp, log, tanh)", r"__exp|__log|tanh|expf|logf"),
    ("kernel", r"^\[k\]"),
]


def main():
    shares = {name: 0.0 for name, _ in KINDS}
    shares["other"] = 0.0
    tops = {name: [] for name in shares}
    for line in sys.stdin:
        m = re.match(r"\s*([0-9.]+)%\s+(\[[.k]\])\s+(.*)", line)
        if not m:
            continue
        share, space, symbol = float(m.group(1)), m.group(2), m.group(3).strip()
        text = space + " " + symbol if space == "[k]" else symbol
        kind = next((name for name, pattern in KINDS if re.search(pattern, text)), "other")
        shares[kind] += share
        if len(tops[kind]) < 2:
            tops[kind].append(re.sub(r"<.*", "<...>", symbol)[:60].strip())
    print("| kind | % of samples | largest symbols |")
    print("|---|---:|---|")
    for name, share in sorted(shares.items(), key=lambda kv: -kv[1]):
        if share >= 0.5:
            print("| %s | %.1f | %s |" % (name, share, "; ".join("`%s`" % s for s in tops[name])))


if __name__ == "__main__":
    main()
