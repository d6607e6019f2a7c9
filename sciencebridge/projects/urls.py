from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.my_projects, name="mine"),
    path("<str:reference>/", views.project_detail, name="detail"),
    path("<str:reference>/reports/<int:pk>/", views.report_detail, name="report"),
]
