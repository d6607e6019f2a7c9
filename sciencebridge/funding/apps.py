from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "sciencebridge.funding"

    def ready(self):
        from . import (
            call_counts,  # noqa: F401  (connects its receiver)
            figures,  # noqa: F401  (connects its receiver)
            metrics,  # noqa: F401  (registers the funding metrics)
            officer_list,  # noqa: F401  (connects its receiver)
        )
