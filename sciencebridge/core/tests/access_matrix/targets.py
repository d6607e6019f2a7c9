"""URL kwargs for every route, filled from the fixture world.

``TARGETS[key]`` is a function of the world returning the kwargs, or a dict ``{variant: function}`` when one
route is checked on several objects (e.g. a submitted and a draft proposal). A route without kwargs needs
no entry. A route whose kwargs cannot be filled has a ``skip(...)`` rule in ``rules.py`` instead.
"""

from sciencebridge.cooperation.services.charts import BUILDERS


def _sd(w):
    from sciencebridge.decisions.models import SideDecision

    return SideDecision.objects.get(half=w.p_funded.half("HK"))


def _uid(user):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk))


def _activation(user):
    from sciencebridge.accounts.tokens import activation_token

    return activation_token.make_token(user)


TARGETS = {
    # --- REST API (DRF router) ---
    "api:institution-detail": lambda w: {"pk": w.astri.pk},
    "api:scheme-detail": lambda w: {"pk": w.scheme.pk},
    "api:call-detail": lambda w: {"pk": w.call.pk},
    "api:proposal-detail": {
        "submitted": lambda w: {"reference": w.p_sub.reference},
        "draft": lambda w: {"reference": w.p_draft.reference},
        "half": lambda w: {"reference": w.p_half.reference},
    },
    "api:expert-detail": lambda w: {"pk": w.expert_profile.pk},
    "api:review-run-detail": lambda w: {"pk": w.run_hk.pk},
    "api:review-assignment-detail": lambda w: {"pk": w.assignment.pk},
    "api:review-my-review-detail": lambda w: {"pk": w.review.pk},
    "api:review-my-invitation-detail": {
        "reviewer": lambda w: {"pk": w.assignment.pk},
        "conflicted": lambda w: {"pk": w.assignment_coi.pk},
    },
    "api:decision-detail": lambda w: {"pk": _sd(w).pk},
    "api:project-detail": lambda w: {"reference": w.project.reference},
    "api:project-report-detail": lambda w: {"pk": w.report.pk},
    "api:project-outcome-detail": lambda w: {"pk": w.outcome.pk},
    "api:transfer-offer-detail": lambda w: {"pk": w.offer.pk},
    "api:transfer-need-detail": lambda w: {"pk": w.need.pk},
    "api:transfer-deal-detail": lambda w: {"pk": w.deal.pk},
    "api:platform-detail": lambda w: {"code": w.lab.code},
    "api:facility-detail": lambda w: {"code": w.facility.code},
    "api:facility-allocation-detail": lambda w: {"pk": w.allocation.pk},
    "api:facility-booking-detail": lambda w: {"pk": w.booking.pk},
    "api:talent-posting-detail": lambda w: {"pk": w.posting.pk},
    "api:talent-application-detail": lambda w: {"pk": w.application.pk},
    "api:dataflow-agreement-detail": lambda w: {"pk": w.dt_signed.pk},
    "api:dataflow-filing-detail": lambda w: {"pk": w.dt_filing.pk},
    "api:coop-agreement-detail": {
        "in_force": lambda w: {"code": w.agreement.code},
        "draft": lambda w: {"code": w.agreement_draft.code},
    },
    "api:coop-meeting-detail": lambda w: {"number": w.meeting.number},
    "api:coop-workplan-detail": lambda w: {"code": w.workplan.code},
    "api:coop-item-detail": lambda w: {"pk": w.workplan_item.pk},
    "api:coop-indicator-detail": lambda w: {"code": w.indicator.code},
    "api:coop-indicator-value-detail": lambda w: {"pk": w.indicator_value.pk},
    "api:hgr-export-detail": lambda w: {"pk": w.hgr_export.pk},
    "api:hgr-transfer-detail": lambda w: {"pk": w.hgr_transfer.pk},
    "api:research-dataset-detail": lambda w: {"pk": w.dataset.pk},
    "dataflows:samples_detail": lambda w: {"pk": w.hgr_export.pk},
    "dataflows:datasets_detail": lambda w: {"pk": w.dataset.pk},
    # --- accounts, jobs ---
    "accounts:password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "accounts:activate": lambda w: {"uidb64": _uid(w.inactive), "token": _activation(w.inactive)},
    "accounts:confirm_affiliation": lambda w: {
        "token": "not-a-valid-token"
    },  # GET: the form, for any token
    "jobs:detail": lambda w: {"pk": w.import_job.pk},
    "jobs:retry": lambda w: {"pk": w.import_job.pk},
    "jobs:cancel": lambda w: {"pk": w.import_job.pk},
    "notifications:read": lambda w: {"pk": w.notification.pk},
    "jobs:status": lambda w: {"pk": w.import_job.pk},
    # --- experts ---
    "experts:export": lambda w: {"fmt": "csv"},
    "experts:detail": lambda w: {"pk": w.expert_profile.pk},
    "experts:decide": lambda w: {"pk": w.expert_profile.pk},
    "experts:my_item_delete": lambda w: {"kind": "publication", "pk": w.publication.pk},
    "experts:import_status": lambda w: {"job_id": w.import_job.pk},
    # --- review ---
    "review:call": lambda w: {"code": w.call.code},
    "review:start_run": lambda w: {"code": w.call.code, "side": "hk"},
    "review:set_deadline": lambda w: {"code": w.call.code, "side": "hk"},
    "review:run": lambda w: {"pk": w.run_hk.pk},
    "review:run_status": lambda w: {"pk": w.run_hk.pk},
    "review:run_experts": lambda w: {"pk": w.run_hk.pk},
    "review:add_reviewer": lambda w: {"pk": w.run_hk.pk},
    "review:publish": lambda w: {"pk": w.run_hk.pk},
    "review:remove_reviewer": lambda w: {"pk": w.assignment.pk},
    "review:respond": {
        "reviewer": lambda w: {"token": w.assignment.token},
        "conflicted": lambda w: {"token": w.assignment_coi.token},
    },
    "review:review": {
        "reviewer": lambda w: {"pk": w.assignment.pk},
        "conflicted": lambda w: {"pk": w.assignment_coi.pk},
    },
    "review:confirm_no_conflict": lambda w: {"pk": w.assignment.pk},
    "review:declare_conflict": lambda w: {"pk": w.assignment.pk},
    # --- decisions ---
    "decisions:meeting": lambda w: {"code": w.call.code},
    "decisions:budget": lambda w: {"code": w.call.code},
    "decisions:panel": {
        "hk": lambda w: {"code": w.call.code, "side": "hk"},
        "ml": lambda w: {"code": w.call.code, "side": "ml"},
    },
    "decisions:bulk": {
        "hk": lambda w: {"code": w.call.code, "side": "hk"},
        "ml": lambda w: {"code": w.call.code, "side": "ml"},
    },
    "decisions:recommend": {
        "hk": lambda w: {"code": w.call.code, "side": "hk", "ref": w.p_sub.reference},
        "ml": lambda w: {"code": w.call.code, "side": "ml", "ref": w.p_sub.reference},
    },
    "decisions:outcome": {
        "submitted": lambda w: {"ref": w.p_sub.reference},
        "draft": lambda w: {"ref": w.p_draft.reference},
        "half": lambda w: {"ref": w.p_half.reference},
        "funded": lambda w: {"ref": w.p_funded.reference},
    },
    "decisions:decide": {
        "submitted_hk": lambda w: {"ref": w.p_sub.reference, "side": "hk"},
        "draft_hk": lambda w: {"ref": w.p_draft.reference, "side": "hk"},
    },
    "decisions:letter": lambda w: {"ref": w.p_funded.reference, "side": "hk"},
    # --- projects ---
    "projects:detail": lambda w: {"reference": w.project.reference},
    "projects:pay": lambda w: {"reference": w.project.reference, "pk": w.tranche.pk},
    "projects:release": lambda w: {"reference": w.project.reference, "pk": w.tranche_unreleased.pk},
    "projects:report": lambda w: {"reference": w.project.reference, "pk": w.report.pk},
    "projects:change_create": lambda w: {"reference": w.project.reference},
    "projects:change": lambda w: {"reference": w.project.reference, "pk": w.change.pk},
    "projects:outcome_create": lambda w: {"reference": w.project.reference},
    "projects:outcome_edit": lambda w: {"reference": w.project.reference, "pk": w.outcome.pk},
    # --- transfer ---
    "transfer:offer": lambda w: {"pk": w.offer.pk},
    "transfer:offer_edit": lambda w: {"pk": w.offer.pk},
    "transfer:offer_interest": lambda w: {"pk": w.offer.pk},
    "transfer:offer_nda": lambda w: {"pk": w.offer.pk},
    "transfer:offer_state": lambda w: {"pk": w.offer.pk, "action": "withdraw"},
    "transfer:need": lambda w: {"pk": w.need.pk},
    "transfer:need_close": lambda w: {"pk": w.need.pk},
    "transfer:deal": lambda w: {"pk": w.deal.pk},
    "transfer:search_delete": lambda w: {"pk": w.search.pk},
    # --- platforms ---
    "platforms:facility": lambda w: {"code": w.facility.code},
    "platforms:allocation": lambda w: {"pk": w.allocation.pk},
    "platforms:booking_cancel": lambda w: {"pk": w.booking.pk},
    "platforms:detail": lambda w: {"code": w.lab.code},
    # --- talent ---
    "talent:posting": lambda w: {"pk": w.posting.pk},
    "talent:posting_manage": lambda w: {"pk": w.posting.pk},
    "talent:posting_close": lambda w: {"pk": w.posting.pk},
    "talent:application_decide": lambda w: {"pk": w.application.pk},
    "talent:application_withdraw": lambda w: {"pk": w.application.pk},
    "talent:exchange": lambda w: {"pk": w.exchange.pk},
    # --- cooperation ---
    "cooperation:dashboard_csv": lambda w: {"key": next(iter(BUILDERS))},
    "cooperation:agreement": {
        "in_force": lambda w: {"code": w.agreement.code},
        "draft": lambda w: {"code": w.agreement_draft.code},
    },
    "cooperation:agreement_edit": lambda w: {"code": w.agreement.code},
    "cooperation:meeting_edit": lambda w: {"number": w.meeting.number},
    "cooperation:workplan": lambda w: {"code": w.workplan.code},
    "cooperation:workplan_move": lambda w: {"code": w.workplan.code},
    "cooperation:item_create": lambda w: {"code": w.workplan.code},
    "cooperation:item": lambda w: {"code": w.workplan.code, "pk": w.workplan_item.pk},
    "cooperation:item_edit": lambda w: {"code": w.workplan.code, "pk": w.workplan_item.pk},
    # --- dataflows ---
    "dataflows:agreement": lambda w: {"pk": w.dt_signed.pk},
    "dataflows:agreement_edit": lambda w: {"pk": w.dt_draft.pk},
    "dataflows:agreement_submit": lambda w: {"pk": w.dt_draft.pk},
    "dataflows:agreement_accept": lambda w: {"pk": w.dt_signed.pk, "party": "recipient"},
    "dataflows:agreement_return": lambda w: {"pk": w.dt_signed.pk},
    "dataflows:agreement_pdf": lambda w: {"pk": w.dt_signed.pk},
    "dataflows:agreement_signed_upload": lambda w: {"pk": w.dt_signed.pk},
    "dataflows:agreement_log_add": lambda w: {"pk": w.dt_signed.pk},
    "dataflows:filing_record": lambda w: {"pk": w.dt_filing.pk},
    # --- funding ---
    "funding:call": lambda w: {"code": w.call.code},
    "funding:proposal_create": lambda w: {"code": w.call.code},
    "funding:officer_proposals": lambda w: {"code": w.call.code},
    "funding:proposal": {
        "submitted": lambda w: {"ref": w.p_sub.reference},
        "draft": lambda w: {"ref": w.p_draft.reference},
        "half": lambda w: {"ref": w.p_half.reference},
    },
    "funding:proposal_print": {
        "submitted": lambda w: {"ref": w.p_sub.reference},
        "draft": lambda w: {"ref": w.p_draft.reference},
        "half": lambda w: {"ref": w.p_half.reference},
    },
    "funding:proposal_edit": lambda w: {"ref": w.p_draft.reference},
    "funding:invite": lambda w: {"ref": w.p_draft.reference},
    "funding:withdraw": lambda w: {"ref": w.p_draft.reference},
    "funding:half_edit": lambda w: {"ref": w.p_draft.reference, "side": "hk"},
    "funding:submit": lambda w: {"ref": w.p_draft.reference, "side": "hk"},
    "funding:endorse": lambda w: {"ref": w.p_draft.reference, "side": "hk"},
    "funding:screen": lambda w: {"ref": w.p_sub.reference, "side": "hk"},
    "funding:team_remove": lambda w: {
        "ref": w.p_draft.reference,
        "side": "hk",
        "member_id": w.team_member.pk,
    },
    "funding:accept_invitation": lambda w: {"token": w.partner_invitation.token},
    # --- issue 17: experts to avoid ---
    "exclusions:half": {
        "submitted": lambda w: {"ref": w.p_sub.reference, "side": "hk"},
        "draft": lambda w: {"ref": w.p_draft.reference, "side": "hk"},
    },
    "exclusions:override": lambda w: {"pk": w.exclusion.pk},
    # --- remittances ---
    "remittances:detail": lambda w: {"reference": w.remittance.reference},
    "remittances:instruct": lambda w: {"tranche_pk": w.tranche_ml_later.pk},
    "remittances:remit": lambda w: {"reference": w.remittance.reference},
    "remittances:receive": lambda w: {"reference": w.remittance.reference},
    "remittances:report_use": lambda w: {"reference": w.remittance.reference},
    "remittances:reconcile": lambda w: {"reference": w.remittance.reference},
    "api:remittance-detail": lambda w: {"reference": w.remittance.reference},
    # --- labfunding ---
    "labfunding:exercise": lambda w: {"code": w.lab_exercise.code},
    "labfunding:grant": lambda w: {"pk": w.lab_grant.pk},
    "labfunding:report_edit": lambda w: {"pk": w.lab_grant.pk},
    "labfunding:grant_act": lambda w: {"pk": w.lab_grant.pk},
    "api:lab-grant-detail": lambda w: {"pk": w.lab_grant.pk},
    "api:lab-exercise-detail": lambda w: {"pk": w.lab_exercise.pk},
    # --- nominations ---
    "nominations:detail": {
        "forwarded": lambda w: {"pk": w.nomination.pk},
        "draft": lambda w: {"pk": w.nomination_draft.pk},
    },
    "nominations:act": lambda w: {"pk": w.nomination.pk},
    "nominations:batch_detail": lambda w: {"pk": w.nomination_batch.pk},
    "nominations:export": lambda w: {"code": w.nom_exercise.code},
    "api:expert-nomination-detail": lambda w: {"pk": w.nomination.pk},
    # --- rechecks (p_half's HK half, screened ineligible) ---
    "rechecks:create": lambda w: {"ref": w.p_half.reference, "side": "hk"},
    "rechecks:detail": lambda w: {"pk": w.recheck.pk},
    "rechecks:decide": lambda w: {"pk": w.recheck.pk},
    "rechecks:withdraw": lambda w: {"pk": w.recheck.pk},
    "api:recheck-detail": lambda w: {"pk": w.recheck.pk},
    "api:recheck-decide": lambda w: {"pk": w.recheck.pk},
    "api:recheck-withdraw": lambda w: {"pk": w.recheck.pk},
}
