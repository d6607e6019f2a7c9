from django.urls import path

from . import views

app_name = "remittances"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("instruct/<int:tranche_pk>/", views.instruct, name="instruct"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/remit/", views.remit, name="remit"),
    path("<str:reference>/receive/", views.receive, name="receive"),
    path("<str:reference>/use/", views.report_use, name="report_use"),
    path("<str:reference>/reconcile/", views.reconcile, name="reconcile"),
]
