"""Cursor pagination in id order: stable while a sync pages through and rows
are added, and one indexed query per page however deep."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
