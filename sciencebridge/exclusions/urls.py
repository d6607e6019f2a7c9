from django.urls import path

from . import views

app_name = "exclusions"
urlpatterns = [
    path("override/<int:pk>/", views.override, name="override"),  # before the <ref>/<side>/ pattern
    path("<str:ref>/<str:side>/", views.half_exclusions, name="half"),
]
