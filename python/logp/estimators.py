"""Estimators in the scikit-learn shape, one class per model type, generated from the model entries.

Each registry entry declares its options once (C++: models/option_list.hpp); `logp fit MODEL` and
these classes are both built from that declaration, so keyword arguments, defaults and checks are
the command line's: ``logp.NADE(hidden=500, epochs=20)`` is ``logp fit nade --hidden 500 --epochs 20``
(dashes become underscores). Constructors store their arguments verbatim (scikit-learn's rule);
the values are checked by the library when fit() runs, with the command line's messages.
"""
import inspect
import keyword
import re
import sys

import numpy as np

from . import _logp


class NotFittedError(ValueError, AttributeError):
    """The estimator has not been fitted yet (as scikit-learn's NotFittedError)."""


# Class names: the entry's type in CamelCase, with these words in their usual spelling.
_WORDS = {"nade": "NADE", "rnade": "RNADE", "oa": "OA", "gmm": "GMM", "kde": "KDE", "vae": "VAE", "gan": "GAN",
          "dcgan": "DCGAN", "lsgan": "LSGAN", "sgan": "SGAN", "infogan": "InfoGAN", "aae": "AAE", "cgan": "CGAN",
          "pixelrnn": "PixelRNN", "geom": "GEOM"}


def class_name(model_type):
    return "".join(_WORDS.get(word, word.capitalize()) for word in re.split(r"[-_]", model_type))


class _Option:
    """One declared option: its Python name and default, and how a value becomes the library's text."""

    def __init__(self, spec):
        self.name = spec["name"]  # as on the command line
        self.py_name = self.name.replace("-", "_") + ("_" if keyword.iskeyword(self.name) else "")
        self.help, self.type, self.is_flag, self.choices = spec["help"], spec["type"], spec["is_flag"], spec["choices"]
        self.default = self._parse(spec["default"])

    def _parse(self, text):
        if self.is_flag:
            return text == "on"
        if self.type == "INT":
            return int(text)
        if self.type == "FLOAT":
            return float(text)
        if self.type == "N,N,...":
            return tuple(int(part) for part in text.split(",")) if text else None
        return text

    def text(self, value):
        """The library's text for value, or None to keep the library's default."""
        if value is None or (not isinstance(value, np.ndarray) and value == self.default):
            return None
        if self.is_flag:
            if not value:
                raise _logp.Error(f"--{self.name} is a flag: it can be turned on, not off")
            return ""
        if self.type == "N,N,...":
            sizes = (value,) if isinstance(value, (int, np.integer)) else tuple(value)
            return ",".join(str(size) for size in sizes)
        if isinstance(value, (float, np.floating)):
            return repr(float(value))
        return str(value)


def _data_kind(X, kind, levels):
    """(kind, levels) of the data: as given, or guessed: bool or only 0/1 values -> binary; uint8 ->
    categorical with 256 levels; other floats -> real. Other integer arrays need kind and levels."""
    if kind is not None:
        if kind == "categorical" and levels is None:
            raise _logp.Error("fit: categorical data needs levels (e.g. levels=256)")
        return kind, int(levels or 0)
    a = np.asarray(X)
    if a.dtype == np.bool_ or (a.size > 0 and a.dtype.kind in "fiu" and ((a == 0) | (a == 1)).all()):
        return "binary", 2
    if a.dtype == np.uint8:
        return "categorical", 256 if levels is None else int(levels)
    if a.dtype.kind == "f":
        return "real", 0
    raise _logp.Error(f"fit: cannot tell the kind of {a.dtype} data: pass kind='binary'|'categorical'|'real' "
                      "(and levels for categorical)")


def _seed(random_state):
    """A 64-bit seed from None (fresh entropy), an int, or a numpy RandomState / Generator."""
    if random_state is None:
        return int(np.random.default_rng().integers(0, 2**63))
    if isinstance(random_state, (int, np.integer)):
        if random_state < 0:
            raise _logp.Error(f"random_state: expected an integer >= 0, got {random_state}")
        return int(random_state)
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**63))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**31))
    raise _logp.Error(f"random_state: expected None, an int or a numpy random generator, got {type(random_state)}")


class _Fitted:
    """What every fitted or loaded model offers: samples, its file, what it is."""

    def _model(self):
        model = getattr(self, "model_", None)
        if model is None:
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet: call fit(X) first")
        return model

    def sample(self, n_samples=1, random_state=None):
        """n_samples x D float32 samples; random_state (int) gives the samples of
        `logp sample -n n_samples --seed random_state`. (scikit-learn's GaussianMixture returns (X, y).)"""
        return self._model().sample(int(n_samples), _seed(random_state))

    def save(self, path):
        """Writes the model file `logp fit` writes (HDF5, atomically); the CLI reads it."""
        self._model().save(str(path))

    @property
    def type_(self):
        return self._model().type

    @property
    def hyperparameters_(self):
        return self._model().hyperparameters

    @property
    def num_parameters_(self):
        return self._model().num_parameters

    @property
    def data_spec_(self):
        m = self._model()
        return {"kind": m.data_kind, "levels": m.levels, "shape": tuple(m.shape), "dim": m.dim}


class _Density:
    """Models with a log-likelihood (exact, a lower bound or an estimate)."""

    def score_samples(self, X, *, estimator=None, k=None, estimator_seed=None, sample_chunk=None):
        """N per-example log-likelihoods log p(x) in nats (float64) of the N x D array X, as
        `logp score` gives them; `likelihood_kind` says what they are. A C-contiguous float32 X is
        read in place; other arrays are converted.

        Models with several estimators (vae) take `logp score`'s options: estimator='elbo' (a lower
        bound; k draws averaged) or 'iwae' (an importance-weighted estimate with k samples per
        example), estimator_seed and sample_chunk, with the command line's defaults for those not
        given. Given, they stay selected, as with select_estimator()."""
        if (estimator, k, estimator_seed, sample_chunk) != (None, None, None, None):
            self.select_estimator(estimator or "elbo", 1 if k is None else k,
                                  0 if estimator_seed is None else estimator_seed,
                                  512 if sample_chunk is None else sample_chunk)
        return self._model().log_prob(X)

    def select_estimator(self, estimator="elbo", k=1, estimator_seed=0, sample_chunk=512):
        """Chooses how score_samples() and score() evaluate a model with several estimators (vae):
        `logp score --estimator E --k K --estimator-seed S --sample-chunk C`. 'elbo' gives a lower
        bound (likelihood_kind 'lower bound'), 'iwae' an estimate ('estimate'); the draws are fixed
        by the seed and each example, so the numbers equal the command line's. sample_chunk bounds
        memory, never the value. A ValueError for models with one estimator. Returns self."""
        self._model().select_estimator(str(estimator), int(k), int(estimator_seed), int(sample_chunk))
        return self

    def score(self, X, y=None):
        """The MEAN per-example log-likelihood of X in nats (scikit-learn's convention for density
        estimators: larger is better; not a total). -score(X) is `logp score`'s NLL nats/example."""
        return float(np.mean(self.score_samples(X)))

    @property
    def likelihood_kind(self):
        """'exact', 'lower bound' or 'estimate'."""
        return self._model().likelihood_kind

    @property
    def value_name(self):
        return self._model().value_name

    @property
    def estimator_description(self):
        """What score_samples() gives for a model with several estimators (vae), as `logp score`
        prints it; None for others."""
        return self._model().estimator_description


class _Scoring:
    """Models that score examples without a likelihood (the autoencoder's reconstruction error)."""

    def anomaly_score(self, X):
        """N scores of X, larger = more anomalous, in `score_unit`; never a log-likelihood."""
        return self._model().score(X)

    @property
    def score_unit(self):
        return self._model().score_unit


def _capabilities(kind):
    """Mixins for an entry's ModelKind: implicit models (GANs) have no score_samples."""
    return {"exact density": (_Density,), "bound or estimate": (_Density,), "score": (_Scoring,)}.get(kind, ())


