from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciencebridge.platforms.models import Booking
from sciencebridge.projects.models import Project
from sciencebridge.transfer.models import Deal

from .models import AgreementState, DataTransferAgreement, GBALocation
from .rules import reads_all

FORM_FIELDS = [
    "title",
    "project",
    "booking",
    "deal",
    "processor_institution",
    "processor_location",
    "recipient_institution",
    "recipient_individual",
    "recipient_location",
    "purpose",
    "processing_method",
    "pi_categories",
    "sensitive_pi",
    "sensitive_pi_categories",
    "volume",
    "retention_months",
    "consent_basis",
    "security_measures",
    "onward_transfer",
    "onward_transfer_detail",
    "piia_date",
    "effective_date",
    "supplementary_terms",
]


class AgreementForm(forms.ModelForm):
    recipient_contact_email = forms.EmailField(
        label=_("Recipient's signatory (e-mail)"),
        required=False,
        help_text=_("The person at the recipient who accepts the contract; they need an account."),
    )
    piia_file = forms.FileField(
        label=_("Impact assessment (PDF)"),
        required=False,
        help_text=_(
            "The simplified personal information protection impact assessment, done beforehand."
        ),
    )

    class Meta:
        model = DataTransferAgreement
        fields = FORM_FIELDS
        widgets = {
            "piia_date": forms.DateInput(attrs={"type": "date"}),
            "effective_date": forms.DateInput(attrs={"type": "date"}),
            **{
                f: forms.Textarea(attrs={"rows": 3})
                for f in (
                    "purpose",
                    "processing_method",
                    "pi_categories",
                    "sensitive_pi_categories",
                    "security_measures",
                    "supplementary_terms",
                )
            },
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        every = user is not None and reads_all(user)
        projects = Project.objects.order_by("reference")
        bookings = Booking.objects.select_related("facility").order_by("-starts_at")
        deals = Deal.objects.select_related("offer").order_by("-id")
        if not every:
            projects = projects.filter(sides__lead=user).distinct()
            bookings = bookings.filter(booked_by=user)
            deals = deals.filter(Q(contact=user) | Q(offer__owner=user))
        self.fields["project"].queryset = projects
        self.fields["booking"].queryset = bookings
        self.fields["deal"].queryset = deals
        self.fields["processor_location"].queryset = GBALocation.objects.all()
        self.fields["recipient_location"].queryset = GBALocation.objects.all()
        if self.instance.pk and self.instance.recipient_contact_id:
            self.fields["recipient_contact_email"].initial = self.instance.recipient_contact.email
        for f in ("volume", "retention_months"):
            self.fields[f].widget.attrs["min"] = 0

    def clean_recipient_contact_email(self):
        email = (self.cleaned_data.get("recipient_contact_email") or "").strip()
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _(
                    "No account has this e-mail address: ask the recipient's signatory to register first."
                )
            )
        return user

    def service_fields(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("piia_file", None)
        d["recipient_contact"] = d.pop("recipient_contact_email", None)
        return d


class FilingForm(forms.Form):
    reference = forms.CharField(label=_("Filing reference"), max_length=100)
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs={"type": "date"}))


class LogEntryForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    activity = forms.CharField(label=_("Activity"), max_length=200)
    detail = forms.CharField(
        label=_("Detail"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignedPdfForm(forms.Form):
    signed_pdf = forms.FileField(label=_("Signed contract (PDF)"))


class OversightFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *AgreementState.choices]
    )
    city = forms.ChoiceField(label=_("City"), required=False, choices=[])
    project = forms.CharField(label=_("Project reference"), required=False, max_length=40)
    overdue = forms.BooleanField(label=_("Overdue filings only"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("Every city"))] + [
            (loc.code, loc.name) for loc in GBALocation.objects.filter(in_gba=True)
        ]
