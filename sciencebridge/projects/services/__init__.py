"""Project services: award → project, payments, reports, change requests, outcomes, reminders."""
