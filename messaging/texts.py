"""Words the people team can edit: each message kind has a default text here
and may be overridden in the admin (messaging.MessageText), in Django
template syntax with named placeholders. A text that uses a placeholder the
message does not have is refused with its line, before it is ever sent."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Variable, VariableNode
from django.template.defaulttags import ForNode

from people.models import User

# Slack text, not HTML: nothing is escaped; an unknown name renders empty.
ENGINE = Engine(debug=True, autoescape=False, libraries={}, builtins=[])
PERSON = {"name", "email", "title", "team", "manager", "timezone", "get_short_name"}


@dataclass(frozen=True)
class MessageKind:
    label: str
    default: str
    # placeholder -> the attributes it offers (empty: used as it is)
    placeholders: dict[str, set[str]]
    sample: Callable[[User], dict]


def _person_sample(person: User) -> dict:
    manager = person.manager or person
    return {
        "team": person.team.name if person.team else "",
        "link": settings.SITE_URL.rstrip("/") + "/",
        "manager": manager,
    }


KINDS: dict[str, MessageKind] = {
    "pairing_published": MessageKind(
        label="Slack: a published pairing (group message to mentor and mentee)",
        default=(
            ":wave: {{ mentor.name }} and {{ mentee.name }}: you are paired for *{{ cycle }}* "
            "({{ theme }}). {{ mentor.name }} mentors {{ mentee.name }}.\n"
            "*The project:* {{ project }}\n*Why you:*\n{{ why }}\n"
            "*Kick-off:* {{ kickoff }}; the invitation is in your email.\n"
            "<{{ link }}|Your rotation>"
        ),
        placeholders={
            "mentor": PERSON,
            "mentee": PERSON,
            "cycle": set(),
            "theme": set(),
            "project": set(),
            "why": set(),
            "kickoff": set(),
            "link": set(),
        },
        sample=lambda person: {
            **_person_sample(person),
            "mentee": person,
            "mentor": person.manager or person,
            "cycle": "Spring rotation",
            "theme": "Reliability",
            "project": "Make the checkout retry safely",
            "why": "• Teaches Testing, which the mentee wants to learn.",
            "kickoff": "Monday 8 February, 10:00 (Europe/London)",
        },
    ),
    "buddy_introduction": MessageKind(
        label="Slack: the buddy introduction (new hire and buddy, first morning)",
        default=(
            ":wave: Welcome {{ new_hire.name }}! {{ buddy.name }} is your onboarding buddy: "
            "ask them anything, and you will pair on your first tasks together.\n"
            "{{ note }}\n<{{ link }}|Your onboarding checklist>"
        ),
        placeholders={
            "new_hire": PERSON,
            "buddy": PERSON,
            "manager": PERSON,
            "team": set(),
            "note": set(),
            "link": set(),
        },
        sample=lambda person: {
            **_person_sample(person),
            "new_hire": person,
            "buddy": person.manager or person,
            "note": "Same team, 1 hour apart.",
        },
    ),
    "no_buddy": MessageKind(
        label="Slack: no buddy available (people team's channel)",
        default=(
            ":warning: No onboarding buddy available for {{ new_hire.name }} "
            "(starts {{ start_date }}): {{ note }} <{{ link }}|Choose one>"
        ),
        placeholders={
            "new_hire": PERSON,
            "manager": PERSON,
            "team": set(),
            "start_date": set(),
            "note": set(),
            "link": set(),
        },
        sample=lambda person: {
            **_person_sample(person),
            "new_hire": person,
            "start_date": "04 Jan 2027",
            "note": "Nobody at L3 or above in Payments has room.",
        },
    ),
}


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


def text_for(kind: str) -> str:
    """The people team's text for this kind, or the default."""
    from .models import MessageText

    override = MessageText.objects.filter(kind=kind).values_list("body", flat=True).first()
    return override or KINDS[kind].default


def render_text(kind: str, context: dict, *, source: str | None = None) -> str:
    """The message with these placeholders filled in; a text saved before a
    placeholder was removed falls back to the default rather than failing."""
    source = source if source is not None else text_for(kind)
    if text_problems(kind, source):
        source = KINDS[kind].default
    return ENGINE.from_string(source).render(Context(context)).strip()
