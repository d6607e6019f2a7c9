from django.urls import path

from .views import agreements

app_name = "dataflows"
urlpatterns = [
    path("", agreements.agreement_list, name="agreements"),
]
