from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("attention/", views.attention, name="attention"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
    path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
]
