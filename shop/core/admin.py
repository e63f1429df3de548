"""Back-office building blocks the apps' admins share."""

from django.contrib import messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.http import HttpResponseRedirect
from django.urls import reverse


class ReadOnlyAdminMixin:
    """Nothing can be added, changed or deleted: for ledgers and audit trails.

    Works on a ModelAdmin and on an inline alike (inlines pass `obj` to
    `has_add_permission`, model admins do not). The rows are written by the
    services that own them, never by hand.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SingletonAdminMixin:
    """A settings row edited in place: no list, no add, no delete.

    The model admin names the row (`singleton_object`) and what to say once it
    is saved (`saved_message`, lazily translated); the changelist and a save
    both lead back to the row's own page, since there is no list to go to.
    """

    saved_message = ""

    def singleton_object(self):
        raise NotImplementedError

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _singleton_url(self, pk) -> str:
        return reverse(admin_urlname(self.model._meta, "change"), args=[pk])

    def changelist_view(self, request, extra_context=None):
        # One row: the list would only ever show it.
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        return HttpResponseRedirect(self._singleton_url(self.singleton_object().pk))

    def response_change(self, request, obj):
        self.message_user(request, str(self.saved_message), messages.SUCCESS)
        return HttpResponseRedirect(self._singleton_url(obj.pk))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)
