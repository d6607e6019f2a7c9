from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from sciencebridge.institutions.models import Institution

from .models import User


def institution_choices():
    return Institution.objects.exclude(type="agency").order_by("region", "name")


class RegistrationForm(BaseUserCreationForm):
    """No username and no uniqueness check on the address: whether an address has an account is told
    only to its owner, by e-mail (services.registration)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "You log in with it. Use your institution's address: it verifies "
            "your affiliation at once."
        ),
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=institution_choices(),
        required=False,
        help_text=_(
            "Your employer; it decides which side of a joint proposal you lead. It counts once verified: "
            "by your institutional e-mail address or by its research office."
        ),
    )
    field_order = [
        "email",
        "first_name",
        "last_name",
        "name_zh",
        "title",
        "department",
        "institution",
        "password1",
        "password2",
    ]

    class Meta:
        model = User
        fields = ("first_name", "last_name", "name_zh", "title", "department")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["email"].widget.attrs["autofocus"] = True

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def _post_clean(self):
        # The password validators compare the password with the address and names.
        self.instance.email = self.cleaned_data.get("email", "")
        super()._post_clean()


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address or username")
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254


class AffiliationRequestForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=institution_choices())


class AffiliationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a rejection; the person reads it."),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("first_name", "last_name", "name_zh", "title", "department", "preferred_language")
        widgets = {
            "preferred_language": forms.Select(
                choices=[("en", "English"), ("zh-hant", "繁體中文"), ("zh-hans", "简体中文")]
            )
        }
