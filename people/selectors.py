"""Reads about people. The reporting line is walked in the database with a
recursive query, so its cost does not grow with the number of levels."""

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet

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

_REPORTS_DOWN_SQL = """
WITH RECURSIVE tree(id, depth) AS (
    SELECT id, 1 FROM people_user WHERE manager_id = %s
    UNION ALL
    SELECT u.id, t.depth + 1
    FROM people_user u JOIN tree t ON u.manager_id = t.id
    WHERE t.depth < %s
)
SELECT DISTINCT id FROM tree
"""


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


def team_tree(*, manager: User) -> QuerySet[User]:
    """Everyone under the manager, all the way down, with their team."""
    return people_list().filter(pk__in=report_ids(manager_id=manager.pk)).order_by("name")


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
