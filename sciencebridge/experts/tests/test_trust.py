"""Issue 11 (trust): an ORCID upload of any JSON (deep, wrongly typed, not an object) gets a clear message
on the form and adds nothing; it never raises (RecursionError/TypeError used to give a 500)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sciencebridge.experts.services.publications import parse_orcid

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 5000 + b"1" + b"}" * 5000
BAD_RECORDS = {
    "deep-list": DEEP,
    "deep-object": DEEP_OBJECT,
    "deep-but-parsable": json.dumps(
        {
            "group": [{"work-summary": [{"title": {"title": {"value": "T"}}}]}],
            "x": json.loads("[" * 200 + "]" * 200),
        }
    ).encode(),
    "a-string": b'"works"',
    "a-number": b"42",
    "a-list": b'[{"group": []}]',
    "null": b"null",
    "works-a-string": b'{"works": "abc"}',
    "activities-a-list": b'{"activities-summary": [1, 2]}',
    "group-an-object": b'{"group": {"work-summary": []}}',
    "groups-of-numbers": b'{"group": [1, "two", null, []]}',
    "summary-a-string": b'{"group": [{"work-summary": "title"}]}',
    "title-a-number": b'{"group": [{"work-summary": [{"title": {"title": {"value": 5}}}]}]}',
    "not-json": b"\xff\xfe not json",
}


@pytest.mark.parametrize("name", sorted(BAD_RECORDS))
def test_parse_orcid_reports_problems_instead_of_raising(name):
    pubs, problems = parse_orcid(BAD_RECORDS[name])
    assert pubs == [] or name == "deep-but-parsable"
    assert problems and all(isinstance(p, str) for p in problems)


def test_wrongly_typed_fields_inside_a_real_work_are_left_out():
    record = {
        "group": [
            {
                "work-summary": [
                    {
                        "title": {"title": {"value": "A real title"}},
                        "put-code": {"x": 1},
                        "publication-date": {"year": {"value": "99999"}},
                        "journal-title": {"value": ["not", "text"]},
                        "external-ids": {
                            "external-id": [
                                "x",
                                {"external-id-type": 5},
                                {"external-id-type": "doi", "external-id-value": "1" * 500},
                            ]
                        },
                    }
                ]
            }
        ]
    }
    (pub,), problems = parse_orcid(record)
    assert (pub.title, pub.year, pub.venue, pub.doi, pub.key) == ("A real title", None, "", "", "")
    assert any("DOI" in p for p in problems)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["deep-list", "deep-object", "title-a-number", "a-list", "not-json"]
)
def test_bad_orcid_upload_is_a_form_error_not_a_500(client, make_user, make_expert, name):
    user = make_user("expert1", "expert")
    expert = make_expert("Chan Tai Man", user=user)
    client.force_login(user)
    upload = SimpleUploadedFile("me.json", BAD_RECORDS[name], content_type="application/json")
    resp = client.post(
        reverse("experts:me"), {"action": "upload", "up-format": "orcid", "up-file": upload}
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "has-error" in html or "errorlist" in html
    assert expert.publications.count() == 0
