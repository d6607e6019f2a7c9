"""Notifications: stored per recipient, in their language, e-mailed after commit (see notifications.services).

Kept here so every service keeps calling ``notify(to, subject, template, context)``.
"""

from sciencebridge.notifications.services import Subject, notify

__all__ = ["Subject", "notify"]
