"""pip's route (python/setup.py): `pip install --no-build-isolation ./python` installs a logp that
imports from the install, offline (--no-index), into a fresh virtual environment."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The CMake build the suite runs in (ctest sets LOGP_BUILD_DIR): setup.py reuses its module.
BUILD = Path(os.environ.get("LOGP_BUILD_DIR") or ROOT / "build")


def test_pip_installs_the_module_offline_into_a_venv(tmp_path):
    for module in ("pip", "setuptools", "wheel", "venv"):
        if subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode != 0:
            pytest.skip(f"python3 has no {module} (Debian: python3-pip, python3-setuptools, python3-wheel, python3-venv)")
    if not (BUILD / "CMakeCache.txt").exists():
        pytest.skip(f"no CMake build at {BUILD} (set LOGP_BUILD_DIR)")
    # The source tree is read, never written: the setuptools scratch folders go to a copy.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "python", source / "python", ignore=shutil.ignore_patterns("build", "*.egg-info", "tests"))
    shutil.copy(ROOT / "CMakeLists.txt", source / "CMakeLists.txt")  # setup.py reads the version there
    venv = tmp_path / "venv"
    # The system's packages (numpy, pip, setuptools) are visible; installs go into the venv.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # not the build tree's package
    env["LOGP_CMAKE_BUILD_DIR"] = str(BUILD)
    done = subprocess.run([python, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-index",
                           source / "python"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr

    check = ("import logp, numpy as np; x = (np.arange(40).reshape(10, 4) % 3 == 0).astype(np.float32); "
             "print(logp.__file__); print(logp.Bernoulli().fit(x).score_samples(x).shape)")
    done = subprocess.run([python, "-c", check], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    where, shape = done.stdout.splitlines()
    assert Path(where).is_relative_to(venv) and shape == "(10,)"
