import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sciencebridge.experts import selectors
from sciencebridge.experts.models import ExpertStatus
from sciencebridge.experts.services import profiles as svc


@pytest.fixture
def two_experts(make_user, make_expert):
    u1, u2 = make_user("alice", "expert"), make_user("bob", "expert")
    return (
        make_expert("Alice", user=u1, papers=["Alice's paper"]),
        make_expert("Bob", user=u2, papers=["Bob's paper"]),
    )


@pytest.mark.django_db
def test_expert_cannot_edit_another_profile(client, two_experts):
    alice, bob = two_experts
    with pytest.raises(PermissionDenied):
        svc.update_own_profile(alice.user, bob, keywords="hijacked")
    with pytest.raises(PermissionDenied):
        svc.add_publication(alice.user, bob, title="Not mine")
    bob.refresh_from_db()
    assert bob.keywords == "" and bob.publications.count() == 1
    svc.update_own_profile(alice.user, alice, keywords="optics")
    alice.refresh_from_db()
    assert alice.keywords == "optics"
    client.force_login(alice.user)
    bobs_paper = bob.publications.get()
    resp = client.post(reverse("experts:my_item_delete", args=["publication", bobs_paper.pk]))
    assert resp.status_code == 403 and bob.publications.count() == 1
    # "me" is always the logged-in expert's own profile.
    page = client.get(reverse("experts:me"))
    assert "Alice" in page.content.decode() and "Bob&#x27;s paper" not in page.content.decode()


@pytest.mark.django_db
def test_expert_sees_only_own_profile(client, two_experts):
    alice, bob = two_experts
    assert list(selectors.search_experts(alice.user)) == [alice]
    client.force_login(alice.user)
    assert client.get(reverse("experts:detail", args=[bob.pk])).status_code == 404
    assert client.get(reverse("experts:detail", args=[alice.pk])).status_code == 200
    resp = client.get(reverse("experts:list"))
    assert resp.status_code == 302 and resp.url == reverse("experts:detail", args=[alice.pk])
    assert client.get(reverse("experts:find")).status_code == 403


@pytest.mark.django_db
def test_applicant_cannot_search_experts(client, applicant, two_experts):
    assert list(selectors.search_experts(applicant, q="Alice")) == []
    client.force_login(applicant)
    assert client.get(reverse("experts:list")).status_code == 403
    assert client.get(reverse("experts:find")).status_code == 403
    assert client.post(reverse("experts:find"), {"text": "paper"}).status_code == 403
    assert client.get(reverse("experts:detail", args=[two_experts[0].pk])).status_code == 404
    assert client.get(reverse("experts:export", args=["csv"])).status_code == 403


@pytest.mark.django_db
def test_anonymous_redirected_to_login(client):
    resp = client.get(reverse("experts:list"))
    assert resp.status_code == 302 and "login" in resp.url


@pytest.mark.django_db
def test_officer_sees_admitted_experts_only_secretariat_sees_all(officer, secretariat, make_expert):
    admitted = make_expert("Admitted")
    pending = make_expert("Pending", status=ExpertStatus.APPLIED)
    assert list(selectors.search_experts(officer)) == [admitted]
    assert set(selectors.search_experts(secretariat)) == {admitted, pending}
    assert list(selectors.search_experts(secretariat, status="applied")) == [pending]
