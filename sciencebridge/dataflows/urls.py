from django.urls import path

from .views import agreements

app_name = "dataflows"
urlpatterns = [
    path("", agreements.agreement_list, name="agreements"),
]

# Human genetic resources (sample exports) and the research-dataset register (views/samples.py, datasets.py)
from .views import datasets as _datasets  # noqa: E402
from .views import samples as _samples  # noqa: E402

urlpatterns += [
    path("samples/", _samples.samples_list, name="samples_list"),
    path("samples/new/", _samples.samples_create, name="samples_create"),
    path("samples/figures/", _samples.samples_figures, name="samples_figures"),
    path("samples/<int:pk>/", _samples.samples_detail, name="samples_detail"),
    path("datasets/", _datasets.datasets_list, name="datasets_list"),
    path("datasets/new/", _datasets.datasets_create, name="datasets_create"),
    path("datasets/<int:pk>/", _datasets.datasets_detail, name="datasets_detail"),
]
