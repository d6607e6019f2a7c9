from django.urls import path

from . import views

app_name = "platforms"
urlpatterns = [
    path("", views.platform_list, name="list"),
    path("facilities/", views.facility_list, name="facilities"),
    path("facilities/<slug:code>/", views.facility_detail, name="facility"),
    path("allocations/", views.my_allocations, name="my_allocations"),
    path("allocations/<int:pk>/", views.allocation_detail, name="allocation"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("cross-boundary/", views.cross_boundary, name="cross_boundary"),
    path("<slug:code>/", views.platform_detail, name="detail"),
]
