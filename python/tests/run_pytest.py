"""Runs pytest on python/tests for ctest; exits 77 (ctest: skipped) when pytest or numpy is missing."""
import sys

try:
    import numpy  # noqa: F401
    import pytest
except ImportError as missing:
    print(f"python_tests skipped: {missing} (install python3-pytest and python3-numpy: tools/setup.sh)")
    sys.exit(77)

sys.exit(pytest.main(sys.argv[1:]))
