"""The analyses of `logp compare` and `logp anomaly` as functions on arrays."""
import numpy as np

from . import _logp


def _values(model, x):
    """Per-example log-likelihoods: an array as it is, or a fitted estimator's score_samples(x)."""
    if hasattr(model, "score_samples"):
        if x is None:
            raise _logp.Error("compare: estimators need X (the examples to score them on)")
        return np.asarray(model.score_samples(x), dtype=np.float64)
    return np.asarray(model, dtype=np.float64)


def compare(models, X=None, *, dim=None, confidence=0.95, bootstrap=2000, seed=0):
    """Ranks models by mean NLL on the same examples, with paired tests (as `logp compare`).

    models: a dict name -> fitted estimator (anything with score_samples, e.g. a scikit-learn
    GaussianMixture) or an array of N per-example log-likelihoods in nats. X: the N x D examples
    the estimators are scored on (D for bits/dim comes from it, else give dim).
    Returns {"models": [{name, rank, mean_nll_nats, std_error_nats, bits_per_dim}, ...] best first,
    "pairs": [{a, b, mean_diff_nats (mean of log p_a - log p_b per example), std_error_nats, ci_nats,
    bootstrap_ci_nats, t, p_t, p_t_holm, wilcoxon_z, p_wilcoxon, p_wilcoxon_holm, ...}, ...]}.
    """
    names = list(models)
    values = [_values(models[name], X) for name in names]
    if dim is None:
        if X is None:
            raise _logp.Error("compare: give X or dim (D, for bits/dim)")
        dim = np.shape(X)[1]
    result = _logp._compare(values, int(dim), float(confidence), int(bootstrap), int(seed))
    ranked = []
    for rank, index in enumerate(result["order"], start=1):
        ranked.append({"name": names[index], "rank": rank, **result["summaries"][index]})
    for pair in result["pairs"]:
        pair["a"], pair["b"] = names[pair["a"]], names[pair["b"]]
    return {"n": len(values[0]), "dim": int(dim), "models": ranked, "pairs": result["pairs"]}


def anomaly(scores, labels, *, bootstrap=1000, confidence=0.95, seed=0):
    """Detection metrics of anomaly scores (as `logp anomaly`): larger scores = more anomalous
    (e.g. -score_samples(X), the NLL), labels 1 = anomaly, 0 = normal.

    Returns {"auroc", "auprc", "fpr_at_95_tpr": {"value", "ci"} (stratified percentile
    bootstrap), "positives", "negatives", "roc": {"threshold", "fpr", "tpr"} arrays}.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.isin(labels, (0, 1)).all():
        raise _logp.Error("anomaly: labels must be a 1-D array of 0 (normal) and 1 (anomaly)")
    return _logp._detection(np.asarray(scores, dtype=np.float64), labels.astype(np.uint8).tolist(), int(bootstrap),
                            float(confidence), int(seed))


def eval_samples(real, samples, *, seed=0, fid_bootstrap=10, kid_subsets=100, kid_subset_size=1000,
                 permutations=500, test_subset=1000):
    """Sample-quality metrics of `logp eval-samples` on two sets of features (N x F real examples,
    M x F samples: pixels or any embedding): fid, kid, mmd2, precision, recall, density, coverage,
    c2st_accuracy... Returns {name: {value, spread, spread_kind, n_real, n_samples, p_value,
    details, warning}}. (The CLI's feature network, Parzen and copying tests are not bound.)"""
    return _logp._eval_samples(real, samples, int(seed), int(fid_bootstrap), int(kid_subsets), int(kid_subset_size),
                               int(permutations), int(test_subset))
