"""Words the people team can edit: each message kind has a default text here
and may be overridden in the admin (messaging.MessageText), in Django
template syntax with named placeholders. A text that uses a placeholder the
message does not have is refused with its line, before it is ever sent."""

import hashlib
import json
import logging
from functools import lru_cache
from typing import cast

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Variable, VariableNode
from django.template.defaulttags import ForNode
from django.template.loader import get_template
from django.utils import timezone

from .kinds import KINDS, PERSON, MessageKind

logger = logging.getLogger(__name__)

__all__ = [
    "KINDS",
    "PERSON",
    "MessageKind",
    "default_changed",
    "default_fingerprint",
    "render_email",
    "render_failure",
    "render_text",
    "text_problems",
]


def _template_dirs() -> list[str]:
    dirs = cast(list, settings.TEMPLATES[0]["DIRS"])  # settings are untyped dicts
    return [str(path) for path in dirs]


# Slack text and plain-text email, not HTML (see _filled for what is escaped);
# an unknown name renders empty. The project's templates can be included (the
# digest's lines). autoescape here only serves the engine's own render paths:
# a Template rendered with a Context takes the Context's, which _filled sets.
ENGINE = Engine(
    dirs=_template_dirs(),
    app_dirs=True,
    debug=True,
    autoescape=False,
)


def text_problems(kind: str, source: str) -> list[str]:
    """Why ``source`` cannot be this kind's text, each naming its line; [] if it can."""
    try:
        template = ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        line = getattr(error, "template_debug", {}).get("line", "?")
        return [f"Line {line}: {error}"]
    allowed = KINDS[kind].placeholders
    loop_names = {
        name
        for node in template.nodelist.get_nodes_by_type(ForNode)
        if isinstance(node, ForNode)  # always: narrows the type for mypy
        for name in node.loopvars
    }
    problems = []
    for node in template.nodelist.get_nodes_by_type(VariableNode):
        if not isinstance(node, VariableNode):
            continue  # never: narrows the type for mypy
        for path in _variable_paths(node):
            problem = _unknown(path, allowed, loop_names)
            if problem:
                line = node.token.lineno if node.token else "?"
                problems.append(f"Line {line}: {problem}")
    return problems


def _variable_paths(node: VariableNode) -> list[str]:
    """The placeholders a {{ }} reads, e.g. "person.name" (a variable with
    lookups always holds its path as a string)."""
    expression = node.filter_expression
    found = [expression.var] if isinstance(expression.var, Variable) else []
    for _, arguments in expression.filters:
        found += [arg for lookup, arg in arguments if lookup and isinstance(arg, Variable)]
    return [v.var for v in found if v.lookups and isinstance(v.var, str)]


def _unknown(path: str, allowed: dict[str, set[str]], loop_names: set[str]) -> str:
    name, *attributes = path.split(".")
    known = ", ".join("{{ " + key + " }}" for key in allowed)
    if name in loop_names:
        return ""
    if name not in allowed:
        return f"“{{{{ {path} }}}}”: there is no placeholder “{name}” here (use {known})."
    if attributes and attributes[0] not in allowed[name]:
        offered = ", ".join(sorted(allowed[name])) or "nothing: use it as it is"
        return f"“{{{{ {path} }}}}”: “{name}” has no “{attributes[0]}” (it offers {offered})."
    return ""


def default_body(kind: str) -> str:
    """The repository's words: the Slack text, or the email's template file."""
    found = KINDS[kind]
    if found.template:
        # The backend's wrapper keeps the engine template on .template.
        return get_template(found.template).template.source  # type: ignore[attr-defined]
    return found.default


def default_fingerprint(kind: str, *, own_subject: bool = True) -> str:
    """A short fingerprint of this kind's default: its subject, its body and
    the placeholders it offers (a new placeholder is news to whoever wrote
    their own text too). The admin records it when a text is saved; a
    different one today means the default changed since. ``own_subject``
    False: the text keeps the default subject, which follows the default by
    itself, so a new one is not news."""
    found = KINDS[kind]
    offered = {name: sorted(attributes) for name, attributes in found.placeholders.items()}
    subject = found.subject if own_subject else ""
    source = json.dumps([subject, default_body(kind), offered], sort_keys=True)
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def default_changed(kind: str, seen: str, *, own_subject: bool = True) -> bool:
    """Whether the default may have changed since a text was saved against
    ``seen``. Unknown (``seen`` empty: saved before we recorded it) counts as
    changed, so the people team compares once rather than never. A kind no
    longer in the catalogue has no default to compare with."""
    return kind in KINDS and seen != default_fingerprint(kind, own_subject=own_subject)


