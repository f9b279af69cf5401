"""Clients for the API and SCIM, each holding a token of given scopes."""

import pytest
from django.test import Client

from api.services import token_create
from tests.people.conftest import heard  # noqa: F401 (the lifecycle event recorder)


class TokenClient(Client):
    """The test client with `Authorization: Bearer <token>` on every request
    and JSON bodies by default."""

    def __init__(self, secret: str | None, content_type: str = "application/json"):
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        super().__init__(headers=headers)
        self._content_type = content_type

    def _with_type(self, method, path, data=None, **extra):
        extra.setdefault("content_type", self._content_type)
        return method(path, data, **extra)

    def post(self, path, data=None, **extra):
        return self._with_type(super().post, path, data, **extra)

    def put(self, path, data=None, **extra):
        return self._with_type(super().put, path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._with_type(super().patch, path, data, **extra)


@pytest.fixture
def token_client(db):
    """token_client("read", "write") -> a client whose token has those scopes."""

    def make(*scopes: str, name: str | None = None) -> TokenClient:
        _, secret = token_create(name=name or f"test {'+'.join(scopes)}", scopes=list(scopes))
        return TokenClient(secret)

    return make


@pytest.fixture
def reader(token_client):
    return token_client("read")


@pytest.fixture
def writer(token_client):
    return token_client("read", "write")


@pytest.fixture
def scim(db):
    _, secret = token_create(name="Okta", scopes=["scim"])
    return TokenClient(secret, content_type="application/scim+json")
