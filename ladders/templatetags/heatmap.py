"""The team heat map's cell, as a tag: a large organisation's map has hundreds
of cells, and an {% include %} per cell took about as long as the query behind them."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

NOBODY_RATED = mark_safe(
    '<td class="heat heat-none"><span class="visually-hidden">nobody rated</span>\u2013</td>'
)


def share_band(share: int, below: int) -> int:
    """The colour band of a share of people below their level (the page's legend)."""
    if not below:
        return 0
    return 1 if share < 15 else 2 if share < 30 else 3 if share < 50 else 4


@register.simple_tag
def share_cell(share: int | None, below: int, rated: int) -> str:
    """One cell: the share of a team's rated people below their level, or a dash."""
    if share is None:
        return NOBODY_RATED
    return format_html(
        '<td class="heat share-{}" title="{} of {} rated below their level">{}%'
        '<span class="visually-hidden"> ({} of {})</span></td>',
        share_band(share, below), below, rated, share, below, rated,
    )  # fmt: skip
