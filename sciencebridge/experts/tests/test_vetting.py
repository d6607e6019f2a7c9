import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sciencebridge.accounts.roles import Role
from sciencebridge.core.workflow import TransitionNotAllowed, timeline
from sciencebridge.experts.models import ExpertProfile, ExpertStatus
from sciencebridge.experts.services import profiles as svc


@pytest.fixture
def applied(make_user, institutions, codes):
    user = make_user("newexpert", institution=institutions["cuhk"])
    return svc.apply_to_join(
        user,
        name_en="New Expert",
        region="HK",
        institution=institutions["cuhk"],
        keywords="catalysis",
        discipline_codes=[codes["B01"]],
    )


@pytest.mark.django_db
def test_apply_creates_applied_profile_with_initial_step(applied):
    assert applied.status == ExpertStatus.APPLIED and applied.email == "newexpert@example.org"
    steps = list(timeline(applied))
    assert [(s.from_state, s.to_state) for s in steps] == [("", "applied")]
    assert applied.discipline_codes.count() == 1


@pytest.mark.django_db
def test_cannot_apply_twice(applied):
    with pytest.raises(ValidationError):
        svc.apply_to_join(
            applied.user, name_en="Again", region="HK", institution=applied.institution
        )


@pytest.mark.django_db
def test_secretariat_admits_and_rejects_with_recorded_reason(
    applied, secretariat, make_user, institutions
):
    svc.admit(secretariat, applied, "Strong record in catalysis")
    applied.refresh_from_db()
    assert applied.status == ExpertStatus.ADMITTED
    last = list(timeline(applied))[-1]
    assert (last.from_state, last.to_state, last.actor, last.reason) == (
        "applied",
        "admitted",
        secretariat,
        "Strong record in catalysis",
    )
    assert applied.user.has_role(Role.EXPERT) or Role.EXPERT in set(
        applied.user.groups.values_list("name", flat=True)
    )
    svc.suspend(secretariat, applied, "Did not declare a conflict")
    applied.refresh_from_db()
    assert applied.status == ExpertStatus.SUSPENDED
    with pytest.raises(TransitionNotAllowed):
        svc.reject(secretariat, applied, "no")
    other = svc.apply_to_join(
        make_user("other", institution=institutions["hku"]),
        name_en="Other",
        region="HK",
        institution=institutions["hku"],
    )
    with pytest.raises(ValidationError):
        svc.reject(secretariat, other, "   ")  # a rejection needs a reason
    svc.reject(secretariat, other, "Outside the programme's fields")
    other.refresh_from_db()
    assert other.status == ExpertStatus.REJECTED
    assert list(timeline(other))[-1].reason == "Outside the programme's fields"
    assert other.history.count() >= 2  # simple_history records the status change


@pytest.mark.django_db
def test_officer_and_expert_cannot_vet(applied, officer):
    with pytest.raises(PermissionDenied):
        svc.admit(officer, applied, "")
    with pytest.raises(PermissionDenied):
        svc.admit(applied.user, applied, "")
    applied.refresh_from_db()
    assert applied.status == ExpertStatus.APPLIED


@pytest.mark.django_db
def test_vetting_pages(client, applied, secretariat, officer):
    client.force_login(officer)
    assert client.get(reverse("experts:vetting")).status_code == 403
    assert (
        client.post(
            reverse("experts:decide", args=[applied.pk]), {"decision": "admitted"}
        ).status_code
        == 403
    )
    client.force_login(secretariat)
    page = client.get(reverse("experts:vetting"))
    assert page.status_code == 200 and "New Expert" in page.content.decode()
    resp = client.post(
        reverse("experts:decide", args=[applied.pk]), {"decision": "rejected", "reason": ""}
    )
    assert resp.status_code == 302
    assert (
        ExpertProfile.objects.get(pk=applied.pk).status == ExpertStatus.APPLIED
    )  # no reason: refused
    client.post(
        reverse("experts:decide", args=[applied.pk]), {"decision": "admitted", "reason": "OK"}
    )
    assert ExpertProfile.objects.get(pk=applied.pk).status == ExpertStatus.ADMITTED


@pytest.mark.django_db
def test_apply_page(client, make_user, institutions):
    user = make_user("wants_in", institution=institutions["hku"])
    client.force_login(user)
    assert client.get(reverse("experts:apply")).status_code == 200
    resp = client.post(
        reverse("experts:apply"),
        {
            "name_en": "Wants In",
            "email": "wants_in@example.org",
            "region": "HK",
            "institution": institutions["hku"].pk,
            "keywords": "optics",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:3000]
    assert ExpertProfile.objects.get(user=user).status == ExpertStatus.APPLIED
