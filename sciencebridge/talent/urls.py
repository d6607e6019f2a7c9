from django.urls import path

from . import views

app_name = "talent"
urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("postings/new/", views.posting_create, name="posting_create"),
    path("postings/<int:pk>/", views.posting_detail, name="posting"),
    path("postings/<int:pk>/manage/", views.posting_manage, name="posting_manage"),
    path("postings/<int:pk>/close/", views.posting_close, name="posting_close"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("exchanges/", views.exchange_list, name="exchanges"),
    path("exchanges/<int:pk>/", views.exchange_detail, name="exchange"),
]
