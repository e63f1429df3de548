"""The staff queue's filters and search.

Each filter is a parameter of `returns.selectors.staff_queue`, which the staff
API reads the same way; the changelist applies it as a subquery of the
selector's ids, so what "open", "1–7 days" or "refund due soon" mean is
decided in one place. Search matches what staff are handed at the counter or
on the phone: the RMA number, the order number, the email address (all exact,
indexed) or a phone number written any way (the order's or the account's).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

# The back office reads a phone number in a search term one way everywhere.
from loyalty.admin.filters import search_term_phone
from returns.models import Resolution, ReturnMethod, ReturnReason, ReturnStatus
from returns.selectors import QUEUE_AGES, QUEUE_DUE, staff_queue


def queue_filter(queryset: QuerySet, params: dict) -> QuerySet:
    """`queryset` narrowed to the rows `staff_queue(params=params)` selects."""
    return queryset.filter(pk__in=staff_queue(params=params).values("pk"))


class QueueFilter(admin.SimpleListFilter):
    """A list filter that is one `staff_queue` parameter."""

    # (value, label) pairs; `choices` is the admin's own method.
    options: list[tuple[str, str]] = []

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queue_filter(queryset, {self.parameter_name: value})


class StatusFilter(QueueFilter):
    title = _("status")
    parameter_name = "status"
    options = [("open", _("Open (not finished)")), *ReturnStatus.choices]


class AgeFilter(QueueFilter):
    title = _("age")
    parameter_name = "age"
    options = [(key, label) for key, (label, _low, _high) in QUEUE_AGES.items()]


class ReasonFilter(QueueFilter):
    title = _("reason")
    parameter_name = "reason"
    options = ReturnReason.choices


class ResolutionFilter(QueueFilter):
    title = _("resolution")
    parameter_name = "resolution"
    options = Resolution.choices


class MethodFilter(QueueFilter):
    title = _("return method")
    parameter_name = "method"
    options = ReturnMethod.choices


class DueFilter(QueueFilter):
    title = _("refund deadline")
    parameter_name = "due"
    options = list(QUEUE_DUE.items())


QUEUE_FILTERS = (
    StatusFilter,
    AgeFilter,
    ReasonFilter,
    ResolutionFilter,
    MethodFilter,
    DueFilter,
)


def queue_search(queryset: QuerySet, term: str) -> QuerySet:
    """Rows whose RMA number, order number or email is `term`, or whose order
    or customer has the phone number `term`."""
    term = term.strip()
    if not term:
        return queryset
    matches = Q(pk__in=staff_queue(params={"q": term}).values("pk"))
    phone = search_term_phone(term)
    if phone is not None:
        matches |= (
            Q(order__phone=phone)
            | Q(order__recipient_phone=phone)
            | Q(user__phone=phone)
        )
    return queryset.filter(matches)
