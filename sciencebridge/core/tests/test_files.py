"""Uploaded and generated files: unguessable names, one permission-checked route, no /media/ route
(sciencebridge/core/files.py)."""

import importlib
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve, reverse

from conftest import pdf_upload
from sciencebridge.accounts.roles import Role
from sciencebridge.core import files
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.core.testing.files import linked_file_names
from sciencebridge.funding.services import proposals as svc

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
TOKEN_DIR = re.compile(r"/[0-9a-f]{32}/[^/]+$")


@pytest.fixture
def submitted_pair(world, make_ready_pair):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    svc.submit_half(world.ml_lead, p.half("ML"))
    return p


def _body(resp) -> bytes:
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


def test_no_media_route_even_with_debug_on(settings):
    """The default set-up (DEBUG on) used to add static(MEDIA_URL): every upload public by path."""
    import sciencebridge.urls

    try:
        with override_settings(DEBUG=True):
            importlib.reload(sciencebridge.urls)
            clear_url_caches()
            for path in ("/media/expert_imports/report-7.csv", "/media/proposals/x/HK/a.pdf"):
                with pytest.raises(Resolver404):
                    resolve(path, urlconf=sciencebridge.urls)
    finally:
        importlib.reload(sciencebridge.urls)
        clear_url_caches()


def test_every_stored_name_has_a_random_directory(world, make_ready_pair):
    p = make_ready_pair()
    att = p.half("HK").attachments.get()
    assert TOKEN_DIR.search(att.file.name), att.file.name
    a = default_storage.save("expert_imports/report-7.csv", ContentFile(b"x"))
    b = default_storage.save("expert_imports/report-7.csv", ContentFile(b"x"))
    assert a != b and TOKEN_DIR.search(a) and TOKEN_DIR.search(b) and a.endswith("/report-7.csv")


def test_file_url_is_the_checked_route_and_checks_the_owner(world, submitted_pair, client):
    att = submitted_pair.half("ML").attachments.get()
    url = att.file.url
    assert url.startswith("/files/") and att.file.name not in url
    assert resolve(url).url_name == "file"
    # anonymous: to the login page, nothing sent
    resp = client.get(url)
    assert resp.status_code == 302 and "/accounts/login/" in resp.url
    # no right to this half in full: 404, as for a file that does not exist
    for user in (world.outsider, world.itc_officer, world.hku_office):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    for user in (world.ml_lead, world.hk_lead, world.most_officer):
        client.force_login(user)
        resp = client.get(url)
        assert resp.status_code == 200, user
        assert _body(resp).startswith(b"%PDF-") and resp["Cache-Control"] == "private, no-store"
        assert resp["Content-Disposition"] == 'attachment; filename="proposal.pdf"'


def test_tampered_or_unclaimed_tokens_are_404(world, submitted_pair, client):
    client.force_login(world.ml_lead)
    att = submitted_pair.half("ML").attachments.get()
    url = att.file.url
    assert client.get(url[:-3] + "xx/").status_code == 404
    # a validly signed name that no model owns is never served (e.g. a stray file under MEDIA_ROOT)
    stray = default_storage.save("proposals/stray.pdf", ContentFile(b"%PDF-secret"))
    assert client.get(files.file_url(stray)).status_code == 404


def test_pages_link_the_checked_route(world, submitted_pair, client):
    att = submitted_pair.half("ML").attachments.get()
    client.force_login(world.ml_lead)
    html = client.get(reverse("funding:proposal", args=[submitted_pair.reference])).content.decode()
    assert att.file.name in linked_file_names(html) and "/media/" not in html


def test_x_accel_redirect_in_production(world, submitted_pair, client, settings):
    settings.FILES_SERVE_METHOD = "x-accel-redirect"
    att = submitted_pair.half("ML").attachments.get()
    client.force_login(world.ml_lead)
    resp = client.get(att.file.url)
    assert resp.status_code == 200 and resp.content == b""
    assert resp["X-Accel-Redirect"] == "/protected-files/" + att.file.name
    assert resp["Content-Disposition"] == 'attachment; filename="proposal.pdf"'
    client.force_login(world.outsider)
    resp = client.get(att.file.url)
    assert resp.status_code == 404 and "X-Accel-Redirect" not in resp
    settings.FILES_SERVE_METHOD = "x-sendfile"
    client.force_login(world.ml_lead)
    assert client.get(att.file.url)["X-Sendfile"] == default_storage.path(att.file.name)


def test_expert_import_report_only_for_who_ran_it(
    db, client, tmp_path, django_capture_on_commit_callbacks, settings
):
    settings.JOBS_BACKEND = "sync"
    from sciencebridge.jobs.models import Job

    runner = UserFactory(username="sec1", roles=[Role.SECRETARIAT])
    other = UserFactory(username="sec2", roles=[Role.SECRETARIAT])
    client.force_login(runner)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "e.csv",
        b"name_en,email,region,institution\nA Person,a.person@example.org,XX,none\n",
        content_type="text/csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("experts:import"), {"file": upload, "status": "admitted"})
    job = Job.objects.get(kind="experts.import")
    name = job.result["report_name"]
    assert TOKEN_DIR.search(name) and "report_path" not in job.result
    # The link is signed with the time it was made: the page's link, not one made here a second
    # later (a failure under load), is the one to follow; it names the same file.
    page = client.get(reverse("experts:import_status", args=[job.pk])).content.decode()
    signed_name = default_storage.url(name).rsplit(":", 2)[0]  # without the time and signature
    (url,) = re.findall(re.escape(signed_name) + r":[^\"'/]+:[^\"'/]+/", page)
    resp = client.get(url)
    assert resp.status_code == 200 and b"a.person@example.org" in _body(resp)
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_every_file_field_is_declared_and_uses_the_protected_storage():
    declared = {(d.model, d.lookup) for d in files.declarations()}
    fields = files.file_fields()
    assert fields, "no FileField found: the discovery is broken"
    assert [f for f in fields if f not in declared] == [], "declare these in <app>/files.py"
    from django.apps import apps

    for label, name in fields:
        storage = apps.get_model(label)._meta.get_field(name).storage
        assert isinstance(storage, files.ProtectedStorage), (label, name)


def test_no_template_builds_a_media_path():
    offenders = []
    for path in (ROOT / "sciencebridge").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "MEDIA_URL" in text or "/media/" in text or re.search(r"(?<!request)\.path\b", text):
            offenders.append(str(path))
    assert offenders == []


def test_nginx_example_serves_files_only_internally():
    conf = (ROOT / "deploy" / "nginx.conf.example").read_text()
    block = conf.split("location /protected-files/")[1].split("}")[0]
    assert "internal;" in block
    assert "location /media" not in conf


def test_attachment_upload_through_the_page_still_works(world, make_ready_pair, client):
    p = make_ready_pair()
    kind = world.scheme.required_attachments.get(code="proposal")
    client.force_login(world.hk_lead)
    url = reverse("funding:half_edit", args=[p.reference, "HK"])
    resp = client.post(
        url, {"action": "attach", "a-kind": kind.pk, "a-file": pdf_upload("second.pdf")}
    )
    assert resp.status_code in (200, 302)
    latest = p.half("HK").attachments.order_by("-pk").first()
    assert TOKEN_DIR.search(latest.file.name)
    assert _body(client.get(latest.file.url)).startswith(b"%PDF-")
