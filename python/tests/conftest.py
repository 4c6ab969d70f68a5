"""Fixtures: the built CLI (LOGP_CLI, set by ctest; else build/logp) and small dataset files written by it."""
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import logp

D = 16


# The binary built with the module: LOGP_CLI (ctest sets it), else build/logp in this checkout.
CLI = os.environ.get("LOGP_CLI") or str(Path(__file__).resolve().parents[2] / "build" / "logp")


def run_cli(*args):
    """Runs the logp binary the tests were built with; returns its stdout."""
    cli = CLI
    if not os.path.exists(cli):
        pytest.skip(f"no logp binary at {cli} (set LOGP_CLI)")
    done = subprocess.run([cli, "--threads", "2", *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def cli_json(*args):
    return json.loads(run_cli("--json", *args))


def binary_rows(n, seed):
    """n binary examples of D=16 with structure: one of 3 prototypes, 10% of bits flipped."""
    rng = np.random.default_rng(seed)
    prototypes = np.random.default_rng(99).integers(0, 2, size=(3, D))
    labels = rng.integers(0, 3, size=n)
    flips = rng.random((n, D)) < 0.1
    return (prototypes[labels] ^ flips).astype(np.uint8), labels.astype(np.int64)


@pytest.fixture(scope="session")
def binary_file(tmp_path_factory):
    """A logp dataset file (binary, D=16): train 400, valid 100, test 100, labels 0..2 (the prototype)."""
    folder = tmp_path_factory.mktemp("data")
    arrays = {}
    for split, n, seed in (("train", 400, 1), ("valid", 100, 2), ("test", 100, 3)):
        x, y = binary_rows(n, seed)
        np.save(folder / f"{split}.npy", x)
        np.save(folder / f"{split}-y.npy", y)
        arrays[split] = folder / f"{split}.npy"
    out = folder / "binary.h5"
    run_cli("data", "import", "--format", "npy", "--kind", "binary", "--train", arrays["train"], "--valid",
            arrays["valid"], "--test", arrays["test"], "--train-labels", folder / "train-y.npy", "--valid-labels",
            folder / "valid-y.npy", "--test-labels", folder / "test-y.npy", "--out", out)
    return out


@pytest.fixture(scope="session")
def real_rows():
    rng = np.random.default_rng(5)
    mixing = rng.normal(size=(4, 4))
    return (rng.normal(size=(300, 4)) @ mixing).astype(np.float32)


@pytest.fixture
def small_nade(binary_file):
    train = logp.Dataset(binary_file).split("train")
    return logp.NADE(hidden=8, epochs=2, seed=3).fit(train.x)
