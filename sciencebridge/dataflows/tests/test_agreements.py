"""Services: the GBA Standard Contract's rules, each refusal with its reason and nothing saved."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sciencebridge.dataflows.models import (
    AgreementState,
    DataTransferAgreement,
    Filing,
    StandardAnnex,
    SubmissionRequirement,
)
from sciencebridge.dataflows.services import agreements as svc
from sciencebridge.dataflows.services import filings as fsvc
from sciencebridge.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _refused(fn, field):
    with pytest.raises(ValidationError) as exc:
        fn()
    assert field in exc.value.message_dict, exc.value.message_dict
    return " ".join(exc.value.message_dict[field])


def test_reference_data_lists_the_nine_cities_and_hong_kong():
    from sciencebridge.dataflows.models import GBALocation

    gba = set(GBALocation.objects.filter(in_gba=True).values_list("code", flat=True))
    assert len(gba) == 10 and {"shenzhen", "hong-kong", "zhaoqing"} <= gba
    assert not GBALocation.objects.get(code="beijing").in_gba
    assert StandardAnnex.objects.get(is_current=True).filing_working_days == 10


def test_recipient_in_beijing_is_refused_and_nothing_saved(gba, make_agreement):
    msg = _refused(
        lambda: make_agreement(recipient_location=gba.loc["beijing"]), "recipient_location"
    )
    assert "Beijing is outside the Greater Bay Area" in msg
    assert DataTransferAgreement.objects.count() == 0


def test_both_parties_on_one_side_is_refused(gba, make_agreement):
    msg = _refused(
        lambda: make_agreement(recipient_location=gba.loc["guangzhou"]), "recipient_location"
    )
    assert "Both parties are in" in msg


def test_onward_transfer_to_a_third_place_is_refused(make_agreement):
    msg = _refused(
        lambda: make_agreement(onward_transfer=True, onward_transfer_detail="Singapore"),
        "onward_transfer",
    )
    assert "Singapore is not allowed" in msg
    assert DataTransferAgreement.objects.count() == 0


def test_submission_without_piia_is_refused(gba, make_agreement):
    a = make_agreement(piia=False)
    msg = _refused(lambda: svc.submit(gba.lead, a), "piia_file")
    assert "impact assessment" in msg
    a.refresh_from_db()
    assert a.state == AgreementState.DRAFT and a.purpose  # what was entered is kept


def test_piia_dated_after_the_effective_date_is_refused(make_agreement):
    today = timezone.localdate()
    msg = _refused(
        lambda: make_agreement(
            piia_date=today - dt.timedelta(days=1), effective_date=today - dt.timedelta(days=5)
        ),
        "piia_date",
    )
    assert "after the contract takes effect" in msg


def test_supplementary_term_editing_the_annex_is_refused(make_agreement):
    edited = (
        "Article 4. The recipient may provide the personal information to any organisation "
        "outside the Greater Bay Area."
    )
    msg = _refused(lambda: make_agreement(supplementary_terms=edited), "supplementary_terms")
    assert "cannot be edited" in msg
    msg = _refused(
        lambda: make_agreement(
            supplementary_terms="Article 5 of the annex is replaced as follows."
        ),
        "supplementary_terms",
    )
    assert "cannot be edited" in msg
    chinese = "删除标准合同第四条。"
    _refused(lambda: make_agreement(supplementary_terms=chinese), "supplementary_terms")
    # a term that adds without touching the annex is fine
    a = make_agreement(supplementary_terms="Results are co-authored by both teams.")
    assert a.supplementary_terms


def test_required_fields_are_configuration(gba, make_agreement):
    a = make_agreement(security_measures="")
    assert "security_measures" in svc.submission_errors(a)
    SubmissionRequirement.objects.filter(field="security_measures").update(required=False)
    assert "security_measures" not in svc.submission_errors(a)


def test_sensitive_pi_needs_separate_consent(make_agreement):
    a = make_agreement(sensitive_pi=True, sensitive_pi_categories="Health status")
    assert "consent_basis" in svc.submission_errors(a)


def test_acceptance_by_both_signs_and_opens_filings_over_each_sides_holidays(gba, make_agreement):
    # effective on the Monday before the Mainland's National Day week, 2026
    a = make_agreement(effective_date=dt.date(2026, 9, 28), piia_date=dt.date(2026, 9, 1))
    svc.submit(gba.lead, a)
    assert Notification.objects.filter(email=gba.partner.email).exists()
    with pytest.raises(PermissionDenied):
        svc.accept(gba.partner, a, "processor")
    svc.accept(gba.lead, a, "processor")
    a.refresh_from_db()
    assert a.state == AgreementState.SUBMITTED
    svc.accept(gba.partner, a, "recipient")
    a.refresh_from_db()
    assert a.state == AgreementState.SIGNED
    ml = a.filings.get(party="processor")
    hk = a.filings.get(party="recipient")
    assert ml.due_date == dt.date(2026, 10, 16)  # 1-7 Oct National Day; Sat 10 Oct a working day
    assert hk.due_date == dt.date(2026, 10, 10) or hk.due_date < ml.due_date
    assert "Guangdong" in ml.authority and hk.authority == "Digital Policy Office"
    acc = {x.party: x for x in a.acceptances.all()}
    assert acc["recipient"].user == gba.partner and acc["recipient"].annex_version == "2023-12"


def test_due_date_skips_hong_kong_holidays():
    # Christmas 2026: 25 Dec (Fri) and 26 Dec (Sat) are HK holidays; 10 working days after 21 Dec
    due = fsvc.due_date(dt.date(2026, 12, 21), "HK", 10)
    # weekdays only would give 4 January; Christmas Day and New Year's Day push it to the 5th
    assert due == dt.date(2027, 1, 5)
    assert dt.date(2026, 12, 25) in dict(fsvc.skipped_holidays(dt.date(2026, 12, 21), due, "HK"))


def test_filing_reference_before_effect_is_refused(gba, signed):
    a = signed()
    f = a.filings.get(party="processor")
    msg = _refused(
        lambda: fsvc.record_filing(
            gba.lead, f, reference="GD-2026-1", filed_on=a.effective_date - dt.timedelta(days=1)
        ),
        "filed_on",
    )
    assert "before the contract took effect" in msg
    f.refresh_from_db()
    assert f.filed_on is None and f.reference == ""
    with pytest.raises(PermissionDenied):
        fsvc.record_filing(gba.partner, f, reference="X", filed_on=a.effective_date)
    fsvc.record_filing(gba.lead, f, reference="GD-2026-1", filed_on=a.effective_date)
    f.refresh_from_db()
    assert f.is_filed and f.days_to_file == 0


def test_reminders_before_and_after_the_due_date_are_sent_once(gba, signed):
    a = signed()
    f = a.filings.get(party="recipient")
    before = f.due_date - dt.timedelta(days=3)
    sent = fsvc.send_reminders(today=before)
    assert f"{a.reference} filing-recipient-before-3" in sent
    assert fsvc.send_reminders(today=before) == []
    late = f.due_date + dt.timedelta(days=2)
    sent = fsvc.send_reminders(today=late)
    assert f"{a.reference} filing-recipient-overdue-1" in sent
    assert Notification.objects.filter(email=gba.secretariat.email).exists()


def test_retention_reminder_at_the_end_of_the_record_keeping_period(gba, signed):
    a = signed()
    until = a.records_kept_until
    assert until.year == a.effective_date.year + 3
    assert "retention-end" not in " ".join(fsvc.send_reminders(today=a.effective_date))
    sent = fsvc.send_reminders(today=until - dt.timedelta(days=10))
    assert f"{a.reference} retention-end" in sent


def test_processing_log_is_the_recipients(gba, signed):
    a = signed()
    with pytest.raises(PermissionDenied):
        svc.add_log_entry(gba.lead, a, occurred_on=a.effective_date, activity="Analysis")
    e = svc.add_log_entry(gba.partner, a, occurred_on=a.effective_date, activity="Analysis")
    assert e.pk and a.log_entries.count() == 1


def test_contract_pdf_is_bilingual(gba, signed):
    import io

    from pypdf import PdfReader

    from sciencebridge.dataflows.services import agreement_pdf

    a = signed()
    html = agreement_pdf.render_contract_html(a, "zh-hans")
    assert "个人信息" in html and "Standard Contract" in html and "第四条" in html
    html_t = agreement_pdf.render_contract_html(a, "zh-hant")
    assert "個人信息" in html_t and "第四條" in html_t
    pdf = agreement_pdf.render_contract_pdf(a, "zh-hans")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert a.reference in text


def test_filings_only_after_both_accept(gba, make_agreement):
    a = make_agreement()
    svc.submit(gba.lead, a)
    svc.accept(gba.lead, a, "processor")
    assert not Filing.objects.filter(agreement=a).exists()


def test_effective_date_before_the_standard_contract_is_refused(make_agreement):
    msg = _refused(
        lambda: make_agreement(piia_date=dt.date(2023, 1, 1), effective_date=dt.date(2023, 6, 1)),
        "effective_date",
    )
    assert "2023-12-13" in msg


def test_public_chart_and_metrics_are_aggregates(gba, signed):
    from sciencebridge.cooperation.services.charts import chart_by_key
    from sciencebridge.core import metrics

    a = signed()
    chart = chart_by_key("data-flows")
    assert sum(chart["datasets"][0]["data"]) == 1
    text = repr(chart)
    assert a.reference not in text and a.purpose not in text and "HKU" not in text
    assert metrics.compute("dataflows.agreements_signed") == 1
    f = a.filings.get(party="processor")
    fsvc.record_filing(gba.lead, f, reference="GD-1", filed_on=a.effective_date)
    assert metrics.compute("dataflows.on_time_filing_rate") == 100
    assert metrics.compute("dataflows.mean_days_to_file") == 0
