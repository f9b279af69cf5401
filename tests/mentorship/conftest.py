"""Fixtures for the mentorship tests."""

import os
from pathlib import Path

import pytest
import time_machine

from tests.ladders.factories import published_ladder
from tests.mentorship.factories import COMPETENCIES, MID_WINDOW, RotationCycleFactory, place

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


# --- signing up: an open cycle, a mentee and a mentor ---------------------------------
# Files about matching and its review declare their own smaller `revision` and
# `cycle` (pytest's fixture of the module wins).


@pytest.fixture
def mid_window():
    """Now is the middle of the factory's sign-up window (1 to 30 November 2026)."""
    with time_machine.travel(MID_WINDOW, tick=False):
        yield


@pytest.fixture
def revision(db):
    """A published ladder of four levels and four competencies."""
    return published_ladder(levels=("L1", "L2", "L3", "L4"), competencies=COMPETENCIES)


@pytest.fixture
def cycle(revision):
    return RotationCycleFactory(ladder=revision.ladder, name="Winter rotation", theme="Reliability")


@pytest.fixture
def people(org, revision):
    """The engineer may be a mentee (L2); the peer a mentor (L4)."""
    place(org.engineer, revision, "L2")
    place(org.peer, revision, "L4")
    return org
