from django import forms
from django.utils.translation import gettext_lazy as _

from sciencebridge.platforms.models import Platform

from .models import LabProgramme


class GrantForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=LabProgramme.objects.none())
    platform = forms.ModelChoiceField(
        label=_("Laboratory"),
        queryset=Platform.objects.filter(kind__in=["skl", "cnerc_branch"], status="active"),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("Grant (HKD)"), max_digits=14, decimal_places=2, min_value=0
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        agency = getattr(user, "agency_id", None)
        self.fields["programme"].queryset = LabProgramme.objects.filter(funder_id=agency)


class ReportForm(forms.Form):
    work_plan = forms.FileField(
        label=_("Work plan (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )
    financial_report = forms.FileField(
        label=_("Financial report (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )
    expenditure = forms.DecimalField(
        label=_("Grant money spent (HKD)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=0,
    )
    matching = forms.DecimalField(
        label=_("University matching contribution (HKD)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=0,
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
