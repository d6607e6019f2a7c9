from django.contrib import admin
from django.urls import include, path

from sciencebridge.core.views import health, readiness
from sciencebridge.pages import favicon, help_page

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("health/ready/", readiness, name="readiness"),
    path("favicon.ico", favicon, name="favicon"),
    path("help/", help_page, name="help"),
    path("admin/", admin.site.urls),
    path("api/", include("sciencebridge.api.urls")),
    path("accounts/", include("sciencebridge.accounts.urls")),
    path("jobs/", include("sciencebridge.jobs.urls")),
    path("notifications/", include("sciencebridge.notifications.urls")),
    path("experts/", include("sciencebridge.experts.urls")),
    path("review/", include("sciencebridge.review.urls")),
    path("exclusions/", include("sciencebridge.exclusions.urls")),
    path("decisions/", include("sciencebridge.decisions.urls")),
    path("projects/", include("sciencebridge.projects.urls")),
    path("transfer/", include("sciencebridge.transfer.urls")),
    path("platforms/", include("sciencebridge.platforms.urls")),
    path("talent/", include("sciencebridge.talent.urls")),
    path("cooperation/", include("sciencebridge.cooperation.urls")),
    path("remittances/", include("sciencebridge.remittances.urls")),
    path("dataflows/", include("sciencebridge.dataflows.urls")),
    path("lab-funding/", include("sciencebridge.labfunding.urls")),
    path("nominations/", include("sciencebridge.nominations.urls")),
    path("rechecks/", include("sciencebridge.rechecks.urls")),
    path("", include("sciencebridge.funding.urls")),
    path("", include("sciencebridge.core.urls")),
]
# No /media/ route: uploaded and generated files are served only by core:file (/files/<signed name>/),
# which checks the owning object's permission (sciencebridge/core/files.py).
