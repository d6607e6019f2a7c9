from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from sciencebridge.api.authentication import (
    live_token,
    revoke_tokens,
    token_expired,
    token_expires_at,
    token_lifetime,
)
from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.redirects import safe_next

from . import selectors
from .forms import AffiliationDecisionForm, AffiliationRequestForm, ProfileForm, RegistrationForm
from .models import AffiliationState, User
from .services import affiliations, registration
from .tokens import activation_token

BACKEND = "sciencebridge.accounts.backends.EmailOrUsernameBackend"


def register(request):
    if request.user.is_authenticated:
        return redirect(safe_next(request, "core:dashboard"))
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the address already has an account (see services.registration).
        registration.register(form, next_url=safe_next(request, "core:dashboard"))
        request.session["registered_email"] = form.cleaned_data["email"]
        return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


def register_done(request):
    return render(
        request,
        "accounts/register_done.html",
        {"email": request.session.get("registered_email", "")},
    )


def _user_from_uid(uidb64):
    try:
        return User.objects.filter(pk=int(force_str(urlsafe_base64_decode(uidb64)))).first()
    except (TypeError, ValueError, OverflowError):
        return None


def activate(request, uidb64, token):
    user = _user_from_uid(uidb64)
    valid = user is not None and not user.is_active and activation_token.check_token(user, token)
    if request.method == "POST" and valid:
        user.is_active = True
        user.save(update_fields=["is_active"])
        login(request, user, backend=BACKEND)
        req = affiliations.verify_by_confirmed_email(user)
        messages.success(
            request,
            _("Welcome to ScienceBridge, %(name)s. Your account is active.")
            % {"name": user.get_full_name() or user},
        )
        if req is not None:
            messages.success(
                request,
                _("Your affiliation with %(inst)s is verified by your e-mail address.")
                % {"inst": req.institution},
            )
        elif user.pending_affiliation:
            messages.info(
                request,
                _(
                    "Your affiliation waits for your institution's research office; until then "
                    "you use ScienceBridge as an unaffiliated applicant."
                ),
            )
        return redirect(safe_next(request, "core:dashboard"))
    return render(request, "accounts/activate.html", {"valid": valid}, status=200 if valid else 400)


def confirm_affiliation(request, token):
    if request.method == "POST":
        try:
            req = affiliations.confirm_by_email(token)
        except ValidationError as e:
            return render(
                request,
                "accounts/confirm_affiliation.html",
                {"error": " ".join(e.messages)},
                status=400,
            )
        messages.success(
            request, _("Your affiliation with %(inst)s is verified.") % {"inst": req.institution}
        )
        return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/confirm_affiliation.html", {})


@login_required
def profile(request):
    user = request.user
    action = request.POST.get("action", "profile")
    form = ProfileForm(request.POST if action == "profile" else None, instance=user)
    aff_form = AffiliationRequestForm(request.POST if action == "affiliation" else None)
    pending = user.pending_affiliation
    if request.method == "POST":
        if action == "profile" and form.is_valid():
            form.save()
            messages.success(request, _("Profile saved."))
            return redirect("accounts:profile")
        if action == "affiliation" and aff_form.is_valid():
            try:
                req = affiliations.request_affiliation(user, aff_form.cleaned_data["institution"])
            except ValidationError as e:
                apply_errors(aff_form, e)
            else:
                messages.success(
                    request,
                    _("We sent a confirmation link to %(email)s.") % {"email": user.email}
                    if req.institution.owns_email(user.email)
                    else _("Your request was sent to the research office of %(inst)s.")
                    % {"inst": req.institution},
                )
                return redirect("accounts:profile")
        if action == "withdraw" and pending:
            affiliations.withdraw(user, pending)
            messages.success(request, _("Request withdrawn."))
            return redirect("accounts:profile")
        if action == "resend" and pending and pending.institution.owns_email(user.email):
            affiliations.send_confirmation(pending)
            messages.success(
                request, _("We sent a confirmation link to %(email)s.") % {"email": user.email}
            )
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "aff_form": aff_form,
            "pending": pending,
            "last_decided": user.affiliation_requests.exclude(state=AffiliationState.PENDING)
            .select_related("institution")
            .first(),
            "pending_by_email": bool(pending and pending.institution.owns_email(user.email)),
        },
    )


@login_required
def affiliation_requests(request):
    if not request.user.has_perm("accounts.review_affiliations"):
        raise PermissionDenied
    if request.method == "POST":
        pk = request.POST.get("request", "")
        pk = int(pk) if pk.isdigit() and len(pk) < 19 else 0
        req = get_object_or_404(selectors.affiliation_requests_for(request.user), pk=pk)
        form = AffiliationDecisionForm(request.POST, prefix=f"r{req.pk}")
        if form.is_valid():
            try:
                affiliations.decide(
                    request.user,
                    req,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                )
            except PermissionDenied as e:
                messages.error(request, str(e))
            except ValidationError as e:
                flash_errors(request, e)
            else:
                messages.success(request, _("Recorded."))
        else:
            messages.error(request, _("Choose approve or reject."))
        return redirect("accounts:affiliation_requests")
    pending = list(selectors.affiliation_requests_for(request.user)[:200])
    for r in pending:
        r.form = AffiliationDecisionForm(prefix=f"r{r.pk}")
        r.email_matches = r.institution.owns_email(r.user.email)
    decided = (
        selectors.affiliation_requests_for(request.user, state=None)
        .exclude(state=AffiliationState.PENDING)
        .order_by("-decided_at", "-id")[:30]
    )
    return render(
        request, "accounts/affiliation_requests.html", {"pending": pending, "decided": decided}
    )


@login_required
def tokens(request):
    user = request.user
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "create":
            revoke_tokens(user)
            new_key = live_token(user).key
            messages.success(
                request, _("New API token created. Copy it now: it is not shown again.")
            )
        elif request.POST.get("action") == "revoke":
            n = revoke_tokens(user)
            messages.success(request, _("API token revoked.") if n else _("You had no API token."))
            return redirect("accounts:tokens")
    rows = [
        {
            "prefix": t.key[:6],
            "created": t.created,
            "expires": token_expires_at(t),
            "expired": token_expired(t),
        }
        for t in Token.objects.filter(user=user)
    ]
    return render(
        request,
        "accounts/tokens.html",
        {"rows": rows, "new_key": new_key, "lifetime_days": token_lifetime().days},
    )
