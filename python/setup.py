"""Builds the package logp for pip with the project's CMake: the extension logp._logp is the
target logp_python (python/CMakeLists.txt), the .py files come from python/logp/.

    python3 -m pip install --no-build-isolation ./python     (in a venv: Debian's python3 is
                                                               externally managed, PEP 668)

Offline, Debian packages only (python3-pip, python3-setuptools, python3-wheel and the build's own).
LOGP_CMAKE_BUILD_DIR: the CMake build folder to use, configured here when it has no CMakeCache.txt
(default: build-pip/ at the repository root; an existing build of the same Python is reused).
LOGP_CMAKE_ARGS: more configure arguments, e.g. "-DLOGP_NATIVE=OFF".
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent.parent  # the repository (the CMake project)


def version():
    """The version in CMakeLists.txt's project(), the one `logp --version` prints."""
    return re.search(r"project\(logp VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text()).group(1)


class CMakeBuild(build_ext):
    """Configures (once) and builds the target logp_python, then copies the module into the wheel."""

    def build_extension(self, ext):
        build = Path(os.environ.get("LOGP_CMAKE_BUILD_DIR") or ROOT / "build-pip").resolve()
        if not (build / "CMakeCache.txt").exists():
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                            f"-DPython3_EXECUTABLE={sys.executable}", "-DLOGP_BUILD_TESTS=OFF",
                            "-DLOGP_BUILD_BENCHMARKS=OFF", *shlex.split(os.environ.get("LOGP_CMAKE_ARGS", ""))],
                           check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "logp_python", "-j", str(os.cpu_count() or 1)],
                       check=True)
        target = Path(self.get_ext_fullpath(ext.name))
        built = build / "python" / "logp" / target.name
        if not built.exists():
            sys.exit(f"setup.py: {built} was not built: is {build} configured for this Python "
                     f"({sys.executable}), with pybind11 found?")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(name="logp", version=version(),
      description="logp density estimators as scikit-learn estimators (docs/python.md)",
      packages=["logp"], python_requires=">=3.9", install_requires=["numpy"],
      ext_modules=[Extension("logp._logp", sources=[])], cmdclass={"build_ext": CMakeBuild}, zip_safe=False)
