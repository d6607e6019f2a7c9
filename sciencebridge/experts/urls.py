from django.urls import path

from . import views

app_name = "experts"
urlpatterns = [
    path("", views.expert_list, name="list"),
    path("export.<str:fmt>", views.expert_export, name="export"),
    path("<int:pk>/", views.expert_detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("apply/", views.apply, name="apply"),
    path("me/", views.my_profile, name="me"),
    path("me/<str:kind>/<int:pk>/delete/", views.my_item_delete, name="my_item_delete"),
    path("vetting/", views.vetting_queue, name="vetting"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:job_id>/", views.import_status, name="import_status"),
    path("find/", views.find_experts, name="find"),
]
