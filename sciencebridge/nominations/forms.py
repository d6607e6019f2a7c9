from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NominationExercise, TargetDatabase


class NominationForm(forms.Form):
    exercise = forms.ModelChoiceField(
        label=_("Exercise"), queryset=NominationExercise.objects.none()
    )
    email = forms.EmailField(label=_("Expert's e-mail address"))
    database = forms.ChoiceField(label=_("Database"), choices=TargetDatabase.choices)
    society = forms.CharField(label=_("CAST national society"), required=False, max_length=200)
    statement = forms.CharField(
        label=_("Grounds for the nomination"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, exercises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises


class BatchForm(forms.Form):
    exercise = forms.ModelChoiceField(
        label=_("Exercise"), queryset=NominationExercise.objects.none()
    )
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Columns: email, database (programmes, awards or cast), society, statement."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, exercises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises
