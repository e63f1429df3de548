"""The shop's hooks into django-allauth.

Social login (LINE, Google, Facebook) needs no code and no secrets here: a
merchant creates one "Social application" per provider in the back office
(admin → Social accounts → Social applications) with the client id and secret
from the provider's console, and ticks the site. The login and sign-up pages
show a button for each configured provider. The callback URL to register with
the provider is `<SITE_URL>/account/<provider>/login/callback/`, e.g.
`https://shop.example.com/account/line/login/callback/`.
"""

from __future__ import annotations

import re

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction

from shop.accounts.tasks import send_email_message
from shop.core.context_processors import shop_name

# Han, Hiragana, Katakana, Hangul: names written without a space, family name first.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def full_name(*, first_name: str, last_name: str) -> str:
    """Join a given and a family name the way the name's script writes them.

    `小明` + `王` → `王小明`; `Ming` + `Wang` → `Ming Wang`.
    """
    first_name = (first_name or "").strip()
    last_name = (last_name or "").strip()
    if _CJK.search(first_name + last_name):
        return f"{last_name}{first_name}"
    return f"{first_name} {last_name}".strip()


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Store the member's name and phone from the sign-up form with the user."""
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        if data.get("name"):
            user.name = data["name"]
        if data.get("phone"):
            user.phone = data["phone"]
        if commit:
            user.save()
        return user

    def format_email_subject(self, subject: str) -> str:
        # The shop's name rather than the Site's ("example.com" until someone edits it).
        prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", None)
        if prefix is None:
            prefix = f"[{shop_name()}] "
        return f"{prefix}{subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (in the request's language), send from a task after commit.

        A slow or failing mail server must not break or slow down sign-up, and
        no email goes out for a change that was rolled back.
        """
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                "shop_name": shop_name(),
                "shop_url": settings.SITE_URL,
                **context,
            },
        )
        payload = {
            "subject": message.subject,
            "body": message.body,
            "content_subtype": message.content_subtype,
            "from_email": message.from_email,
            "to": list(message.to),
            "alternatives": [
                [content, mimetype]
                for content, mimetype in getattr(message, "alternatives", [])
            ],
            "headers": dict(message.extra_headers),
        }
        # robust: without a broker the task runs right here, and a mail server
        # that is down must not turn a finished sign-up into an error page.
        transaction.on_commit(lambda: send_email_message.delay(payload), robust=True)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        """Fill the member's name from the LINE, Google or Facebook profile.

        allauth fills the email; this user model has one `name` field instead of
        first and last names, so the provider's display name is used, or the
        given and family names joined for the name's script.
        """
        user = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or "").strip() or full_name(
            first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "",
        )
        if name and not user.name:
            user.name = name[: user._meta.get_field("name").max_length]
        return user
