"""THE access rules: for every route of the URL conf, who may read it and who may act on it.

A route added to the URL conf without an entry here fails ``test_every_route_has_a_rule``. The identities
are described in ``identities.py``, the objects the URLs point at in ``world.py`` and ``targets.py``, the rule
language in ``dsl.py``.

``KNOWN_OPEN`` lists the cells that fail today because of a known finding not yet fixed: the rule states the
CORRECT expectation and the cell runs as a strict xfail (so a fix that lands makes it fail until removed).
The findings of issue 11 it held are all fixed and merged; it is empty.
"""

from .dsl import (
    SIGNED_IN,
    allow,
    files,
    not_allowed,
    post_only,
    public,
    public_redirect,
    signed_in,
    staff_only,
)
from .identities import (
    ADMIN,
    ANON,
    APPLICANT,
    APPLICANT_OTHER,
    CHAIR,
    CHAIR_COI,
    ENTERPRISE,
    EXPERT,
    EXPERT_COI,
    OFFICE_OTHER,
    OFFICE_OWN,
    OFFICER_HK,
    OFFICER_ML,
    OFFICER_OTHER,
    PARTNER,
    SECRETARIAT,
    TTO,
)

TEAM = (APPLICANT, PARTNER)  # the two leads of every proposal in the world
CALL_OFFICERS = (OFFICER_HK, OFFICER_ML)
OFFICERS = (OFFICER_HK, OFFICER_ML, OFFICER_OTHER)
EXPERT_ROLES = (EXPERT, EXPERT_COI, CHAIR, CHAIR_COI)  # hold an expert profile
SECRETARIAT_ADMIN = (SECRETARIAT, ADMIN)


def _draft_partner_team(w):
    """What a draft Mainland half must not show to anyone outside its team: its people."""
    partner = w.users[PARTNER]
    return [partner.get_full_name(), partner.email]


def _p_sub_title(w):
    return [w.p_sub.title, w.p_sub.reference]


def _p_sub_title_only(w):
    """A declared conflict withholds the proposal's title; the invitation itself (reference, state) stays the
    expert's own record of having declared it."""
    return [w.p_sub.title]


# GBA data transfer dt_signed: sender partner (Tsinghua), recipient applicant_other and HKU's office; the project's
# leads (applicant, partner) and its agencies' officers see the particulars; the secretariat only the oversight.
DT_PARTIES = (PARTNER, APPLICANT_OTHER, OFFICE_OTHER)
DT_DETAILS = (*DT_PARTIES, APPLICANT, OFFICER_HK, OFFICER_ML, ADMIN)


def _dt_particulars(w):
    return [w.dt_signed.purpose]


# A proposal's page and its printable twin: whoever opens one opens the other, and sees as little.
PROPOSAL_PAGE = allow(
    per_variant={
        "submitted": allow(*TEAM, OFFICE_OWN, *CALL_OFFICERS, ADMIN),
        "draft": allow(*TEAM, ADMIN),
        "half": allow(
            *TEAM,
            OFFICE_OWN,
            OFFICER_HK,
            ADMIN,
            absent={OFFICER_HK: _draft_partner_team, OFFICE_OWN: _draft_partner_team},
        ),
    }
)


