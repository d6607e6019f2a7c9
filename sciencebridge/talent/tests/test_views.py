"""Pages: public postings, own applications, selection by the host office only; matching with reasons."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import pdf_upload
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.core.testing.files import linked_file_names
from sciencebridge.experts.models import ExpertProfile, ExpertStatus, Publication
from sciencebridge.talent.matching import rank_applicants, suggest_experts
from sciencebridge.talent.models import Application, ApplicationState
from sciencebridge.talent.services import exchanges as svc

pytestmark = pytest.mark.django_db


def _apply(user, posting, text):
    return svc.apply(user, posting, statement=text, documents=[("cv", pdf_upload("cv.pdf"))])


def test_apply_through_the_page_and_bad_file_keeps_statement(world, tal, client):
    client.force_login(world.ml_lead)
    url = reverse("talent:posting", args=[tal.posting.pk])
    resp = client.post(
        url,
        {
            "statement": "My NV-centre work",
            "cv": SimpleUploadedFile("cv.txt", b"plain text", content_type="text/plain"),
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and "not a PDF" in html and "My NV-centre work" in html
    resp = client.post(url, {"statement": "My NV-centre work", "cv": pdf_upload("cv.pdf")})
    assert resp.status_code == 302
    html = client.get(url).content.decode()
    assert 'id="my-application"' in html and "Submitted" in html


def test_manage_page_only_for_host_office_and_documents_protected(world, tal, client):
    a = _apply(world.ml_lead, tal.posting, "Quantum sensing with NV centres for imaging.")
    doc = a.documents.get()
    manage = reverse("talent:posting_manage", args=[tal.posting.pk])
    for user in (world.ml_lead, tal.ml_applicant2, tal.ml_office):
        client.force_login(user)
        assert client.get(manage).status_code == 404
    client.force_login(tal.ml_applicant2)
    assert client.get(doc.file.url).status_code == 404
    client.force_login(world.ml_lead)
    assert client.get(doc.file.url).status_code == 200
    client.force_login(world.hku_office)
    html = client.get(manage).content.decode()
    assert world.ml_lead.display_name in html and "cv.pdf" in html
    assert doc.file.name in linked_file_names(html)
    assert client.get(doc.file.url).status_code == 200


def test_select_through_the_page(world, tal, client):
    a = _apply(world.ml_lead, tal.posting, "NV centres")
    client.force_login(world.hku_office)
    resp = client.post(
        reverse("talent:application_decide", args=[a.pk]),
        {
            "to": "selected",
            "starts_on": "2026-03-01",
            "ends_on": "2026-09-01",
            "reason": "Best fit",
        },
        follow=True,
    )
    assert "Selected" in resp.content.decode()
    a.refresh_from_db()
    assert a.state == ApplicationState.SELECTED and a.exchange.host == world.hku
    client.force_login(tal.ml_applicant2)
    assert client.get(reverse("talent:exchange", args=[a.exchange.pk])).status_code == 404
    client.force_login(world.ml_lead)
    assert client.get(reverse("talent:exchange", args=[a.exchange.pk])).status_code == 200


def test_rank_applicants_with_reasons(world, tal):
    good = _apply(
        world.ml_lead,
        tal.posting,
        "I build NV centre quantum sensing microscopes for biomedical imaging.",
    )
    weak = _apply(
        tal.ml_applicant2, tal.posting, "My work is on supply chain finance and logistics policy."
    )
    ranked = rank_applicants(tal.posting)
    assert [m.person.pk for m in ranked] == [good.pk, weak.pk]
    assert ranked[0].score > ranked[1].score
    assert ranked[0].reasons and "NV centre" in ranked[0].reasons[0].text
    assert "quantum sensing" in ranked[0].shared_keywords


def test_suggest_experts_with_reasons_leaves_out_host(world, tal):
    def expert(name, inst, title):
        e = ExpertProfile.objects.create(
            name_en=name,
            email=f"{name.split()[0].lower()}@example.org",
            region=inst.region,
            institution=inst,
            status=ExpertStatus.ADMITTED,
        )
        Publication.objects.create(expert=e, title=title)
        return e

    far = expert(
        "Wang Fang", world.tsinghua, "Nitrogen-vacancy quantum sensing for biomedical imaging"
    )
    expert("Lee Ka Ho", world.hku, "Quantum sensing with NV centres")  # host institution: conflict
    expert("Zhao Lei", world.fudan, "Port logistics scheduling")
    matches = suggest_experts(tal.posting)
    assert [m.person.pk for m in matches] == [far.pk]
    assert "quantum sensing" in matches[0].reasons[0].text.lower()


def test_posting_manage_and_list_query_counts_flat(world, tal, client):
    client.force_login(world.hku_office)
    url = reverse("talent:posting_manage", args=[tal.posting.pk])
    _apply(world.ml_lead, tal.posting, "NV imaging")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
        client.get(reverse("talent:programmes"))
    for i in range(4):
        u = UserFactory(username=f"extra{i}", institution=world.fudan)
        _apply(u, tal.posting, f"statement {i} quantum")
        svc.create_posting(
            world.hku_office, tal.call, title=f"Post {i}", description="d", duration_months=2
        )
    with CaptureQueriesContext(connection) as big:
        client.get(url)
        client.get(reverse("talent:programmes"))
    assert len(big) == len(small)
    assert Application.objects.count() == 5


def test_public_pages_render(world, tal, client):
    assert (
        "Visiting researcher in quantum sensing"
        in client.get(reverse("talent:programmes")).content.decode()
    )
    assert (
        client.get(reverse("talent:exchanges"), {"direction": "ML-HK", "year": "2026"}).status_code
        == 200
    )
    assert client.get(reverse("talent:exchanges"), {"year": "x"}).status_code == 200
    assert client.get(reverse("talent:my_applications")).status_code == 302


def test_postings_suggested_to_a_researcher_with_reasons(world, tal, client):
    profile = ExpertProfile.objects.create(
        name_en="Wang Wei",
        email="ww@example.org",
        user=world.ml_lead,
        region="ML",
        institution=world.tsinghua,
        status=ExpertStatus.ADMITTED,
        keywords="quantum sensing, imaging",
    )
    Publication.objects.create(
        expert=profile, title="NV centre magnetometry for biomedical imaging"
    )
    svc.create_posting(
        world.hku_office,
        tal.call,
        title="Port logistics secondment",
        description="Scheduling of container terminals.",
        keywords="logistics",
        duration_months=3,
    )
    client.force_login(world.ml_lead)
    html = client.get(reverse("talent:programmes")).content.decode()
    block = html.split('id="for-you"')[1].split("</ul>")[0]
    assert "Visiting researcher in quantum sensing" in block and "Port logistics" not in block
    assert "Shared keywords: quantum sensing, NV centre, imaging" in block  # the reason
    client.force_login(tal.ml_applicant2)  # no expert profile: no suggestions
    assert 'id="for-you"' not in client.get(reverse("talent:programmes")).content.decode()


def test_dashboard_panels(world, tal, client):
    _apply(world.ml_lead, tal.posting, "NV centres")
    client.force_login(world.hku_office)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert (
        "Exchange applications to decide" in html
        and "Visiting researcher in quantum sensing" in html
    )
    client.force_login(world.ml_lead)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "Your exchange applications" in html
