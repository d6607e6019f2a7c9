"""Who sees what, object by object (pages, API, selectors), and flat query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sciencebridge.remittances import selectors
from sciencebridge.remittances.services import remittances as svc

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_as_the_test_runs():
    """TODAY as of each test, not of collection: a run that crossed midnight in Hong Kong (16:00 UTC)
    compared a stale TODAY with the services' ``timezone.localdate()``."""
    global TODAY
    TODAY = timezone.localdate()


@pytest.fixture
def rem(world, ml_tranche):
    r = svc.instruct(ml_tranche, actor=world.most_officer, instructed_on=TODAY - dt.timedelta(5))
    return svc.record_remitted(
        r,
        actor=world.most_officer,
        remitted_on=TODAY - dt.timedelta(2),
        amount=r.instructed_amount,
        bank_reference="ICBC-42",
    )


def test_object_by_object(client, world, rem, rates):
    seen_by = {"most_officer", "astri_office"}
    for user in (
        world.most_officer,
        world.itc_officer,
        world.hk_office,
        world.hku_office,
        world.hk_lead,
        world.outsider,
    ):
        sees = user.username in seen_by
        assert user.has_perm("remittances.view_remittance", rem) is sees, user
        assert (rem in selectors.visible_remittances(user)) is sees, user
        client.force_login(user)
        page = client.get(reverse("remittances:detail", args=[rem.reference]))
        assert page.status_code == (200 if sees else 404), user
        api = client.get(reverse("api:remittance-detail", args=[rem.reference]))
        assert api.status_code == (200 if sees else 404), user
        listed = client.get(reverse("api:remittance-list")).json()
        assert [r["reference"] for r in listed["results"]] == ([rem.reference] if sees else [])
    # Only the receiving office records the receipt; only the agency's officers remit.
    assert world.hk_office.has_perm("remittances.receive", rem)
    assert not world.most_officer.has_perm("remittances.receive", rem)
    assert not world.hku_office.has_perm("remittances.receive", rem)
    assert not world.hk_office.has_perm("remittances.remit", rem)
    client.force_login(world.hku_office)
    assert client.get(reverse("remittances:receive", args=[rem.reference])).status_code == 404
    client.force_login(world.most_officer)
    assert client.get(reverse("remittances:receive", args=[rem.reference])).status_code == 403


def test_receipt_through_the_page_and_public_totals(client, world, rem, rates):
    client.logout()
    before = client.get(reverse("api:remittance-totals")).json()
    assert before["received_hkd"] == "0.00"
    assert before["remitted_rmb"] == f"{rem.remitted_amount.amount:.2f}"
    assert "ICBC-42" not in str(before) and "astri" not in str(before).lower()
    client.force_login(world.hk_office)
    url = reverse("remittances:receive", args=[rem.reference])
    # A receipt far above the remitted amount keeps what was typed and says why.
    resp = client.post(url, {"received_on": TODAY.isoformat(), "amount": "999999999"})
    assert resp.status_code == 200 and "Refused" in resp.content.decode()
    assert 'value="999999999' in resp.content.decode()
    hkd = rem.remitted_amount.amount * rates
    resp = client.post(url, {"received_on": TODAY.isoformat(), "amount": f"{hkd:.2f}"})
    assert resp.status_code == 302
    client.logout()
    after = client.get(reverse("api:remittance-totals")).json()
    assert after["received_hkd"] == f"{hkd:.2f}" and after["by_state"]["received"] == 1


def test_anonymous_and_unrelated_users_get_no_ledger(client, world):
    assert client.get(reverse("remittances:ledger")).status_code == 302
    client.force_login(world.hk_lead)
    assert client.get(reverse("remittances:ledger")).status_code == 403


def test_query_counts_do_not_grow_with_data(client, world, make_project, rates):
    def add(n):
        for i in range(n):
            t = make_project(title=f"Project {i} {n}").sides.get(side="ML").tranches.get(number=1)
            r = svc.instruct(t, actor=world.most_officer, instructed_on=TODAY - dt.timedelta(5))
            svc.record_remitted(
                r,
                actor=world.most_officer,
                remitted_on=TODAY - dt.timedelta(1),
                amount=r.instructed_amount,
                bank_reference=f"B-{n}-{i}",
            )

    def count(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    urls = [reverse("remittances:ledger"), reverse("api:remittance-list")]
    add(1)
    small = [count(u, url) for u in (world.most_officer, world.hk_office) for url in urls]
    add(3)
    big = [count(u, url) for u in (world.most_officer, world.hk_office) for url in urls]
    assert big == small
    client.force_login(world.hk_office)
    assert len(client.get(reverse("api:remittance-list")).json()["results"]) == 4
