from django import forms
from django.utils.translation import gettext_lazy as _

from .models import REASONS_MAX_CHARS


class RequestForm(forms.Form):
    # Not required here: the service says what is missing, in its own words, and the form keeps the text.
    reasons = forms.CharField(
        label=_("Why the half should be found eligible"),
        required=False,
        max_length=REASONS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Required. Answer the screening reason point by point."),
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("reverse", _("Reverse: the half is eligible and returns to review")),
            ("uphold", _("Uphold the ineligibility")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (the applicant reads it)"),
        required=False,
        max_length=REASONS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASONS_MAX_CHARS)
