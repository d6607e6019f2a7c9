from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sciencebridge.core"
    verbose_name = "Core"

    def ready(self):
        from . import formfields

        formfields.install()  # bounds every form field of every app (dates, choice ids)
        from . import request_cache

        request_cache.connect_invalidation()
        from . import choice_labels

        choice_labels.install()  # get_<field>_display translates one label, not all the choices
        from . import money_querysets

        money_querysets.install()  # money lookups by the queryset's class, not wrappers per queryset
        from . import lookups

        lookups.install()  # field__any=[ids]: one array parameter on PostgreSQL, not one per id
