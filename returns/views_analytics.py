"""The return analytics dashboard in the back office: /admin/returns/analytics/.

Staff with `returns.view_returnrequest` see it; clearing a serial-returner
flag from it takes `returns.change_serialreturner` (the merchant's). The page
is mounted on the admin site by `analytics_admin_install`, called when the
returns admin is registered: it adds the URL and an entry to the Returns app
list (on the admin index, the app page and the sidebar), so the page sits
among the returns models like one of them.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from returns.analytics import PERIOD_CHOICES, return_dashboard
from returns.models import ReturnRequest, SerialReturner
from returns.services.serial import serial_returner_clear

VIEW_PERMISSION = "returns.view_returnrequest"
CLEAR_PERMISSION = "returns.change_serialreturner"
URL_NAME = "returns_analytics"


def _days(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return PERIOD_CHOICES[0]
    return days if days in PERIOD_CHOICES else PERIOD_CHOICES[0]


def analytics_view(request, site: AdminSite = admin.site):
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    days = _days(request.GET.get("days"))
    dashboard = return_dashboard(days=days)
    context = {
        **site.each_context(request),
        "title": _("Return analytics"),
        "subtitle": None,
        "opts": ReturnRequest._meta,
        "app_label": ReturnRequest._meta.app_label,
        "dashboard": dashboard,
        "periods": [
            {"days": choice, "current": choice == dashboard.period.days}
            for choice in PERIOD_CHOICES
        ],
        "may_clear": request.user.has_perm(CLEAR_PERMISSION),
    }
    request.current_app = site.name
    return TemplateResponse(request, "returns/analytics/dashboard.html", context)


@require_POST
def serial_clear_view(request, pk: int, site: AdminSite = admin.site):
    if not request.user.has_perm(CLEAR_PERMISSION):
        raise PermissionDenied
    returner = get_object_or_404(SerialReturner.objects.select_related("user"), pk=pk)
    serial_returner_clear(returner=returner, actor=request.user)
    messages.success(
        request,
        gettext(
            "The serial-returner flag of %(customer)s was cleared. It is set "
            "again only if they return more."
        )
        % {"customer": returner.user},
    )
    target = reverse(f"{site.name}:{URL_NAME}")
    days = _days(request.POST.get("days"))
    return HttpResponseRedirect(f"{target}?days={days}")


def analytics_admin_install(site: AdminSite = admin.site) -> None:
    """Mount the dashboard on `site` and list it with the returns models.

    Safe to call twice. The admin site has no seam for a page that is not a
    model's, so its `get_urls` and `get_app_list` are wrapped on the instance.
    """
    if getattr(site, "_returns_analytics_installed", False):
        return
    site._returns_analytics_installed = True
    site_urls = site.get_urls
    site_app_list = site.get_app_list

    def get_urls():
        return [
            path(
                "returns/analytics/",
                site.admin_view(lambda request: analytics_view(request, site)),
                name=URL_NAME,
            ),
            path(
                "returns/analytics/serial/<int:pk>/clear/",
                site.admin_view(
                    lambda request, pk: serial_clear_view(request, pk, site)
                ),
                name=f"{URL_NAME}_serial_clear",
            ),
            *site_urls(),
        ]

    def get_app_list(request, app_label=None):
        apps = site_app_list(request, app_label)
        if not request.user.has_perm(VIEW_PERMISSION):
            return apps
        for app in apps:
            if app["app_label"] == ReturnRequest._meta.app_label:
                app["models"].insert(
                    0,
                    {
                        "name": _("Return analytics"),
                        "object_name": "ReturnAnalytics",
                        "perms": {"view": True},
                        "admin_url": reverse(f"{site.name}:{URL_NAME}"),
                        "add_url": None,
                        "view_only": True,
                    },
                )
        return apps

    site.get_urls = get_urls
    site.get_app_list = get_app_list
