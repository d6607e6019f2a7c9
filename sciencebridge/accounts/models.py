from functools import cached_property

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Role


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    # Programme officers belong to exactly one funding agency.
    agency = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        limit_choices_to={"type": "agency"},
    )
    preferred_language = models.CharField(_("preferred language"), max_length=10, default="en")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        full = self.get_full_name() or self.username
        return f"{full} ({self.name_zh})" if self.name_zh else full

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        if hasattr(self, "_prefetched_objects_cache") and "groups" in self._prefetched_objects_cache:
            return frozenset(g.name for g in self.groups.all())
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: str) -> bool:
        return self.is_active and (role in self.role_codes or (self.is_superuser and role == Role.ADMINISTRATOR))

    def grant_role(self, role: str) -> None:
        group, _ = Group.objects.get_or_create(name=str(role))
        self.groups.add(group)
        self.__dict__.pop("role_codes", None)

    @property
    def region(self) -> str | None:
        return self.institution.region if self.institution_id else None
