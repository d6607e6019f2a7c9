"""Registration that does not tell anyone which e-mail addresses have accounts.

Every valid registration gets the same answer ("we sent you a message"). A new address gets an
activation link; the account stays inactive (cannot log in) until it is followed. An address that
already has an account gets a message saying so, with the log-in and password-reset links; nothing is
created and the form shows nothing different. People log in with their e-mail address, so there is
no username to choose (and none to probe): one is derived from the address.
"""

import re

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from sciencebridge.core.notify import notify

from ..models import User
from ..roles import Role
from ..tokens import activation_token
from . import affiliations


def unique_username(email: str) -> str:
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0].lower())[:30] or "user"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def activation_link(user, next_url: str = "") -> str:
    path = reverse(
        "accounts:activate",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), activation_token.make_token(user)],
    )
    return settings.SITE_URL + path + (f"?{urlencode({'next': next_url})}" if next_url else "")


def register(form, next_url: str = "") -> User | None:
    """Create an inactive account and e-mail its activation link, or tell the owner of an existing
    address. Returns the new user (None when the address was taken); callers must not show the difference."""
    email = form.cleaned_data["email"]
    institution = form.cleaned_data.get("institution")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = form.save(commit=False)
                user.email = email
                user.username = unique_username(email)
                user.is_active = False
                user.save()
                user.grant_role(Role.APPLICANT)
                if institution is not None:
                    affiliations.request_affiliation(user, institution, send_link=False)
        except IntegrityError:  # the same address registered at the same moment
            existing = User.objects.filter(email__iexact=email).first()
        else:
            notify(
                email,
                _("Activate your ScienceBridge account"),
                "accounts/email/activate.txt",
                {
                    "user": user,
                    "link": activation_link(user, next_url),
                    "institution": institution,
                    "domain_verifies": bool(institution and institution.owns_email(email)),
                    "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
                },
            )
            return user
    make_password(form.cleaned_data["password1"])  # the same hashing work as a new account
    if existing is not None:
        tell_existing_owner(existing, next_url)
    return None


def tell_existing_owner(user, next_url: str = "") -> None:
    site = settings.SITE_URL
    notify(
        user.email,
        _("You already have a ScienceBridge account"),
        "accounts/email/already_registered.txt",
        {
            "user": user,
            "login": site + reverse("accounts:login"),
            "reset": site + reverse("accounts:password_reset"),
            "activate": activation_link(user, next_url)
            if not user.is_active and user.last_login is None
            else "",
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        },
    )
