from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from djmoney.forms.fields import MoneyField

from sciencebridge.accounts.models import User

from .bounds import NOTE_MAX, REPORT_TEXT_MAX
from .models import ChangeKind, Outcome, Project, TrancheState

REPORT_HELP = format_lazy(_("At most {n} characters."), n=f"{REPORT_TEXT_MAX:,}")
NOTE_HELP = format_lazy(_("At most {n} characters."), n=f"{NOTE_MAX:,}")


class PaymentForm(forms.Form):
    """One payment. The hidden idempotency key is made when the form is shown, so submitting the
    same form twice (double click, back button, retry) records one payment."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    amount = MoneyField(label=_("Amount"), max_digits=14, decimal_places=2)
    paid_on = forms.DateField(
        label=_("Paid on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The day the money was paid: not after today, and not more than 30 days "
            "before the project started."
        ),
    )
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100, required=False)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].fields[1].choices = [(currency, currency)]
        self.fields["amount"].widget.widgets[1].choices = [(currency, currency)]


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of progress"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REPORT_TEXT_MAX,
        help_text=REPORT_HELP,
    )
    milestones = forms.CharField(
        label=_("Milestones reached"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=REPORT_TEXT_MAX,
        help_text=REPORT_HELP,
    )
    expenditure = forms.CharField(
        label=_("Expenditure to date"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=REPORT_TEXT_MAX,
        help_text=REPORT_HELP,
    )
    file = forms.FileField(
        label=_("Report (PDF)"),
        required=False,
        help_text=_("The full report as one PDF file."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept the report")), ("return", _("Return it for changes"))],
    )
    comment = forms.CharField(
        label=_("Comment to the lead"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX,
        help_text=NOTE_HELP,
    )


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of change"), choices=ChangeKind.choices)
    description = forms.CharField(
        label=_("What should change and why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX,
        help_text=NOTE_HELP,
    )
    new_end_date = forms.DateField(
        label=_("New end date"),
        required=False,
        help_text=_("Only for an extension."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    from_tranche = forms.ModelChoiceField(
        label=_("Move money from"),
        queryset=None,
        required=False,
        help_text=_("Only for a budget reallocation."),
    )
    to_tranche = forms.ModelChoiceField(label=_("Move money to"), queryset=None, required=False)
    amount = MoneyField(label=_("Amount to move"), max_digits=14, decimal_places=2, required=False)
    new_lead = forms.ModelChoiceField(
        label=_("New project lead"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Only for a team change that replaces the lead."),
    )

    def __init__(self, *args, project_side, **kwargs):
        super().__init__(*args, **kwargs)
        unpaid = project_side.tranches.exclude(state=TrancheState.PAID).order_by("number")
        self.fields["from_tranche"].queryset = unpaid
        self.fields["to_tranche"].queryset = unpaid
        cur = project_side.currency
        self.fields["amount"].fields[1].choices = [(cur, cur)]
        self.fields["amount"].widget.widgets[1].choices = [(cur, cur)]
        lead_inst = project_side.institution_id
        self.fields["new_lead"].queryset = (
            User.objects.filter(is_active=True, institution_id=lead_inst).order_by(
                "last_name", "first_name"
            )
            if lead_inst
            else User.objects.none()
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX,
        help_text=NOTE_HELP,
    )


class OutcomeForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = Outcome
        fields = [
            "kind",
            "side",
            "title",
            "description",
            "date",
            "ip_status",
            "jurisdiction",
            "application_number",
            "owner",
            "doi",
            "url",
            "count",
            "amount",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "description": NOTE_HELP,
            "ip_status": _("Patents and other IP only."),
            "doi": _("Publications only."),
            "count": _("People trained only."),
            "amount": _("Follow-on funding only."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *Project._meta.get_field("state").choices],
    )
