"""Running seed_demo in tests. The files that do opt in to the `demo_allowed`
fixture (tests/conftest.py): the command refuses to run with DEBUG off, which
pytest-django sets."""

from io import StringIO

from django.core.management import call_command


def seed_demo() -> str:
    """manage.py seed_demo; what it printed."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()
