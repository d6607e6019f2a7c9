from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("calls/", views.call_list, name="calls"),
    path("calls/<slug:code>/", views.call_detail, name="call"),
    path("calls/<slug:code>/apply/", views.proposal_create, name="proposal_create"),
    path("calls/<slug:code>/proposals/", views.officer_proposals, name="officer_proposals"),
    path("proposals/", views.my_proposals, name="my_proposals"),
    path("proposals/<str:ref>/", views.proposal_detail, name="proposal"),
    path("proposals/<str:ref>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<str:ref>/invite/", views.invite, name="invite"),
    path("proposals/<str:ref>/withdraw/", views.withdraw, name="withdraw"),
    # Before "<side>/": "print" is not a side.
    path("proposals/<str:ref>/print/", views.proposal_print, name="proposal_print"),
    path("proposals/<str:ref>/<str:side>/", views.half_edit, name="half_edit"),
    path("proposals/<str:ref>/<str:side>/submit/", views.submit, name="submit"),
    path("proposals/<str:ref>/<str:side>/endorse/", views.endorse, name="endorse"),
    path("proposals/<str:ref>/<str:side>/screen/", views.screen, name="screen"),
    path(
        "proposals/<str:ref>/<str:side>/team/<int:member_id>/remove/",
        views.team_remove,
        name="team_remove",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("research-office/", views.office_queue, name="office_queue"),
    path("eligibility/", views.eligibility_profile, name="eligibility_profile"),
]
