"""Reads about people. The reporting line is walked in the database with a
recursive query, so its cost does not grow with the number of levels."""

from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from .models import Team, User

# A guard against a loop that slipped in around the services (raw SQL, a
# restore): the walk stops instead of running forever.
MAX_DEPTH = 64

_CHAIN_UP_SQL = """
WITH RECURSIVE chain(id, depth) AS (
    SELECT manager_id, 1 FROM people_user WHERE id = %s AND manager_id IS NOT NULL
    UNION ALL
    SELECT u.manager_id, c.depth + 1
    FROM people_user u JOIN chain c ON u.id = c.id
    WHERE u.manager_id IS NOT NULL AND c.depth < %s
)
SELECT id FROM chain ORDER BY depth
"""

# Everyone under a manager (parameters: the manager's id, MAX_DEPTH), as a
# common table expression named "tree" that other reads can build on. Each
# row carries the person's team and whether they are active, so a read that
# needs them does not look every person up again (20,000 index lookups for a
# CTO). A loop in the reporting line repeats people: select DISTINCT.
REPORTS_TREE_CTE = """
tree(id, team_id, is_active, depth) AS (
    SELECT id, team_id, is_active, 1 FROM people_user WHERE manager_id = %s
    UNION ALL
    SELECT u.id, u.team_id, u.is_active, t.depth + 1
    FROM people_user u JOIN tree t ON u.manager_id = t.id
    WHERE t.depth < %s
)"""

_REPORTS_DOWN_SQL = f"WITH RECURSIVE {REPORTS_TREE_CTE}\nSELECT DISTINCT id FROM tree\n"


def manager_chain_ids(*, person_id: int) -> list[int]:
    """Ids of the person's managers, nearest first, up to the top."""
    with connection.cursor() as cursor:
        cursor.execute(_CHAIN_UP_SQL, [person_id, MAX_DEPTH])
        seen: list[int] = []
        for (manager_id,) in cursor.fetchall():
            if manager_id in seen:  # a loop: stop at the first repeat
                break
            seen.append(manager_id)
        return seen


def manager_chain_ids_of(*, person_ids) -> dict[int, set[int]]:
    """Each person's managers, all the way up, for many people in one query."""
    person_ids = list(person_ids)
    if not person_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(person_ids))
    sql = f"""
WITH RECURSIVE chain(person_id, id, depth) AS (
    SELECT id, manager_id, 1 FROM people_user
    WHERE id IN ({placeholders}) AND manager_id IS NOT NULL
    UNION ALL
    SELECT c.person_id, u.manager_id, c.depth + 1
    FROM people_user u JOIN chain c ON u.id = c.id
    WHERE u.manager_id IS NOT NULL AND c.depth < %s
)
SELECT person_id, id FROM chain
"""
    chains: dict[int, set[int]] = {person_id: set() for person_id in person_ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*person_ids, MAX_DEPTH])
        for person_id, manager_id in cursor.fetchall():
            chains[person_id].add(manager_id)
    return chains


def report_ids(*, manager_id: int) -> set[int]:
    """Ids of everyone who reports to the manager, all the way down."""
    with connection.cursor() as cursor:
        cursor.execute(_REPORTS_DOWN_SQL, [manager_id, MAX_DEPTH])
        return {row[0] for row in cursor.fetchall()} - {manager_id}


def reports_subquery(*, manager_id: int) -> RawSQL:
    """The same walk as report_ids, as a subquery (`pk__in=...`): for thousands
    of people, the ids stay in the database instead of travelling as a list."""
    sql = _REPORTS_DOWN_SQL.replace("SELECT DISTINCT id FROM tree", "SELECT id FROM tree")
    return RawSQL(sql, [manager_id, MAX_DEPTH])


def manager_chain(*, person: User) -> list[User]:
    """The person's managers, nearest first, in two queries."""
    ids = manager_chain_ids(person_id=person.pk)
    by_id = User.objects.select_related("team").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def people_list() -> QuerySet[User]:
    """Active people with what a directory row shows."""
    return User.objects.filter(is_active=True).select_related("team", "manager")


def person_get(*, person_id: int) -> User:
    """Anyone, including people who left: the policy decides who sees them."""
    return User.objects.select_related("team", "manager", "team__parent").get(pk=person_id)


def direct_reports(*, manager: User) -> QuerySet[User]:
    return (
        people_list()
        .filter(manager=manager)
        .annotate(report_count=Count("reports", distinct=True))
        .order_by("name")
    )


def direct_reports_plain(*, manager: User) -> QuerySet[User]:
    """Direct reports by name, without the count (see with_report_count)."""
    return people_list().filter(manager=manager).order_by("name")


def team_tree(*, manager: User) -> QuerySet[User]:
    """Everyone under the manager, all the way down, with their team."""
    return (
        people_list()
        .filter(pk__in=reports_subquery(manager_id=manager.pk))
        .exclude(pk=manager.pk)
        .order_by("name")
    )


def with_report_count(people: QuerySet[User]) -> QuerySet[User]:
    """Each person's number of direct reports, as a correlated subquery: on a
    sorted, paginated list the database counts only the rows it returns,
    where a joined Count would group the whole organisation first."""
    reports = (
        User.objects.filter(manager=OuterRef("pk"), is_active=True)
        .order_by()
        .values("manager")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return people.annotate(report_count=Coalesce(Subquery(reports), 0))


def search_people(people: QuerySet[User], text: str) -> QuerySet[User]:
    """Every word (at most five) in the name, email, title or team name."""
    for word in text.split()[:5]:
        people = people.filter(
            Q(name__icontains=word)
            | Q(email__icontains=word)
            | Q(title__icontains=word)
            | Q(team__name__icontains=word)
        )
    return people


def team_get(*, team_id: int) -> Team:
    members = User.objects.filter(is_active=True).select_related("manager").order_by("name")
    return (
        Team.objects.select_related("parent")
        .prefetch_related(Prefetch("members", queryset=members), "children")
        .get(pk=team_id)
    )


def team_list() -> QuerySet[Team]:
    return Team.objects.select_related("parent").annotate(
        member_count=Count("members", distinct=True)
    )
