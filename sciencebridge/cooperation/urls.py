from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:key>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_edit, name="agreement_create"),
    path("agreements/<slug:code>/", views.agreement_detail, name="agreement"),
    path("agreements/<slug:code>/edit/", views.agreement_edit, name="agreement_edit"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_edit, name="meeting_create"),
    path("meetings/<int:number>/edit/", views.meeting_edit, name="meeting_edit"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("progress/", views.progress_overview, name="progress"),
    path("workplans/", views.workplan_list, name="workplans"),
    path("workplans/new/", views.workplan_create, name="workplan_create"),
    path("workplans/<slug:code>/", views.workplan_detail, name="workplan"),
    path("workplans/<slug:code>/move/", views.workplan_move, name="workplan_move"),
    path("workplans/<slug:code>/items/new/", views.item_edit, name="item_create"),
    path("workplans/<slug:code>/items/<int:pk>/", views.item_detail, name="item"),
    path("workplans/<slug:code>/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
]
