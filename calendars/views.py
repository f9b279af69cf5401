"""The private feed (no login: the token is the key) and the page where a
person finds its URL, resets it and picks email, Slack or both."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_POST

from messaging.preferences import contact_preference_set, slack_configured, stored_channel
from people.errors import ApplicationError

from .forms import ChannelForm
from .selectors import feed_items, feed_token_get
from .services import feed_fingerprint_refresh, feed_ics, feed_token_ensure, feed_token_reset


@require_GET
def feed(request, token: str):
    """A wrong or reset token is 404, like any page one may not see."""
    found = feed_token_get(token=token)
    if found is None:
        raise Http404("No such calendar.")
    items = feed_items(person=found.person)
    found = feed_fingerprint_refresh(feed=found, items=items)
    etag = f'"{found.fingerprint[:32]}"'
    changed_at = found.changed_at
    assert changed_at is not None  # the refresh above sets it
    last_modified = int(changed_at.timestamp())  # whole seconds already
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(
        feed_ics(person=found.person, items=items, changed_at=changed_at),
        content_type="text/calendar; charset=utf-8",
    )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "private, max-age=900"
    response["Content-Disposition"] = 'inline; filename="growth.ics"'
    return response


def _feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("calendars:feed", args=[token]))


@login_required
def my_settings(request):
    feed_token = feed_token_ensure(person=request.user)
    form = ChannelForm(initial={"channel": stored_channel(request.user)})
    if request.method == "POST":
        form = ChannelForm(request.POST)
        if form.is_valid():
            try:
                contact_preference_set(person=request.user, channel=form.cleaned_data["channel"])
            except ApplicationError as error:
                form.add_error("channel", error.message)
            else:
                messages.success(request, "Saved: that is how we will reach you.")
                return redirect("calendars:my_settings")
    return render(
        request,
        "calendars/feed_settings.html",
        {
            "feed_url": _feed_url(request, feed_token.token),
            "webcal_url": _feed_url(request, feed_token.token).replace("https://", "webcal://"),
            "form": form,
            "slack_configured": slack_configured(),
        },
    )


@login_required
@require_POST
def feed_reset(request):
    feed_token_reset(person=request.user)
    messages.success(
        request,
        "Your calendar has a new private address: the old one no longer works. "
        "Subscribe again with the new one.",
    )
    return redirect("calendars:my_settings")
