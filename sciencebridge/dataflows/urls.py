from django.urls import path

from .views import agreements

app_name = "dataflows"
urlpatterns = [
    path("", agreements.agreement_list, name="agreements"),
    path("agreements/new/", agreements.agreement_create, name="agreement_create"),
    path("agreements/oversight/", agreements.oversight, name="oversight"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/submit/", agreements.agreement_submit, name="agreement_submit"),
    path(
        "agreements/<int:pk>/accept/<str:party>/",
        agreements.agreement_accept,
        name="agreement_accept",
    ),
    path("agreements/<int:pk>/return/", agreements.agreement_return, name="agreement_return"),
    path("agreements/<int:pk>/contract.pdf", agreements.agreement_pdf, name="agreement_pdf"),
    path(
        "agreements/<int:pk>/signed/",
        agreements.agreement_signed_upload,
        name="agreement_signed_upload",
    ),
    path("agreements/<int:pk>/log/", agreements.log_add, name="agreement_log_add"),
    path("filings/<int:pk>/record/", agreements.filing_record, name="filing_record"),
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
