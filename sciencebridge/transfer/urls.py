from django.urls import path

from . import views

app_name = "transfer"
urlpatterns = [
    path("", views.offer_list, name="offers"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/interest/", views.offer_interest, name="offer_interest"),
    path("offers/<int:pk>/nda/", views.offer_nda, name="offer_nda"),
    path("offers/<int:pk>/<str:action>/", views.offer_state, name="offer_state"),
    path("office/", views.office, name="office"),
    path("needs/", views.need_list, name="needs"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/close/", views.need_close, name="need_close"),
    path("deals/", views.deal_list, name="deals"),
    path("deals/<int:pk>/", views.deal_detail, name="deal"),
    path("searches/", views.searches, name="searches"),
    path("searches/<int:pk>/delete/", views.search_delete, name="search_delete"),
]