Overrides = dict[str, tuple[str, str]]


def overrides() -> Overrides:
    """Every text the people team wrote (kind -> subject, body), in one query,
    for senders that render many messages."""
    from .models import MessageText

    return {row.kind: (row.subject, row.body) for row in MessageText.objects.all()}


def _override(kind: str, known: Overrides | None) -> tuple[str, str]:
    if known is not None:
        return known.get(kind, ("", ""))
    from .models import MessageText

    row = MessageText.objects.filter(kind=kind).values_list("subject", "body").first()
    return row or ("", "")


def text_for(kind: str) -> str:
    """The people team's text for this kind, or the default."""
    return _override(kind, None)[1] or default_body(kind)


@lru_cache(maxsize=512)
def _compiled(kind: str, source: str):
    """The template of a text, or None when it has problems; parsed and
    checked once per text, not once per message (a digest goes to thousands)."""
    if text_problems(kind, source):
        return None
    return ENGINE.from_string(source)


def _render(kind: str, source: str, fallback: str, context: dict) -> str:
    # A text saved before a placeholder was removed falls back to the
    # default rather than failing; so does one that passed every check and
    # still fails as it is filled in (the admin refuses those it can foresee:
    # render_failure). The message goes out in the default words, never not at all.
    template = _compiled(kind, source)
    if template is not None and source != fallback:
        try:
            return _filled(kind, template, context).strip()
        except Exception as error:
            logger.exception("The saved words of %s failed; the default words were sent", kind)
            _record_failure(kind, error)
    return _filled(kind, _compiled(kind, fallback), context).strip()


def _record_failure(kind: str, error: Exception) -> None:
    """Note on the people team's text that it failed, and why, for the admin
    to show (until the text is saved again): the message itself went out in
    the default words, so no job fails to tell them. Only the first failure
    since the text was saved is written: a text that fails for everyone in a
    digest would otherwise rewrite its row once per person, and each worker
    sending one would wait on the others' lock of that row."""
    from .models import MessageText

    when = timezone.localtime().strftime("%d %b %Y %H:%M")
    MessageText.objects.filter(kind=kind, failed="").update(
        failed=f"{when}: {type(error).__name__}: {error}"[:1000]
    )


def _filled(kind: str, template, context: dict) -> str:
    """An email is plain text: nothing is escaped, so "D'Arcy & Co" stays as
    it is. Slack reads &, < and > as its own markup (links, mentions), so in
    a Slack text the values' are escaped as Slack asks (&amp; &lt; &gt;), and
    nothing else: Slack shows any other entity as it is written."""
    if KINDS[kind].is_email:
        return template.render(Context(context, autoescape=False))
    html = template.render(Context(context))
    return html.replace("&#x27;", "'").replace("&quot;", '"')


def render_failure(kind: str, source: str, context: dict) -> str | None:
    """Why this text fails as it is filled in with ``context`` (a filter given
    a value it cannot take, a template or a page it names that does not
    exist), or None. Problems text_problems finds are its to report."""
    template = _compiled(kind, source)
    if template is None:
        return None
    try:
        _filled(kind, template, context)
    except Exception as error:
        return f"This text fails when it is filled in with sample data: {error}"
    return None


def render_text(
    kind: str, context: dict, *, source: str | None = None, known: Overrides | None = None
) -> str:
    """The Slack message with these placeholders filled in."""
    if source is None:
        source = _override(kind, known)[1] or default_body(kind)
    return _render(kind, source, default_body(kind), context)


def render_email(
    kind: str,
    context: dict,
    *,
    subject: str | None = None,
    body: str | None = None,
    known: Overrides | None = None,
) -> tuple[str, str]:
    """The email's subject (one line) and body with these placeholders filled
    in: the people team's words where they wrote some, else the defaults."""
    if subject is None or body is None:
        saved_subject, saved_body = _override(kind, known)
        subject = subject if subject is not None else saved_subject
        body = body if body is not None else saved_body
    default = KINDS[kind]
    subject_text = _render(kind, subject or default.subject, default.subject, context)
    body_text = _render(kind, body or default_body(kind), default_body(kind), context)
    return " ".join(subject_text.split()), body_text + "\n"
