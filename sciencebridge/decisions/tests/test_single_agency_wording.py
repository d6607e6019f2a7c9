"""A national programme (one agency, one half: Scheme.is_joint is False) is no joint project: its award and
regret e-mails, letters, outcome page and project-start e-mail say "your proposal/project", while the
joint schemes keep their joint wording."""

import pytest
from django.core import mail
from django.urls import reverse

from sciencebridge.decisions.services import decisions as dsvc
from sciencebridge.decisions.services import letters
from sciencebridge.funding.tests.conftest import applicant, national_ready, nworld  # noqa: F401
from sciencebridge.funding.tests.test_national import _review_and_recommend, _to_eligible
from sciencebridge.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(nworld, national_ready, django_capture_on_commit_callbacks):  # noqa: F811
    """Two NSFC Excellent Young Scientists proposals: the first funded, the second not."""
    import datetime as dt

    other = applicant("other", nworld.hku, born=dt.date(1991, 1, 1), sex="F")
    won = _to_eligible(nworld, national_ready(title="Quantum sensing of coastal sediments"))
    lost = _to_eligible(nworld, national_ready(user=other, title="Ocean acoustics"))
    _review_and_recommend(nworld, won, lost)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dsvc.decide(nworld.officer, won, fund=True, amount="2000000", reason="Ranked first.")
        dsvc.decide(nworld.officer, lost, fund=False, reason="Ranked lower.")
    won.refresh_from_db()
    lost.refresh_from_db()
    return won, lost


def _mail_to(user):
    got = [m for m in mail.outbox if user.email in m.to]
    assert got, [m.subject for m in mail.outbox]
    return got


def test_national_award_and_regret_emails_do_not_say_joint(nworld, decided):  # noqa: F811
    won, lost = decided
    ref = won.proposal.reference
    award = [m for m in _mail_to(nworld.young) if "is funded" in m.subject]
    assert [m.subject for m in award] == [f"Your proposal {ref} is funded"]
    assert f'Good news: your proposal {ref} "Quantum sensing of coastal sediments" is funded.' in (
        award[0].body
    )
    started = [m for m in _mail_to(nworld.young) if "started" in m.subject]
    project = Project.objects.get(proposal=won.proposal)
    assert [m.subject for m in started] == [f"Your project {project.reference} has started"]
    assert "The project page shows the budget" in started[0].body
    (regret,) = _mail_to(lost.lead)
    assert regret.subject == f"Funding decision on your proposal {lost.proposal.reference}"
    assert "on your proposal" in regret.body and "not funded" in regret.body
    for m in mail.outbox:
        assert "joint" not in (m.subject + m.body).lower(), m.subject


def test_national_letters_and_outcome_page_do_not_say_joint(client, nworld, decided):  # noqa: F811
    won, lost = decided
    award = letters.render_letter_html(won, "en")
    assert (
        "will fund your project" in award and "NSFC monitors the progress of the project" in award
    )
    regret = letters.render_letter_html(lost, "en")
    assert "your proposal" in regret and "is not funded" in regret
    assert "decided not to fund your side" not in regret
    for html in (award, regret):
        assert "joint" not in html.lower() and "each its own side" not in html
    for lang, word, joint_word in (
        ("zh-hant", "您的項目", "聯合"),
        ("zh-hans", "您的项目", "联合"),
    ):
        zh = letters.render_letter_html(won, lang)
        assert word in zh and joint_word not in zh, lang
    client.force_login(nworld.young)
    page = client.get(reverse("decisions:outcome", args=[won.proposal.reference]))
    body = page.content.decode()
    assert page.status_code == 200 and "The project is funded." in body
    assert "joint project" not in body.lower() and "both agencies" not in body


def test_joint_scheme_keeps_its_joint_wording(dworld, eligible_pair, ready_to_decide):
    p = eligible_pair()
    ready_to_decide(p)
    dsvc.decide(dworld.itc_officer, p.half("HK"), fund=True, amount=600000, reason="x")
    dsvc.decide(dworld.most_officer, p.half("ML"), fund=True, amount=450000, reason="x")
    half = p.half("HK")
    half.refresh_from_db()
    html = letters.render_letter_html(half, "en")
    assert "of the joint project" in html and "Each agency monitors" in html
    assert "will fund your project" not in html
