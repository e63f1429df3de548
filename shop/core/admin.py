"""Back-office building blocks the apps' admins share."""


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
