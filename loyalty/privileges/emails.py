"""Member-day reminders and birthday-gift emails.

Built like the programme's other member emails (`loyalty.notifications`): in
the member's language, text and HTML from `templates/loyalty/email/<kind>`,
on the shared email layout, and queued only once the transaction that
caused them has committed. Contexts travel through the broker as JSON: dates
as "YYYY-MM-DD", money as strings, the tier by id.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from loyalty.notifications import (
    email_context_check,
    email_context_parse,
    email_render,
    emails_send_later,
    member_email_values,
    member_language,
)

PRIVILEGE_EMAIL_SUBJECTS = {
    "member_day_reminder": _("[%(shop)s] Tomorrow, %(date)s, is member day"),
    "birthday_gift": _("[%(shop)s] Happy birthday: a gift from us"),
}
_DATE_KEYS = ("member_day", "expires_on")
_MONEY_KEYS = ("amount",)


def _check(kind: str, context: dict) -> None:
    email_context_check(
        kind, context, subjects=PRIVILEGE_EMAIL_SUBJECTS, label="privilege"
    )


def privilege_emails_send_later(*, kind: str, items: list[tuple[int, dict]]) -> None:
    """Queue one `kind` email per (user id, context) of `items` after the commit.

    Kinds: "member_day_reminder" (member_day, tier_id) and "birthday_gift"
    (amount, coupon_name, expires_on). One message to the broker per batch;
    the worker fans it out into one task per member.
    """
    from loyalty.tasks.privileges import send_privilege_emails

    emails_send_later(send_privilege_emails, kind=kind, items=items, check=_check)


def _parse(context: dict) -> dict:
    from loyalty.models import Tier
    from loyalty.prices import tier_in_force

    values = email_context_parse(context, dates=_DATE_KEYS, money=_MONEY_KEYS)
    tier_id = values.get("tier_id")
    found = Tier.objects.filter(pk=tier_id).first() if tier_id else None
    values["tier"] = tier_in_force(found)
    return values


def privilege_email_build(*, user, kind: str, context: dict) -> EmailMultiAlternatives:
    """The `kind` email to `user` in the member's language, text and HTML."""
    _check(kind, context)
    with translation.override(member_language(user=user)):
        values = _parse(context)
        values.update(
            member_email_values(
                user=user, kind=kind, account_path=reverse("loyalty:membership")
            )
        )
        values["profile_url"] = values["site_url"] + reverse("accounts:profile")
        day = values.get("member_day")
        subject = str(PRIVILEGE_EMAIL_SUBJECTS[kind]) % {
            "shop": values["shop_name"],
            "date": formats.date_format(day, "MONTH_DAY_FORMAT") if day else "",
        }
        return email_render(
            to=user.email,
            subject=subject,
            template=f"loyalty/email/{kind}",
            values=values,
        )
