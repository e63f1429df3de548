"""Paid membership emails: receipt, cancellation, renewal reminder, end, refund.

Like the member emails of `loyalty.notifications`: rendered in the member's
language from `templates/loyalty/email/plans/<kind>.txt` and `.html`, and sent
by a Celery task once the transaction that caused them has committed. The
context travels through the broker, so it holds JSON values only: dates as
"YYYY-MM-DD", money as strings, the plan by name as it was when the email was
queued.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from loyalty.dates import store_date
from loyalty.notifications import (
    email_context_check,
    email_context_parse,
    email_render,
    email_send_later,
    emails_send_later,
    member_email_values,
    member_language,
)
from loyalty.plans.periods import period_last_day

PLAN_EMAIL_SUBJECTS = {
    "activated": _("[%(shop)s] Your %(plan)s membership receipt"),
    "cancelled": _("[%(shop)s] Your %(plan)s membership is cancelled"),
    "reminder": _("[%(shop)s] Your %(plan)s membership ends on %(date)s"),
    "ended": _("[%(shop)s] Your %(plan)s membership has ended"),
    "refunded": _("[%(shop)s] Your %(plan)s membership was refunded"),
}
PLAN_EMAIL_KINDS = tuple(PLAN_EMAIL_SUBJECTS)

_DATE_KEYS = ("starts_on", "last_day")
_MONEY_KEYS = ("amount", "refunded_amount")


def plan_email_context(paid_membership, **extra) -> dict:
    """The JSON context of an email about `paid_membership` (plan and purchase read)."""
    purchase = paid_membership.purchase
    return {
        "plan": paid_membership.plan.name,
        "period": paid_membership.plan.period,
        "starts_on": store_date(paid_membership.starts_at).isoformat(),
        "last_day": period_last_day(paid_membership.ends_at).isoformat(),
        "purchase_number": purchase.number,
        "amount": str(purchase.amount),
        "currency": purchase.currency,
        **extra,
    }


def plan_email_send_later(*, user, kind: str, context: dict) -> None:
    """Queue the `kind` email to `user` for when the transaction commits."""
    _check(kind, context)
    from loyalty.tasks.plans import send_paid_membership_email

    email_send_later(send_paid_membership_email, user.pk, kind, dict(context))


def plan_emails_send_later(*, kind: str, items: list[tuple[int, dict]]) -> None:
    """Queue one `kind` email per (user id, context) after the commit.

    One message to the broker for the batch; a worker fans it out.
    """
    from loyalty.tasks.plans import send_paid_membership_emails

    emails_send_later(send_paid_membership_emails, kind=kind, items=items, check=_check)


def _check(kind: str, context: dict) -> None:
    email_context_check(
        kind, context, subjects=PLAN_EMAIL_SUBJECTS, label="paid membership"
    )


def plan_email_build(*, user, kind: str, context: dict) -> EmailMultiAlternatives:
    """The `kind` email to `user` in the member's language, text and HTML."""
    _check(kind, context)
    with translation.override(member_language(user=user)):
        values = email_context_parse(
            context,
            dates=_DATE_KEYS,
            money=_MONEY_KEYS,
            currency=context.get("currency"),
        )
        # The button of the email layout leads to the plans page.
        values.update(
            member_email_values(
                user=user, kind=kind, account_path=reverse("loyalty:plans")
            )
        )
        values["plans_url"] = values["account_url"]
        last_day = values.get("last_day")
        subject = str(PLAN_EMAIL_SUBJECTS[kind]) % {
            "shop": values["shop_name"],
            "plan": values.get("plan", ""),
            "date": formats.date_format(last_day, "DATE_FORMAT") if last_day else "",
        }
        return email_render(
            to=user.email,
            subject=subject,
            template=f"loyalty/email/plans/{kind}",
            values=values,
        )
