"""The team heat map's cell tag: the band each share falls in (the page's
legend) and the words a screen reader hears."""

import pytest

from ladders.templatetags.heatmap import share_band, share_cell


@pytest.mark.parametrize(
    ("share", "below", "band"),
    [(0, 0, 0), (100, 0, 0), (1, 1, 1), (14, 3, 1), (15, 3, 2), (29, 5, 2), (30, 6, 3),
     (49, 9, 3), (50, 10, 4), (100, 7, 4)],
)  # fmt: skip
def test_bands_follow_the_legend(share, below, band):
    assert share_band(share, below) == band


def test_a_cell_says_how_many_of_how_many():
    cell = share_cell(49, 92, 188)
    assert cell == (
        '<td class="heat share-3" title="92 of 188 rated below their level">49%'
        '<span class="visually-hidden"> (92 of 188)</span></td>'
    )


def test_nobody_rated_is_a_dash_with_words():
    cell = share_cell(None, 0, 0)
    assert "heat-none" in cell and "nobody rated" in cell and "\u2013" in cell  # an en dash
