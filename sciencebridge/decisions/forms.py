from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from sciencebridge.accounts.roles import Role

from .models import Recommendation


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices[1:], widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Discussion notes"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    conditions = forms.CharField(
        label=_("Conditions (for “fund with conditions”)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision for this side"),
        widget=forms.RadioSelect,
        choices=[("fund", _("Fund")), ("decline", _("Do not fund"))],
    )
    amount = forms.CharField(
        label=_("Amount awarded"),
        required=False,
        help_text=_("In this side's currency; required to fund."),
    )
    conditions = forms.CharField(
        label=_("Conditions of award"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Reason (recorded in the timeline)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Reason for deciding before the gates open (override)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required while a gate above is still closed; recorded on the timeline."),
    )

    def __init__(self, *args, override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not override:
            del self.fields["override_reason"]


class ChairForm(forms.Form):
    chair = forms.ModelChoiceField(label=_("Panel chair"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.PANEL_CHAIR, is_active=True)
            .order_by("last_name", "first_name")
        )
