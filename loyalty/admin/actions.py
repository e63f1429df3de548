"""What the admins of rows only services write share (purchases, paid periods).

Members make these rows and services change them, so every field is
read-only and the change page cannot be posted; the list finds a row by its
number or its customer's full email address or phone number; and the
actions call the services after a confirmation page (`action_page`, on
`admin/loyalty/_action_page.html`), never on the staff's own rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from loyalty.admin.filters import customers_matching
from loyalty.admin.paginator import LargeTablePaginator
from shop.core.errors import ShopError

CONFIRM_TEMPLATE = "loyalty/purchases/admin_confirm.html"


class ServiceRowsAdminMixin:
    """Read-only rows with service actions, for a `ModelAdmin`.

    `number_lookup` is the field a search term must equal (upper-cased);
    `own_rows_error`, what staff are told when they select their own rows.
    """

    number_lookup = "number"
    own_rows_error = ""
    search_help_text = _(
        "Search by a purchase number, or a customer's full email address or phone "
        "number."
    )
    ordering = ("-id",)
    sortable_by = ()
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = LargeTablePaginator
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Read-only page: a row changes only through the actions' services.
        if request.method == "POST":
            raise PermissionDenied
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        customers = customers_matching(term, partial=False)
        return (
            queryset.filter(
                Q(**{self.number_lookup: term.upper()}) | Q(user__in=customers)
            ),
            False,
        )

    # --- for the actions ---

    def _not_own(self, request, queryset) -> bool:
        """False, with an error, when the selection holds the user's own rows."""
        # Nobody settles their own purchases or membership, whatever their rights.
        if queryset.filter(user_id=request.user.pk).exists():
            self.message_user(request, str(self.own_rows_error), messages.ERROR)
            return False
        return True

    def _apply_each(
        self, request, rows: Iterable, apply: Callable, *, number: Callable
    ) -> list[tuple]:
        """`apply(row)` for each row; (row, result) of those the service took.

        A refusal is shown as an error naming the row by `number(row)`; the
        other rows go on.
        """
        done = []
        for row in rows:
            try:
                result = apply(row)
            except ShopError as error:
                self.message_user(
                    request, f"{number(row)}: {error.message}", messages.ERROR
                )
                continue
            done.append((row, result))
        return done

    def _confirm(self, request, queryset, *, action, title, intro, rows, form=None):
        """The confirmation page: `rows` of table cells, `form`, the button."""
        return action_page(
            self,
            request,
            template=CONFIRM_TEMPLATE,
            action=action,
            title=title,
            selected=queryset,
            form=form,
            intro=intro,
            rows=rows,
        )


def action_page(
    model_admin, request, *, template, action, title, selected, form=None, **extra
) -> TemplateResponse:
    """The page of bulk `action` over `selected` (a `_action_page.html`).

    Its form posts the action back to the list with the same selection.
    """
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
            "form": form,
            "action": action,
            "selected": selected,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **extra,
        },
    )
