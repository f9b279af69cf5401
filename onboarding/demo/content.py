"""The words of the onboarding demo: its checklist templates, the new hires a few
weeks in, what they left undone and what they wrote about their pairings."""

from dataclasses import dataclass

from ..models import AssigneeRole, Kind

HIRE, BUDDY, MANAGER, PEOPLE = (
    AssigneeRole.NEW_HIRE,
    AssigneeRole.BUDDY,
    AssigneeRole.MANAGER,
    AssigneeRole.PEOPLE_TEAM,
)
SETUP, PRODUCT, PAIRING, MEETING, READING = (
    Kind.SETUP,
    Kind.PRODUCT_CONTEXT,
    Kind.PAIRING,
    Kind.MEETING,
    Kind.READING,
)
WIKI = "https://wiki.example.com"

# (due offset in working days, assignee role, kind, title, description, competency)
BASE_ITEMS = [
    (-5, PEOPLE, SETUP, "Order the laptop and ship it to arrive before day one",
     "Standard engineering laptop unless the new hire asked for another. Send the "
     f"tracking link to them and their manager. Models and lead times: {WIKI}/people/laptops", ""),
    (-3, PEOPLE, SETUP, "Create accounts: Google Workspace, Slack, GitHub and Jira",
     "Add them to their team's Slack channels and GitHub team, and send the single sign-on "
     "enrolment link to their personal address.", ""),
    (-2, MANAGER, MEETING, "Send a welcome note with the first week's plan",
     "Who they will meet, when the first 1:1 is, who their buddy is, and where to be (or "
     "which call to join) at 10:00 on day one.", ""),
    (-1, BUDDY, MEETING, "Say hello and book the first pairing session",
     "A short message before day one, and a 30-minute slot on day one or two to look "
     "at the code together.", "mentoring"),
    (0, HIRE, SETUP, "Set up your laptop: single sign-on, two-factor and the toolchain",
     "Sign in with SSO, enrol two-factor authentication, then follow "
     f"{WIKI}/engineering/dev-setup until the app runs locally and its tests pass. "
     "Stuck? Ask in #help-dev-setup: everyone has been.", ""),
    (0, MANAGER, MEETING, "First 1:1: expectations for the first 30 days",
     "What good looks like by day 30, how you like to work together, and the ladder page "
     "for their level.", "people-development"),
    (1, MANAGER, MEETING, "Introduce the new hire at the team's stand-up",
     "A short introduction, and ask two teammates to invite them for a coffee chat this week.",
     ""),
    (1, HIRE, PRODUCT, "Take the product tour",
     "Watch the 45-minute recorded tour at https://learn.example.com/product-tour, then sign "
     "up on staging as a customer would and go through the main journey yourself.",
     "product-sense"),
    (3, HIRE, PAIRING, "Pair with your buddy on a small bug fix",
     "Your buddy picks a ticket labelled good-first-issue. You drive, they navigate: "
     "reproduce it, write the failing test, fix it and open the pull request together.",
     "code-quality"),
    (4, HIRE, PRODUCT, "Listen to three customer call recordings",
     "One sales call, one support call and one churn interview from the call library at "
     f"{WIKI}/customers/calls. Write down three things that surprised you.", "product-sense"),
    (5, HIRE, READING, "Read the architecture overview",
     f"{WIKI}/engineering/architecture: the services, who owns them and how a request "
     "travels through them. Bring your questions to your buddy.", "system-design"),
    (6, HIRE, PRODUCT, "Shadow a support shift",
     f"Two hours beside a support agent: book a slot at {WIKI}/support/shadowing. Note one "
     "problem customers hit that engineering could remove.", "product-sense"),
    (7, HIRE, PAIRING, "Pair on a code review",
     "Review a teammate's pull request together with your buddy: what they look for first, "
     "how they word comments, when they approve.", "code-review"),
    (9, HIRE, READING, "Read how we plan, review and release",
     "Planning cycles, the review checklist, release trains and incident reviews, in the "
     "engineering handbook at https://handbook.example.com/engineering.", "planning"),
    (11, HIRE, PAIRING, "Pair on shipping a change to production",
     "Take a small change of your own through review, CI, the deploy pipeline and the "
     "post-deploy checks, with your buddy beside you.", "ownership"),
    (15, HIRE, PAIRING, "Pair on an on-call handover",
     "Join your buddy for the weekly on-call handover: open incidents, alerts that fired, "
     f"the runbooks at {WIKI}/oncall/handover. You join the rotation next month.",
     "operations"),
    (19, BUDDY, MEETING, "Tell the manager how the first month went",
     "A few lines for the new hire's manager before the 30-day conversation: what you did "
     "together and where they could use more support.", "mentoring"),
    (19, MANAGER, MEETING, "30-day conversation: what went well, goals for days 31-90",
     "Go through the checklist together, ask what slowed them down, and agree two or three "
     "goals for the next two months.", "people-development"),
]  # fmt: skip

