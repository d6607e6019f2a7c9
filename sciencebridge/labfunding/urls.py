from django.urls import path

from . import views

app_name = "labfunding"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("grants/", views.grant_list, name="grants"),
    path("grants/new/", views.grant_create, name="grant_create"),
    path("grants/<int:pk>/", views.grant_detail, name="grant"),
    path("grants/<int:pk>/report/", views.report_edit, name="report_edit"),
    path("grants/<int:pk>/act/", views.grant_act, name="grant_act"),
    path("exercises/<slug:code>/", views.exercise_detail, name="exercise"),
]
