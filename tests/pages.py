"""Reading the product's pages in tests: a page's own content, and a client
signed in as someone."""

from django.urls import reverse


def main(response) -> str:
    """The page's main landmark: the header names whoever is signed in."""
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def as_(client, user):
    """The client signed in as ``user`` alone (whoever was signed in is signed out)."""
    client.logout()
    client.force_login(user)
    return client


def get(client, user, url):
    """The page at ``url`` as ``user`` sees it (anonymous when ``user`` is None)."""
    if user is not None:
        client.force_login(user)
    return client.get(url)


def sent_to_sign_in(response) -> bool:
    """Whether the answer is a redirect to the sign-in page."""
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))
