from django import forms
from django.utils.translation import gettext_lazy as _


class ExclusionForm(forms.Form):
    """One expert to avoid. Blank rows are skipped; the service checks the name, the reason and the
    scheme's maximum, so the page keeps every row typed when it refuses them."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    institution = forms.CharField(label=_("Institution (optional)"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address (optional)"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ExclusionFormSet = forms.formset_factory(
    ExclusionForm, extra=0, max_num=50, absolute_max=50, validate_max=False
)


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the override"),
        max_length=2000,
        required=False,  # the service gives the message, the same one the API returns
        widget=forms.Textarea(attrs={"rows": 2}),
    )
