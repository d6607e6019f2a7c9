"""Pages and API: permissions object by object, refusals that keep the input, flat query counts, the
three languages."""

import datetime as dt
from pathlib import Path

import polib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import pdf_upload
from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.dataflows.models import AgreementState, DataTransferAgreement

from .conftest import complete_fields

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_who_sees_an_agreement_object_by_object(client, world, gba, signed):
    a = signed()
    other_recipient = UserFactory(username="cuhk_person", institution=world.astri)
    other = _signed_with(gba, world, other_recipient)
    url = reverse("dataflows:agreement", args=[a.pk])
    rgc = UserFactory(username="rgc_off", roles=[Role.PROGRAMME_OFFICER])
    expectations = {
        gba.lead: (200, True),  # sender, project lead
        gba.partner: (200, True),  # recipient's signatory
        world.hku_office: (200, True),  # recipient institution's research office
        gba.tsinghua_office: (200, True),  # sender institution's research office
        world.hk_lead: (200, True),  # the project's other lead
        world.itc_officer: (200, True),  # officer of an agency funding the project
        world.most_officer: (200, True),
        gba.secretariat: (200, False),  # oversight without the particulars
        world.outsider: (404, False),  # HKU applicant, not a party
        world.hk_office: (404, False),  # another institution's office
        rgc: (404, False),
    }
    for user, (status, details) in expectations.items():
        client.force_login(user)
        r = client.get(url)
        assert r.status_code == status, user.username
        if status == 200:
            assert (a.purpose in r.content.decode()) is details, user.username
            pdf = client.get(reverse("dataflows:agreement_pdf", args=[a.pk]))
            assert pdf.status_code == (200 if details else 404), user.username
    # the partner is not on the other agreement
    client.force_login(gba.partner)
    assert client.get(reverse("dataflows:agreement", args=[other.pk])).status_code == 404


def _signed_with(gba, world, recipient):
    from sciencebridge.dataflows.services import agreements as svc

    a = svc.create_agreement(
        gba.lead,
        piia_file=pdf_upload("piia.pdf"),
        **complete_fields(
            world,
            gba,
            title="Another transfer",
            recipient_contact=recipient,
            recipient_institution=world.astri,
        ),
    )
    svc.submit(gba.lead, a)
    svc.accept(gba.lead, a, "processor")
    svc.accept(recipient, a, "recipient")
    return a


def test_list_shows_only_ones_own(client, world, gba, signed):
    a = signed()
    client.force_login(world.outsider)
    assert a.reference not in client.get(reverse("dataflows:agreements")).content.decode()
    client.force_login(gba.partner)
    assert a.reference in client.get(reverse("dataflows:agreements")).content.decode()


def test_create_refuses_beijing_and_keeps_the_input(client, world, gba):
    _login(client, gba.lead)
    data = {
        k: (v.pk if hasattr(v, "pk") else v)
        for k, v in complete_fields(world, gba, recipient_location=gba.loc["beijing"]).items()
        if k != "recipient_contact"
    }
    data["recipient_contact_email"] = gba.partner.email
    data["purpose"] = "KEEP-THIS-PURPOSE"
    data["piia_file"] = pdf_upload("piia.pdf")
    r = client.post(reverse("dataflows:agreement_create"), data)
    assert r.status_code == 200
    body = r.content.decode()
    assert "Beijing is outside the Greater Bay Area" in body and "KEEP-THIS-PURPOSE" in body
    assert DataTransferAgreement.objects.count() == 0
    data["recipient_location"] = gba.loc["hong-kong"].pk
    data["piia_file"] = pdf_upload("piia.pdf")
    r = client.post(reverse("dataflows:agreement_create"), data)
    a = DataTransferAgreement.objects.get()
    assert r.status_code == 302 and a.recipient_contact == gba.partner and a.piia_file


