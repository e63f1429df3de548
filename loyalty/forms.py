"""Forms of the member area: the points history filters (page and API)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from loyalty.models import PointsEntry, PointsEntryKind


class PointsHistoryFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("date_from"), cleaned.get("date_to")
        if since is not None and until is not None and since > until:
            self.add_error("date_to", _("The end date must not be before the start."))
        return cleaned


class PointsHistoryFilter(django_filters.FilterSet):
    """Filters of a member's points ledger: kind and a range of days.

    Days are the store's (the current time zone): `date_to` includes the whole
    day. A malformed value is a form error; the page shows it beside the field
    and the API answers 400 naming the parameter.
    """

    kind = django_filters.ChoiceFilter(
        choices=PointsEntryKind.choices,
        label=_("Kind"),
        empty_label=_("All kinds"),
    )
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=pgettext_lazy("date range", "From"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label=pgettext_lazy("date range", "To"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    class Meta:
        model = PointsEntry
        fields = ["kind", "date_from", "date_to"]
        form = PointsHistoryFilterForm

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(
            self.data.get(name) for name in ("kind", "date_from", "date_to")
        )
