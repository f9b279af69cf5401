"""What the rotation demo says: the two cycles, their project ideas, mentees'
goals, check-in notes and what people learned. Written for the demo."""

from dataclasses import dataclass

from ..models import CheckIn

# (title, outcome, competency codes taught) for each cycle's theme.
AUTUMN_PROJECTS = [
    (
        "Write the architecture overview of the payments platform",
        "A twenty-minute read, with diagrams, that a new engineer in any team can follow; "
        "presented at the engineering all-hands.",
        ["communication", "system-design", "technical-direction"],
    ),
    (
        "Start a monthly cross-team demo day",
        "Three demo days held, each with at least four teams showing real work, and a "
        "short write-up shared afterwards.",
        ["communication", "product-sense", "ownership"],
    ),
    (
        "Pair-review across the mobile and web teams",
        "Twenty changes reviewed across the two teams, and a shared checklist for API "
        "changes that both now use.",
        ["code-review", "code-quality", "mentoring"],
    ),
    (
        "Document the data platform's event contracts",
        "Every event the product emits has an owner, a schema and an example in the "
        "catalogue, and breaking changes fail CI.",
        ["communication", "system-design", "planning"],
    ),
    (
        "Run a testing workshop series",
        "Four workshops on test design, recorded, with exercises from our own codebase.",
        ["testing", "mentoring", "communication"],
    ),
    (
        "Write the onboarding guide for the identity service",
        "A new engineer ships a change to the identity service in their first week by "
        "following the guide alone.",
        ["communication", "ownership", "code-quality"],
    ),
    (
        "Extract a shared library for feature flags",
        "One flag library used by three services, replacing three home-grown ones, with "
        "a migration guide.",
        ["code-quality", "system-design", "code-review"],
    ),
    (
        "Map who owns what: the service catalogue",
        "Every production service listed with its owning team, on-call rota and runbook.",
        ["ownership", "planning", "operations"],
    ),
    (
        "Teach experiment analysis to product engineers",
        "Product engineers read their own A/B test results with a notebook template, and "
        "two teams used it for a real decision.",
        ["product-sense", "communication", "planning"],
    ),
]
WINTER_PROJECTS = [
    (
        "Write runbooks for the ten noisiest alerts",
        "Each of the ten alerts that paged most last quarter links to a runbook, tried "
        "out in a game day.",
        ["operations", "communication", "ownership"],
    ),
    (
        "Define SLOs for the checkout API",
        "Agreed availability and latency objectives, with error-budget alerts replacing "
        "today's threshold alerts.",
        ["operations", "system-design", "product-sense"],
    ),
    (
        "Rehearse the payments database failover",
        "A game day with timings written up, and the gaps it finds fixed or ticketed.",
        ["operations", "testing", "planning"],
    ),
    (
        "Make retries idempotent in the payouts worker",
        "No duplicate payout when the worker retries, and a property test that shows it.",
        ["system-design", "testing", "code-quality"],
    ),
    (
        "Halve the flaky tests in CI",
        "A flaky-test dashboard, the twenty worst tests fixed or quarantined, and a rule "
        "for new ones.",
        ["testing", "code-quality", "code-review"],
    ),
    (
        "Make incident reviews a habit",
        "A blameless review template, three past incidents reviewed with it and their "
        "actions tracked to done.",
        ["communication", "ownership", "mentoring"],
    ),
    (
        "Trace the search request path end to end",
        "Traces from the gateway to the index, and a dashboard that finds the slow hop.",
        ["operations", "system-design"],
    ),
    (
        "Load-test sign-up before the spring campaign",
        "A repeatable load test at three times last year's peak, with the bottlenecks "
        "found and fixed.",
        ["testing", "planning", "operations"],
    ),
    (
        "Shadow on-call, then lead it for a week",
        "The mentee runs one on-call week with the mentor as backup and writes the handover notes.",
        ["operations", "ownership", "mentoring"],
    ),
    (
        "Design graceful degradation for recommendations",
        "When ranking is slow, pages fall back to cached results: a design doc and the "
        "switch, tested under load.",
        ["system-design", "product-sense", "technical-direction"],
    ),
    (
        "Make database migrations safe to roll back",
        "A checklist and a CI check for backward-compatible migrations, used on two real changes.",
        ["code-quality", "code-review", "planning"],
    ),
    (
        "Build the on-call health report",
        "A monthly report of pages per person, out-of-hours load and toil, reviewed with "
        "the managers.",
        ["communication", "people-development", "planning"],
    ),
]
# What a mentee wants to be able to do, by competency code.
GOALS = {
    "code-quality": "keep a growing codebase easy to change, and know when to refactor",
    "testing": "write tests that catch real regressions without slowing the team down",
    "system-design": "shape a service's design and defend the trade-offs in a review",
    "operations": "handle an incident calmly, from the first alert to the write-up",
    "planning": "break a project into milestones and keep the plan honest",
    "ownership": "own a feature from the idea to production and what happens after",
    "product-sense": "understand what our users need and argue trade-offs in their terms",
    "communication": "write design docs and updates that people read and act on",
    "code-review": "give reviews that teach, and get my own changes through review faster",
    "mentoring": "help the newer engineers on my team through pairing and explanation",
    "technical-direction": "influence technical choices beyond my own team",
    "people-development": "help others grow, and find out whether management is for me",
}
CHECKIN_NOTES = {
    CheckIn.Mood.ON_TRACK: [
        "We meet every Tuesday and the first part is already merged.",
        "Good rhythm: one pairing session a week and async review in between.",
        "Ahead of plan; we added a stretch goal.",
    ],
    CheckIn.Mood.SLOW: [
        "Two weeks lost to an incident on my team; catching up now.",
        "Holidays got in the way, but the plan still holds.",
    ],
    CheckIn.Mood.STUCK: ["We need access to the production dashboards to go further."],
}
LEARNED = [
    "How to write for readers outside my team: start with the decision, not the history.",
    "That a design review goes better when the trade-offs are written down first.",
    "How another team plans its work; I brought their weekly demo back to mine.",
    "Reviewing across teams catches different mistakes than reviewing within one.",
    "How to explain something I do every day to someone who has never seen it.",
    "Where our systems meet and who to ask when they break.",
    "To slow down and write the test first when the behaviour is unclear.",
]


@dataclass(frozen=True)
class CycleSpec:
    name: str
    theme: str
    description: str
    projects: list
    mentees: int
    mentees_per_team: int
    senior_mentees: int  # mentees at the top mentee level: few mentors are above them


AUTUMN = CycleSpec(
    name="Autumn rotation",
    theme="Cross-team knowledge sharing",
    description="Six weeks of pairing across teams, so that what one team knows "
    "stops being a secret to the others.",
    projects=AUTUMN_PROJECTS,
    mentees=12,
    mentees_per_team=2,  # below the team cap of 3, so the cap never leaves anyone out
    senior_mentees=0,
)
WINTER = CycleSpec(
    name="Winter rotation",
    theme="Reliability and on-call",
    description="Six weeks on the systems that wake us up at night: alerts, runbooks, "
    "failovers and the habits that keep production calm.",
    projects=WINTER_PROJECTS,
    mentees=25,
    mentees_per_team=3,
    senior_mentees=3,
)
