"""Every free-text field a person can fill in has a length limit that the page
states, the browser enforces and the server checks; a refusal keeps the text.
(Before: a 2,000,000-character stretch description was saved.)"""

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from core.limits import TEXT_MAX_CHARS
from ladders.models import StretchAssignment
from tests.ladders.factories import published_ladder
from tests.ladders.test_stretch_views import form_data

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 2_000_000
OUR_APPS = {"people", "ladders", "mentorship", "onboarding", "core"}


def admin_forms(user):
    """(admin label, form class) of every registered admin page and its inlines."""
    request = RequestFactory().get("/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue  # allauth's and Django's own pages are for superusers
        yield str(model_admin), model, model_admin.get_form(request, None)
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None):
                yield str(inline), inline.model, inline.get_formset(request, None).form


def test_every_text_field_on_every_admin_page_is_bounded_and_says_so(org):
    checked = 0
    for label, model, form_class in admin_forms(org.hr):
        for name, field in form_class.base_fields.items():
            try:
                db_field = model._meta.get_field(name)
            except Exception:
                continue  # a form-only field
            if not isinstance(db_field, models.TextField):
                continue
            checked += 1
            assert field.max_length == TEXT_MAX_CHARS, (label, name)
            assert field.widget.attrs.get("maxlength") == str(TEXT_MAX_CHARS), (label, name)
            assert "At most 10,000 characters." in str(field.help_text), (label, name)
    assert checked >= 10  # descriptions, summaries, notes... on ladders, rotations, onboarding


def test_a_two_million_character_stretch_description_is_refused_and_kept(client, org):
    revision = published_ladder(competencies=("people", "design"))
    client.force_login(org.manager)

    response = client.post(
        reverse("ladders:stretch_create"), form_data(revision, description=TOO_LONG)
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["description"] == [
        "Ensure this value has at most 10000 characters (it has 2000000)."
    ]
    assert form["title"].value() == "Lead the incident review"
    assert not StretchAssignment.objects.exists()


def test_the_stretch_form_states_the_limit(client, org):
    published_ladder(competencies=("people",))
    client.force_login(org.manager)

    page = client.get(reverse("ladders:stretch_create")).content.decode()

    assert 'maxlength="10000"' in page
    assert "At most 10,000 characters." in page


def test_a_line_break_counts_as_one_character_as_in_the_browser():
    from django import forms

    from core.limits import bound_text

    field = bound_text(forms.CharField(widget=forms.Textarea), limit=10)

    assert field.clean("12345\r\n789") == "12345\r\n789"  # 9 + 1 line break, sent as CR LF
    with pytest.raises(forms.ValidationError, match="at most 10 characters"):
        field.clean("12345\r\n78901")
