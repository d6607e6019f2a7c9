"""Thin views: parse input, call a service, render. Rules live in services/ and rules.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sciencebridge.core.errors import apply_errors, flash_errors
from sciencebridge.core.workflow import timeline

from . import matching_adapter as ma
from . import search_orders, selectors
from .forms import (
    DealMoveForm,
    InterestForm,
    NdaForm,
    NeedForm,
    OfferForm,
    OfferSearchForm,
    SavedSearchForm,
)
from .models import Deal, DealState, NdaAcceptance, OfferState, SavedSearch, TechnologyOffer
from .rules import (
    can_express_interest,
    can_view_offer_details,
    is_enterprise,
    is_need_owner,
    is_offer_side,
    is_tto,
)
from .services import alerts as alerts_svc
from .services import deals as deal_svc
from .services import needs as need_svc
from .services import offers as offer_svc


# ---- public offers ----------------------------------------------------------------------------
def offer_list(request):
    form = OfferSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    search = {
        "q": filters.get("q", ""),
        "field": filters.get("field", ""),
        "trl_min": filters.get("trl_min"),
        "offer_type": filters.get("offer_type", ""),
        "ip_status": filters.get("ip_status", ""),
    }
    if search["q"]:
        # a search ranks every match before a page can be shown: the order is kept between
        # requests (search_orders) and the page's rows are read by id
        ids = search_orders.ranked_offer_ids(request.user, **search)
        page = Paginator(ids, 20).get_page(request.GET.get("page"))
        page.object_list = search_orders.page_rows(request.user, page.object_list, search)
    else:
        qs = selectors.search_offers(request.user, **search)
        page = Paginator(qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "transfer/offer_list.html",
        {
            "form": form,
            "page": page,
            "offers": page.object_list,
            "query": query.urlencode(),
            "is_tto": is_tto(request.user),
            "is_enterprise": is_enterprise(request.user),
        },
    )


def _offer_or_404(request, pk) -> TechnologyOffer:
    try:
        return selectors.offer_detail(request.user, pk)
    except TechnologyOffer.DoesNotExist:
        raise Http404 from None


def offer_detail(request, pk):
    offer = _offer_or_404(request, pk)
    user = request.user
    ctx = {
        "offer": offer,
        "codes": list(offer.discipline_codes.all()),
        "is_offer_side": is_offer_side(user, offer),
        "show_details": can_view_offer_details(user, offer),
        "can_interest": can_express_interest(user, offer),
        "is_enterprise": is_enterprise(user),
    }
    if ctx["is_enterprise"]:
        ctx["my_deal"] = deal_svc.open_deal(offer, user.institution_id)
        ctx["nda"] = NdaAcceptance.objects.filter(
            offer=offer, institution_id=user.institution_id
        ).first()
    if ctx["is_offer_side"]:
        ctx["deals"] = list(
            offer.deals.select_related("enterprise", "contact").order_by("-updated_at")
        )
        ctx["needs"] = (
            ma.needs_for_offer(offer, limit=10) if offer.state == OfferState.PUBLISHED else []
        )
        ctx["timeline"] = timeline(offer)
    return render(request, "transfer/offer_detail.html", ctx)


# ---- TTO: entering offers ---------------------------------------------------------------------
def _offer_data(form):
    data = dict(form.cleaned_data)
    codes = data.pop("discipline_codes", None)
    return data, codes


@login_required
def offer_create(request):
    if not is_tto(request.user):
        raise PermissionDenied(_("Only a technology-transfer office can offer technology."))
    outcome = None
    initial = {"contact_name": request.user.get_full_name(), "contact_email": request.user.email}
    outcome_id = request.GET.get("outcome") or request.POST.get("outcome")
    if outcome_id:
        from .services import outcomes as outcome_svc

        outcome = outcome_svc.outcome_for_tto(request.user, outcome_id)
        initial.update(outcome_svc.initial_from_outcome(outcome))
    form = OfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, codes = _offer_data(form)
        try:
            offer = offer_svc.create_offer(
                request.user,
                discipline_codes=codes or (),
                outcome=outcome,
                publish=request.POST.get("action") == "publish",
                **data,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request,
                _("Offer saved.")
                if offer.state == OfferState.DRAFT
                else _("Offer published in the marketplace."),
            )
            return redirect("transfer:offer", pk=offer.pk)
    return render(request, "transfer/offer_form.html", {"form": form, "outcome": outcome})


@login_required
def offer_edit(request, pk):
    offer = _offer_or_404(request, pk)
    if not is_offer_side(request.user, offer):
        raise PermissionDenied(
            _("Only the offering institution's technology-transfer office can change this offer.")
        )
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        data, codes = _offer_data(form)
        try:
            offer_svc.update_offer(
                request.user,
                TechnologyOffer.objects.get(pk=offer.pk),
                discipline_codes=codes,
                **data,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Offer saved."))
            return redirect("transfer:offer", pk=offer.pk)
    return render(request, "transfer/offer_form.html", {"form": form, "offer": offer})


@login_required
@require_POST
def offer_state(request, pk, action):
    offer = _offer_or_404(request, pk)
    try:
        if action == "publish":
            offer_svc.publish_offer(request.user, offer)
            messages.success(request, _("Offer published in the marketplace."))
        elif action == "withdraw":
            offer_svc.withdraw_offer(request.user, offer, request.POST.get("reason", ""))
            messages.success(request, _("Offer withdrawn."))
        else:
            raise Http404
    except ValidationError as e:
        flash_errors(request, e)
    return redirect("transfer:offer", pk=offer.pk)


@login_required
def office(request):
    user = request.user
    if not is_tto(user):
        raise PermissionDenied(_("This page is for technology-transfer offices."))
    return render(
        request,
        "transfer/office.html",
        {
            "offers": selectors.office_offers(user),
            "eois": selectors.eois_to_answer(user),
            "outcomes": _outcomes_without_offer(user),
        },
    )


def _outcomes_without_offer(user):
    from .services import outcomes as outcome_svc

    return outcome_svc.ip_outcomes_for_tto(user)


# ---- enterprises: interest and NDA ------------------------------------------------------------
@login_required
def offer_interest(request, pk):
    offer = _offer_or_404(request, pk)
    if not can_express_interest(request.user, offer):
        raise PermissionDenied(
            _("Only registered enterprises can express interest in a published offer.")
        )
    needs = selectors.my_needs(request.user).filter(state="open")
    form = InterestForm(
        request.POST or None, needs=needs, initial={"need": request.GET.get("need")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            deal = deal_svc.express_interest(request.user, offer, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Your interest has been sent to the technology owner."))
            return redirect("transfer:deal", pk=deal.pk)
    return render(request, "transfer/interest_form.html", {"form": form, "offer": offer})


@login_required
def offer_nda(request, pk):
    offer = _offer_or_404(request, pk)
    if not is_enterprise(request.user) or offer.state != OfferState.PUBLISHED:
        raise PermissionDenied(
            _(
                "Only registered enterprises can accept the confidentiality terms of a published offer."
            )
        )
    form = NdaForm(
        request.POST or None,
        initial={"signer_name": request.user.get_full_name(), "signer_title": request.user.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            deal_svc.accept_nda(request.user, offer, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request,
                _("Confidentiality terms accepted: the details are now shown to your enterprise."),
            )
            return redirect("transfer:offer", pk=offer.pk)
    return render(
        request,
        "transfer/nda_form.html",
        {"form": form, "offer": offer, "terms": deal_svc.nda_terms(offer)},
    )


# ---- needs ------------------------------------------------------------------------------------
@login_required
def need_list(request):
    user = request.user
    return render(
        request,
        "transfer/need_list.html",
        {
            "mine": selectors.my_needs(user),
            "open": selectors.open_needs(user).exclude(institution_id=user.institution_id)
            if (is_tto(user) or is_enterprise(user))
            else [],
            "is_enterprise": is_enterprise(user),
        },
    )


@login_required
def need_create(request):
    if not is_enterprise(request.user):
        raise PermissionDenied(_("Only registered enterprises can post technology needs."))
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            need = need_svc.post_need(request.user, **data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Need posted. Matching offers are listed below."))
            return redirect("transfer:need", pk=need.pk)
    return render(request, "transfer/need_form.html", {"form": form})


@login_required
def need_detail(request, pk):
    need = get_object_or_404(
        selectors.visible_needs(request.user).select_related("institution", "posted_by"), pk=pk
    )
    mine = is_need_owner(request.user, need)
    if mine and request.method == "POST" and request.POST.get("action") == "confirm_conversions":
        need_svc.confirm_need_conversions(request.user, need)
        messages.success(request, _("The automatic conversions are marked as checked."))
        return redirect("transfer:need", pk=need.pk)
    ctx = {"need": need, "mine": mine, "codes": list(need.discipline_codes.all())}
    if mine:
        ctx["matches"] = ma.offers_for_need(
            need, visible=selectors.visible_offers(request.user), limit=10
        )
        ctx["timeline"] = timeline(need)
    return render(request, "transfer/need_detail.html", ctx)


@login_required
@require_POST
def need_close(request, pk):
    need = get_object_or_404(selectors.visible_needs(request.user), pk=pk)
    try:
        need_svc.close_need(request.user, need, request.POST.get("reason", ""))
        messages.success(request, _("Need closed."))
    except ValidationError as e:
        flash_errors(request, e)
    return redirect("transfer:need", pk=pk)


# ---- deals ------------------------------------------------------------------------------------
@login_required
def deal_list(request):
    return render(request, "transfer/deal_list.html", {"deals": selectors.deal_list(request.user)})


@login_required
def deal_detail(request, pk):
    try:
        deal = selectors.deal_detail(request.user, pk)
    except Deal.DoesNotExist:
        raise Http404 from None
    moves = deal_svc.moves_for(request.user, deal)
    form = DealMoveForm(request.POST or None, moves=moves, currency=str(deal.value_currency))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deal_svc.move_deal(
                request.user,
                Deal.objects.get(pk=deal.pk),
                data["to"],
                reason=data["reason"],
                value=data.get("value"),
                concluded_on=data.get("concluded_on"),
                terms=data.get("terms", ""),
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Deal updated."))
            return redirect("transfer:deal", pk=deal.pk)
    return render(
        request,
        "transfer/deal_detail.html",
        {
            "deal": deal,
            "form": form if moves else None,
            "timeline": timeline(deal),
            "is_offer_side": is_offer_side(request.user, deal.offer),
            "stages": DealState.choices,
        },
    )


# ---- saved searches ---------------------------------------------------------------------------
@login_required
def searches(request):
    form = SavedSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alerts_svc.save_search(request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request, _("Search saved. You will be e-mailed when something new matches.")
            )
            return redirect("transfer:searches")
    mine = list(SavedSearch.objects.filter(user=request.user).select_related("need"))
    for s in mine:
        s.matches = alerts_svc.current_matches(s)[:5]
    return render(request, "transfer/searches.html", {"form": form, "searches": mine})


@login_required
@require_POST
def search_delete(request, pk):
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    alerts_svc.delete_search(request.user, search)
    messages.success(request, _("Saved search deleted."))
    return redirect("transfer:searches")
