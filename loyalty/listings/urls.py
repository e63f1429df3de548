"""The loyalty app's storefront URLs, mounted at the site root.

The member area's loyalty pages (`loyalty.urls`) stay under /account/; the
member-only section and its private links live at /members-only/. One
include keeps them all in the `loyalty` namespace (`loyalty:membership`,
`loyalty:members_only`, `loyalty:listing_access`): Django resolves a
namespace to a single include.
"""

from django.urls import include, path

from loyalty import urls as account_urls
from loyalty.listings import views

app_name = "loyalty"

urlpatterns = [
    path("account/", include(account_urls.urlpatterns)),
    path("members-only/", views.members_only, name="members_only"),
    path(
        "members-only/access/<str:code>/",
        views.listing_access,
        name="listing_access",
    ),
]
