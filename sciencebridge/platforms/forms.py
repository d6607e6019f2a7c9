from django import forms
from django.utils.translation import gettext_lazy as _

from sciencebridge.institutions.models import Institution

from .models import FacilityKind, InnoHKCluster, PlatformKind, PlatformStatus


class PlatformFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *PlatformKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *PlatformStatus.choices]
    )
    cluster = forms.ChoiceField(
        label=_("InnoHK cluster"),
        required=False,
        choices=[("", _("Any cluster")), *InnoHKCluster.choices],
    )
    host = forms.ModelChoiceField(
        label=_("Host institution"),
        required=False,
        to_field_name="code",
        queryset=Institution.objects.filter(hosted_platforms__isnull=False).distinct(),
        empty_label=_("Any host"),
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class FacilityFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *FacilityKind.choices]
    )
    region = forms.ChoiceField(
        label=_("Located in"),
        required=False,
        choices=[("", _("Anywhere")), ("HK", _("Hong Kong")), ("ML", _("Mainland"))],
    )


class CrossBoundaryFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[
            ("", _("Both directions")),
            ("HK-ML", _("Hong Kong teams on Mainland facilities")),
            ("ML-HK", _("Mainland teams on Hong Kong facilities")),
        ],
    )


class AllocationRequestForm(forms.Form):
    project_reference = forms.CharField(label=_("Approved project's reference"), max_length=60)
    hours_requested = forms.DecimalField(
        label=_("Hours requested"), min_value=0, max_digits=10, decimal_places=2
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    hours_approved = forms.DecimalField(
        label=_("Hours approved (quota)"), required=False, max_digits=10, decimal_places=2
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class BookingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class UsageForm(forms.Form):
    hours = forms.DecimalField(label=_("Hours used"), max_digits=10, decimal_places=2)
    used_on = forms.DateField(label=_("Used on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class NamePersonForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"), max_length=254)
    coordinator = forms.BooleanField(
        label=_("Coordinator (names people, cancels any booking)"), required=False
    )
