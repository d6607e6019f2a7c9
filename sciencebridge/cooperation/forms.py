from django import forms
from django.utils.translation import gettext_lazy as _

from sciencebridge.core import metrics
from sciencebridge.funding.models import Call

from .models import CooperationArea, ItemStatus, Workplan, WorkplanItem


class WorkplanForm(forms.ModelForm):
    class Meta:
        model = Workplan
        fields = ["code", "title_en", "title_zh_hant", "title_zh_hans", "period", "starts_on", "ends_on",
                  "approved_at", "agreement", "source_url"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "ends_on": forms.DateInput(attrs={"type": "date"})}
        labels = {"title_en": _("Title (English)"), "title_zh_hant": _("Title (Traditional Chinese)"),
                  "title_zh_hans": _("Title (Simplified Chinese)")}


class ItemForm(forms.ModelForm):
    """An item and its link to live activity: a metric, optionally narrowed to calls and a year."""

    metric_code = forms.ChoiceField(label=_("Linked activity"), required=False)
    calls = forms.ModelMultipleChoiceField(
        label=_("Only these calls"), queryset=Call.objects.none(), required=False,
        help_text=_("For funding metrics: count only these calls. Leave empty for all."))
    year = forms.IntegerField(label=_("Only this year"), required=False, min_value=1990, max_value=2100)

    class Meta:
        model = WorkplanItem
        fields = ["area", "number", "text_en", "text_zh_hant", "text_zh_hans", "owner", "metric_code", "target",
                  "source_url"]
        help_texts = {"target": _("The value of the linked activity that counts as done, e.g. 10 projects.")}
        widgets = {f"text_{x}": forms.Textarea(attrs={"rows": 2}) for x in ("en", "zh_hant", "zh_hans")}
        labels = {"text_en": _("Item (English)"), "text_zh_hant": _("Item (Traditional Chinese)"),
                  "text_zh_hans": _("Item (Simplified Chinese)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = CooperationArea.objects.all()
        self.fields["metric_code"].choices = [("", _("— not linked —")), *metrics.choices()]
        self.fields["calls"].queryset = Call.objects.order_by("-opens_at")
        self.fields["calls"].widget.attrs["size"] = 6
        self.fields["text_en"].required = True
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
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
