from django import forms
from django.utils.translation import gettext_lazy as _
from djmoney.forms.fields import MoneyField

from sciencebridge.classification.models import DisciplineCode
from sciencebridge.core.content_languages import add_conversion_controls

from .models import (
    DEAL_CURRENCIES,
    DealState,
    Field,
    IPStatus,
    OfferType,
    SearchTarget,
    TechnologyNeed,
    TechnologyOffer,
)


def _code_field():
    return forms.ModelMultipleChoiceField(
        queryset=DisciplineCode.objects.none(),
        required=False,
        label=_("Discipline codes"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


def _code_choices(field):
    codes = (
        DisciplineCode.objects.select_related("scheme")
        .filter(level__lte=2)
        .order_by("scheme__code", "code")
    )
    field.queryset = codes
    groups: dict[str, list] = {}
    for c in codes:  # one option group per classification (NSFC, RGC panels, GB/T)
        groups.setdefault(c.scheme.name, []).append((c.pk, f"{c.code} {c.name}"))
    field.choices = list(groups.items())


class OfferForm(forms.ModelForm):
    offer_types = forms.MultipleChoiceField(
        label=_("What is offered"),
        choices=OfferType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )  # checked by the service, with the other rules, so every error shows at once
    discipline_codes = _code_field()

    class Meta:
        model = TechnologyOffer
        fields = [
            "title_en",
            "title_zh_hant",
            "title_zh_hans",
            "summary_en",
            "summary_zh_hant",
            "summary_zh_hans",
            "field",
            "discipline_codes",
            "keywords",
            "trl",
            "ip_status",
            "ip_jurisdiction",
            "ip_reference",
            "offer_types",
            "visibility",
            "details",
            "contact_name",
            "contact_email",
        ]
        labels = {
            "title_en": _("Title (English)"),
            "title_zh_hant": _("Title (Traditional Chinese)"),
            "title_zh_hans": _("Title (Simplified Chinese)"),
            "summary_en": _("Plain-language summary (English)"),
            "summary_zh_hant": _("Plain-language summary (Traditional Chinese)"),
            "summary_zh_hans": _("Plain-language summary (Simplified Chinese)"),
        }
        widgets = {
            "summary_en": forms.Textarea(attrs={"rows": 4}),
            "summary_zh_hant": forms.Textarea(attrs={"rows": 3}),
            "summary_zh_hans": forms.Textarea(attrs={"rows": 3}),
            "details": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title_en", "summary_en", "contact_name", "contact_email"):
            self.fields[name].required = False
        self.fields["summary_en"].help_text = _(
            "What it does and for whom, without confidential detail. Shown publicly."
        )
        self.fields["keywords"].help_text = _("Separated by commas.")
        _code_choices(self.fields["discipline_codes"])
        if self.instance.pk:
            self.initial.setdefault("offer_types", self.instance.offer_types)
        add_conversion_controls(self)


class NeedForm(forms.ModelForm):
    discipline_codes = _code_field()
    alert_me = forms.BooleanField(
        label=_("E-mail me new matching offers"), required=False, initial=True
    )

    class Meta:
        model = TechnologyNeed
        fields = [
            "title_en",
            "title_zh_hant",
            "title_zh_hans",
            "description_en",
            "description_zh_hant",
            "description_zh_hans",
            "field",
            "discipline_codes",
            "keywords",
        ]
        labels = {
            "title_en": _("Title (English)"),
            "title_zh_hant": _("Title (Traditional Chinese)"),
            "title_zh_hans": _("Title (Simplified Chinese)"),
            "description_en": _("The challenge (English)"),
            "description_zh_hant": _("The challenge (Traditional Chinese)"),
            "description_zh_hans": _("The challenge (Simplified Chinese)"),
        }
        widgets = {
            f"description_{lang}": forms.Textarea(attrs={"rows": 4})
            for lang in ("en", "zh_hant", "zh_hans")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keywords"].help_text = _("Separated by commas.")
        _code_choices(self.fields["discipline_codes"])


class OfferSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    field = forms.ChoiceField(
        label=_("Field"), required=False, choices=[("", _("Any")), *Field.choices]
    )
    trl_min = forms.TypedChoiceField(
        label=_("Readiness at least"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any"))] + [(str(i), f"TRL {i}") for i in range(1, 10)],
    )
    offer_type = forms.ChoiceField(
        label=_("Offered as"), required=False, choices=[("", _("Any")), *OfferType.choices]
    )
    ip_status = forms.ChoiceField(
        label=_("IP status"), required=False, choices=[("", _("Any")), *IPStatus.choices]
    )


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the technology owner"), widget=forms.Textarea(attrs={"rows": 4})
    )
    need = forms.ModelChoiceField(
        label=_("For our need"), queryset=TechnologyNeed.objects.none(), required=False
    )

    def __init__(self, *args, needs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if needs is not None:
            self.fields["need"].queryset = needs


class NdaForm(forms.Form):
    signer_name = forms.CharField(label=_("Full name of signatory"), max_length=200)
    signer_title = forms.CharField(label=_("Position of signatory"), max_length=200, required=False)
    accept = forms.BooleanField(
        label=_("I accept these confidentiality terms on behalf of my enterprise"), required=False
    )


class DealMoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=DealState.choices)
    reason = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    value = MoneyField(
        label=_("Value of the agreement"),
        max_digits=14,
        decimal_places=2,
        required=False,
        currency_choices=DEAL_CURRENCIES,
    )
    concluded_on = forms.DateField(
        label=_("Agreement signed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    terms = forms.CharField(
        label=_("Main terms"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, moves=(), currency="HKD", **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DealState.choices)
        self.fields["to"].choices = [(m, labels[m]) for m in moves]
        choices = sorted(DEAL_CURRENCIES, key=lambda c: c[0] != currency)
        self.fields["value"].fields[1].choices = choices
        self.fields["value"].widget.widgets[1].choices = choices


class SavedSearchForm(forms.Form):
    target = forms.ChoiceField(label=_("Look for"), choices=SearchTarget.choices)
    query = forms.CharField(label=_("Describe what you are looking for"), max_length=500)
    field = forms.ChoiceField(
        label=_("Field"), required=False, choices=[("", _("Any")), *Field.choices]
    )
    email_alerts = forms.BooleanField(
        label=_("E-mail me new matches"), required=False, initial=True
    )
