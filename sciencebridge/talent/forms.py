from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApplicationState, Posting, ProgrammeCall, ProgrammeKind


class PostingFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Programme kind"),
        required=False,
        choices=[("", _("All kinds")), *ProgrammeKind.choices],
    )
    region = forms.ChoiceField(
        label=_("Hosted in"),
        required=False,
        choices=[("", _("Anywhere")), ("HK", _("Hong Kong")), ("ML", _("Mainland"))],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class ExchangeFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[
            ("", _("Both directions")),
            ("HK-ML", _("From Hong Kong to the Mainland")),
            ("ML-HK", _("From the Mainland to Hong Kong")),
        ],
    )
    year = forms.IntegerField(label=_("Year ended"), required=False, min_value=2000, max_value=2100)


class PostingForm(forms.ModelForm):
    class Meta:
        model = Posting
        fields = [
            "call",
            "title_en",
            "title_zh_hant",
            "title_zh_hans",
            "description_en",
            "description_zh_hant",
            "description_zh_hans",
            "keywords",
            "duration_months",
            "positions",
        ]
        labels = {
            "title_en": _("Title (English)"),
            "title_zh_hant": _("Title (Traditional Chinese)"),
            "title_zh_hans": _("Title (Simplified Chinese)"),
            "description_en": _("Description (English)"),
            "description_zh_hant": _("Description (Traditional Chinese)"),
            "description_zh_hans": _("Description (Simplified Chinese)"),
        }
        widgets = {
            f"description_{lang}": forms.Textarea(attrs={"rows": 4})
            for lang in ("en", "zh_hant", "zh_hans")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.now()
        self.fields["call"].queryset = ProgrammeCall.objects.select_related("programme").filter(
            opens_at__lte=now, closes_at__gt=now
        )
        self.fields["duration_months"].widget.attrs["min"] = 1
        self.fields["positions"].widget.attrs["min"] = 1


class ApplicationForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why this exchange, and what you will do there."),
    )
    cv = forms.FileField(label=_("CV (PDF)"), required=True)
    plan = forms.FileField(label=_("Exchange plan (PDF, optional)"), required=False)


class DecisionForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ApplicationState.SHORTLISTED, _("Shortlist")),
            (ApplicationState.SELECTED, _("Select")),
            (ApplicationState.NOT_SELECTED, _("Not selected")),
        ],
    )
    starts_on = forms.DateField(
        label=_("Exchange starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Exchange ends"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
