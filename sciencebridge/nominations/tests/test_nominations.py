"""The nomination route, consent, batch upload, export, and who sees what."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciencebridge.accounts.roles import Role
from sciencebridge.core import metrics
from sciencebridge.core.models import StateTransition
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.nominations.models import Nomination, NominationState
from sciencebridge.nominations.services import batch as batch_svc
from sciencebridge.nominations.services import nominations as svc

pytestmark = pytest.mark.django_db


def nominate(world, nx, expert=None, database="programmes", **kw):
    expert = expert or nx.alice
    return svc.nominate(world.hku_office, nx.ex, email=expert.email, database=database, **kw)


def test_full_route_with_consent(world, nx):
    nom = nominate(world, nx)
    svc.set_consent(nx.alice.user, nom, given=True)
    svc.submit(world.hku_office, nom, "nominated")
    svc.check(world.itc_officer, nom, forward=True, reason="qualified")
    svc.approve(world.most_officer, nom, approve=True, reason="approved")
    nom.refresh_from_db()
    assert nom.state == NominationState.APPROVED and nom.entered_on is not None
    steps = StateTransition.objects.filter(object_id=nom.pk, content_type__model="nomination")
    by_state = {s.to_state: s for s in steps}
    assert by_state["forwarded"].actor == world.itc_officer
    assert by_state["forwarded"].reason == "qualified"
    assert by_state["approved"].actor == world.most_officer
    assert metrics.compute("nominations.experts_entered") == 1
    assert metrics.compute("nominations.experts_entered", database="awards") == 0


def test_no_consent_refused_at_submission_and_at_itc_check(world, nx):
    nom = nominate(world, nx)
    with pytest.raises(ValidationError) as e:
        svc.submit(world.hku_office, nom)
    assert "Alice has not consented to this nomination" in str(e.value)
    svc.set_consent(nx.alice.user, nom, given=True)
    svc.submit(world.hku_office, nom)
    svc.set_consent(nx.alice.user, nom, given=False)  # the expert changes their mind
    with pytest.raises(ValidationError, match="has not consented.*Declined"):
        svc.check(world.itc_officer, nom, forward=True)
    nom.refresh_from_db()
    assert nom.state == NominationState.SUBMITTED
    # an expert without an account cannot consent, so cannot be submitted
    nom2 = nominate(world, nx, expert=nx.carol)
    with pytest.raises(ValidationError, match="Carol has not consented"):
        svc.submit(world.hku_office, nom2)


def test_nomination_rules(world, nx):
    with pytest.raises(ValidationError, match="not at your university"):
        nominate(world, nx, expert=nx.dave)
    with pytest.raises(ValidationError, match="No expert with the e-mail address"):
        svc.nominate(world.hku_office, nx.ex, email="ghost@example.org", database="programmes")
    with pytest.raises(ValidationError, match="names the national society"):
        nominate(world, nx, database="cast")
    nominate(world, nx)
    with pytest.raises(ValidationError, match="already nominated"):
        nominate(world, nx)
    nominate(world, nx, database="awards")  # another database is another nomination
    with pytest.raises(PermissionDenied):  # Tsinghua is not a nominating university
        office = UserFactory(
            username="thu_office", institution=world.tsinghua, roles=[Role.RESEARCH_OFFICE]
        )
        svc.nominate(office, nx.ex, email=nx.alice.email, database="awards")
    with pytest.raises(ValidationError, match="reason for not forwarding"):
        nom = Nomination.objects.get(database="awards")
        svc.set_consent(nx.alice.user, nom, given=True)
        svc.submit(world.hku_office, nom)
        svc.check(world.itc_officer, nom, forward=False)
    with pytest.raises(PermissionDenied):
        svc.approve(world.most_officer, nom, approve=True)  # not forwarded yet: MOST cannot act
    with pytest.raises(PermissionDenied):
        svc.check(world.most_officer, nom, forward=True)


def test_batch_report_row_by_row(world, nx):
    content = "\n".join(
        [
            "Email,Database,Society,Statement",
            f"{nx.alice.email},programmes,,good",
            f"{nx.bob.email},cast,Chinese Chemical Society,good",
            "ghost@example.org,programmes,,",
            f"{nx.dave.email},programmes,,",
            f"{nx.bob.email},nowhere,,",
            f"{nx.alice.email},programmes,,again",
            ",programmes,,",
            f"{nx.carol.email},cast,,",
        ]
    )
    batch = batch_svc.batch_nominate(
        world.hku_office, nx.ex, SimpleUploadedFile("n.csv", content.encode("utf-8"))
    )
    assert (batch.n_ok, batch.n_bad) == (2, 6)
    rows = {r["row"]: r for r in batch.rows}
    assert len(rows) == 8 and sorted(rows) == list(range(2, 10))  # every row is reported
    assert rows[2]["ok"] and rows[3]["ok"]
    assert "No expert with the e-mail address ghost@example.org" in rows[4]["messages"][0]
    assert "not at your university" in rows[5]["messages"][0]
    assert "Unknown database" in rows[6]["messages"][0]
    assert "earlier row" in rows[7]["messages"][0]
    assert "e-mail address is missing" in rows[8]["messages"][0]
    assert "national society" in rows[9]["messages"][0]
    assert Nomination.objects.filter(batch=batch).count() == 2


def test_batch_xlsx_and_bad_files(world, nx):
    from sciencebridge.core.spreadsheets import Sheet

    sheet = Sheet(["email", "database"])
    sheet.append([nx.alice.email, "awards"])
    batch = batch_svc.batch_nominate(
        world.hku_office, nx.ex, SimpleUploadedFile("n.xlsx", sheet.xlsx())
    )
    assert batch.n_ok == 1
    with pytest.raises(ValidationError, match="Upload a .csv or .xlsx file"):
        batch_svc.batch_nominate(world.hku_office, nx.ex, SimpleUploadedFile("n.txt", b"x"))
    with pytest.raises(ValidationError, match="no database column"):
        batch_svc.batch_nominate(
            world.hku_office, nx.ex, SimpleUploadedFile("n.csv", b"email\nalice@example.org\n")
        )
    with pytest.raises(ValidationError, match="not a readable XLSX"):
        batch_svc.batch_nominate(world.hku_office, nx.ex, SimpleUploadedFile("n.xlsx", b"nope"))


def test_batch_page_shows_report(client, world, nx):
    client.force_login(world.hku_office)
    f = SimpleUploadedFile(
        "n.csv", f"email,database\n{nx.alice.email},programmes\nx@y.z,awards\n".encode()
    )
    r = client.post(reverse("nominations:batch"), {"exercise": nx.ex.pk, "file": f}, follow=True)
    body = r.content.decode()
    assert "1 nominated, 1 refused" in body and "No expert with the e-mail address x@y.z" in body
    batch_url = r.redirect_chain[-1][0]
    # the list links the file with its counts, without reading its rows (hundreds a batch)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        listed = client.get(reverse("nominations:list")).content.decode()
    assert f'href="{batch_url}"' in listed and "1 nominated, 1 refused" in listed
    assert not [
        q for q in ctx.captured_queries if '"nominations_nominationbatch"."rows"' in q["sql"]
    ]
    client.force_login(world.hk_office)  # another university's office
    assert client.get(batch_url).status_code == 404


def _approved(world, nx, expert):
    nom = nominate(world, nx, expert=expert)
    svc.set_consent(expert.user, nom, given=True)
    svc.submit(world.hku_office, nom)
    svc.check(world.itc_officer, nom, forward=True)
    svc.approve(world.most_officer, nom, approve=True)
    return nom


def test_export_documented_columns(client, world, nx):
    from sciencebridge.nominations.services.export import COLUMNS

    _approved(world, nx, nx.alice)
    nominate(world, nx, expert=nx.bob)  # a draft: not exported
    client.force_login(world.most_officer)
    r = client.get(reverse("nominations:export", args=[nx.ex.code]))
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == [c for c, _d in COLUMNS]
    assert len(rows) == 2 and rows[1][5] == nx.alice.email
    r = client.get(reverse("nominations:export", args=[nx.ex.code]) + "?format=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    for user in (world.hku_office, world.hk_lead, nx.alice.user):
        client.force_login(user)
        assert client.get(reverse("nominations:export", args=[nx.ex.code])).status_code == 404


def test_who_sees_which_nomination(client, world, nx):
    draft = nominate(world, nx, expert=nx.bob)
    submitted = nominate(world, nx)
    svc.set_consent(nx.alice.user, submitted, given=True)
    svc.submit(world.hku_office, submitted)
    forwarded = nominate(world, nx, database="awards")
    svc.set_consent(nx.alice.user, forwarded, given=True)
    svc.submit(world.hku_office, forwarded)
    svc.check(world.itc_officer, forwarded, forward=True)
    astri = svc.nominate(world.hk_office, nx.ex, email=nx.dave.email, database="programmes")
    rgc_officer = UserFactory(username="po_other", agency=world.hku, roles=[Role.PROGRAMME_OFFICER])
    secretariat = UserFactory(username="sec", roles=[Role.SECRETARIAT])
    cases = [
        (world.hku_office, {draft, submitted, forwarded}),
        (world.hk_office, {astri}),
        (world.itc_officer, {submitted, forwarded}),
        (world.most_officer, {forwarded}),
        (nx.alice.user, {submitted, forwarded}),
        (nx.bob.user, {draft}),
        (world.hk_lead, set()),
        (rgc_officer, set()),
        (secretariat, set()),
    ]
    everything = {draft, submitted, forwarded, astri}
    for user, visible in cases:
        client.force_login(user)
        for nom in everything:
            code = client.get(reverse("nominations:detail", args=[nom.pk])).status_code
            assert code == (200 if nom in visible else 404), (user, nom)
            code = client.get(f"/api/v1/expert-nominations/{nom.pk}/").status_code
            assert code == (200 if nom in visible else 404), (user, nom)
        api = {r["id"] for r in client.get("/api/v1/expert-nominations/").json()["results"]}
        assert api == {n.pk for n in visible}, user
    # actions: only the right people; others change nothing
    client.force_login(world.most_officer)
    r = client.post(reverse("nominations:act", args=[submitted.pk]), {"action": "forward"})
    assert r.status_code == 404
    client.force_login(nx.bob.user)
    client.post(reverse("nominations:act", args=[draft.pk]), {"action": "submit"})
    draft.refresh_from_db()
    assert draft.state == NominationState.DRAFT


def test_consent_through_page_then_submit_message(client, world, nx):
    nom = nominate(world, nx)
    client.force_login(world.hku_office)
    r = client.post(reverse("nominations:act", args=[nom.pk]), {"action": "submit"}, follow=True)
    assert "has not consented to this nomination" in r.content.decode()
    client.force_login(nx.alice.user)
    assert "I consent" in client.get(reverse("nominations:detail", args=[nom.pk])).content.decode()
    client.post(reverse("nominations:act", args=[nom.pk]), {"action": "consent"})
    client.force_login(world.hku_office)
    client.post(reverse("nominations:act", args=[nom.pk]), {"action": "submit"})
    nom.refresh_from_db()
    assert nom.state == NominationState.SUBMITTED


def test_list_and_api_queries_flat(client, world, nx):
    client.force_login(world.hku_office)

    def make(n, start):
        for i in range(n):
            e = nx.expert(f"x{start + i}", world.hku)
            nominate(world, nx, expert=e)

    make(2, 0)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("nominations:list"))
    with CaptureQueriesContext(connection) as api_small:
        client.get("/api/v1/expert-nominations/")
    make(10, 10)
    with CaptureQueriesContext(connection) as big:
        client.get(reverse("nominations:list"))
    with CaptureQueriesContext(connection) as api_big:
        client.get("/api/v1/expert-nominations/")
    assert len(big) == len(small) and len(api_big) == len(api_small)


def test_export_queries_flat(client, world, nx):
    client.force_login(world.itc_officer)
    _approved(world, nx, nx.alice)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("nominations:export", args=[nx.ex.code]))
    for i in range(5):
        _approved(world, nx, nx.expert(f"y{i}", world.hku))
    with CaptureQueriesContext(connection) as big:
        client.get(reverse("nominations:export", args=[nx.ex.code]))
    assert len(big) == len(small)


def test_workplan_item_progress_from_nominations(world, nx):
    """The committee's item on expert databases reads its progress from the approved nominations."""
    from decimal import Decimal

    from sciencebridge.cooperation.models import CooperationArea, WorkplanItem
    from sciencebridge.cooperation.services import workplans as wsvc

    sec = UserFactory(username="sec_wp", roles=[Role.SECRETARIAT])
    area, _ = CooperationArea.objects.get_or_create(
        code="experts", defaults={"name": "Expert databases"}
    )
    wp = wsvc.create_workplan(sec, code="wp", title="Workplan", period="2026")
    item = WorkplanItem.objects.create(
        workplan=wp,
        area=area,
        number="iv",
        text="More Hong Kong experts in national databases",
        metric_code="nominations.experts_entered",
        target=Decimal("4"),
    )
    assert item.current_value() == 0
    _approved(world, nx, nx.alice)
    assert item.current_value() == 1 and item.progress() == 0.25
