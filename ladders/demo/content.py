"""The fixed facts of the ladders demo: which titles sit at which level of the
default ladder, and the stretch assignments on offer."""

# Title words to level codes of the default ladder, most senior first.
TITLE_LEVELS = [
    ("CTO", "M3"),
    ("VP", "M3"),
    ("Director", "M3"),
    ("Senior Engineering Manager", "M2"),
    ("Manager", "M1"),
    ("Principal", "L5"),
    ("Staff", "L4"),
    ("Senior", "L3"),
]
STRETCH_IDEAS = [
    ("Lead the payments retry redesign", "system-design", 4, 2),
    ("Run the Q1 incident review programme", "operations", 3, 1),
    ("Mentor two new hires through their first release", "mentoring", 2, 2),
    ("Write the API style guide", "communication", 3, 1),
    ("Own the search relevance experiment", "product-sense", 5, 2),
    ("Cut the mobile build time in half", "code-quality", 4, 1),
    ("Introduce contract tests between services", "testing", 4, 3),
    ("Plan the data platform migration", "planning", 6, 1),
    ("Chair the architecture review for a quarter", "technical-direction", 3, 1),
    ("Shadow an engineering manager for six weeks", "people-development", 2, 2),
    ("Take the on-call rotation lead", "ownership", 3, 1),
    ("Run a code review clinic", "code-review", 2, 3),
]
