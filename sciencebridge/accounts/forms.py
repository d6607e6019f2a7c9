from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from sciencebridge.institutions.models import Institution

from .models import User


class RegistrationForm(UserCreationForm):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.exclude(type="agency").order_by("region", "name"),
        help_text=_("Your employer; it decides which side of a joint proposal you lead."),
    )

    class Meta:
        model = User
        fields = ("username", "email", "first_name", "last_name", "name_zh", "title", "department", "institution")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("first_name", "last_name", "name_zh", "title", "department", "preferred_language")
        widgets = {"preferred_language": forms.Select(choices=[("en", "English"), ("zh-hant", "繁體中文"),
                                                                ("zh-hans", "简体中文")])}