class LogpEstimator(_Fitted):
    """Base of the generated estimators: get_params/set_params as scikit-learn expects them."""

    _logp_type = None
    _logp_options = ()

    @classmethod
    def _get_param_names(cls):
        return [option.py_name for option in cls._logp_options]

    def get_params(self, deep=True):
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params):
        names = self._get_param_names()
        for name, value in params.items():
            if name not in names:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}; valid: {', '.join(names)}")
            setattr(self, name, value)
        return self

    def __repr__(self):
        changed = [f"{o.py_name}={getattr(self, o.py_name)!r}" for o in self._logp_options
                   if _differs(getattr(self, o.py_name), o.default)]
        return f"{type(self).__name__}({', '.join(changed)})"

    def _option_texts(self):
        texts = []
        for option in self._logp_options:
            text = option.text(getattr(self, option.py_name))
            if text is not None:
                texts.append((option.name, text))
        return texts

    def fit(self, X, y=None, *, X_valid=None, kind=None, levels=None, shape=None, verbose=False):
        """Fits the model to the N x D array X, as `logp fit` does to a dataset file. y is ignored.

        X_valid: examples for early stopping (the `valid` split of `logp fit`; without it, no early
        stopping). kind, levels, shape: what the data is (``**logp.Dataset(f).split("train").spec``);
        by default bool or 0/1 data is binary, uint8 categorical (256 levels), other floats real.
        The training log is kept in fit_log_ (printed to stderr with verbose=True); the GIL is
        released while fitting and logp.set_threads(n) limits the threads.
        """
        kind, levels = _data_kind(X, kind, levels)
        options = self._option_texts()
        command = f"python: logp.{self!r}.fit(X)"
        self.model_, self.fit_log_, self.fit_statistics_ = _logp._fit(
            self._logp_type, options, X, X_valid, kind, levels, list(shape or ()), command)
        self.n_features_in_ = self.model_.dim
        if verbose:
            print(self.fit_log_, end="", file=sys.stderr)
        return self


def _differs(value, default):
    try:
        return bool(value != default)
    except (TypeError, ValueError):
        return True


def _make_init(options):
    def __init__(self, **params):
        names = {option.py_name for option in options}
        for name in params:
            if name not in names:
                raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {name!r}")
        for option in options:
            setattr(self, option.py_name, params.get(option.py_name, option.default))

    __init__.__signature__ = inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)] +
        [inspect.Parameter(o.py_name, inspect.Parameter.KEYWORD_ONLY, default=o.default) for o in options])
    return __init__


def _make_estimator_class(entry):
    options = tuple(_Option(spec) for spec in entry["options"])
    name = class_name(entry["type"])
    doc = (f"{entry['summary']} [{entry['kind']}]: `logp fit {entry['type']}` as a scikit-learn estimator.\n\n"
           "Parameters (keyword only; the library's defaults):\n" +
           "\n".join(f"    {o.py_name} = {o.default!r}: {o.help}" for o in options))
    reserved = set(dir(LogpEstimator)) | set(dir(_Density)) | set(dir(_Scoring))
    for option in options:
        if option.py_name in reserved:
            raise RuntimeError(f"logp: option --{option.name} of {entry['type']} clashes with an estimator method")
    namespace = {"__init__": _make_init(options), "__doc__": doc, "__module__": "logp", "_logp_type": entry["type"],
                 "_logp_options": options, "_logp_kind": entry["kind"]}
    return type(name, _capabilities(entry["kind"]) + (LogpEstimator,), namespace)


_CLASSES = None


def estimator_classes():
    """{class name: class} for every registered model type that can be fitted."""
    global _CLASSES
    if _CLASSES is None:
        _CLASSES = {}
        for entry in _logp._entries():
            if entry["fittable"]:
                cls = _make_estimator_class(entry)
                _CLASSES[cls.__name__] = cls
    return _CLASSES


class LoadedModel(_Fitted):
    """A model read from a file: scores, samples and saves, but is not refitted (use the estimator
    class for that). type_ and hyperparameters_ say what it is."""

    def __init__(self, model):
        self.model_ = model
        self.n_features_in_ = model.dim

    def __repr__(self):
        return f"logp.load: {self.type_} ({self.hyperparameters_})"

    @property
    def fit_record_(self):
        """How the model was made: data_file, split, examples, seconds, command, created."""
        return self._model().fit_record


def load(path):
    """Loads a logp model file (written by `logp fit` or by save()); checked whole, as the CLI does."""
    model = _logp._load(str(path))
    kind = model.model_kind if model.type != "transformed" else "exact density"
    if model.has_density:
        kind = "exact density"
    bases = _capabilities(kind) + (LoadedModel,)
    cls = type(f"Loaded{class_name(model.type)}", bases, {"__module__": "logp"})
    return cls(model)
