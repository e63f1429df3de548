"""Back-office forms of coupons: the coupon itself, and issuing vouchers.

They catch what a person can get wrong on the page (a code with spaces, a
percentage over 100, a cap on an amount-off coupon, a window that ends
before it starts, a pasted list with a typo); the services check the rest.
"""

from __future__ import annotations

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from loyalty.models import Coupon, CouponKind
from loyalty.selectors.programme import tiers_active
from shop.accounts.validators import normalize_phone

_CODE = re.compile(r"[A-Z0-9_-]+\Z")
_KEY = re.compile(r"admin-issue:[0-9a-f]{32}\Z")
_SEPARATORS = re.compile(r"[\n,;]+")
# A pasted list longer than this is better sent as a tier or several lists.
MAX_RECIPIENTS = 5000


def new_issue_key() -> str:
    """A key for one rendering of an issue form: posting it twice issues once."""
    return f"admin-issue:{uuid.uuid4().hex}"


def _tier_choices(current: str = "") -> list[tuple[str, str]]:
    choices = [(tier.code, tier.display_name) for tier in tiers_active()]
    if current and current not in dict(choices):
        choices.append((current, current))
    return choices


class CouponAdminForm(forms.ModelForm):
    class Meta:
        model = Coupon
        fields = (
            "name",
            "code",
            "description",
            "is_active",
            "kind",
            "value",
            "max_discount",
            "min_spend",
            "products",
            "categories",
            "members_only",
            "min_tier_code",
            "member_day_only",
            "starts_at",
            "ends_at",
            "valid_days",
            "usage_limit",
            "per_member_limit",
            "combines_with_points",
            "combines_with_member_prices",
            "combines_with_member_day",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The active scheme's tiers; a code no longer in it is kept visible
        # and explained by `clean` instead of "not a valid choice".
        current = self.initial.get("min_tier_code") or ""
        self.fields["min_tier_code"].widget = forms.Select(
            choices=[("", _("Any tier"))] + _tier_choices(current)
        )

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip().upper()
        if not code:
            return ""
        if not _CODE.match(code):
            raise ValidationError(
                _("Use only letters, digits, “-” and “_” (no spaces)."),
                code="invalid",
            )
        taken = Coupon.objects.filter(code__iexact=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _("Another coupon already has this code."), code="unique"
            )
        return code

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        value = cleaned.get("value")
        if kind == CouponKind.PERCENT and value is not None and not 0 < value <= 100:
            self.add_error("value", _("Enter a percentage above 0 and up to 100."))
        if kind == CouponKind.FIXED and value is not None and value <= 0:
            self.add_error("value", _("Enter the amount the coupon takes off."))
        if kind == CouponKind.FREE_SHIPPING and value:
            self.add_error("value", _("Leave the value at 0 for free shipping."))
        if kind != CouponKind.PERCENT and cleaned.get("max_discount") is not None:
            self.add_error(
                "max_discount", _("A cap applies to percentage coupons only.")
            )
        tier_code = cleaned.get("min_tier_code")
        if tier_code and tier_code not in {t.code for t in tiers_active()}:
            self.add_error(
                "min_tier_code",
                _("The tiers in force have no tier “%(code)s”: choose another.")
                % {"code": tier_code},
            )
        if not cleaned.get("members_only"):
            if tier_code:
                self.add_error(
                    "members_only", _("A coupon for a tier is for members only.")
                )
            if cleaned.get("member_day_only"):
                self.add_error(
                    "members_only",
                    _("Member days are for members: tick “members only”."),
                )
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        limit = cleaned.get("usage_limit")
        if limit is not None and self.instance.pk and limit < self.instance.times_used:
            self.add_error(
                "usage_limit",
                _("It has been used %(count)d times already: allow at least that.")
                % {"count": self.instance.times_used},
            )
        return cleaned


class _IssueForm(forms.Form):
    issue_key = forms.CharField(widget=forms.HiddenInput)

    def clean_issue_key(self):
        key = self.cleaned_data["issue_key"]
        if not _KEY.match(key):
            raise ValidationError(
                _("The form has expired. Please start again."), code="invalid"
            )
        return key


class TierIssueForm(_IssueForm):
    tier = forms.ChoiceField(label=_("Tier"))
    and_above = forms.BooleanField(
        label=_("And the tiers above it"),
        required=False,
        help_text=_("Off: members of this tier only."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = _tier_choices()

    def issue_kwargs(self) -> dict:
        return {
            "tier_code": self.cleaned_data["tier"],
            "and_above": self.cleaned_data["and_above"],
        }


def contact_parse(text: str) -> tuple[list[str], list[str]]:
    """Pasted emails and phone numbers → (normalised entries, unreadable ones).

    One a line, or separated by commas or semicolons; emails are compared in
    lower case, phone numbers in E.164 (`0912-345-678` → `+886912345678`).
    """
    entries, unreadable = [], []
    for raw in _SEPARATORS.split(text or ""):
        item = raw.strip()
        if not item:
            continue
        if "@" in item:
            try:
                validate_email(item)
            except ValidationError:
                unreadable.append(item)
            else:
                entries.append(item.lower())
            continue
        try:
            entries.append(normalize_phone(item))
        except ValidationError:
            unreadable.append(item)
    return list(dict.fromkeys(entries)), unreadable


class MembersIssueForm(_IssueForm):
    recipients = forms.CharField(
        label=pgettext_lazy("people", "Members"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 60}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Interpolated per request: a lazy text formatted at import would be
        # fixed in the language the process started in.
        self.fields["recipients"].help_text = gettext(
            "Email addresses or mobile phone numbers, one a line (or separated "
            "by commas), at most %(count)d."
        ) % {"count": MAX_RECIPIENTS}

    def clean_recipients(self):
        entries, unreadable = contact_parse(self.cleaned_data["recipients"])
        if unreadable:
            raise ValidationError(
                _("These are neither an email address nor a phone number: %(items)s")
                % {"items": ", ".join(unreadable[:20])},
                code="invalid",
            )
        if not entries:
            raise ValidationError(_("Paste at least one member."), code="required")
        if len(entries) > MAX_RECIPIENTS:
            raise ValidationError(
                _("Paste at most %(count)d members at once.")
                % {"count": MAX_RECIPIENTS},
                code="too_many",
            )
        return entries