RULES = {
    # --- project-wide ---
    "set_language": public_redirect(),
    "health": public(),
    "readiness": public(),  # database and queue answer (in-process jobs here); no object is named in it
    "favicon": public_redirect(),  # to the static file
    "help": public(),
    "core:home": public(),
    "core:dashboard": signed_in(),
    # --- notifications (the applicant's own; the list shows only one's own) ---
    "notifications:list": signed_in(),
    "notifications:read": post_only(
        APPLICANT
    ),  # someone else's notification: 404, and nothing is marked
    "notifications:read_all": post_only(*SIGNED_IN),  # marks only the caller's own
    # --- accounts ---
    "accounts:register": allow(
        ANON, redirect=SIGNED_IN, post=(ANON,)
    ),  # signed in: sent to the dashboard
    "accounts:register_done": public(),
    "accounts:activate": public(),  # a valid link of an inactive account: the "activate" button; POST activates
    "accounts:confirm_affiliation": public(),  # GET: the confirm button; the signed token is checked on POST
    "accounts:affiliation_requests": allow(
        OFFICE_OWN, OFFICE_OTHER, ADMIN
    ),  # each office its own institution's
    "accounts:tokens": signed_in(),  # one's own API tokens
    "accounts:login": public(),
    "accounts:logout": not_allowed(),  # POST only (Django); logging out changes nothing of anyone else's
    "accounts:profile": signed_in(),
    "accounts:password_reset": public(),
    "accounts:password_reset_done": public(),
    "accounts:password_reset_confirm": public(),  # an invalid token: the "link is invalid" page
    # --- REST API (anonymous: 401); lists are also checked item by item against their detail rule ---
    "api:api-root": signed_in(),
    "api:token": not_allowed(),  # POST username + password only
    "api:my_tokens": signed_in(),  # the caller's own tokens (DELETE revokes the caller's own)
    "api:schema": public(
        sample=("anon", APPLICANT, ADMIN)
    ),  # the same document for all; ~1 s to generate
    "api:docs": public(),
    "api:redoc": public(),
    "api:institution-list": signed_in(),
    "api:institution-detail": signed_in(),
    "api:scheme-list": signed_in(),
    "api:scheme-detail": signed_in(),
    "api:call-list": signed_in(),
    "api:call-detail": signed_in(),
    "api:proposal-list": signed_in(),
    "api:proposal-detail": allow(
        per_variant={
            "submitted": allow(*TEAM, OFFICE_OWN, *CALL_OFFICERS, ADMIN),
            "draft": allow(*TEAM, ADMIN),
            "half": allow(
                *TEAM,
                OFFICE_OWN,
                OFFICER_HK,
                ADMIN,
                absent={OFFICER_HK: _draft_partner_team, OFFICE_OWN: _draft_partner_team},
            ),
        }
    ),
    "api:expert-list": signed_in(),
    "api:expert-detail": allow(
        *OFFICERS, EXPERT, SECRETARIAT, ADMIN
    ),  # searchers, and the expert themself
    "api:review-run-list": signed_in(),
    "api:review-run-detail": allow(OFFICER_HK),
    "api:review-assignment-list": signed_in(),
    "api:review-assignment-detail": allow(OFFICER_HK),
    "api:review-my-review-list": signed_in(),
    "api:review-my-review-detail": allow(EXPERT),
    "api:review-my-invitation-list": signed_in(),
    "api:review-my-invitation-detail": allow(
        per_variant={
            "reviewer": allow(EXPERT),
            # a declared conflict closes the proposal to that expert: the invitation stays, its title is withheld
            "conflicted": allow(EXPERT_COI, absent={EXPERT_COI: _p_sub_title_only}),
        }
    ),
    "api:decision-list": signed_in(),
    "api:decision-detail": allow(*TEAM, OFFICER_HK, ADMIN),  # the HK side's decision
    "api:project-list": signed_in(),
    "api:project-detail": allow(*TEAM, *CALL_OFFICERS, SECRETARIAT, ADMIN),
    "api:project-report-list": signed_in(),
    "api:project-report-detail": allow(*TEAM, OFFICER_HK, SECRETARIAT, ADMIN),  # an HK-side report
    "api:project-outcome-list": signed_in(),
    "api:project-outcome-detail": allow(*TEAM, *CALL_OFFICERS, SECRETARIAT, ADMIN),
    "api:transfer-offer-list": public(),
    "api:transfer-offer-detail": public(),  # a published public offer (the NDA-gated details are not in it)
    "api:transfer-need-list": signed_in(),
    "api:transfer-need-detail": allow(TTO, ENTERPRISE, SECRETARIAT, ADMIN),
    "api:transfer-deal-list": signed_in(),
    "api:transfer-deal-detail": allow(TTO, ENTERPRISE),
    "api:platform-list": public(),
    "api:platform-detail": public(),
    "api:facility-list": public(),
    "api:facility-detail": public(),
    "api:facility-allocation-list": signed_in(),
    "api:facility-allocation-detail": allow(APPLICANT, OFFICE_OWN, SECRETARIAT, ADMIN),
    "api:facility-booking-list": signed_in(),
    "api:facility-booking-detail": allow(APPLICANT, OFFICE_OWN, SECRETARIAT, ADMIN),
    "api:talent-posting-list": public(),
    "api:talent-posting-detail": public(),
    "api:talent-application-list": signed_in(),
    "api:talent-application-detail": allow(APPLICANT),
    "api:dataflow-agreement-list": signed_in(),
    "api:dataflow-agreement-detail": allow(
        *DT_DETAILS, SECRETARIAT, absent={SECRETARIAT: _dt_particulars}
    ),
    "api:dataflow-filing-list": signed_in(),
    "api:dataflow-filing-detail": allow(*DT_DETAILS, SECRETARIAT),
    "api:coop-agreement-list": public(),
    "api:coop-agreement-detail": allow(
        per_variant={
            "in_force": public(),
            "draft": allow(*SECRETARIAT_ADMIN, anon="deny"),
        }
    ),
    "api:coop-meeting-list": public(),
    "api:coop-meeting-detail": public(),
    "api:coop-workplan-list": public(),
    "api:coop-workplan-detail": allow(*SECRETARIAT_ADMIN, anon="deny"),  # a draft workplan
    "api:coop-item-list": public(),
    "api:coop-item-detail": allow(*SECRETARIAT_ADMIN, anon="deny"),
    "api:coop-indicator-list": public(),
    "api:coop-indicator-detail": public(),
    "api:coop-indicator-value-list": public(),
    "api:coop-indicator-value-detail": public(),
    # the HKU-Shenzhen Hospital's export to HKU (office_other: the recipient's office) on p_funded's project
    "api:hgr-export-list": signed_in(),
    "api:hgr-export-detail": allow(*TEAM, OFFICE_OTHER, *CALL_OFFICERS, *SECRETARIAT_ADMIN),
    "api:hgr-transfer-list": signed_in(),
    "api:hgr-transfer-detail": allow(*TEAM, OFFICE_OTHER, *CALL_OFFICERS, *SECRETARIAT_ADMIN),
    # the applicant's dataset of p_funded's project, held by ASTRI (office_own)
    "api:research-dataset-list": signed_in(),
    "api:research-dataset-detail": allow(*TEAM, OFFICE_OWN, *CALL_OFFICERS, *SECRETARIAT_ADMIN),
    # --- jobs ---
    "jobs:detail": allow(*SECRETARIAT_ADMIN),  # the secretariat's import job
    "jobs:status": allow(*SECRETARIAT_ADMIN),
    "jobs:attention": allow(*SECRETARIAT_ADMIN),
    "jobs:retry": post_only(
        *SECRETARIAT_ADMIN
    ),  # the import job has succeeded: nothing to retry for anyone
    "jobs:cancel": post_only(*SECRETARIAT_ADMIN),
    # --- experts ---
    "experts:list": allow(*OFFICERS, *SECRETARIAT_ADMIN, redirect=EXPERT_ROLES),
    "experts:export": allow(*SECRETARIAT_ADMIN),
    "experts:detail": allow(*OFFICERS, EXPERT, *SECRETARIAT_ADMIN),
    "experts:decide": post_only(*SECRETARIAT_ADMIN),
    "experts:apply": signed_in(redirect=EXPERT_ROLES),
    "experts:me": allow(
        *EXPERT_ROLES,
        redirect=tuple(
            i
            for i in (
                APPLICANT,
                PARTNER,
                "applicant_other",
                "unaffiliated",
                "colleague",
                OFFICE_OWN,
                OFFICE_OTHER,
                *OFFICERS,
                SECRETARIAT,
                TTO,
                ENTERPRISE,
                ADMIN,
            )
        ),
    ),
    "experts:my_item_delete": post_only(EXPERT),
    "experts:vetting": allow(*SECRETARIAT_ADMIN),
    "experts:import": allow(*SECRETARIAT_ADMIN),
    "experts:import_status": allow(*SECRETARIAT_ADMIN),
    "experts:find": allow(*OFFICERS, *SECRETARIAT_ADMIN),
    # --- review ---
    "review:home": allow(*CALL_OFFICERS, ADMIN, redirect=EXPERT_ROLES),
    "review:mine": signed_in(absent={EXPERT_COI: _p_sub_title_only, CHAIR_COI: _p_sub_title_only}),
    "review:call": allow(*CALL_OFFICERS, ADMIN),
    "review:start_run": post_only(OFFICER_HK, ADMIN),
    "review:set_deadline": post_only(OFFICER_HK, ADMIN),
    "review:run": allow(OFFICER_HK, ADMIN),
    "review:run_status": allow(OFFICER_HK, ADMIN),
    "review:run_experts": allow(OFFICER_HK, ADMIN),
    "review:add_reviewer": post_only(OFFICER_HK, ADMIN),
    "review:publish": post_only(OFFICER_HK, ADMIN),
    "review:remove_reviewer": post_only(OFFICER_HK, ADMIN),
    "review:respond": allow(per_variant={"reviewer": allow(EXPERT), "conflicted": allow()}),
    "review:review": allow(per_variant={"reviewer": allow(EXPERT), "conflicted": allow()}),
    "review:confirm_no_conflict": post_only(EXPERT),
    "review:declare_conflict": post_only(EXPERT),
    # --- decisions (HK panel chaired by chair_coi, who declared a conflict on p_sub's HK half) ---
    "decisions:index": signed_in(),
    "decisions:meeting": allow(*CALL_OFFICERS, ADMIN),
    "decisions:budget": allow(*CALL_OFFICERS, ADMIN),
    "decisions:panel": allow(
        per_variant={
            "hk": allow(OFFICER_HK, CHAIR_COI, ADMIN, absent={CHAIR_COI: _p_sub_title}),
            "ml": allow(OFFICER_ML, CHAIR, ADMIN),
        }
    ),
    # deciding in bulk: only the programme officers of the side's agency (not the chair, not the admin)
    "decisions:bulk": allow(
        per_variant={
            "hk": allow(OFFICER_HK),
            "ml": allow(OFFICER_ML),
        }
    ),
    "decisions:recommend": allow(
        per_variant={
            "hk": allow(OFFICER_HK, ADMIN, post=()),
            "ml": allow(OFFICER_ML, CHAIR, ADMIN, post=(CHAIR,)),
        }
    ),
    "decisions:outcome": allow(
        per_variant={
            "submitted": allow(*TEAM, *CALL_OFFICERS, ADMIN),
            "draft": allow(*TEAM, ADMIN),
            "half": allow(*TEAM, OFFICER_HK, ADMIN),
            "funded": allow(*TEAM, *CALL_OFFICERS, ADMIN),
        }
    ),
    "decisions:decide": allow(
        per_variant={
            "submitted_hk": allow(OFFICER_HK),
            "draft_hk": allow(),
        }
    ),
    "decisions:letter": allow(*TEAM, *CALL_OFFICERS, ADMIN),
    # --- projects (p_funded's project; the objects are on its HK side) ---
    "projects:mine": signed_in(),
    "projects:officer": allow(*OFFICERS, ADMIN),  # each officer's own agency's desk
    "projects:detail": allow(*TEAM, *CALL_OFFICERS, *SECRETARIAT_ADMIN),
    "projects:pay": allow(OFFICER_HK, ADMIN),
    "projects:release": post_only(OFFICER_HK, ADMIN),
    "projects:report": allow(
        *TEAM, OFFICER_HK, *SECRETARIAT_ADMIN, post=(OFFICER_HK, APPLICANT, ADMIN)
    ),
    "projects:change_create": allow(*TEAM),
    "projects:change": allow(
        *TEAM, OFFICER_HK, *SECRETARIAT_ADMIN, post=(OFFICER_HK, APPLICANT, ADMIN)
    ),
    "projects:outcome_create": allow(*TEAM, ADMIN),
    "projects:outcome_edit": allow(*TEAM, ADMIN),
    # --- transfer (the HKU TTO's public offer; the enterprise's need, deal and saved search) ---
    "transfer:offers": public(),
    "transfer:offer_create": allow(TTO),
    "transfer:offer": public(),
    "transfer:offer_edit": allow(TTO),
    "transfer:offer_interest": allow(ENTERPRISE),
    "transfer:offer_nda": allow(ENTERPRISE),
    "transfer:offer_state": post_only(TTO),
    "transfer:office": allow(TTO),
    "transfer:needs": signed_in(),
    "transfer:need_create": allow(ENTERPRISE),
    "transfer:need": allow(TTO, ENTERPRISE, *SECRETARIAT_ADMIN, post=()),
    "transfer:need_close": post_only(ENTERPRISE, ADMIN, SECRETARIAT),
    "transfer:deals": signed_in(),
    "transfer:deal": allow(TTO, ENTERPRISE),
    "transfer:searches": signed_in(),
    "transfer:search_delete": post_only(ENTERPRISE),
    # --- platforms (applicant's approved allocation and booking on the Mainland instrument) ---
    "platforms:list": public(),
    "platforms:facilities": public(),
    "platforms:facility": public(),
    "platforms:my_allocations": signed_in(),
    # the team's research office (ASTRI's, verified) sees its allocation but does not manage it
    "platforms:allocation": allow(
        APPLICANT, OFFICE_OWN, *SECRETARIAT_ADMIN, post=(APPLICANT, *SECRETARIAT_ADMIN)
    ),
    "platforms:booking_cancel": post_only(APPLICANT, OFFICE_OWN, *SECRETARIAT_ADMIN),
    "platforms:cross_boundary": public(),
    "platforms:detail": public(),
    # --- talent (posting hosted by HKU, i.e. office_other; the applicant applied with a CV) ---
    "talent:programmes": public(),
    "talent:posting_create": allow(OFFICE_OWN, OFFICE_OTHER, *SECRETARIAT_ADMIN),
    "talent:posting": public(),
    "talent:posting_manage": allow(OFFICE_OTHER, *SECRETARIAT_ADMIN),
    "talent:posting_close": post_only(OFFICE_OTHER, *SECRETARIAT_ADMIN),
    "talent:my_applications": signed_in(),
    "talent:application_decide": post_only(OFFICE_OTHER, *SECRETARIAT_ADMIN),
    "talent:application_withdraw": post_only(APPLICANT),
    "talent:exchanges": public(),
    "talent:exchange": allow(OFFICE_OTHER, *SECRETARIAT_ADMIN),
    # --- cooperation (the workplan is a draft: secretariat only) ---
    "cooperation:dashboard": public(),
    "cooperation:dashboard_csv": public(),
    "cooperation:agreements": public(),
    "cooperation:agreement_create": allow(*SECRETARIAT_ADMIN),
    "cooperation:agreement": allow(
        per_variant={
            "in_force": public(),
            "draft": allow(*SECRETARIAT_ADMIN, anon="deny"),
        }
    ),
    "cooperation:agreement_edit": allow(*SECRETARIAT_ADMIN),
    "cooperation:meetings": public(),
    "cooperation:meeting_create": allow(*SECRETARIAT_ADMIN),
    "cooperation:meeting_edit": allow(*SECRETARIAT_ADMIN),
    "cooperation:indicators": public(),
    "cooperation:progress": allow(*SECRETARIAT_ADMIN),
    "cooperation:workplans": allow(*SECRETARIAT_ADMIN),
    "cooperation:workplan_create": allow(*SECRETARIAT_ADMIN),
    "cooperation:workplan": allow(*SECRETARIAT_ADMIN),
    "cooperation:workplan_move": post_only(*SECRETARIAT_ADMIN),
    "cooperation:item_create": allow(*SECRETARIAT_ADMIN),
    "cooperation:item": allow(*SECRETARIAT_ADMIN),
    "cooperation:item_edit": allow(*SECRETARIAT_ADMIN),
    # --- dataflows (GBA data-transfer agreements; dt_signed: partner (Tsinghua) -> applicant_other (HKU) on the
    # funded project; the secretariat oversees it without the personal-information particulars) ---
    "dataflows:agreements": signed_in(),
    "dataflows:agreement_create": signed_in(),  # the form for verified members; a notice for the others
    "dataflows:oversight": allow(*SECRETARIAT_ADMIN),
    "dataflows:agreement": allow(*DT_DETAILS, SECRETARIAT, absent={SECRETARIAT: _dt_particulars}),
    "dataflows:agreement_edit": allow(*DT_PARTIES, ADMIN),
    "dataflows:agreement_submit": post_only(PARTNER, ADMIN),
    "dataflows:agreement_accept": post_only(APPLICANT_OTHER, OFFICE_OTHER, ADMIN),
    "dataflows:agreement_return": post_only(*DT_PARTIES, ADMIN),
    "dataflows:agreement_pdf": allow(*DT_DETAILS),
    "dataflows:agreement_signed_upload": post_only(*DT_PARTIES, ADMIN),
    "dataflows:agreement_log_add": post_only(APPLICANT_OTHER, OFFICE_OTHER, ADMIN),
    "dataflows:filing_record": post_only(PARTNER, *SECRETARIAT_ADMIN),
    # --- dataflows: sample exports and datasets (see the API entries above) ---
    "dataflows:samples_list": signed_in(),
    "dataflows:samples_create": allow(ADMIN),  # members of a pilot unit only: none in the world
    "dataflows:samples_figures": public(),  # aggregates only
    "dataflows:samples_detail": allow(
        *TEAM,
        OFFICE_OTHER,
        *CALL_OFFICERS,
        *SECRETARIAT_ADMIN,
        post=(*CALL_OFFICERS, *SECRETARIAT_ADMIN),  # record decisions, review transfers
    ),
    "dataflows:datasets_list": signed_in(),
    "dataflows:datasets_create": allow(*TEAM),  # the leads of a project
    "dataflows:datasets_detail": allow(
        *TEAM, OFFICE_OWN, *CALL_OFFICERS, *SECRETARIAT_ADMIN, post=(*TEAM, *SECRETARIAT_ADMIN)
    ),
    # --- funding (p_sub: submitted and eligible; p_draft: never submitted) ---
    "funding:calls": public(),
    "funding:call": public(),
    "funding:proposal_create": signed_in(),  # the form; creating needs an applicant (services refuse others)
    "funding:officer_proposals": allow(*CALL_OFFICERS),
    "funding:my_proposals": signed_in(),
    "funding:proposal": PROPOSAL_PAGE,
    "funding:proposal_print": PROPOSAL_PAGE,  # the same page, printable: the same rule (issue 15)
    "funding:proposal_edit": allow(*TEAM, ADMIN, post=TEAM),
    "funding:invite": allow(*TEAM),
    "funding:withdraw": allow(*TEAM, ADMIN, post=TEAM),
    "funding:half_edit": allow(APPLICANT),
    "funding:submit": post_only(APPLICANT),
    "funding:endorse": allow(),  # a draft half: nobody endorses it yet (POST by the office is refused too)
    "funding:screen": allow(OFFICER_HK),
    "funding:team_remove": post_only(APPLICANT),
    "funding:accept_invitation": signed_in(),  # the token is the capability; an accepted one only says so
    "funding:office_queue": allow(OFFICE_OWN, OFFICE_OTHER),
    "funding:eligibility_profile": signed_in(),  # one's own personal eligibility data only
    # --- issue 17: experts to avoid: the half's own applicants (without the match result) and its own
    # agency's officers; never the partner team, the partner agency, reviewers or chairs ---
    "exclusions:half": allow(
        per_variant={
            "submitted": allow(  # submitted: no one edits; the applicant never sees the match result
                APPLICANT,
                OFFICER_HK,
                ADMIN,
                post=(),
                absent={APPLICANT: lambda w: ["not in the database", "matched to"]},
            ),
            "draft": allow(
                APPLICANT, post=(APPLICANT,)
            ),  # a draft: its lead only, not its agency yet
        }
    ),
    "exclusions:override": post_only(OFFICER_HK, ADMIN),
    # --- rechecks: the request about p_half's HK half is seen by that half's team (its lead) and that side's
    # officers only; not the partner half's team, the research office, the other agency or experts ---
    "rechecks:index": signed_in(),  # lists only one's own / one's agency's requests
    "rechecks:create": allow(
        APPLICANT
    ),  # the half's lead (the form says a request is already open)
    "rechecks:detail": allow(APPLICANT, OFFICER_HK, ADMIN),
    "rechecks:decide": allow(OFFICER_HK),
    "rechecks:withdraw": post_only(APPLICANT),
    "api:recheck-list": signed_in(),
    "api:recheck-detail": allow(APPLICANT, OFFICER_HK, ADMIN),
    "api:recheck-decide": post_only(OFFICER_HK),
    "api:recheck-withdraw": post_only(APPLICANT),
    # --- stored files: every file the world stores, on the one file route (/files/<signed name>/) ---
    "core:file": files(
        {
            # a half's files: whoever sees that half in full (funding/files.py): its team, its institution's office
            # once sent for endorsement, its own agency's officers; the partner agency's officers see the scheme's
            # partner level ("summary": no attachments); the half's reviewers past the conflict check (the
            # review page links them: EXPERT on the HK half, CHAIR on the ML half), never a conflicted one
            "proposals/JFS-CALL-0001/HK/": (*TEAM, OFFICE_OWN, OFFICER_HK, EXPERT, ADMIN),
            "proposals/JFS-CALL-0001/ML/": (*TEAM, OFFICER_ML, CHAIR, ADMIN),
            "proposals/JFS-CALL-0002/": (*TEAM, ADMIN),
            "proposals/JFS-CALL-0003/HK/": (*TEAM, OFFICE_OWN, OFFICER_HK, ADMIN),
            "proposals/JFS-CALL-0003/ML/": (*TEAM, OFFICER_ML, ADMIN),
            "proposals/JFS-CALL-0004/HK/": (*TEAM, OFFICE_OWN, OFFICER_HK, ADMIN),
            "proposals/JFS-CALL-0004/ML/": (*TEAM, ADMIN),
            "projects/P-JFS-CALL-0003/HK/": (*TEAM, OFFICER_HK, *SECRETARIAT_ADMIN),
            "talent/<application>/": (APPLICANT, OFFICE_OTHER, *SECRETARIAT_ADMIN),
            "rechecks/": (
                APPLICANT,
                OFFICER_HK,
                ADMIN,
            ),  # recheck evidence: the half's team, its officers
            "expert_imports/": SECRETARIAT_ADMIN,
            "dataflows/": DT_DETAILS,  # PIIA and signed contract: the parties and the project's officers
            # a lab's work plan and financial report: its university's office, the funder's officers
            "labfunding/": (OFFICE_OTHER, OFFICER_HK, ADMIN),
        }
    ),
    # --- labfunding (an SKL hosted by HKU, i.e. office_other; ITC funds it) ---
    "labfunding:overview": public(),  # programmes, released totals and exercises only
    "labfunding:exercise": public(),
    "labfunding:grants": signed_in(),  # the list shows only one's own grants
    "labfunding:grant_create": allow(OFFICER_HK, ADMIN),  # a superuser holds every permission
    "labfunding:grant": allow(OFFICE_OTHER, OFFICER_HK, ADMIN),
    "labfunding:report_edit": allow(OFFICE_OTHER, ADMIN),
    "labfunding:grant_act": post_only(OFFICE_OTHER, OFFICER_HK, ADMIN),
    "api:lab-grant-list": signed_in(),
    "api:lab-grant-detail": allow(OFFICE_OTHER, OFFICER_HK, ADMIN),
    "api:lab-exercise-list": public(),
    "api:lab-exercise-detail": public(),
    # --- nominations (HKU nominates ``expert``; ITC checked and forwarded it to MOST) ---
    "nominations:list": signed_in(),  # the list shows only one's own
    "nominations:create": allow(OFFICE_OTHER),
    "nominations:batch": allow(OFFICE_OTHER),
    "nominations:batch_detail": allow(OFFICE_OTHER, ADMIN),
    "nominations:detail": allow(
        per_variant={
            "forwarded": allow(OFFICE_OTHER, OFFICER_HK, OFFICER_ML, EXPERT, ADMIN),
            "draft": allow(OFFICE_OTHER, ADMIN),
        }
    ),
    "nominations:act": post_only(OFFICE_OTHER, OFFICER_HK, OFFICER_ML, EXPERT, ADMIN),
    "nominations:export": allow(OFFICER_HK, OFFICER_ML, ADMIN),
    "api:expert-nomination-list": signed_in(),
    "api:expert-nomination-detail": allow(OFFICE_OTHER, OFFICER_HK, OFFICER_ML, EXPERT, ADMIN),
}


