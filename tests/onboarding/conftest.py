"""Fixtures for the onboarding tests."""

import pytest

from tests.people.factories import UserFactory


@pytest.fixture
def buddy(org):
    """Bo Brandt, in the engineer's team (Payments)."""
    return UserFactory(name="Bo Brandt", email="bo@example.com", team=org.payments)
