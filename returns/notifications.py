"""Return emails to the shopper: one per step, queued after the commit.

Each email is rendered in the language the order was placed in, from
`templates/returns/email/<kind>.txt` and `.html`, and sent by the Celery task
`returns.tasks.send_return_email` once the transaction that caused it has
committed, so a rolled-back change never mails anybody.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from shop.core.context_processors import shop_name
from shop.core.money import Money

EMAIL_SUBJECTS = {
    "requested": _("[%(shop)s] We have received your return request %(number)s"),
    "approved": _("[%(shop)s] Return %(number)s approved: how to send it back"),
    "rejected": _("[%(shop)s] Return %(number)s could not be accepted"),
    "received": _("[%(shop)s] Your return %(number)s has arrived"),
    "refunded": _("[%(shop)s] Your refund for return %(number)s"),
    "credited": _("[%(shop)s] Shopping credit for return %(number)s"),
    "exchanged": _("[%(shop)s] Your exchange for return %(number)s is on its way"),
    "expired": _("[%(shop)s] Return %(number)s has expired"),
}
EMAIL_KINDS = tuple(EMAIL_SUBJECTS)


def return_email_queue(request, kind: str) -> None:
    """Queue the `kind` email about return `request` for after the commit.

    Kinds: "requested", "approved" (with the instructions), "rejected" (with
    the reason), "received", "refunded" and "credited" (from the request's
    latest refund), "exchanged", "expired". Outside a transaction it is
    queued at once. Raises ValueError for an unknown kind.
    """
    if kind not in EMAIL_SUBJECTS:
        raise ValueError(
            f"unknown return email {kind!r}; expected one of {EMAIL_KINDS}"
        )
    from returns.tasks import send_return_email

    request_id = request.pk
    transaction.on_commit(lambda: send_return_email.delay(request_id, kind))


def return_page_url(request) -> str:
    """The shopper's page for the return; a guest's goes through the order lookup."""
    site_url = settings.SITE_URL.rstrip("/")
    if request.user_id is None:
        query = urlencode({"number": request.order.number})
        return f"{site_url}{reverse('returns:guest')}?{query}"
    return site_url + reverse("returns:detail", kwargs={"number": request.number})


def _date(moment) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _context(request, kind: str) -> dict:
    from returns.selectors import return_address, return_instructions

    order = request.order
    context = {
        "kind": kind,
        "request": request,
        "order": order,
        "lines": list(request.lines.all()),
        "shop_name": shop_name(),
        "site_url": settings.SITE_URL.rstrip("/"),
        "return_url": return_page_url(request),
        "instructions": return_instructions(request=request),
        "return_address": return_address(),
        "refund": None,
        "due": _date(request.refund_due_by),
        "ship_by": _date(request.ship_by),
    }
    if kind in ("refunded", "credited"):
        refund = request.refunds.order_by("-created_at", "-id").first()
        if refund is not None:
            money = {
                name: Money(getattr(refund, name), refund.currency)
                for name in ("total", "to_payment", "to_credit", "credit_bonus")
            }
            context["refund"] = refund
            context["refund_money"] = money
    return context


def return_email_build(*, request, kind: str) -> EmailMultiAlternatives:
    """The `kind` email about `request` in the order's language, text and HTML."""
    if kind not in EMAIL_SUBJECTS:
        raise ValueError(f"unknown return email {kind!r}")
    language = request.language or request.order.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = _context(request, kind)
        subject = str(EMAIL_SUBJECTS[kind]) % {
            "shop": context["shop_name"],
            "number": request.number,
        }
        text = render_to_string(f"returns/email/{kind}.txt", context)
        html = render_to_string(f"returns/email/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[request.email],
    )
    message.attach_alternative(html, "text/html")
    return message
