"""Forms of the sample-export and dataset pages (the services check every rule again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sciencebridge.institutions.models import Institution, InstitutionType, Region

from .dataset_options import classifications, licences
from .models_datasets import DatasetAccess, HeldIn
from .models_samples import HgrApplicationState, PilotUnit, SampleKind, TransferReview

DATE = forms.DateInput(attrs={"type": "date"})


class ExportForm(forms.Form):
    pilot_unit = forms.ModelChoiceField(label=_("Pilot unit"), queryset=PilotUnit.objects.none())
    recipient = forms.ModelChoiceField(
        label=_("Recipient in Hong Kong"),
        queryset=Institution.objects.filter(region=Region.HONG_KONG).exclude(
            type=InstitutionType.AGENCY
        ),
    )
    project = forms.ModelChoiceField(
        label=_("Project"), required=False, queryset=Institution.objects.none()
    )
    sample_kind = forms.ChoiceField(label=_("Kind of sample"), choices=SampleKind.choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10_000_000)
    unit = forms.CharField(label=_("Unit"), max_length=40, initial=_("samples"))
    purpose = forms.CharField(
        label=_("Purpose"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. storage, destruction after analysis, no onward transfer."),
    )

    def __init__(self, *args, user, projects, **kw):
        super().__init__(*args, **kw)
        self.fields["pilot_unit"].queryset = PilotUnit.objects.filter(
            institution_id=user.institution_id, active=True
        ).select_related("institution")
        self.fields[
            "pilot_unit"
        ].empty_label = None  # one's own institution's unit: nothing to choose
        self.fields["project"].queryset = projects


class ApprovalForm(forms.Form):
    approval_reference = forms.CharField(label=_("Approval reference"), max_length=100)
    approval_date = forms.DateField(label=_("Approval date"), widget=DATE)
    approved_quantity = forms.IntegerField(
        label=_("Quantity approved"),
        required=False,
        min_value=1,
        max_value=10_000_000,
        help_text=_("Leave empty: the quantity asked for."),
    )
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    conditions = forms.CharField(
        label=_("Conditions of the approval"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransferForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10_000_000)
    shipped_on = forms.DateField(label=_("Shipping date"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class ExportFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *HgrApplicationState.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind of sample"), required=False, choices=[("", _("All")), *SampleKind.choices]
    )
    review = forms.ChoiceField(
        label=_("Transfers"), required=False, choices=[("", _("All")), *TransferReview.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class DatasetForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=Institution.objects.none())
    title = forms.CharField(label=_("Dataset"), max_length=300)
    description = forms.CharField(
        label=_("What it contains"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    holder = forms.ModelChoiceField(
        label=_("Held by"), queryset=Institution.objects.exclude(type=InstitutionType.AGENCY)
    )
    held_in = forms.ChoiceField(label=_("Held in"), choices=HeldIn.choices)
    location = forms.CharField(
        label=_("Where held"),
        max_length=300,
        help_text=_("The repository, server or service, e.g. “HKU DataHub” or “SIAT cluster”."),
    )
    licence = forms.ChoiceField(label=_("Licence"), choices=())
    licence_note = forms.CharField(label=_("Licence details"), required=False, max_length=500)
    access = forms.ChoiceField(label=_("Who may access"), choices=DatasetAccess.choices)
    access_institutions = forms.ModelMultipleChoiceField(
        label=_("Institutions with access"),
        required=False,
        queryset=Institution.objects.exclude(type=InstitutionType.AGENCY),
    )
    classification = forms.ChoiceField(label=_("Classification"), choices=())
    size_note = forms.CharField(label=_("Size"), required=False, max_length=100)

    def __init__(self, *args, projects, **kw):
        super().__init__(*args, **kw)
        self.fields["project"].queryset = projects
        self.fields["licence"].choices = licences()
        self.fields["classification"].choices = classifications()


class DatasetFilterForm(forms.Form):
    classification = forms.ChoiceField(label=_("Classification"), required=False, choices=())
    held_in = forms.ChoiceField(
        label=_("Held in"), required=False, choices=[("", _("All")), *HeldIn.choices]
    )
    project = forms.CharField(label=_("Project reference"), required=False, max_length=40)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["classification"].choices = [("", _("All")), *classifications()]
