"""A declared conflict written anywhere (a service, the admin's inline) marks its expert's profile as
changed: the matching engine's cache and the panels' ranking cache are stamped with the profiles'
``updated_at`` (``experts.models.touch``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import DeclaredConflict, touch


@receiver(post_save, sender=DeclaredConflict)
@receiver(post_delete, sender=DeclaredConflict)
def declared_conflict_changed(sender, instance, **kwargs):
    touch(instance.expert_id)
