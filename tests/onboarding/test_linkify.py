"""Task descriptions: links become clickable, the rest stays text."""

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from onboarding.templatetags.onboarding_text import linkify


def test_it_keeps_the_punctuation_after_a_link_in_brackets():
    html = linkify("Read the tour (https://example.com/tour), then say hello.")
    assert '(<a href="https://example.com/tour" rel="nofollow">' in html
    assert "</a>), then say hello." in html


def test_it_leaves_a_full_stop_out_of_the_link_and_escapes_markup():
    html = linkify("Go to https://x.org/a?b=1&c=2.\n<script>")
    assert 'href="https://x.org/a?b=1&amp;c=2"' in html
    assert "</a>.<br>&lt;script&gt;" in html


# --- any text: escaped, linear in its length ------------------------------------------


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="htps:/.,;!?()[]<>&\"' \nabx", max_size=300))
def test_any_text_comes_out_escaped_with_whole_links(text):
    html = str(linkify(text))

    # The only markup is ours: links and line breaks; everything else is escaped.
    bare = html.replace("</a>", "").replace("<br>", "")
    bare = "".join(part.split(">", 1)[-1] for part in bare.split('<a href="'))
    assert "<" not in bare and '"' not in bare


def test_a_long_run_of_punctuation_after_a_link_takes_no_time():
    # A lazy pattern with a look-ahead took 5 s on this (10,000 characters).
    text = "http://" + "." * 10_000 + "x, and then http://a" + "," * 10_000

    started = time.perf_counter()
    html = linkify(text)

    assert time.perf_counter() - started < 0.5
    assert html.count("<a href=") == 2
