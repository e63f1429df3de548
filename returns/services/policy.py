"""The return policy: the merchant's terms, and their copy frozen on each order."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from returns.errors import ReturnError
from returns.models import OrderReturnPolicy, ReturnPolicy
from returns.selectors import return_policy, return_policy_cache_clear

# The terms the snapshot copies: every field both models have.
_SNAPSHOT_FIELDS = tuple(
    field.name
    for field in OrderReturnPolicy._meta.concrete_fields
    if field.name != "id"
    and field.name in {f.name for f in ReturnPolicy._meta.concrete_fields}
)


def order_return_policy_snapshot(*, order) -> OrderReturnPolicy:
    """The return terms frozen on `order`, written on first call.

    Called by the `order_placed` receiver inside the placement transaction,
    so the terms are those in force when the shopper bought: a later policy
    edit never shortens anyone's window. The cooling-off period is the
    statutory one (`settings.COOLING_OFF_DAYS`), not a merchant setting. For
    an order placed before the returns app existed the snapshot is created
    lazily, on first use, from the current policy.
    """
    try:
        return order.return_policy
    except OrderReturnPolicy.DoesNotExist:
        pass
    policy = return_policy()
    terms = {name: getattr(policy, name) for name in _SNAPSHOT_FIELDS}
    terms["cooling_off_days"] = settings.COOLING_OFF_DAYS
    try:
        with transaction.atomic():
            return OrderReturnPolicy.objects.create(order=order, **terms)
    except IntegrityError:
        # Two first uses at once: the other one wrote it.
        return OrderReturnPolicy.objects.get(order=order)


def return_policy_update(**fields) -> ReturnPolicy:
    """Change the policy for new orders; orders already placed keep theirs.

    The merchant window is never shorter than the cooling-off period.
    """
    policy, _created = ReturnPolicy.objects.get_or_create(pk=1)
    unknown = set(fields) - {f.name for f in ReturnPolicy._meta.concrete_fields}
    if unknown or "id" in fields:
        raise ValueError(f"unknown return policy fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(policy, name, value)
    if policy.merchant_window_days < settings.COOLING_OFF_DAYS:
        raise ReturnError(
            _(
                "The return window cannot be shorter than the %(days)d-day "
                "cooling-off period."
            )
            % {"days": settings.COOLING_OFF_DAYS},
            field="merchant_window_days",
        )
    policy.save()
    return_policy_cache_clear()
    return policy
