"""A page of a filtered list: the page asked for, and the filters kept for the
links to the other pages."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def page_of(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int
) -> tuple[Page, str]:
    """The page ``?page=`` asks for (a wrong or missing number gives the first
    or last page), and the request's other parameters as a query string."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
