from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sciencebridge.classification.models import DisciplineCode
from sciencebridge.classification.widgets import DisciplinePicker
from sciencebridge.core.short_choices import ShortModelChoiceField
from sciencebridge.core.widgets import QuickSelect
from sciencebridge.institutions.models import Institution, InstitutionType, Region

from .models import (
    AvailabilityWindow,
    DeclaredConflict,
    ExpertProfile,
    ExpertStatus,
    Publication,
    ReviewRecord,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _institutions():
    return Institution.objects.exclude(type=InstitutionType.AGENCY)


class ProfileForm(forms.ModelForm):
    discipline_codes = forms.ModelMultipleChoiceField(
        queryset=DisciplineCode.objects.none(),
        required=False,
        label=_("Discipline codes"),
        widget=DisciplinePicker(),
    )

    class Meta:
        model = ExpertProfile
        fields = [
            "name_en",
            "name_zh",
            "email",
            "region",
            "institution",
            "department",
            "title",
            "discipline_codes",
            "keywords",
            "languages",
            "orcid",
            "consent_to_contact",
        ]
        widgets = {"keywords": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = _institutions()
        self.fields["institution"].required = True
        self.fields["discipline_codes"].queryset = DisciplineCode.objects.select_related(
            "scheme"
        ).filter(level__lte=2)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ApplyForm(ProfileForm):
    class Meta(ProfileForm.Meta):
        pass


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name, keyword or paper topic")}),
    )
    discipline = forms.CharField(
        label=_("Discipline code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"size": 8, "placeholder": "F02"}),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", "—"), *Region.choices],
        widget=QuickSelect,
    )
    institution = ShortModelChoiceField(
        label=_("Institution"), required=False, queryset=Institution.objects.none()
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "—"), *ExpertStatus.choices],
        widget=QuickSelect,
    )
    available = forms.DateField(label=_("Available on"), required=False, widget=DATE)

    def __init__(self, *args, show_status=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = _institutions()
        if not show_status:
            del self.fields["status"]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ExpertStatus.ADMITTED, _("Admit")),
            (ExpertStatus.REJECTED, _("Reject")),
            (ExpertStatus.SUSPENDED, _("Suspend")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["title", "year", "venue", "coauthors", "doi", "abstract"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 3}), "coauthors": forms.TextInput()}


class PublicationFileForm(forms.Form):
    FORMATS = [("bibtex", _("BibTeX (.bib)")), ("orcid", _("ORCID record (.json)"))]
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f


class ConflictForm(forms.ModelForm):
    class Meta:
        model = DeclaredConflict
        fields = ["person_name", "person_email", "institution", "reason", "until"]
        widgets = {"until": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = _institutions()


class AvailabilityForm(forms.ModelForm):
    class Meta:
        model = AvailabilityWindow
        fields = ["kind", "start", "end", "note"]
        widgets = {"start": DATE, "end": DATE}


class ReviewRecordForm(forms.ModelForm):
    class Meta:
        model = ReviewRecord
        fields = ["scheme", "year", "count", "note"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel (.xlsx) file"))
    status = forms.ChoiceField(
        label=_("Imported experts start as"),
        initial=ExpertStatus.ADMITTED,
        choices=[
            (ExpertStatus.ADMITTED, _("Admitted (already vetted elsewhere)")),
            (ExpertStatus.APPLIED, _("Applied (to be vetted here)")),
        ],
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = f.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        limit = getattr(settings, "EXPERTS_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
        if f.size > limit:
            raise forms.ValidationError(_("The file is too large."))
        return f


class FindExpertsForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    text = forms.CharField(
        label=_("Abstract or description"), widget=forms.Textarea(attrs={"rows": 8})
    )
    call = forms.ModelChoiceField(
        label=_("Call"),
        required=False,
        queryset=None,
        help_text=_("The call's scheme decides which avoidance rules apply."),
    )
    discipline_codes = forms.CharField(
        label=_("Discipline codes"),
        required=False,
        help_text=_("Optional, separated by spaces, e.g. F0201 520"),
    )
    institution = forms.ModelChoiceField(
        label=_("Applicant institution"), required=False, queryset=None
    )
    department = forms.CharField(label=_("Applicant department"), required=False, max_length=200)
    team = forms.CharField(
        label=_("Team members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, e.g. Chan Tai Man <tm.chan@example.edu.hk>"),
    )
    avoid = forms.CharField(
        label=_("Experts the applicant asked to avoid"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names or e-mails, one per line."),
    )
    region = forms.ChoiceField(
        label=_("Expert region"), required=False, choices=[("", "—"), *Region.choices]
    )
    available_on = forms.DateField(label=_("Available on"), required=False, widget=DATE)
    hide_conflicted = forms.BooleanField(label=_("Hide conflicted experts"), required=False)
    limit = forms.IntegerField(
        label=_("How many"), min_value=1, max_value=100, initial=20, required=False
    )
    model = forms.ChoiceField(
        label=_("Text model"),
        required=False,
        help_text=_("Blank: the call's model if a call is chosen, else the platform default."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from sciencebridge.funding.models import Call

        from . import matching_adapter

        self.fields["call"].queryset = Call.objects.select_related("scheme").order_by("-opens_at")
        self.fields["institution"].queryset = _institutions()
        self.fields["model"].choices = [("", "—"), *matching_adapter.model_choices()]
