from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import NOTE_MAX, RemittanceState


def _date(label, help_text=""):
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=help_text,
    )


def _amount(label):
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0)


class InstructForm(forms.Form):
    amount = _amount(_("Amount to remit (RMB)"))
    instructed_on = _date(_("Instructed on"))


class RemitForm(forms.Form):
    remitted_on = _date(_("Remitted on"))
    amount = _amount(_("Amount remitted (RMB)"))
    bank_reference = forms.CharField(
        label=_("Bank reference"),
        max_length=60,
        help_text=_("The bank's reference of the transfer; each reference is posted once."),
    )


class ReceiptForm(forms.Form):
    received_on = _date(_("Received on"))
    amount = _amount(_("Amount received (HKD)"))


class UseForm(forms.Form):
    note = forms.CharField(
        label=_("How the funds were used in Hong Kong"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX,
    )
    reported_on = _date(_("Reported on"))


class ReconcileForm(forms.Form):
    note = forms.CharField(
        label=_("Explanation of the difference"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
    )


class LedgerFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All"))] + list(RemittanceState.choices), required=False
    )
    flagged = forms.BooleanField(label=_("To reconcile only"), required=False)