def test_submit_accept_file_through_the_pages(client, world, gba, make_agreement):
    a = make_agreement()
    _login(client, gba.lead)
    client.post(reverse("dataflows:agreement_submit", args=[a.pk]))
    client.post(reverse("dataflows:agreement_accept", args=[a.pk, "processor"]))
    # the lead cannot accept for the recipient
    r = client.post(reverse("dataflows:agreement_accept", args=[a.pk, "recipient"]))
    assert r.status_code == 404
    _login(client, gba.partner)
    client.post(reverse("dataflows:agreement_accept", args=[a.pk, "recipient"]))
    a.refresh_from_db()
    assert a.state == AgreementState.SIGNED
    f = a.filings.get(party="recipient")
    early = (a.effective_date - dt.timedelta(days=1)).isoformat()
    r = client.post(
        reverse("dataflows:filing_record", args=[f.pk]),
        {f"f{f.pk}-reference": "DPO-1", f"f{f.pk}-filed_on": early},
        follow=True,
    )
    assert "before the contract took effect" in r.content.decode()
    f.refresh_from_db()
    assert not f.is_filed
    client.post(
        reverse("dataflows:filing_record", args=[f.pk]),
        {f"f{f.pk}-reference": "DPO-1", f"f{f.pk}-filed_on": timezone.localdate().isoformat()},
    )
    f.refresh_from_db()
    assert f.reference == "DPO-1"
    # the recipient cannot record the sender's filing
    g = a.filings.get(party="processor")
    r = client.post(
        reverse("dataflows:filing_record", args=[g.pk]),
        {f"f{g.pk}-reference": "X", f"f{g.pk}-filed_on": timezone.localdate().isoformat()},
    )
    assert r.status_code == 404
    pdf = client.get(reverse("dataflows:agreement_pdf", args=[a.pk]) + "?lang=zh-hant")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_oversight_is_the_secretariats_with_metrics(client, world, gba, signed):
    signed()
    _login(client, gba.lead)
    assert client.get(reverse("dataflows:oversight")).status_code == 403
    _login(client, gba.secretariat)
    r = client.get(reverse("dataflows:oversight"), {"city": "shenzhen"})
    assert r.status_code == 200
    assert r.context["summary"]["signed"] == 1 and r.context["summary"]["filings_due"] == 2
    assert "Joint analysis" not in r.content.decode()  # no particulars


def test_api_same_permissions_and_no_particulars_for_the_secretariat(client, world, gba, signed):
    a = signed()
    url = reverse("api:dataflow-agreement-detail", args=[a.pk])
    _login(client, gba.partner)
    assert client.get(url).json()["purpose"] == a.purpose
    _login(client, gba.secretariat)
    body = client.get(url).json()
    assert body["reference"] == a.reference and "purpose" not in body
    _login(client, world.outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:dataflow-agreement-list")).json()["count"] == 0
    assert client.get(reverse("api:dataflow-filing-list")).json()["count"] == 0


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_counts_flat_with_data_size(client, world, gba, signed):
    signed()
    urls = [
        reverse("dataflows:agreements"),
        reverse("dataflows:oversight"),
        reverse("api:dataflow-agreement-list"),
        reverse("api:dataflow-filing-list"),
    ]
    for user in (gba.secretariat, gba.partner):
        _login(client, user)
        if user == gba.partner:
            urls.remove(reverse("dataflows:oversight"))
        before = [_queries(client, u) for u in urls]
        for i in range(4):
            signed(title=f"More {i}")
        after = [_queries(client, u) for u in urls]
        assert after == before, (user.username, before, after)


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_every_string_translated(locale):
    po = polib.pofile(
        str(Path(__file__).resolve().parents[1] / "locale" / locale / "LC_MESSAGES" / "django.po")
    )
    assert len(po) > 0 and po.percent_translated() == 100 and not po.fuzzy_entries()


def test_pages_in_chinese(client, gba, signed):
    a = signed()
    _login(client, gba.partner)
    r = client.get(reverse("dataflows:agreement", args=[a.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert "備案" in r.content.decode() and "香港" in r.content.decode()
    r = client.get(reverse("dataflows:agreement", args=[a.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "备案" in r.content.decode() and "深圳" in r.content.decode()
