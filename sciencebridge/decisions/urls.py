from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.index, name="index"),
    path("calls/<slug:code>/meeting/", views.meeting, name="meeting"),
    path("calls/<slug:code>/budget/", views.budget, name="budget"),
    path("calls/<slug:code>/panel/<str:side>/", views.panel_page, name="panel"),
    path("calls/<slug:code>/panel/<str:side>/bulk/", views.bulk, name="bulk"),
    path("calls/<slug:code>/panel/<str:side>/<str:ref>/", views.recommend, name="recommend"),
    path("proposals/<str:ref>/", views.outcome, name="outcome"),
    path("proposals/<str:ref>/<str:side>/decide/", views.decide, name="decide"),
    path("proposals/<str:ref>/<str:side>/letter.pdf", views.letter, name="letter"),
]
