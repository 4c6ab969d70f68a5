"""Fit NADE to binary Fashion-MNIST from numpy arrays, score and sample it, and compare it with
scikit-learn's GaussianMixture on the same test examples (docs/python.md).

    python3 python/examples/fashion_mnist_nade.py data/fashion-mnist-binary.h5 [train examples] [epochs]

A Gaussian mixture is a density over real vectors, so on binary pixels it is fitted to dequantized
data x + u (u uniform in [0, 1)^D); E_u log p(x + u) is then a lower bound on log P(x), in the same
nats as NADE's exact log P(x). One draw of u per test example estimates it.
"""
import sys
import time

import numpy as np
from sklearn.mixture import GaussianMixture

import logp

path = sys.argv[1] if len(sys.argv) > 1 else "data/fashion-mnist-binary.h5"
n_train = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 5

data = logp.Dataset(path)
train, valid, test = data.split("train"), data.split("valid"), data.split("test")
X, X_valid = train.x[:n_train], valid.x[:2000]  # N x 784 uint8 arrays of 0/1
print(f"{train.where}: using {X.shape[0]} of {train.x.shape[0]} examples, D={X.shape[1]}; test N={test.x.shape[0]}")

start = time.perf_counter()
nade = logp.NADE(hidden=100, epochs=epochs, seed=0).fit(X, X_valid=X_valid)
print(f"{nade!r} fitted in {time.perf_counter() - start:.1f} s ({nade.num_parameters_} parameters)")
nade_values = nade.score_samples(test.x)  # log P(x) per test example, nats
print(f"NADE: test NLL {-nade.score(test.x):.2f} nats/example ({nade.likelihood_kind}), "
      f"{-nade.score(test.x) / (X.shape[1] * np.log(2)):.4f} bits/dim")
samples = nade.sample(16, random_state=0)  # 16 x 784, 0/1
print(f"16 samples: mean pixel {samples.mean():.3f} (training data: {X.mean():.3f})")

rng = np.random.default_rng(0)
start = time.perf_counter()
gmm = GaussianMixture(n_components=20, covariance_type="diag", random_state=0)
gmm.fit(X + rng.random(X.shape))
gmm_values = gmm.score_samples(test.x + rng.random(test.x.shape))  # one-draw lower bound on log P(x)
print(f"sklearn GaussianMixture(20, diag) on dequantized pixels fitted in {time.perf_counter() - start:.1f} s: "
      f"test NLL <= {-gmm_values.mean():.2f} nats/example (lower bound on log-likelihood)")

result = logp.compare({"logp NADE": nade_values, "sklearn GaussianMixture": gmm_values}, dim=X.shape[1])
for m in result["models"]:
    print(f"  rank {m['rank']}: {m['name']:<24} NLL {m['mean_nll_nats']:8.2f} ± {m['std_error_nats']:.2f} nats/example")
pair = result["pairs"][0]
p_text = lambda p: f"{p:.2g}" if p > 1e-300 else "< 1e-300"  # noqa: E731
print(f"  {pair['a']} better than {pair['b']} by {pair['mean_diff_nats']:.2f} ± {pair['std_error_nats']:.2f} "
      f"nats/example, 95% CI [{pair['ci_nats'][0]:.2f}, {pair['ci_nats'][1]:.2f}], paired t p {p_text(pair['p_t'])}, "
      f"Wilcoxon p {p_text(pair['p_wilcoxon'])}")
