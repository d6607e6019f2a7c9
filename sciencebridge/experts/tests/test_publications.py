from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sciencebridge.experts.models import Publication
from sciencebridge.experts.services.publications import parse_bibtex, parse_orcid, split_authors

DATA = Path(__file__).parent / "data"


def test_bibtex_parser_handles_braces_quotes_strings_and_broken_entries():
    pubs, problems = parse_bibtex((DATA / "sample.bib").read_text(encoding="utf-8"))
    assert [p.key for p in pubs] == ["chan2021graphene", "li2019catalysis", "zhang2018"]
    chan, li, zhang = pubs
    assert chan.title == "Strain engineering of Graphene for öptical THz modulators"
    assert chan.authors == ["Tai Man Chan", "Wei Li", "Wong and Partners Ltd"]
    assert chan.year == 2021 and chan.venue == "Nature Photonics"
    assert chan.doi == "10.1038/s41566-021-00001-1" and "terahertz" in chan.abstract
    assert (
        li.venue == "Proceedings of the International Conference on Catalysis"
    )  # "#" concatenation
    assert li.year == 2019 and li.authors == ["Wei Li", "Tai Man Chan"]  # "others" dropped
    assert zhang.venue == "Journal of the American Chemical Society"  # @string macro
    assert len(problems) == 2
    assert "line 26" in problems[0] and "notitle2017" in problems[1]


def test_split_authors_keeps_braced_and():
    assert split_authors("{Barnes and Noble} and Doe, J.") == ["Barnes and Noble", "J. Doe"]


def test_bibtex_garbage_does_not_crash():
    pubs, problems = parse_bibtex("@article{x, title = {never closed")
    assert pubs == [] and problems
    assert parse_bibtex("no entries, just a mail@example.org") == ([], [])


def test_orcid_parser_reads_v3_works():
    pubs, problems = parse_orcid((DATA / "orcid_works.json").read_text(encoding="utf-8"))
    assert [p.title for p in pubs] == [
        "Coastal flood resilience of dense cities",
        "Typhoon storm surge modelling in the Pearl River Delta",
    ]
    assert (
        pubs[0].year == 2022
        and pubs[0].venue == "Nature Climate Change"
        and pubs[0].doi == "10.1000/xyz123"
    )
    assert pubs[1].year is None and pubs[1].doi == ""
    assert len(problems) == 1
    # The bare "works" object is accepted too; non-JSON is reported, not raised.
    import json

    works = json.loads((DATA / "orcid_works.json").read_text())["activities-summary"]["works"]
    assert len(parse_orcid(works)[0]) == 2
    assert parse_orcid("not json")[0] == []


@pytest.mark.django_db
def test_upload_bibtex_and_orcid_to_own_profile_skips_duplicates(client, make_user, make_expert):
    user = make_user("expert1", "expert")
    expert = make_expert(
        "Chan Tai Man", user=user, papers=[{"title": "Deep learning for protein folding!"}]
    )
    client.force_login(user)
    url = reverse("experts:me")
    bib = SimpleUploadedFile("me.bib", (DATA / "sample.bib").read_bytes())
    resp = client.post(
        url, {"action": "upload", "up-format": "bibtex", "up-file": bib}, follow=True
    )
    assert resp.status_code == 200
    # 3 parsed; "Deep learning for protein folding" duplicates the existing title (punctuation ignored).
    assert expert.publications.count() == 3
    pub = expert.publications.get(title__startswith="Strain")
    assert pub.source == "bibtex" and pub.coauthors.startswith("Tai Man Chan; Wei Li")
    assert (
        expert.publications.get(title__startswith="Single").doi == "10.1145/abc.123"
    )  # normalised
    orcid = SimpleUploadedFile("me.json", (DATA / "orcid_works.json").read_bytes())
    client.post(url, {"action": "upload", "up-format": "orcid", "up-file": orcid})
    assert expert.publications.count() == 5
    again = SimpleUploadedFile("me.json", (DATA / "orcid_works.json").read_bytes())
    client.post(url, {"action": "upload", "up-format": "orcid", "up-file": again})
    assert expert.publications.count() == 5
    assert Publication.objects.filter(expert=expert, source="orcid").count() == 2
