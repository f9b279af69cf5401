"""API tokens from the command line:

manage.py api_token create NAME --scope read,write   # the token is the last line
manage.py api_token list
manage.py api_token revoke NAME
"""

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError

from ...models import ApiToken
from ...services import parse_scopes, token_create, token_revoke


class Command(BaseCommand):
    help = "Create, list and revoke API tokens (for the REST API and SCIM provisioning)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it once.")
        create.add_argument("name")
        create.add_argument(
            "--scope", required=True, help="Comma-separated: read, write, scim (e.g. read,write)."
        )
        actions.add_parser("list", help="Every token with its scopes and when it was last used.")
        revoke = actions.add_parser("revoke", help="Revoke a token by name.")
        revoke.add_argument("name")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ApplicationError as error:
            raise CommandError(error.message) from None

    def _create(self, *, name: str, scope: str, **_):
        token, secret = token_create(name=name, scopes=parse_scopes(scope))
        self.stdout.write(
            f"Created token {token.name} with scopes {', '.join(token.scopes)}. "
            "It is shown only now; store it in the identity provider or HR system:"
        )
        self.stdout.write(secret)

    def _list(self, **_):
        tokens = ApiToken.objects.order_by("name")
        if not tokens:
            self.stdout.write("No API tokens.")
        for token in tokens:
            used = (
                token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
            )
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            self.stdout.write(f"{token.name}\t{','.join(token.scopes)}\t{state}\tlast used {used}")

    def _revoke(self, *, name: str, **_):
        token = ApiToken.objects.filter(name=name).first()
        if token is None:
            raise CommandError(f"No token named {name}.")
        if token_revoke(token=token):
            self.stdout.write(f"Revoked {name}; requests with it are refused from now on.")
        else:
            self.stdout.write(f"{name} was already revoked.")
