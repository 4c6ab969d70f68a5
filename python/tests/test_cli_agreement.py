"""The module and the command line give the same numbers on the same files."""
import numpy as np
import pytest

import logp
from conftest import cli_json, run_cli

NADE_ARGS = ["--hidden", "8", "--epochs", "3", "--seed", "7"]


def read_scores(path):
    return np.loadtxt(path, delimiter=",", skiprows=1)[:, 1]


def test_fit_and_score_equal_the_cli(binary_file, tmp_path):
    cli_model = tmp_path / "cli.h5"
    run_cli("fit", "nade", *NADE_ARGS, "--data", binary_file, "--out", cli_model)
    run_cli("score", "--model", cli_model, "--data", binary_file, "--split", "test", "--out", tmp_path / "cli.csv")
    cli_values = read_scores(tmp_path / "cli.csv")

    data = logp.Dataset(binary_file)
    test = data.split("test")
    assert np.array_equal(logp.load(cli_model).score_samples(test.x), cli_values)

    # The same fit from arrays (train, and valid for early stopping, as the CLI used them).
    est = logp.NADE(hidden=8, epochs=3, seed=7).fit(data.split("train").x, X_valid=data.split("valid").x)
    assert est.likelihood_kind == "exact"
    assert np.array_equal(est.score_samples(test.x), cli_values)
    assert est.score(test.x) == np.mean(cli_values)

    # A model file written by Python, scored by the CLI.
    est.save(tmp_path / "py.h5")
    run_cli("score", "--model", tmp_path / "py.h5", "--data", binary_file, "--split", "test", "--out",
            tmp_path / "py.csv")
    assert np.array_equal(read_scores(tmp_path / "py.csv"), cli_values)


def test_samples_equal_the_cli(small_nade, tmp_path):
    small_nade.save(tmp_path / "m.h5")
    run_cli("sample", "--model", tmp_path / "m.h5", "-n", 20, "--seed", 11, "--out", tmp_path / "s.h5")
    cli_samples = logp.Dataset(tmp_path / "s.h5").split("samples").x
    assert np.array_equal(small_nade.sample(20, random_state=11), cli_samples)


def test_compare_equals_the_cli(binary_file, tmp_path):
    train, test = logp.Dataset(binary_file).split("train"), logp.Dataset(binary_file).split("test")
    logp.Bernoulli().fit(train.x).save(tmp_path / "bernoulli.h5")
    logp.NADE(hidden=4, epochs=2).fit(train.x).save(tmp_path / "nade.h5")
    cli = cli_json("compare", "--model", tmp_path / "bernoulli.h5", "--model", tmp_path / "nade.h5", "--data",
                   binary_file, "--bootstrap", 200, "--seed", 4)
    ours = logp.compare({str(tmp_path / "bernoulli.h5"): logp.load(tmp_path / "bernoulli.h5"),
                         str(tmp_path / "nade.h5"): logp.load(tmp_path / "nade.h5")}, test.x, bootstrap=200, seed=4)
    assert [m["name"] for m in ours["models"]] == [m["name"] for m in cli["models"]]
    for mine, theirs in zip(ours["models"], cli["models"]):
        assert mine["mean_nll_nats"] == theirs["mean_nll_nats"]
    pair, cli_pair = ours["pairs"][0], cli["pairs"][0]
    for key in ("mean_diff_nats", "std_error_nats", "t", "p_t", "p_wilcoxon", "p_t_holm"):
        assert pair[key] == cli_pair[key], key
    assert list(pair["bootstrap_ci_nats"]) == cli_pair["bootstrap_ci_nats"]


def test_anomaly_metrics_equal_the_cli(binary_file, small_nade, tmp_path):
    small_nade.save(tmp_path / "m.h5")
    cli = cli_json("anomaly", "--model", tmp_path / "m.h5", "--data", binary_file, "--split", "test",
                   "--anomaly-labels", "2", "--bootstrap", 100, "--seed", 3)
    test = logp.Dataset(binary_file).split("test")
    ours = logp.anomaly(-small_nade.score_samples(test.x), test.y == 2, bootstrap=100, seed=3)
    for name in ("auroc", "auprc", "fpr_at_95_tpr"):
        assert ours[name]["value"] == cli["metrics"][name]["value"], name
        assert list(ours[name]["ci"]) == cli["metrics"][name]["ci"], name


def test_vae_estimators_equal_the_cli(binary_file, tmp_path):
    """score_samples takes `logp score`'s --estimator/--k/--estimator-seed: the ELBO is a lower bound,
    IWAE an estimate, and both equal the command line's numbers on the same file and seed."""
    model = tmp_path / "vae.h5"
    run_cli("fit", "vae", "--hidden-layers", "8", "--latent", "2", "--epochs", "2", "--seed", "5", "--data",
            binary_file, "--out", model)
    test = logp.Dataset(binary_file).split("test").x
    vae = logp.load(model)

    run_cli("score", "--model", model, "--data", binary_file, "--out", tmp_path / "iwae.csv", "--estimator", "iwae",
            "--k", 20, "--estimator-seed", 3)
    iwae = vae.score_samples(test, estimator="iwae", k=20, estimator_seed=3)
    assert vae.likelihood_kind == "estimate" and vae.value_name == "iwae"
    assert "k=20 samples per example (seed 3)" in vae.estimator_description
    assert np.array_equal(iwae, read_scores(tmp_path / "iwae.csv"))
    assert np.array_equal(vae.score_samples(test), iwae)  # the choice stays

    run_cli("score", "--model", model, "--data", binary_file, "--out", tmp_path / "elbo.csv")
    elbo = vae.select_estimator("elbo").score_samples(test)
    assert vae.likelihood_kind == "lower bound" and vae.value_name == "elbo"
    assert np.array_equal(elbo, read_scores(tmp_path / "elbo.csv"))
    assert np.mean(iwae) > np.mean(elbo)  # k=20 tightens the bound on every model, by far more than noise
    assert not np.array_equal(vae.score_samples(test, estimator="iwae", k=20, estimator_seed=4), iwae)

    with pytest.raises(ValueError, match="apply to models with several estimators.*nade model, whose log_prob is exact"):
        logp.NADE(hidden=4, epochs=1).fit(test).score_samples(test, estimator="iwae")
    with pytest.raises(ValueError, match="iwae"):
        vae.score_samples(test, estimator="iwea")
