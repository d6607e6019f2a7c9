"""Issue 15: invitations to lead a partner half that wait for the signed-in user are on the dashboard."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.funding.selectors import pending_invitations_for
from sciencebridge.funding.services import proposals as svc

pytestmark = pytest.mark.django_db


def _proposal(world, title="Smart sensing for logistics"):
    return svc.create_proposal(
        world.hk_lead,
        world.call,
        title=title,
        abstract="An abstract.",
        duration_months=24,
    )


def _invite(world, p, user):
    return svc.invite_partner(world.hk_lead, p, email=user.email, institution=user.institution)


def _dashboard(client, user):
    client.force_login(user)
    r = client.get(reverse("core:dashboard"))
    assert r.status_code == 200
    return r.content.decode()


def test_invitee_sees_the_invitation_with_accept_link(world, client):
    world.hk_lead.first_name, world.hk_lead.last_name = "Mei", "Lam"
    world.hk_lead.save()
    p = _proposal(world)
    inv = _invite(world, p, world.ml_lead)
    html = _dashboard(client, world.ml_lead)
    assert 'id="pending-invitations"' in html
    row = html.split('id="pending-invitations"')[1]
    assert "Smart sensing for logistics" in row
    assert p.reference in row
    assert "Mei Lam" in row  # who invited
    assert "Mainland side" in row  # the side to lead
    assert "Tsinghua University" in row
    assert timezone.localtime(world.call.closes_at).strftime("%Y-%m-%d %H:%M") in row
    accept = reverse("funding:accept_invitation", args=[inv.token])
    assert f'href="{accept}"' in row
    assert client.get(accept).status_code == 200


def test_someone_else_does_not_see_the_invitation(world, client):
    p = _proposal(world)
    inv = _invite(world, p, world.ml_lead)
    for other in (world.outsider, world.hk_lead, world.hk_office, world.most_officer):
        html = _dashboard(client, other)
        assert inv.token not in html
        assert "pending-invitations" not in html
        assert not pending_invitations_for(other).exists()


def test_matched_by_email_like_the_accept_flow(world):
    p = _proposal(world)
    person = UserFactory(
        username="fudan_pi", email="PI@Fudan.edu.cn", institution=world.fudan, roles=[]
    )
    inv = svc.invite_partner(world.hk_lead, p, email="pi@fudan.edu.cn ", institution=world.fudan)
    # No applicant role yet (accepting grants it): the invitation is still theirs.
    assert list(pending_invitations_for(person)) == [inv]
    no_mail = UserFactory(username="no_mail", email="", institution=world.fudan)
    assert not pending_invitations_for(no_mail).exists()


def test_accepted_invitation_disappears(world, client):
    p = _proposal(world)
    inv = _invite(world, p, world.ml_lead)
    assert inv.token in _dashboard(client, world.ml_lead)
    client.post(reverse("funding:accept_invitation", args=[inv.token]))
    inv.refresh_from_db()
    assert inv.accepted_by == world.ml_lead
    html = _dashboard(client, world.ml_lead)
    assert inv.token not in html
    assert "pending-invitations" not in html


def test_revoked_expired_and_unjoinable_invitations_are_left_out(world):
    live = _invite(world, _proposal(world, "Live"), world.ml_lead)
    revoked = _invite(world, _proposal(world, "Revoked"), world.ml_lead)
    revoked.revoked = True
    revoked.save()
    withdrawn_p = _proposal(world, "Withdrawn")
    _invite(world, withdrawn_p, world.ml_lead)
    svc.withdraw(world.hk_lead, withdrawn_p, "Changed plans.")
    # Someone else took the half (e.g. a second invitation accepted by a colleague).
    taken_p = _proposal(world, "Taken")
    _invite(world, taken_p, world.ml_lead)
    colleague = UserFactory(
        username="ml_colleague", institution=world.tsinghua, roles=[Role.APPLICANT]
    )
    svc.accept_invitation(colleague, _invite(world, taken_p, colleague).token)
    assert list(pending_invitations_for(world.ml_lead)) == [live]
    # Once the call has closed the half can no longer be submitted: the invitation has expired.
    later = world.call.closes_at + dt.timedelta(minutes=1)
    assert not pending_invitations_for(world.ml_lead, now=later).exists()


def test_dashboard_in_chinese(world, client):
    p = _proposal(world)
    _invite(world, p, world.ml_lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = _dashboard(client, world.ml_lead)
    assert "加入申请的邀请" in html
    assert "查看并接受" in html


def test_query_count_constant(world, client, django_assert_max_num_queries):
    _invite(world, _proposal(world, "One"), world.ml_lead)
    client.force_login(world.ml_lead)
    url = reverse("core:dashboard")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    for i in range(4):
        _invite(world, _proposal(world, f"More {i}"), world.ml_lead)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('class="invitation"') == 5
