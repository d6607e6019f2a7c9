from django import forms
from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics
from sciencebridge.core.content_languages import add_conversion_controls
from sciencebridge.funding.models import Call

from .models import Agreement, CooperationArea, ItemStatus, Meeting, Workplan, WorkplanItem


class WorkplanForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("source"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Workplan
        fields = [
            "code",
            "title_en",
            "title_zh_hant",
            "title_zh_hans",
            "period",
            "starts_on",
            "ends_on",
            "approved_at",
            "agreement",
            "source_url",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "title_en": _("Title (English)"),
            "title_zh_hant": _("Title (Traditional Chinese)"),
            "title_zh_hans": _("Title (Simplified Chinese)"),
        }


class ItemForm(forms.ModelForm):
    """An item and its link to live activity: a metric, optionally narrowed to calls and a year."""

    metric_code = forms.ChoiceField(label=_("Linked activity"), required=False)
    calls = forms.ModelMultipleChoiceField(
        label=_("Only these calls"),
        queryset=Call.objects.none(),
        required=False,
        help_text=_("For funding metrics: count only these calls. Leave empty for all."),
    )
    year = forms.IntegerField(
        label=_("Only this year"), required=False, min_value=1990, max_value=2100
    )
    source_url = forms.URLField(
        label=_("source"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = WorkplanItem
        fields = [
            "area",
            "number",
            "text_en",
            "text_zh_hant",
            "text_zh_hans",
            "owner",
            "metric_code",
            "target",
            "source_url",
        ]
        help_texts = {
            "target": _("The value of the linked activity that counts as done, e.g. 10 projects.")
        }
        widgets = {
            f"text_{x}": forms.Textarea(attrs={"rows": 2}) for x in ("en", "zh_hant", "zh_hans")
        }
        labels = {
            "text_en": _("Item (English)"),
            "text_zh_hant": _("Item (Traditional Chinese)"),
            "text_zh_hans": _("Item (Simplified Chinese)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = CooperationArea.objects.all()
        self.fields["metric_code"].choices = [("", _("— not linked —")), *metrics.choices()]
        self.fields["calls"].queryset = Call.objects.order_by("-opens_at")
        self.fields["calls"].widget.attrs["size"] = 6
        self.fields["text_en"].required = True
        add_conversion_controls(self)
        if self.instance.pk:
            f = self.instance.metric_filters or {}
            self.initial.setdefault("calls", f.get("call_ids", []))
            self.initial.setdefault("year", f.get("year"))

    def cleaned_item(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("calls", "year")}
        filters = dict(self.instance.metric_filters or {}) if self.instance.pk else {}
        filters.pop("call_ids", None)
        filters.pop("year", None)
        if self.cleaned_data.get("calls"):
            filters["call_ids"] = sorted(c.pk for c in self.cleaned_data["calls"])
        if self.cleaned_data.get("year"):
            filters["year"] = self.cleaned_data["year"]
        data["metric_filters"] = filters
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ItemStatus.choices)
    reason = forms.CharField(label=_("Why"), required=False, max_length=500)


class EvidenceForm(forms.Form):
    description = forms.CharField(label=_("Evidence"), max_length=500)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MeetingForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("source"), max_length=500, required=False, assume_scheme="https"
    )
    decisions_text = forms.CharField(
        label=_("Decisions (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Meeting
        fields = [
            "number",
            "held_on",
            "place_en",
            "place_zh_hant",
            "place_zh_hans",
            "chairs",
            "agenda",
            "minutes",
            "source_url",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "place_en": _("Place (English)"),
            "place_zh_hant": _("Place (Traditional Chinese)"),
            "place_zh_hans": _("Place (Simplified Chinese)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place_en"].required = True
        if self.instance.pk:
            self.initial["decisions_text"] = "\n".join(
                d.text for d in self.instance.decisions.all()
            )

    def cleaned_meeting(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "decisions_text"}
        data["decisions"] = [
            line for line in self.cleaned_data["decisions_text"].splitlines() if line.strip()
        ]
        return data


class AgreementForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("source"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Agreement
        fields = [
            "code",
            "kind",
            "title_en",
            "title_zh_hant",
            "title_zh_hans",
            "parties",
            "signed_on",
            "signed_at",
            "signatories",
            "areas",
            "summary",
            "full_text",
            "status",
            "valid_until",
            "renews",
            "parent",
            "source_url",
            "confidence",
        ]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "parties": forms.CheckboxSelectMultiple,
            "areas": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "full_text": forms.Textarea(attrs={"rows": 10}),
        }
        labels = {
            "title_en": _("Title (English)"),
            "title_zh_hant": _("Title (Traditional Chinese)"),
            "title_zh_hans": _("Title (Simplified Chinese)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_en"].required = True

    def cleaned_agreement(self) -> dict:
        return dict(self.cleaned_data)
