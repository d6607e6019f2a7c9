from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="mine"),
    path("officer/", views.officer_desk, name="officer"),
    path("<str:reference>/", views.project_detail, name="detail"),
    path("<str:reference>/tranches/<int:pk>/pay/", views.pay_tranche, name="pay"),
    path("<str:reference>/tranches/<int:pk>/release/", views.release, name="release"),
    path("<str:reference>/reports/<int:pk>/", views.report_detail, name="report"),
    path("<str:reference>/changes/new/", views.change_create, name="change_create"),
    path("<str:reference>/changes/<int:pk>/", views.change_detail, name="change"),
    path("<str:reference>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("<str:reference>/outcomes/<int:pk>/edit/", views.outcome_edit, name="outcome_edit"),
]
