"""``accounts.request_user.unwrapped_user``: the user behind Django's lazy ``request.user``."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from sciencebridge.accounts.models import User
from sciencebridge.accounts.request_user import unwrapped_user

pytestmark = pytest.mark.django_db


def test_a_lazy_user_is_loaded_and_unwrapped():
    real = User.objects.create_user("lazy", password="x-12345678")
    loads = []
    lazy = SimpleLazyObject(lambda: loads.append(1) or User.objects.get(pk=real.pk))
    user = unwrapped_user(lazy)
    assert type(user) is User and user.pk == real.pk and loads == [1]
    assert unwrapped_user(lazy) is user and loads == [1]  # loaded once


def test_anything_else_is_returned_as_it_is():
    real = User.objects.create_user("plain", password="x-12345678")
    assert unwrapped_user(real) is real
    anonymous = AnonymousUser()
    assert unwrapped_user(anonymous) is anonymous
    assert unwrapped_user(SimpleLazyObject(AnonymousUser)).is_authenticated is False