PAYMENTS_ITEMS = [
    (1, HIRE, READING, "Read the payments primer: authorisation, capture, refunds, chargebacks",
     f"{WIKI}/payments/primer, with the glossary open beside it.", "product-sense"),
    (2, HIRE, SETUP, "Complete the PCI DSS awareness training",
     "Needed before production access to anything that touches card data: about an hour at "
     "https://learn.example.com/pci.", ""),
    (6, HIRE, PRODUCT, "Follow a payout end to end on staging",
     "Create a seller, take a card payment, run the payout job and find the ledger entries "
     "it wrote.", "system-design"),
    (8, BUDDY, MEETING, "Walk the new hire through the payments incident runbooks",
     f"{WIKI}/payments/runbooks: failed captures, a stuck payout batch, an acquirer outage.",
     "operations"),
    (12, HIRE, MEETING, "Join the weekly payments risk review",
     "Thursdays at 14:00: fraud rates, disputes and the changes going out that week.", ""),
]  # fmt: skip

SEARCH_ITEMS = [
    (1, HIRE, READING, "Read the search architecture: indexing, query service, ranking",
     f"{WIKI}/search/architecture, then the last two ranking experiment write-ups.",
     "system-design"),
    (3, HIRE, SETUP, "Build a local index from the sample catalogue",
     "make index-sample in the search repository; it takes about ten minutes. Run the "
     "relevance test suite against it.", ""),
    (5, HIRE, PRODUCT, "Watch the relevance review: ten real queries with poor results",
     "The recording from the last relevance review, with the queries and what customers "
     "clicked instead.", "product-sense"),
    (8, HIRE, MEETING, "Join the weekly ranking experiment review",
     "Tuesdays at 16:00 New York time: experiments running, results, what ships.", ""),
    (12, HIRE, PAIRING, "Pair on a ranking change behind an experiment flag",
     "With your buddy: a small ranking tweak, its offline evaluation, and the flag to run it "
     "on 5% of traffic.", "testing"),
    (14, BUDDY, MEETING, "Review the new hire's first experiment plan",
     "Hypothesis, metric, guardrails and how long it must run: 30 minutes, in writing "
     "afterwards.", "mentoring"),
]  # fmt: skip


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    description: str
    team: str | None  # None: everyone
    position: int
    items: list[tuple]


TEMPLATES = [
    TemplateSpec(
        "First month: everyone",
        "Setup, product context, meetings and four pairing tasks with the buddy, from the "
        "week before day one to the 30-day conversation.",
        None,
        0,
        BASE_ITEMS,
    ),
    TemplateSpec(
        "First month: Payments",
        "The payments domain, PCI training and the runbooks.",
        "Payments",
        10,
        PAYMENTS_ITEMS,
    ),
    TemplateSpec(
        "First month: Search",
        "The search stack, relevance and the experiment process.",
        "Search",
        10,
        SEARCH_ITEMS,
    ),
]


@dataclass(frozen=True)
class ExtraHire:
    """A demo person who started a few weeks ago, to show a plan part-way through."""

    name: str
    email: str
    title: str
    team: str
    timezone: str
    weeks_ago: int
    level: str


EXTRA_HIRES = [
    ExtraHire(
        "Aditi Kapoor", "aditi.kapoor@example.com", "Data Engineer", "Data Platform",
        "Asia/Kolkata", 1, "L1",
    ),
    ExtraHire(
        "Daniel Okoro", "daniel.okoro@example.com", "Software Engineer", "Growth",
        "America/Denver", 2, "L2",
    ),
    ExtraHire(
        "Sofia Marchetti", "sofia.marchetti@example.com", "Software Engineer", "Payments",
        "Europe/London", 3, "L2",
    ),
    ExtraHire(
        "Inês Carvalho", "ines.carvalho@example.com", "Software Engineer", "Search",
        "America/New_York", 4, "L2",
    ),
]  # fmt: skip
SHOWN_LOGIN = "sofia.marchetti@example.com"  # week 3: much done, a pairing waiting

# What the demo leaves undone on purpose, by (email, task title): overdue items
# for the digest, the escalation and the report to show.
LEFT_OPEN = {
    ("daniel.okoro@example.com", "Read the architecture overview"),
    ("sofia.marchetti@example.com", "Walk the new hire through the payments incident runbooks"),
    ("ines.carvalho@example.com", "30-day conversation: what went well, goals for days 31-90"),
}
# Pairings the new hire confirmed and the buddy has not yet.
WAITING_FOR_BUDDY = {("sofia.marchetti@example.com", "Pair on shipping a change to production")}

# What each side wrote, by pairing task title: (new hire, buddy).
PAIRING_NOTES = {
    "Pair with your buddy on a small bug fix": (
        "Fixed the rounding error in invoice totals; learned how the test fixtures are built.",
        "Drove confidently after the first half hour. Next time: write the failing test first.",
    ),
    "Pair on a code review": (
        "Reviewed the retry change together: I now check error paths and naming first.",
        "Good questions on the error handling; ready to review small changes alone.",
    ),
    "Pair on shipping a change to production": (
        "Shipped the copy fix on the receipt email and watched the post-deploy dashboards.",
        "Went through the whole pipeline, including a rollback rehearsal on staging.",
    ),
    "Pair on an on-call handover": (
        "Sat in on the handover: two alerts, one open incident; read the paging runbook.",
        "Walked through last week's incidents; shadowing the next on-call week is booked.",
    ),
    "Pair on a ranking change behind an experiment flag": (
        "Boosted exact title matches behind a flag; the offline evaluation gained 2% nDCG.",
        "Set up the experiment together; the write-up is theirs to present on Tuesday.",
    ),
}
DEFAULT_NOTES = ("Worked through it together.", "Good session, nothing to add.")

HOLIDAYS = [(12, 25, "Christmas Day"), (12, 26, "Boxing Day"), (1, 1, "New Year's Day")]
