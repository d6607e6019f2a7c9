from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def agreement_list(request):
    return render(request, "dataflows/agreement_list.html", {"agreements": []})
