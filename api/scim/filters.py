"""The SCIM filters identity providers actually send (RFC 7644 3.4.2.2):
`attribute eq "value"`, possibly joined with `and`. Okta and Entra ID send
`userName eq "..."`, `externalId eq "..."`, `displayName eq "..."`
(and Entra `id eq "..." and members eq "..."` on Groups). Anything else is
refused with scimType invalidFilter rather than half-understood."""

import re

from .errors import ScimError

_EXPRESSION = re.compile(
    r'^\s*(?P<attr>[A-Za-z][\w.:\-]*)\s+eq\s+(?:"(?P<text>(?:[^"\\]|\\.)*)"|(?P<bare>true|false|null|-?\d+))\s*$',
    re.IGNORECASE,
)


def parse_filter(text: str) -> list[tuple[str, str | bool | None]]:
    """[(attribute, value)] for `a eq "x" and b eq "y"`; attribute names keep
    their case (callers compare them case-insensitively, as SCIM says)."""
    if not text or not text.strip():
        return []
    terms = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = _EXPRESSION.match(part)
        if not match:
            raise ScimError(
                400,
                f"Only 'attribute eq \"value\"' filters (joined by 'and') work, not: {part}",
                scim_type="invalidFilter",
            )
        if match.group("text") is not None:
            value: str | bool | None = re.sub(r"\\(.)", r"\1", match.group("text"))
        else:
            bare = match.group("bare").lower()
            value = {"true": True, "false": False, "null": None}.get(bare, bare)
        terms.append((match.group("attr"), value))
    return terms
