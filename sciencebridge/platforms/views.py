"""Thin views: public registry of platforms; facility requests, bookings and usage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.accounts.models import User
from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import timeline
from sciencebridge.funding.models import JointProposal

from . import selectors
from .forms import (
    AllocationRequestForm,
    BookingForm,
    CrossBoundaryFilterForm,
    DecisionForm,
    FacilityFilterForm,
    NamePersonForm,
    PlatformFilterForm,
    UsageForm,
)
from .models import Booking, BookingState, Facility, Platform, PlatformKind
from .services import facilities as svc


def platform_list(request):
    form = PlatformFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    kinds = dict(PlatformKind.choices)
    counts = [{**c, "label": kinds.get(c["kind"], c["kind"])} for c in selectors.counts_by_kind()]
    return render(
        request,
        "platforms/platform_list.html",
        {"form": form, "platforms": selectors.platforms(**filters), "counts": counts},
    )


def platform_detail(request, code):
    p = get_object_or_404(
        Platform.objects.prefetch_related(
            "hosts", "partners", "facilities", "predecessors"
        ).select_related("successor"),
        code=code,
    )
    return render(request, "platforms/platform_detail.html", {"p": p})


def facility_list(request):
    form = FacilityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "platforms/facility_list.html",
        {"form": form, "facilities": selectors.facilities(**filters)},
    )


def facility_detail(request, code):
    facility = get_object_or_404(Facility.objects.select_related("platform"), code=code)
    upcoming = facility.bookings.filter(
        state=BookingState.CONFIRMED, ends_at__gte=timezone.now()
    ).select_related("allocation__team_institution")[:50]
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path}")
    form = AllocationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = JointProposal.objects.filter(reference=data["project_reference"]).first()
        try:
            alloc = svc.request_allocation(request.user, facility, proposal=proposal, **data)
        except PermissionDenied as e:
            form.add_error(None, str(e))
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Request sent to the facility's managers."))
            return redirect("platforms:allocation", pk=alloc.pk)
    is_manager = request.user.has_perm("platforms.manage_facility", facility)
    return render(
        request,
        "platforms/facility_detail.html",
        {
            "facility": facility,
            "upcoming": upcoming,
            "form": form,
            "is_manager": is_manager,
            "mine": selectors.my_allocations(request.user, facility),
            "pending": selectors.pending_for(facility) if is_manager else [],
        },
    )


def _login_url():
    from django.conf import settings
    from django.urls import reverse

    return reverse(settings.LOGIN_URL)


@login_required
def allocation_detail(request, pk):
    alloc = get_object_or_404(selectors.allocations_with_usage(), pk=pk)
    if not request.user.has_perm("platforms.view_allocation", alloc):
        raise Http404  # others do not learn that the allocation exists
    can_book = request.user.has_perm("platforms.book", alloc)
    is_manager = request.user.has_perm("platforms.decide_allocation", alloc)
    can_name = request.user.has_perm("platforms.name_people", alloc)
    action = request.POST.get("action")
    booking_form = BookingForm(request.POST if action == "book" else None, prefix="book")
    decision_form = DecisionForm(request.POST if action == "decide" else None, prefix="decide")
    usage_form = UsageForm(request.POST if action == "usage" else None, prefix="usage")
    name_form = NamePersonForm(request.POST if action == "name" else None, prefix="name")
    if request.method == "POST":
        try:
            if action == "name" and name_form.is_valid():
                person = User.objects.filter(email__iexact=name_form.cleaned_data["email"]).first()
                svc.name_person(
                    request.user, alloc, person, coordinator=name_form.cleaned_data["coordinator"]
                )
                messages.success(
                    request, _("%(person)s is named on this allocation.") % {"person": person}
                )
                return redirect("platforms:allocation", pk=pk)
            if action == "unname":
                uid = request.POST.get("user", "")
                person = get_object_or_404(
                    User, pk=int(uid) if uid.isdigit() and len(uid) < 19 else 0
                )
                svc.unname_person(request.user, alloc, person)
                messages.success(
                    request,
                    _("%(person)s is no longer named on this allocation.") % {"person": person},
                )
                return redirect("platforms:allocation", pk=pk)
            if action == "book" and booking_form.is_valid():
                svc.book(request.user, alloc, **booking_form.cleaned_data)
                messages.success(request, _("Booked."))
                return redirect("platforms:allocation", pk=pk)
            if action == "decide" and decision_form.is_valid():
                d = decision_form.cleaned_data
                svc.decide_allocation(
                    request.user,
                    alloc,
                    approve=d["decision"] == "approve",
                    hours_approved=d["hours_approved"],
                    reason=d["reason"],
                )
                messages.success(request, _("Recorded."))
                return redirect("platforms:allocation", pk=pk)
            if action == "usage" and usage_form.is_valid():
                svc.record_usage(request.user, alloc, **usage_form.cleaned_data)
                messages.success(request, _("Usage recorded."))
                return redirect("platforms:allocation", pk=pk)
        except PermissionDenied as e:
            messages.error(request, str(e) or _("Not allowed."))
        except ValidationError as e:
            form = {
                "book": booking_form,
                "decide": decision_form,
                "usage": usage_form,
                "name": name_form,
            }.get(action)
            apply_errors(form, e, request)
            messages.error(request, " ".join(e.messages))
    return render(
        request,
        "platforms/allocation_detail.html",
        {
            "alloc": alloc,
            "status": svc.quota_status(alloc),
            "can_book": can_book,
            "is_manager": is_manager,
            "bookings": _with_cancel_right(
                request.user, alloc.bookings.select_related("booked_by", "allocation__facility")
            ),
            "usage": alloc.usage.select_related("recorded_by"),
            "members": alloc.members.select_related("user", "granted_by"),
            "can_name": can_name,
            "name_form": name_form,
            "booking_form": booking_form,
            "decision_form": decision_form,
            "usage_form": usage_form,
            "timeline": timeline(alloc),
        },
    )


def _with_cancel_right(user, bookings):
    out = list(bookings)
    for b in out:
        b.can_cancel = b.state == BookingState.CONFIRMED and user.has_perm(
            "platforms.cancel_booking", b
        )
    return out


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("allocation__facility"), pk=pk)
    if not request.user.has_perm("platforms.view_allocation", booking.allocation):
        raise Http404
    if not request.user.has_perm("platforms.cancel_booking", booking):
        raise PermissionDenied
    try:
        svc.cancel_booking(request.user, booking, reason=request.POST.get("reason", ""))
    except ValidationError as e:
        flash_errors(request, e)
    else:
        messages.success(request, _("Booking cancelled."))
    return redirect("platforms:allocation", pk=booking.allocation_id)


@login_required
def my_allocations(request):
    return render(
        request,
        "platforms/my_allocations.html",
        {"allocations": selectors.my_allocations(request.user)},
    )


def cross_boundary(request):
    """Cross-boundary use, visible as such: HK teams on Mainland facilities and the reverse (public:
    project reference, facility, team institution and hours; no people, no purposes)."""
    form = CrossBoundaryFilterForm(request.GET or None)
    direction = form.cleaned_data.get("direction") if form.is_valid() else None
    return render(
        request,
        "platforms/cross_boundary.html",
        {
            "form": form,
            "allocations": selectors.cross_boundary_allocations(direction),
            "totals": selectors.cross_boundary_totals(),
        },
    )
