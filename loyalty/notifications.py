"""Member emails: tier upgrades, renewals, tier and points expiry warnings.

Each email is rendered in the member's language (the language of their last
order, else the shop's default) from `templates/loyalty/email/<kind>.txt` and
`.html`, and sent by the Celery task `loyalty.tasks.emails.send_member_email`
once the transaction that caused it has committed, so a rolled-back change
never mails anybody.

The context given to `member_email_send_later` travels through the broker, so
it holds JSON values only: tiers by id (`tier_id`, named in the member's
language when the email is built), dates as "YYYY-MM-DD", money as strings.

The other emails of the programme (paid membership, privileges, top-up
receipts) are built and queued with the helpers at the end of this module.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
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

    email_send_later(send_member_email, user.pk, kind, dict(context))


def member_emails_send_later(*, kind: str, items: list[tuple[int, dict]]) -> None:
    """Queue one `kind` email per (user id, context) of `items` after the commit.

    For the nightly jobs: one message to the broker for the whole batch, which
    a worker fans out into one `send_member_email` per member (each with its
    own retries), so a run over many members stays fast.
    """
    from loyalty.tasks.emails import send_member_emails

    emails_send_later(send_member_emails, kind=kind, items=items, check=_check)


def _check(kind: str, context: dict) -> None:
    email_context_check(kind, context, subjects=EMAIL_SUBJECTS, label="member")


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

    parsed = email_context_parse(context, dates=_DATE_KEYS, money=_MONEY_KEYS)
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
    with translation.override(member_language(user=user)):
        values = _parse(context)
        values.update(
            member_email_values(
                user=user, kind=kind, account_path=reverse("accounts:dashboard")
            )
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
        return email_render(
            to=user.email,
            subject=subject,
            template=f"loyalty/email/{kind}",
            values=values,
        )


# The parts every email of the programme shares: the member emails above, and
# those of paid membership, privileges and top-ups, which differ only in their
# kinds, their contexts and their links.


def email_context_check(
    kind: str, context: dict, *, subjects: Mapping[str, object], label: str
) -> None:
    """Raise ValueError unless `kind` is one of `subjects` and `context` is JSON.

    `label` names the family of emails in the message ("member", "privilege").
    """
    if kind not in subjects:
        raise ValueError(
            f"unknown {label} email {kind!r}; expected one of {tuple(subjects)}"
        )
    try:
        json.dumps(context)
    except TypeError as error:
        raise ValueError(f"{label} email context must be JSON: {error}") from None


def email_send_later(task, *args) -> None:
    """Queue `task` with `args` once the transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task.delay(*args))


def emails_send_later(
    task, *, kind: str, items: list[tuple[int, dict]], check: Callable
) -> None:
    """Queue the batch `items` of (user id, context) to the fan-out `task`.

    Every context passes `check(kind, context)` first; one message goes to the
    broker after the commit, and nothing at all for an empty batch.
    """
    if not items:
        return
    for _user_id, context in items:
        check(kind, context)
    payload = [[user_id, dict(context)] for user_id, context in items]
    email_send_later(task, kind, payload)


def email_context_parse(
    context: dict,
    *,
    dates: Iterable[str] = (),
    money: Iterable[str] = (),
    currency: str | None = None,
) -> dict:
    """A copy of the JSON `context` with its `dates` and `money` keys made values.

    Dates come as "YYYY-MM-DD", amounts as decimal strings (in `currency`,
    else the shop's); keys missing or empty are left as they are.
    """
    parsed = dict(context)
    for key in dates:
        if parsed.get(key):
            parsed[key] = date.fromisoformat(parsed[key])
    for key in money:
        if parsed.get(key) is not None:
            parsed[key] = Money.of(Decimal(str(parsed[key])), currency)
    return parsed


def member_email_values(*, user, account_path: str, **extra) -> dict:
    """The template values every member email has, with `extra` ones.

    Call it in the member's language, where `account_path` (the page the
    layout's button leads to) was reversed.
    """
    site_url = settings.SITE_URL.rstrip("/")
    return {
        "user": user,
        "member_name": user.name or user.get_short_name(),
        "shop_name": shop_name(),
        "site_url": site_url,
        "account_url": site_url + account_path,
        **extra,
    }


def email_render(
    *, to: str, subject: str, template: str, values: dict
) -> EmailMultiAlternatives:
    """The email to `to`: `template`.txt as its body, `template`.html beside it.

    Call it in the language the email is written in.
    """
    text = render_to_string(f"{template}.txt", values)
    html = render_to_string(f"{template}.html", values)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    return message
