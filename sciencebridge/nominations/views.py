"""Thin views: each person's nominations, the office's single and batch nomination, the steps, the export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import timeline

from . import selectors
from .forms import BatchForm, NominationForm
from .models import Nomination, NominationExercise, NominationState
from .services import batch as batch_svc
from .services import nominations as svc
from .services.export import COLUMNS


@login_required
def nomination_list(request):
    noms = selectors.nominations_for(request.user)
    state = request.GET.get("state")
    if state in NominationState.values:
        noms = noms.filter(state=state)
    user = request.user
    return render(
        request,
        "nominations/list.html",
        {
            "nominations": noms[:500],
            "states": NominationState.choices,
            "state": state,
            "office_exercises": list(selectors.open_exercises_for_office(user)),
            "officer_exercises": list(selectors.exercises_for_officer(user)),
            # each batch's rows are for its own page (hundreds of rows a batch)
            "batches": selectors.batches_for(user).defer("rows")[:20],
            "columns": COLUMNS,
        },
    )


def _office_exercises_or_403(user):
    exercises = selectors.open_exercises_for_office(user)
    if not exercises.exists():
        raise PermissionDenied
    return exercises


@login_required
def nomination_create(request):
    exercises = _office_exercises_or_403(request.user)
    form = NominationForm(request.POST or None, exercises=exercises)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            nom = svc.nominate(
                request.user,
                d["exercise"],
                email=d["email"],
                database=d["database"],
                society=d["society"],
                statement=d["statement"],
            )
        except PermissionDenied as e:
            form.add_error(None, str(e))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Nominated; the expert is asked to consent."))
            return redirect("nominations:detail", pk=nom.pk)
    return render(request, "nominations/form.html", {"form": form})


@login_required
def batch_upload(request):
    exercises = _office_exercises_or_403(request.user)
    form = BatchForm(request.POST or None, request.FILES or None, exercises=exercises)
    if request.method == "POST" and form.is_valid():
        try:
            batch = batch_svc.batch_nominate(
                request.user, form.cleaned_data["exercise"], form.cleaned_data["file"]
            )
        except PermissionDenied as e:
            form.add_error(None, str(e))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request,
                _("%(ok)s rows nominated, %(bad)s refused (see the report).")
                % {"ok": batch.n_ok, "bad": batch.n_bad},
            )
            return redirect("nominations:batch_detail", pk=batch.pk)
    return render(request, "nominations/batch.html", {"form": form})


@login_required
def batch_detail(request, pk):
    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    return render(request, "nominations/batch_detail.html", {"batch": batch})


def _nomination_or_404(request, pk):
    nom = get_object_or_404(
        Nomination.objects.select_related(
            "exercise", "expert__institution", "institution", "nominated_by"
        ),
        pk=pk,
    )
    if not request.user.has_perm("nominations.view", nom):
        raise Http404
    return nom


@login_required
def nomination_detail(request, pk):
    nom = _nomination_or_404(request, pk)
    user = request.user
    manage = user.has_perm("nominations.manage", nom)
    return render(
        request,
        "nominations/detail.html",
        {
            "nom": nom,
            "can_submit": manage and nom.state == NominationState.DRAFT,
            "can_withdraw": manage
            and nom.state in (NominationState.DRAFT, NominationState.SUBMITTED),
            "can_consent": user.has_perm("nominations.consent", nom)
            and nom.state
            in (NominationState.DRAFT, NominationState.SUBMITTED, NominationState.FORWARDED),
            "can_check": user.has_perm("nominations.check", nom)
            and nom.state == NominationState.SUBMITTED,
            "can_approve": user.has_perm("nominations.approve", nom)
            and nom.state == NominationState.FORWARDED,
            "timeline": timeline(nom),
        },
    )


@login_required
@require_POST
def nomination_act(request, pk):
    nom = _nomination_or_404(request, pk)
    user, reason = request.user, request.POST.get("reason", "")
    actions = {
        "consent": lambda: svc.set_consent(user, nom, given=True),
        "decline": lambda: svc.set_consent(user, nom, given=False),
        "submit": lambda: svc.submit(user, nom, reason),
        "withdraw": lambda: svc.withdraw(user, nom, reason),
        "forward": lambda: svc.check(user, nom, forward=True, reason=reason),
        "not_forward": lambda: svc.check(user, nom, forward=False, reason=reason),
        "approve": lambda: svc.approve(user, nom, approve=True, reason=reason),
        "reject": lambda: svc.approve(user, nom, approve=False, reason=reason),
    }
    action = request.POST.get("action", "")
    if action not in actions:
        raise Http404
    try:
        actions[action]()
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Done."))
    return redirect("nominations:detail", pk=nom.pk)


@login_required
def export(request, code):
    exercise = get_object_or_404(NominationExercise, code=code)
    if not request.user.has_perm("nominations.export", exercise):
        raise Http404
    from .services.export import approved_sheet

    database = request.GET.get("database") or None
    sheet = approved_sheet(exercise, database)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return sheet.response(fmt, f"approved-experts-{exercise.code}")
