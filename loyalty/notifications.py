"""Member emails: tier upgrades, renewals, tier and points expiry warnings.

Each email is rendered in the member's language (the language of their last
order, else the shop's default) from `templates/loyalty/email/<kind>.txt` and
`.html`, and sent by the Celery task `loyalty.tasks.emails.send_member_email`
once the transaction that caused it has committed, so a rolled-back change
never mails anybody.

The context given to `member_email_send_later` travels through the broker, so
it holds JSON values only: tiers by id (`tier_id`, named in the member's
language when the email is built), dates as "YYYY-MM-DD", money as strings.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from shop.core.context_processors import shop_name
from shop.core.money import Money

EMAIL_SUBJECTS = {
    "tier_upgraded": _("[%(shop)s] Welcome to %(tier)s"),
    "tier_renewed": _("[%(shop)s] Your %(tier)s membership has been renewed"),
    "tier_expiring": _("[%(shop)s] Keep your %(tier)s membership"),
    "points_expiring": _("[%(shop)s] Your points expire on %(date)s"),
}
EMAIL_KINDS = tuple(EMAIL_SUBJECTS)

# Context keys that hold a date ("YYYY-MM-DD"), an amount (a decimal string)
# or a tier (its id); the email's context gets them as date, Money and Tier.
_DATE_KEYS = ("expires_on", "retain_by")
_MONEY_KEYS = ("spend_needed", "spend_so_far", "retain_spend")
_TIER_KEYS = ("tier_id", "from_tier_id", "next_tier_id", "drop_to_tier_id")


def member_email_send_later(*, user, kind: str, context: dict) -> None:
    """Queue the `kind` email to member `user` for when the transaction commits.

    Kinds and their context: "tier_upgraded" and "tier_renewed" (tier_id,
    expires_on, from_tier_id), "tier_expiring" (tier_id, expires_on,
    spend_needed, drop_to_tier_id), "points_expiring" (points, expires_on;
    optionally points_available and expiring: [{"date", "points"}, …] when
    points expire on several days). Outside a transaction it is queued at
    once. Raises ValueError for an unknown kind or a context that is not JSON.
    """
    _check(kind, context)
    from loyalty.tasks.emails import send_member_email

    user_id = user.pk
    payload = dict(context)
    transaction.on_commit(lambda: send_member_email.delay(user_id, kind, payload))


def member_emails_send_later(*, kind: str, items: list[tuple[int, dict]]) -> None:
    """Queue one `kind` email per (user id, context) of `items` after the commit.

    For the nightly jobs: one message to the broker for the whole batch, which
    a worker fans out into one `send_member_email` per member (each with its
    own retries), so a run over many members stays fast.
    """
    if not items:
        return
    for _user_id, context in items:
        _check(kind, context)
    from loyalty.tasks.emails import send_member_emails

    payload = [[user_id, dict(context)] for user_id, context in items]
    transaction.on_commit(lambda: send_member_emails.delay(kind, payload))


def _check(kind: str, context: dict) -> None:
    if kind not in EMAIL_SUBJECTS:
        raise ValueError(
            f"unknown member email {kind!r}; expected one of {EMAIL_KINDS}"
        )
    try:
        json.dumps(context)
    except TypeError as error:
        raise ValueError(f"member email context must be JSON: {error}") from None


def member_language(*, user) -> str:
    """The language to write to `user` in: their last order's, else the default."""
    from shop.orders.models import Order

    language = (
        Order.objects.filter(user=user)
        .order_by("-placed_at", "-id")
        .values_list("language", flat=True)
        .first()
    )
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else settings.LANGUAGE_CODE


def _parse(context: dict) -> dict:
    from loyalty.models import Tier

    parsed = dict(context)
    for key in _DATE_KEYS:
        if parsed.get(key):
            parsed[key] = date.fromisoformat(parsed[key])
    for key in _MONEY_KEYS:
        if parsed.get(key) is not None:
            parsed[key] = Money.of(Decimal(str(parsed[key])))
    if isinstance(parsed.get("expiring"), list):
        # Points per last day: [{"date": "YYYY-MM-DD", "points": N}, …].
        parsed["expiring"] = [
            {**row, "date": date.fromisoformat(row["date"])}
            for row in parsed["expiring"]
        ]
    ids = {parsed[key] for key in _TIER_KEYS if parsed.get(key)}
    tiers = Tier.objects.in_bulk(ids) if ids else {}
    for key in _TIER_KEYS:
        if key in parsed:
            parsed[key.removesuffix("_id")] = tiers.get(parsed[key])
    return parsed


def member_email_build(*, user, kind: str, context: dict) -> EmailMultiAlternatives:
    """The `kind` email to `user` in the member's language, text and HTML."""
    _check(kind, context)
    site_url = settings.SITE_URL.rstrip("/")
    with translation.override(member_language(user=user)):
        values = _parse(context)
        values.update(
            {
                "kind": kind,
                "user": user,
                "member_name": user.name or user.get_short_name(),
                "shop_name": shop_name(),
                "site_url": site_url,
                "account_url": site_url + reverse("accounts:dashboard"),
            }
        )
        tier = values.get("tier")
        expires_on = values.get("expires_on")
        subject = str(EMAIL_SUBJECTS[kind]) % {
            "shop": values["shop_name"],
            "tier": tier.display_name if tier is not None else "",
            "date": formats.date_format(expires_on, "DATE_FORMAT")
            if expires_on
            else "",
        }
        text = render_to_string(f"loyalty/email/{kind}.txt", values)
        html = render_to_string(f"loyalty/email/{kind}.html", values)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    return message
