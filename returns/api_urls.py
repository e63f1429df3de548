"""The returns API, mounted at /api/returns/."""

from django.urls import include, path

from returns import api, api_staff

urlpatterns = [
    # Before "<number>/", which would take "staff" for an RMA number.
    path("staff/", include(api_staff.urlpatterns)),
    path("", api.MyReturnListCreateApi.as_view(), name="api-returns"),
    path("<str:number>/", api.MyReturnDetailApi.as_view(), name="api-return"),
    path(
        "<str:number>/cancel/",
        api.MyReturnCancelApi.as_view(),
        name="api-return-cancel",
    ),
]