# --- remittances (w.remittance: the Mainland (MOST) first tranche of p_funded's project, instructed, to
# ASTRI in Hong Kong; w.tranche_ml_later: a Mainland tranche not yet due) ---
def _remittance_ref(w):
    return [w.remittance.reference]


RULES.update(
    {
        "remittances:ledger": allow(
            OFFICE_OWN,
            OFFICE_OTHER,
            *OFFICERS,
            *SECRETARIAT_ADMIN,
            absent={
                OFFICE_OTHER: _remittance_ref,
                OFFICER_HK: _remittance_ref,
                OFFICER_OTHER: _remittance_ref,
            },
        ),
        "remittances:detail": allow(OFFICE_OWN, OFFICER_ML, *SECRETARIAT_ADMIN),
        "remittances:instruct": allow(OFFICER_ML, ADMIN),  # the form says why it is not yet due
        "remittances:remit": allow(OFFICER_ML, ADMIN),
        "remittances:receive": allow(OFFICE_OWN, ADMIN),
        "remittances:report_use": allow(OFFICE_OWN, ADMIN),
        "remittances:reconcile": allow(OFFICER_ML, ADMIN),
        "api:remittance-list": signed_in(),
        "api:remittance-detail": allow(OFFICE_OWN, OFFICER_ML, *SECRETARIAT_ADMIN),
        "api:remittance-totals": public(),  # aggregates only
    }
)

ADMIN_RULE = staff_only()  # every route under /admin/ (Django admin): superusers only

# Cells that fail today: "METHOD route[variant] identity" (GET/POST/LIST/ABSENT) -> why, and where it is fixed.
KNOWN_OPEN = {}

# Routes where EVERY refused cell is known open.
KNOWN_OPEN_ROUTES = {}
