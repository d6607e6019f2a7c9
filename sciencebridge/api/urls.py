from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from sciencebridge.core.plugins import app_modules

from . import auth, views

router = DefaultRouter()
router.register("institutions", views.InstitutionViewSet)
router.register("schemes", views.SchemeViewSet)
router.register("calls", views.CallViewSet)
router.register("proposals", views.ProposalViewSet, basename="proposal")
for module in app_modules("api"):  # each domain app's own endpoints (sciencebridge/<app>/api.py)
    module.register(router)

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/auth/token/", auth.ObtainTokenView.as_view(), name="token"),
    path("v1/auth/tokens/", auth.MyTokensView.as_view(), name="my_tokens"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
