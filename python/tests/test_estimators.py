"""The generated estimators: parameters, scikit-learn model selection, files, threads, bad input."""
import inspect

import numpy as np
import pytest

import logp
from logp import _logp


def test_a_class_per_fittable_entry_with_the_declared_defaults():
    fittable = [e for e in _logp._entries() if e["fittable"]]
    classes = logp.estimator_classes()
    assert len(classes) == len(fittable)
    nade = logp.NADE()
    declared = {o["name"].replace("-", "_"): o for o in next(e for e in fittable if e["type"] == "nade")["options"]}
    assert set(nade.get_params()) == set(declared)
    assert nade.get_params()["hidden"] == int(declared["hidden"]["default"])
    assert nade.get_params()["learning_rate"] == float(declared["learning_rate"]["default"])
    params = inspect.signature(logp.NADE).parameters
    assert all(p.kind == p.KEYWORD_ONLY for p in params.values())


def test_implicit_models_have_no_likelihood():
    gan = logp.GAN()
    assert not hasattr(gan, "score_samples") and not hasattr(gan, "score")
    assert hasattr(gan, "sample")
    assert hasattr(logp.Autoencoder(), "anomaly_score") and not hasattr(logp.Autoencoder(), "score_samples")
    assert logp.VAE.score_samples is logp.NADE.score_samples


def test_parameters_are_stored_verbatim_and_checked_at_fit(binary_file):
    est = logp.NADE(hidden=-1)
    assert est.hidden == -1
    with pytest.raises(ValueError, match=r"^--hidden: expected a positive number, got '-1'$"):
        est.fit(logp.Dataset(binary_file).split("train").x)
    with pytest.raises(TypeError, match="hiden"):
        logp.NADE(hiden=3)
    with pytest.raises(ValueError, match="invalid parameter"):
        logp.NADE().set_params(hiden=3)


def test_grid_search_and_cross_validation(binary_file):
    sklearn = pytest.importorskip("sklearn.model_selection")
    x = logp.Dataset(binary_file).split("train").x
    grid = {"hidden": [1, 12]}
    search = sklearn.GridSearchCV(logp.NADE(epochs=3, seed=1), grid, cv=3).fit(x)
    by_hand = {h: sklearn.cross_val_score(logp.NADE(hidden=h, epochs=3, seed=1), x, cv=3).mean() for h in grid["hidden"]}
    assert search.best_params_["hidden"] == max(by_hand, key=by_hand.get)
    assert np.allclose(search.cv_results_["mean_test_score"], [by_hand[h] for h in grid["hidden"]], rtol=0, atol=0)
    assert search.best_estimator_.hidden == search.best_params_["hidden"]
    assert np.isfinite(search.best_estimator_.score(x))


def test_save_load_round_trip(small_nade, binary_file, tmp_path):
    test = logp.Dataset(binary_file).split("test")
    small_nade.save(tmp_path / "m.h5")
    loaded = logp.load(tmp_path / "m.h5")
    assert loaded.type_ == "nade" and loaded.likelihood_kind == "exact"
    assert np.array_equal(loaded.score_samples(test.x), small_nade.score_samples(test.x))
    assert np.array_equal(loaded.sample(5, random_state=2), small_nade.sample(5, random_state=2))
    assert "python: logp.NADE(" in loaded.fit_record_["command"]
    assert not list(tmp_path.glob(".*tmp*"))  # written atomically: nothing left beside it


def test_a_float32_c_contiguous_array_is_not_copied(small_nade, binary_file):
    x = np.ascontiguousarray(logp.Dataset(binary_file).split("test").x, dtype=np.float32)
    values = small_nade.score_samples(x)
    assert _logp._last_batch_address() == x.ctypes.data
    as_double = x.astype(np.float64)
    assert np.array_equal(small_nade.score_samples(as_double), values)
    assert _logp._last_batch_address() != as_double.ctypes.data
    assert np.array_equal(small_nade.score_samples(np.asfortranarray(x)), values)


def test_bad_arrays_raise_value_error(small_nade, real_rows):
    x = np.zeros((3, 16), dtype=np.float32)
    with pytest.raises(ValueError, match=r"^X: examples have D=5 but the model expects D=16$"):
        small_nade.score_samples(np.zeros((3, 5), dtype=np.float32))
    x[1, 4] = 0.5
    with pytest.raises(ValueError, match=r"^X: value 0.5 at example 1, dimension 4 is not valid binary data"):
        small_nade.score_samples(x)
    x[1, 4] = np.nan
    with pytest.raises(ValueError, match="not valid binary data"):
        small_nade.score_samples(x)
    with pytest.raises(ValueError, match="2-D"):
        small_nade.score_samples(np.zeros(16))
    gaussian = logp.Gaussian().fit(real_rows)
    bad = real_rows.copy()
    bad[7, 2] = np.nan
    with pytest.raises(ValueError, match=r"^X: value nan at example 7, dimension 2 is not finite"):
        gaussian.score_samples(bad)
    with pytest.raises(ValueError, match="not finite"):
        logp.Gaussian().fit(bad)
    with pytest.raises(logp.Error):
        logp.load("/nonexistent/model.h5")


def test_one_thread_equals_two(small_nade, binary_file):
    x = logp.Dataset(binary_file).split("test").x
    try:
        logp.set_threads(1)
        assert logp.get_threads() == 1
        one = small_nade.score_samples(x)
        fit_one = logp.NADE(hidden=4, epochs=1, seed=2).fit(x).score_samples(x)
        logp.set_threads(2)
        assert np.array_equal(small_nade.score_samples(x), one)
        assert np.array_equal(logp.NADE(hidden=4, epochs=1, seed=2).fit(x).score_samples(x), fit_one)
    finally:
        logp.set_threads(0)


def test_real_data_and_kinds(real_rows):
    gmm = logp.GMM(components=2).fit(real_rows)
    assert gmm.data_spec_["kind"] == "real" and gmm.likelihood_kind == "exact"
    assert gmm.score_samples(real_rows).shape == (300,)
    assert gmm.sample(4, random_state=0).shape == (4, 4)
