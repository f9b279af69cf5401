"""Task descriptions: links become clickable, the rest stays text."""

from onboarding.selectors.checklist import linkify


def test_it_keeps_the_punctuation_after_a_link_in_brackets():
    html = linkify("Read the tour (https://example.com/tour), then say hello.")
    assert '(<a href="https://example.com/tour" rel="nofollow">' in html
    assert "</a>), then say hello." in html


def test_it_leaves_a_full_stop_out_of_the_link_and_escapes_markup():
    html = linkify("Go to https://x.org/a?b=1&c=2.\n<script>")
    assert 'href="https://x.org/a?b=1&amp;c=2"' in html
    assert "</a>.<br>&lt;script&gt;" in html
