from django.urls import path

from . import views

app_name = "nominations"
urlpatterns = [
    path("", views.nomination_list, name="list"),
    path("new/", views.nomination_create, name="create"),
    path("batch/", views.batch_upload, name="batch"),
    path("batch/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/", views.nomination_detail, name="detail"),
    path("<int:pk>/act/", views.nomination_act, name="act"),
    path("exercises/<slug:code>/export/", views.export, name="export"),
]
