"""Levels, competencies and expectations: edited in a draft (expectations also
inline on a level's or a competency's page), searched and filtered."""

from django import forms
from django.contrib import admin
from django.db.models import Max, Min
from django.utils.text import Truncator

from core.limits import TEXT_MAX_CHARS

from ..models import Competency, Expectation, Level, Revision
from .common import DraftInline, EditableWhileDraft, autocomplete_choices


class ExamplesField(forms.CharField):
    """The JSON list of examples, typed one per line."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40, "maxlength": TEXT_MAX_CHARS})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value)
        # Checked here: after this the value is a list, which max_length would count.
        if len(text) > TEXT_MAX_CHARS:
            raise forms.ValidationError(
                f"Keep the examples to {TEXT_MAX_CHARS:,} characters in all "
                f"(this is {len(text):,})."
            )
        return [line.strip() for line in text.splitlines() if line.strip()]


class ExpectationForm(forms.ModelForm):
    examples = ExamplesField(
        required=False,
        help_text=f"One example per line; at most {TEXT_MAX_CHARS:,} characters in all.",
    )

    class Meta:
        model = Expectation
        fields = ["level", "competency", "text", "examples"]

    def clean(self):
        cleaned = super().clean()
        level, competency = cleaned.get("level"), cleaned.get("competency")
        if level and level.revision.is_published:
            self.add_error(
                "level",
                "This level is in a published revision, which never changes: "
                "start a new draft and edit that.",
            )
        elif level and competency and level.revision_id != competency.revision_id:
            self.add_error(
                "competency",
                f"Pick a competency of the same revision as the level ({level.revision}).",
            )
        return cleaned


class ExpectationInline(DraftInline, admin.TabularInline):
    """The expectations of one level (or of one competency), choices limited to
    the parent's revision."""

    model = Expectation
    form = ExpectationForm
    other_key = ""  # the foreign key that is not the parent

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get(self.other_key)
        if obj is not None and field is not None:
            field.queryset = field.queryset.filter(revision_id=obj.revision_id)
        return formset


class ExpectationsOfLevel(ExpectationInline):
    fields = ["competency", "text", "examples"]
    ordering = ["competency__position"]
    other_key = "competency"


class ExpectationsOfCompetency(ExpectationInline):
    fields = ["level", "text", "examples"]
    ordering = ["level__position"]
    other_key = "level"


class DraftContentAdmin(EditableWhileDraft, admin.ModelAdmin):
    """Levels and competencies: added to a draft only; their revision never changes."""

    def get_readonly_fields(self, request, obj=None):
        return ["revision"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "revision":
            kwargs["queryset"] = Revision.objects.filter(status=Revision.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        return autocomplete_choices(request, queryset), duplicates


@admin.register(Level)
class LevelAdmin(DraftContentAdmin):
    list_display = ["code", "name", "track", "position", "revision"]
    list_filter = ["track", "revision__status", "revision"]
    search_fields = ["code", "name", "revision__ladder__name"]
    list_select_related = ["revision__ladder"]
    ordering = ["revision__ladder__name", "-revision__number", "position"]
    fields = ["revision", "code", "name", "track", "position", "summary"]
    inlines = [ExpectationsOfLevel]


@admin.register(Competency)
class CompetencyAdmin(DraftContentAdmin):
    list_display = ["code", "name", "theme", "position", "revision"]
    list_filter = ["theme", "revision__status", "revision"]
    search_fields = ["code", "name", "theme", "revision__ladder__name"]
    list_select_related = ["revision__ladder"]
    ordering = ["revision__ladder__name", "-revision__number", "position"]
    fields = ["revision", "code", "name", "theme", "position", "description"]
    inlines = [ExpectationsOfCompetency]


class LevelCodeFilter(admin.SimpleListFilter):
    """By level code, which stays the same from one revision to the next."""

    title = "level"
    parameter_name = "level_code"

    def lookups(self, request, model_admin):
        codes = (
            Level.objects.values("code").annotate(first=Min("position")).order_by("first", "code")
        )
        return [(row["code"], row["code"]) for row in codes]

    def queryset(self, request, queryset):
        return queryset.filter(level__code=self.value()) if self.value() else queryset


class CompetencyCodeFilter(admin.SimpleListFilter):
    title = "competency"
    parameter_name = "competency_code"

    def lookups(self, request, model_admin):
        rows = Competency.objects.values("code").annotate(name=Max("name"), first=Min("position"))
        return [(row["code"], row["name"]) for row in rows.order_by("first", "code")]

    def queryset(self, request, queryset):
        return queryset.filter(competency__code=self.value()) if self.value() else queryset


@admin.register(Expectation)
class ExpectationAdmin(EditableWhileDraft, admin.ModelAdmin):
    form = ExpectationForm
    list_display = ["level_code", "competency", "text_start", "revision"]
    list_filter = [
        ("level__revision", admin.RelatedFieldListFilter),
        LevelCodeFilter,
        CompetencyCodeFilter,
        "competency__theme",
    ]
    search_fields = ["text", "competency__name", "competency__code", "level__code"]
    autocomplete_fields = ["level", "competency"]
    list_select_related = ["level__revision__ladder", "competency"]
    ordering = [
        "level__revision__ladder__name",
        "-level__revision__number",
        "level__position",
        "competency__position",
    ]

    @admin.display(description="level", ordering="level__position")
    def level_code(self, expectation):
        return expectation.level.code

    @admin.display(description="expectation")
    def text_start(self, expectation):
        return Truncator(expectation.text).chars(90)

    @admin.display(description="revision", ordering="level__revision")
    def revision(self, expectation):
        return expectation.level.revision
