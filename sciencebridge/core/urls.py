from django.urls import path

from . import files, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "files/<str:token>/", files.serve, name="file"
    ),  # every uploaded or generated file (core/files.py)
]
