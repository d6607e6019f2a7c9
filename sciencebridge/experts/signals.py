"""A declared conflict written anywhere (a service, the admin's inline) marks its expert's profile as
changed: the matching engine's cache and the panels' ranking cache are stamped with the profiles'
``updated_at`` (``experts.models.touch``). So does a publication removed anywhere: the kept search
orders (``selectors.search_stamp``) see added and edited publications, but not a removed one."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import DeclaredConflict, Publication, touch


@receiver(post_save, sender=DeclaredConflict)
@receiver(post_delete, sender=DeclaredConflict)
def declared_conflict_changed(sender, instance, **kwargs):
    touch(instance.expert_id)


@receiver(post_delete, sender=Publication)
def publication_removed(sender, instance, **kwargs):
    touch(instance.expert_id)
