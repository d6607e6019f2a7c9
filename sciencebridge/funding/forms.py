from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from djmoney.forms.fields import MoneyField

from sciencebridge.classification.models import DisciplineCode
from sciencebridge.classification.widgets import DisciplinePicker
from sciencebridge.core.widgets import QuickSelect
from sciencebridge.institutions.models import Institution

from .models import (
    BudgetCategory,
    HalfState,
    JointProposal,
    ProposalHalf,
    RequiredAttachment,
    TeamRole,
    validate_positive_amount,
)


class ProposalForm(forms.ModelForm):
    class Meta:
        model = JointProposal
        fields = ["title", "abstract", "plan", "project_type", "area", "duration_months"]
        widgets = {
            "abstract": forms.Textarea(attrs={"rows": 6}),
            "plan": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_type"].queryset = call.scheme.project_types.all()
        themes = call.themes.all()
        self.fields["area"].queryset = themes if themes.exists() else call.scheme.areas.all()
        self.fields["duration_months"].help_text = _("At most %(n)d months.") % {
            "n": call.scheme.max_duration_months
        }
        for name in ("abstract", "plan"):  # the limit is stated, not only enforced
            self.fields[name].help_text = _("At most %(n)s characters.") % {
                "n": f"{JointProposal._meta.get_field(name).max_length:,}"
            }


class HalfDetailsForm(forms.ModelForm):
    discipline_codes = forms.ModelMultipleChoiceField(
        queryset=DisciplineCode.objects.none(),
        required=False,
        label=_("Discipline codes"),
        widget=DisciplinePicker(),
    )

    class Meta:
        model = ProposalHalf
        fields = ["keywords", "discipline_codes", "industry_sponsorship"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = (
            DisciplineCode.objects.select_related("scheme")
            .filter(level__lte=2)
            .order_by("scheme__code", "code")
        )
        self.fields["discipline_codes"].queryset = codes
        groups: dict[str, list] = {}
        for c in codes:  # one option group per classification (NSFC, RGC panels, GB/T)
            groups.setdefault(c.scheme.name, []).append((c.pk, f"{c.code} {c.name}"))
        self.fields["discipline_codes"].choices = list(groups.items())
        if self.instance.side != "HK":
            del self.fields["industry_sponsorship"]
        else:
            self.fields["industry_sponsorship"].label = _("Industry sponsorship (HKD)")


CURRENCY_LABELS = {"HKD": "HKD", "CNY": "RMB (CNY)"}


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *BudgetCategory.choices])
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    amount = MoneyField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        currency_choices=list(CURRENCY_LABELS.items()),
        validators=[validate_positive_amount],
    )

    def __init__(self, *args, currency="HKD", **kwargs):
        super().__init__(*args, **kwargs)
        # The side's own currency first; another one can still be picked and is then refused with a reason.
        choices = sorted(CURRENCY_LABELS.items(), key=lambda c: c[0] != currency)
        self.fields["amount"].fields[1].choices = choices
        self.fields["amount"].widget.widgets[1].choices = choices

    def has_changed(self):
        # A blank extra row (only the currency select has a value) is not a budget line.
        return any(
            self.data.get(self.add_prefix(n)) for n in ("category", "description", "amount_0")
        )


BudgetFormSet = formset_factory(BudgetLineForm, extra=2, can_delete=True)


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[c for c in TeamRole.choices if c[0] != TeamRole.PI]
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        regions = [region] if isinstance(region, str) else list(region)
        self.fields["institution"].queryset = Institution.objects.filter(
            region__in=regions
        ).exclude(type="agency")


class AttachmentForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Document"), queryset=RequiredAttachment.objects.none())
    file = forms.FileField(label=_("PDF file"))

    def __init__(self, *args, half, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = RequiredAttachment.objects.filter(
            scheme=half.proposal.call.scheme, side__in=["", half.side]
        )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Partner lead's e-mail"))
    institution = forms.ModelChoiceField(
        label=_("Partner institution"), queryset=Institution.objects.none()
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.exclude(type="agency").order_by(
            "region", "name"
        )
        self.fields["institution"].help_text = _(
            "The partner lead's institution on the other side."
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class EndorseForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("endorse", _("Endorse")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ScreenForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("eligible", _("Eligible")), ("ineligible", _("Ineligible"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect)
    area = forms.ChoiceField(label=_("Area"), required=False, widget=QuickSelect)
    institution = forms.ChoiceField(label=_("Institution"), required=False, widget=QuickSelect)
    discipline = forms.CharField(label=_("Discipline code"), required=False, max_length=20)

    def __init__(self, *args, areas, institutions, **kwargs):
        """``areas``, ``institutions``: (value, name) choices of the call's areas and of the
        institutions of the halves the officer's agency received (``officer_list.filter_choices``)."""
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any"))] + [
            c for c in HalfState.choices if c[0] not in ("draft", "returned", "lapsed")
        ]
        self.fields["area"].choices = [("", _("Any")), *areas]
        self.fields["institution"].choices = [("", _("Any")), *institutions]


def officer_filter_choices(call, institution_ids) -> tuple[list, list]:
    """The choices of ``OfficerFilterForm`` for ``call``, in the page's language: its themes (else
    its scheme's areas), and the institutions of ``institution_ids``."""
    themes = call.themes.all() or call.scheme.areas.all()
    institutions = Institution.objects.filter(pk__in=institution_ids)
    return [(str(a.pk), a.name) for a in themes], [(str(i.pk), str(i)) for i in institutions]


class EligibilityProfileForm(forms.ModelForm):
    class Meta:
        from .models import EligibilityProfile

        model = EligibilityProfile
        fields = ["date_of_birth", "sex", "employment_type", "career_stage", "months_in_region"]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def clean_months_in_region(self):
        months = self.cleaned_data.get("months_in_region")
        if months is not None and months > 12:
            raise forms.ValidationError(_("A year has 12 months."))
        return months


class NationalScreenForm(ScreenForm):
    declarations_verified = forms.BooleanField(
        label=_("I have verified the applicant's declarations and evidence"), required=False
    )
