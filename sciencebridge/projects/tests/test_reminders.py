"""Report reminders before and after the due date: each stage sent once, to the right people."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from sciencebridge.projects.models import ReminderLog
from sciencebridge.projects.services.reminders import scheduled_reminders, send_report_reminders

pytestmark = pytest.mark.django_db


def test_reminders_before_and_after_due_are_sent_once(
    world, project, django_capture_on_commit_callbacks
):
    hk_report = project.sides.get(side="HK").reports.get(number=1)
    due = hk_report.due_date
    mail.outbox.clear()
    assert send_report_reminders(due - dt.timedelta(days=20)) == []
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # notifications are e-mailed after commit
        sent = send_report_reminders(due - dt.timedelta(days=10))
    assert {(r.project_side.side, stage) for r, stage in sent} == {
        ("HK", "before-14"),
        ("ML", "before-14"),
    }
    hk_mail = [m for m in mail.outbox if world.hk_lead.email in m.to]
    assert len(hk_mail) == 1 and "is due on" in hk_mail[0].subject
    assert world.itc_officer.email not in hk_mail[0].to
    # running again the same day (or twice at once) sends nothing new
    assert send_report_reminders(due - dt.timedelta(days=10)) == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_report_reminders(due + dt.timedelta(days=8))
    assert {stage for _r, stage in sent} == {"overdue-7"}
    overdue = [m for m in mail.outbox if world.hk_lead.email in m.to][0]
    assert overdue.subject.startswith("Overdue")
    # one message per recipient (the outbox): the side's officers get their own copy, the other agency none
    # (both sides are overdue: each agency's officer hears once, about their own side only)
    to_officers = [
        r
        for m in mail.outbox
        for r in m.to
        if r in (world.itc_officer.email, world.most_officer.email)
    ]
    assert sorted(to_officers) == sorted([world.itc_officer.email, world.most_officer.email])
    assert ReminderLog.objects.filter(report=hk_report).count() == 2


def test_submitted_report_gets_no_reminder(world, project):
    from conftest import pdf_upload
    from sciencebridge.projects.services import projects as svc

    hk_report = project.sides.get(side="HK").reports.get(number=1)
    svc.submit_report(hk_report, actor=world.hk_lead, summary="Done", file=pdf_upload())
    sent = send_report_reminders(hk_report.due_date + dt.timedelta(days=1))
    assert [r.project_side.side for r, _s in sent] == ["ML"]


def test_command_and_scheduler_entry(world, project, capsys):
    call_command(
        "project_reminders", date=(project.start_date + dt.timedelta(days=400)).isoformat()
    )
    assert "reminder(s) sent" in capsys.readouterr().out
    assert scheduled_reminders()["sent"] == 0
