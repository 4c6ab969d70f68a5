"""logp: density estimation with the logp C++ library, from numpy (docs/python.md).

Estimators, one class per registered model type and generated from the model entries (the
options and defaults of `logp fit MODEL`): ``logp.NADE(hidden=500, epochs=20).fit(X)``.
Arrays are N x D (an example per row). ``score_samples`` gives per-example log-likelihoods in
nats, ``score`` their mean per example; ``likelihood_kind`` says whether they are exact, a lower
bound or an estimate. Bad input raises ``logp.Error`` (a ValueError) with the library's message.
"""
from ._logp import Error, __version__, get_threads, set_threads
from .data import Dataset, Split
from .estimators import LogpEstimator, estimator_classes, load
from .tools import anomaly, compare, eval_samples

globals().update(estimator_classes())

__all__ = ["Error", "Dataset", "Split", "LogpEstimator", "load", "compare", "anomaly", "eval_samples", "set_threads", "get_threads",
           "__version__"] + sorted(estimator_classes())
