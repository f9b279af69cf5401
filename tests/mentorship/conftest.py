"""Fixtures for the mentorship tests."""

import os
from pathlib import Path

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared public data (../shared/data, or $SHARED_DATA_DIR as .ci/run sets).

    Missing, it skips the test, or fails it under REQUIRE_SERVICES=1 like a missing
    service (see tests/conftest.py)."""
    configured = os.environ.get("SHARED_DATA_DIR")
    path = (
        Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared" / "data"
    )
    if not (path / "orlib" / "optima.txt").is_file():
        reason = f"needs the shared OR-Library data in {path / 'orlib'}: set SHARED_DATA_DIR"
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES is set but this test {reason}", pytrace=False)
        pytest.skip(f"not run here: {reason}")
    return path
