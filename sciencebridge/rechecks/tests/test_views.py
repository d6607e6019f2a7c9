import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import pdf_upload
from sciencebridge.core.testing.kept import forget_kept_values
from sciencebridge.funding.models import HalfState
from sciencebridge.rechecks import services as svc
from sciencebridge.rechecks.models import RecheckRequest, RecheckState

pytestmark = pytest.mark.django_db


@pytest.fixture
def ml(world, make_ineligible):
    return make_ineligible().half("ML")


def test_lead_asks_from_the_proposal_page_and_sees_the_due_date(client, world, ml):
    client.force_login(world.ml_lead)
    page = client.get(reverse("funding:proposal", args=[ml.proposal.reference])).content.decode()
    assert 'id="ask-recheck-ml"' in page
    client.force_login(world.hk_lead)  # the partner lead sees the half, but may not ask
    page = client.get(reverse("funding:proposal", args=[ml.proposal.reference])).content.decode()
    assert "ask-recheck" not in page
    client.force_login(world.ml_lead)
    url = reverse("rechecks:create", args=[ml.proposal.reference, "ml"])
    r = client.post(url, {"reasons": "Signed on page 3.", "evidence": pdf_upload("scan.pdf")})
    req = RecheckRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("rechecks:detail", args=[req.pk])
    page = client.get(r["Location"]).content.decode()
    assert req.due_date.isoformat() in page and "Signed on page 3." in page and "scan.pdf" in page
    # the evidence is served to the half's team and its officers only
    ev = req.evidence.url
    assert client.get(ev).status_code == 200
    client.force_login(world.most_officer)
    page = client.get(reverse("rechecks:detail", args=[req.pk])).content.decode()
    assert req.due_date.isoformat() in page and 'id="decide-recheck"' in page
    assert client.get(ev).status_code == 200
    for user in (world.hk_lead, world.itc_officer, world.hk_office):
        client.force_login(user)
        assert client.get(ev).status_code == 404
        assert client.get(reverse("rechecks:detail", args=[req.pk])).status_code == 404


def test_bad_input_keeps_the_text_and_says_why(client, world, ml):
    client.force_login(world.ml_lead)
    url = reverse("rechecks:create", args=[ml.proposal.reference, "ml"])
    r = client.post(url, {"reasons": ""})
    assert r.status_code == 200 and "reasons are required" in r.content.decode()
    # after the window: the message gives the dates, the text typed is still in the form
    ml.state_changed_at -= dt.timedelta(days=16)
    ml.save(update_fields=["state_changed_at"])
    r = client.post(url, {"reasons": "My long explanation."})
    page = r.content.decode()
    assert r.status_code == 200 and "recheck window closed" in page
    assert "My long explanation." in page
    assert not RecheckRequest.objects.exists()


def test_officer_reverses_and_the_half_enters_review(client, world, ml):
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    url = reverse("rechecks:decide", args=[req.pk])
    client.force_login(world.most_officer)
    r = client.post(url, {"decision": "reverse", "reason": ""})
    assert r.status_code == 200 and "Record the reason" in r.content.decode()
    r = client.post(url, {"decision": "reverse", "reason": "Signature on page 3."})
    assert r.status_code == 302
    ml.refresh_from_db()
    assert ml.state == HalfState.ELIGIBLE
    client.force_login(world.ml_lead)
    page = client.get(reverse("funding:proposal", args=[ml.proposal.reference])).content.decode()
    assert "Signature on page 3." in page  # on the half's timeline


def test_decide_by_the_other_side_or_the_applicant_is_refused(client, world, ml):
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    url = reverse("rechecks:decide", args=[req.pk])
    client.force_login(world.itc_officer)
    assert client.post(url, {"decision": "reverse", "reason": "x"}).status_code == 404
    client.force_login(world.ml_lead)
    assert client.post(url, {"decision": "reverse", "reason": "x"}).status_code == 403
    req.refresh_from_db()
    assert req.state == RecheckState.REQUESTED


def test_overdue_request_on_the_officers_dashboard(client, world, ml):
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    RecheckRequest.objects.filter(pk=req.pk).update(due_date=dt.date.today() - dt.timedelta(days=2))
    client.force_login(world.most_officer)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Recheck requests (1 overdue)" in page and "Overdue: was due on" in page
    client.force_login(world.itc_officer)
    assert "Recheck requests" not in client.get(reverse("core:dashboard")).content.decode()
    client.force_login(world.ml_lead)
    assert "Your recheck requests" in client.get(reverse("core:dashboard")).content.decode()


def _count(client, url):
    forget_kept_values()  # each count a computation
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_flat(client, world, make_ineligible):
    first = make_ineligible("First").half("ML")
    svc.request_recheck(world.ml_lead, first, reasons="Signed.")
    client.force_login(world.most_officer)
    urls = [reverse("rechecks:index"), reverse("api:recheck-list"), reverse("core:dashboard")]
    one = [_count(client, u) for u in urls]
    for i in range(4):
        half = make_ineligible(f"More {i}").half("ML")
        svc.request_recheck(world.ml_lead, half, reasons="Signed.")
    assert [_count(client, u) for u in urls] == one


def test_api_create_decide_and_restrictions(client, world, ml):
    client.force_login(world.ml_lead)
    url = reverse("api:recheck-list")
    r = client.post(url, {"proposal": ml.proposal.reference, "side": "ML", "reasons": ""})
    assert r.status_code == 400 and "reasons" in r.json()
    r = client.post(
        url,
        {
            "proposal": ml.proposal.reference,
            "side": "ML",
            "reasons": "Signed.",
            "evidence": pdf_upload(),
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (
        body["state"] == "requested" and body["due_date"] and body["evidence"].startswith("/files/")
    )
    r = client.post(url, {"proposal": ml.proposal.reference, "side": "ML", "reasons": "Again."})
    assert r.status_code == 400 and "already open" in str(r.json())
    pk = body["id"]
    decide = reverse("api:recheck-decide", args=[pk])
    client.force_login(world.hk_lead)
    assert client.get(url).json()["count"] == 0
    assert client.get(reverse("api:recheck-detail", args=[pk])).status_code == 404
    client.force_login(world.itc_officer)
    assert client.post(decide, {"decision": "reverse", "reason": "x"}).status_code == 404
    client.force_login(world.most_officer)
    assert client.get(url).json()["count"] == 1
    r = client.post(decide, {"decision": "reverse", "reason": ""}, content_type="application/json")
    assert r.status_code == 400 and "reason" in r.json()
    r = client.post(
        decide, {"decision": "reverse", "reason": "Signed."}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["state"] == "reversed"
    ml.refresh_from_db()
    assert ml.state == HalfState.ELIGIBLE
