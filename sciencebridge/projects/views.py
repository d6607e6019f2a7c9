from django.http import Http404


def my_projects(request):
    raise Http404


def project_detail(request, reference):
    raise Http404


def report_detail(request, reference, pk):
    raise Http404
