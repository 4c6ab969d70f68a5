"""logp.eval_samples and argument checks of the tool functions (compare and anomaly are checked
against the CLI in test_cli_agreement.py)."""
import numpy as np
import pytest

import logp


def test_eval_samples_fid_of_a_shift_is_its_squared_length(real_rows):
    shift = np.array([1.0, 2.0, 0.0, 0.0], dtype=np.float32)
    metrics = logp.eval_samples(real_rows, real_rows + shift, fid_bootstrap=0, kid_subsets=10, kid_subset_size=100,
                                permutations=50, test_subset=100)
    assert metrics["fid"]["value"] == pytest.approx(5.0, rel=1e-6)  # equal covariances: ||mean shift||^2
    same = logp.eval_samples(real_rows, real_rows, fid_bootstrap=0, kid_subsets=10, kid_subset_size=100,
                             permutations=50, test_subset=100)
    assert abs(same["fid"]["value"]) < 1e-9
    assert same["precision"]["value"] == 1.0 and same["recall"]["value"] == 1.0
    with pytest.raises(ValueError, match="F=4 features but samples have F=3"):
        logp.eval_samples(real_rows, real_rows[:, :3])


def test_tool_arguments_are_checked(real_rows):
    with pytest.raises(ValueError, match="at least two models"):
        logp.compare({"a": np.zeros(5)}, dim=3)
    with pytest.raises(ValueError, match="different numbers of examples"):
        logp.compare({"a": np.zeros(5), "b": np.zeros(4)}, dim=3)
    with pytest.raises(ValueError, match="labels"):
        logp.anomaly(np.zeros(4), [0, 1, 2, 0])
    result = logp.anomaly(np.array([0.1, 0.9, 0.2, 0.8]), [0, 1, 0, 1], bootstrap=50)
    assert result["auroc"]["value"] == 1.0 and result["fpr_at_95_tpr"]["value"] == 0.0
    assert result["roc"]["tpr"][-1] == 1.0
