"""The review world of ``review/tests`` (experts on four topics, eligible joint proposals), reused."""

from sciencebridge.review.tests.conftest import _settings, run_sync, rw  # noqa: F401
