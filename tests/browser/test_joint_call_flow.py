"""Issue 2 end to end in a real browser: registration → joint proposal → both halves submitted,
endorsed and screened eligible, each person seeing only what they may see; plus a language switch."""

import re

import pytest
from django.core import mail

from sciencebridge.core.testing.factories import MINIMAL_PDF
from tests.browser.conftest import login, logout, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = ("proposal.pdf", "application/pdf", MINIMAL_PDF)


def fill_half(page, *, sponsorship=None, currency, amount):
    page.fill("#id_d-keywords", "smart logistics, sensing")
    if sponsorship is not None:
        page.fill("#id_d-industry_sponsorship", str(sponsorship))
    page.click("form:has(input[value=details]) button[type=submit]")
    page.wait_for_selector(".msg.success")
    page.select_option("#id_b-0-category", "staff")
    page.fill("#id_b-0-description", "Research assistants")
    page.fill("#id_b-0-amount_0", str(amount))
    page.select_option("#id_b-0-amount_1", currency)
    page.click("#budget-form button[type=submit]")
    page.wait_for_selector(".msg.success")
    page.select_option("#id_a-kind", index=1)
    page.set_input_files(
        "#id_a-file", files=[{"name": PDF[0], "mimeType": PDF[1], "buffer": PDF[2]}]
    )
    page.click("form:has(input[value=attach]) button[type=submit]")
    page.wait_for_selector(".msg.success")


def test_joint_call_from_registration_to_screening(world, browser_page):
    page = browser_page
    # 1. A new Hong Kong applicant registers with her ASTRI address; activating the account by the e-mailed
    # link also verifies her affiliation (the address is at ASTRI's e-mail domain).
    world.astri.email_domains = "astri.org"
    world.astri.save()
    page.goto(page.base + "/accounts/register/")
    page.fill("#id_email", "mei.chan@astri.org")
    page.fill("#id_first_name", "Mei")
    page.fill("#id_last_name", "Chan")
    page.select_option("#id_institution", label="ASTRI")
    page.fill("#id_password1", "Str0ng-pass-phrase")
    page.fill("#id_password2", "Str0ng-pass-phrase")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/register/sent/"))
    activate = re.search(r"https?://\S+/accounts/activate/\S+/", mail.outbox[-1].body).group(0)
    page.goto(page.base + "/accounts/activate/" + activate.split("/accounts/activate/")[1])
    page.click("#activate")
    page.wait_for_url(re.compile(r".*/dashboard/"))
    assert "verified by your e-mail address" in page.inner_text(".messages")

    # 2. She drafts the joint proposal; a too-long duration is refused and her text kept.
    page.goto(page.base + f"/calls/{world.call.code}/")
    page.click("text=Start a joint proposal")
    page.fill("#id_title", "Cross-boundary cold-chain sensing")
    page.fill("#id_abstract", "Low-power sensors that track vaccines across the boundary.")
    page.select_option("#id_project_type", label="Platform")
    page.fill("#id_duration_months", "36")
    page.click("main form button[type=submit]")
    assert "limit of 24 months" in page.inner_text(".has-error")
    assert page.input_value("#id_title") == "Cross-boundary cold-chain sensing"
    page.fill("#id_duration_months", "24")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Proposal")
    ref = page.inner_text("h1 .ref").strip()

    # 3. She invites the Mainland lead and completes her half.
    page.click("#invite-partner")
    page.fill("#id_email", world.ml_lead.email)
    page.select_option("#id_institution", label="Tsinghua University")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Invitation sent")
    page.click("#edit-my-half")
    fill_half(page, sponsorship=200000, currency="HKD", amount=800000)
    page.click("#submit-half")
    assert "Unilateral submission is not accepted" in page.inner_text(".messages")
    shot(page, "01-hk-half-unilateral-refused")
    logout(page)

    # 4. The Mainland lead accepts the invitation, completes and submits the Mainland half.
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    token_path = link.split("/invitations/")[1]
    login(page, "ml_lead")
    page.goto(page.base + "/invitations/" + token_path)
    page.click("#accept-invitation")
    page.wait_for_selector(".msg.success")
    fill_half(page, currency="CNY", amount=600000)
    page.click("#submit-half")
    page.wait_for_selector("text=has been submitted")
    logout(page)

    # 5. Mei submits her half; her research office endorses it.
    login(page, "mei.chan@astri.org", "Str0ng-pass-phrase")
    page.goto(page.base + f"/proposals/{ref}/hk/")
    page.click("#submit-half")
    page.wait_for_selector("text=has been submitted")
    logout(page)
    login(page, "astri_office")
    page.goto(page.base + "/research-office/")
    page.click("text=Endorse or return")
    page.check("input[value=endorse]")
    page.fill("#id_comment", "Endorsed by ASTRI research office")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Recorded")
    logout(page)

    # 6. Each agency's officer screens its own half; the partner half is summary-only.
    for officer, side in (("itc_officer", "hk"), ("most_officer", "ml")):
        login(page, officer)
        page.goto(page.base + f"/calls/{world.call.code}/proposals/")
        assert ref in page.inner_text("table")
        page.goto(page.base + f"/proposals/{ref}/")
        other = "ml" if side == "hk" else "hk"
        assert "Budget" not in page.inner_text(f"#half-{other}")
        assert "Budget" in page.inner_text(f"#half-{side}")
        page.goto(page.base + f"/proposals/{ref}/{side}/screen/")
        page.check("input[value=eligible]")
        page.fill("#id_reason", f"Eligible under the scheme ({officer})")
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=Screening recorded")
        if side == "hk":
            page.goto(page.base + f"/proposals/{ref}/")
            shot(page, "02-officer-view")
        logout(page)

    # 7. The applicant sees both halves eligible and the timeline; an outsider sees nothing.
    login(page, "mei.chan@astri.org", "Str0ng-pass-phrase")
    page.goto(page.base + f"/proposals/{ref}/")
    assert page.inner_text("#half-hk .state") == "Screened: eligible"
    assert page.inner_text("#half-ml .state") == "Screened: eligible"
    assert "Endorsed by ASTRI research office" in page.inner_text(".timeline")
    shot(page, "03-applicant-eligible")

    # 8. Switch language once and check a translated page.
    page.click("button[data-lang=zh-hant]")
    page.wait_for_selector("html[lang=zh-hant]")
    assert "時間線" in page.inner_text("main")
    shot(page, "04-applicant-zh-hant")
    logout(page)
    login(page, "outsider")
    resp = page.goto(page.base + f"/proposals/{ref}/")
    assert resp.status == 404
