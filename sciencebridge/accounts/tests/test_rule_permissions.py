"""A rule's permission is not looked for in the database (``accounts.backends``): refused by its rule,
it costs no query; a model's permission is still granted by a group, also where a rule shares its name."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciencebridge.accounts.backends import granted_by_rule_only
from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The user as a new request loads it: no permission or role read yet."""
    return type(user).objects.get(pk=user.pk)


def test_which_permissions_only_a_rule_grants():
    assert granted_by_rule_only("accounts.review_affiliations")
    assert not granted_by_rule_only("projects.view_project")  # also a model's: a row may grant it
    assert not granted_by_rule_only("funding.change_call")  # a model's only
    assert not granted_by_rule_only("nobody.defined_this")


def test_a_rule_refusing_costs_no_permission_query():
    user = _fresh(UserFactory(roles=[Role.PROGRAMME_OFFICER]))
    user.role_codes  # noqa: B018 - the roles the rule reads, loaded once per request anyway
    with CaptureQueriesContext(connection) as queries:
        assert not user.has_perm("accounts.review_affiliations")
    assert not any("auth_permission" in q["sql"] for q in queries.captured_queries)


def test_a_rule_granting_still_grants():
    assert _fresh(UserFactory(roles=[Role.ADMINISTRATOR])).has_perm("accounts.review_affiliations")


def test_a_rule_permission_is_not_granted_by_a_database_row_of_another_name():
    group = Group.objects.create(name="staff-extra")
    group.permissions.add(Permission.objects.get(codename="view_project"))
    user = UserFactory(roles=[Role.APPLICANT])
    user.groups.add(group)
    user = _fresh(user)
    assert not user.has_perm("accounts.review_affiliations")


def test_a_model_permission_a_rule_shares_is_still_granted_by_a_group():
    """``jobs.view_job`` is a rule and a model permission: a group granting the row grants it."""
    user = UserFactory(roles=[Role.APPLICANT])
    assert not _fresh(user).has_perm("jobs.view_job")
    group = Group.objects.create(name="job-readers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="jobs", codename="view_job")
    )
    user.groups.add(group)
    assert _fresh(user).has_perm("jobs.view_job")


def test_a_model_permission_is_still_granted_by_a_group():
    user = UserFactory(roles=[Role.APPLICANT])
    group = Group.objects.create(name="call-editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="funding", codename="change_call")
    )
    user.groups.add(group)
    assert _fresh(user).has_perm("funding.change_call")
