"""python manage.py seed_demo [--force]: a demo organisation to click through,
safe to run again (it refreshes the demo people instead of adding more)."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from people.demo import DemoOrg, Login, seed_people


class Command(BaseCommand):
    help = "Create or refresh the demo organisation and print the accounts to sign in with."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with DEBUG off (a demo server); it creates an admin account "
            "whose password is printed here",
        )

    def handle(self, *args, force: bool, **options):
        # Every demo account, the admin included, shares a published password:
        # one slip on a production database would open it to anyone.
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. seed_demo creates accounts with a "
                "public password; pass --force if this really is a demo server."
            )
        # One transaction: a failed step leaves the database as it was.
        with transaction.atomic():
            org = seed_people()
            lines = [_summary(org)] + [seed(org) for seed in _later_steps()]
        for line in lines:
            self.stdout.write(self.style.SUCCESS(line))
        self.stdout.write(_login_table(org.logins, org.password))


def _later_steps():
    """Each later app's `demo.seed(org)`, in INSTALLED_APPS order. Found by
    name, like admin.py, so people does not import the apps built on it."""
    for config in apps.get_app_configs():
        if config.name == "people":
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        yield module.seed


def _summary(org: DemoOrg) -> str:
    return (
        f"Demo organisation: {len(org.people)} people in {len(org.teams)} teams "
        f"({org.created} created, {org.updated} updated)."
    )


def _login_table(logins: list[Login], password: str) -> str:
    rows = [("Role", "Email", "Name", "Title")]
    rows += [(login.role, login.email, login.name, login.title) for login in logins]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(
        ["", *(line.rstrip() for line in lines), "", f"Password for every demo account: {password}"]
    )
