"""Reading coupons: a code, a checkout option, a member's vouchers, and
whether a coupon applies to a quote.

`coupon_check` is the one place the rules live: the checkout adjuster, the
coupon API and the wallet on the review page ask it, and the placement
re-check (`services.coupon_redeem_for_order`) asks its first half,
`coupon_availability`, under the coupon's row lock.

How a shopper names a coupon at checkout (`options["coupon"]`): the code as
typed ("summer10 " finds SUMMER10), or `v:<id>` for a voucher of their own
wallet (`voucher_option`). Codes hold only letters, digits, "-" and "_"
(the admin form makes sure), so the two never clash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Case, CharField, F, Prefetch, Q, QuerySet, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loyalty.coupons.texts import day_text, tier_for_code
from loyalty.dates import store_date
from loyalty.errors import CouponError
from loyalty.models import Coupon, CouponKind, CouponRedemption, MemberCoupon
from loyalty.privileges.adjusters import MEMBER_DAY_CODE
from loyalty.privileges.memberday import member_day_next
from shop.accounts.models import User
from shop.catalog.category_tree import category_node
from shop.catalog.models import Category, Product
from shop.checkout.allocation import allocate_proportionally
from shop.core.money import format_money, money_round

# The option key at checkout and the code of the coupon's adjustment.
COUPON_CODE = "coupon"
VOUCHER_PREFIX = "v:"
USABLE, USED, EXPIRED = "usable", "used", "expired"
_CODES_KEY = "loyalty:coupon-codes"
# With a per-process cache a change reaches the other workers within this.
_CODES_TIMEOUT = 60
MAX_CODE_LENGTH = 30


@dataclass(frozen=True)
class CouponVerdict:
    """Whether a coupon applies to a quote, and what it takes off.

    `amount` is the discount (positive); `allocations` its share of each
    eligible line (negative, summing to `-amount` exactly). A free-shipping
    coupon has `free_shipping` and no amount.
    """

    ok: bool
    message: str = ""
    code: str = ""
    amount: Decimal = Decimal(0)
    allocations: dict[str, Decimal] = field(default_factory=dict)
    free_shipping: bool = False

    @classmethod
    def refused(cls, message: str, code: str) -> CouponVerdict:
        return cls(ok=False, message=message, code=code)

    def raise_unless_ok(self) -> None:
        if not self.ok:
            raise CouponError(self.message, field=COUPON_CODE, code=self.code)


# --- Finding coupons ------------------------------------------------------------


def _targets(prefix: str = "") -> list[Prefetch]:
    """Prefetches of a coupon's eligible products and categories (ids only)."""
    return [
        Prefetch(f"{prefix}products", queryset=Product.objects.only("pk")),
        Prefetch(f"{prefix}categories", queryset=Category.objects.only("pk")),
    ]


def coupon_for_code(code: str) -> Coupon | None:
    """The coupon shoppers type as `code`; case and surrounding spaces are ignored."""
    text = (code or "").strip()
    if not text or len(text) > MAX_CODE_LENGTH:
        return None
    return (
        Coupon.objects.filter(code__iexact=text).prefetch_related(*_targets()).first()
    )


def voucher_option(member_coupon: MemberCoupon) -> str:
    """What to send as `options["coupon"]` to use this voucher."""
    return f"{VOUCHER_PREFIX}{member_coupon.pk}"


def coupon_from_option(value, *, shopper) -> tuple[Coupon, MemberCoupon | None] | None:
    """The coupon (and voucher) `options["coupon"]` names; None when empty.

    Raises CouponError (field "coupon") for a code that does not exist or a
    voucher that is not the shopper's.
    """
    text = str(value or "").strip()
    if not text:
        return None
    if text.lower().startswith(VOUCHER_PREFIX):
        digits = text[len(VOUCHER_PREFIX) :]
        if not shopper.is_member:
            raise CouponError(
                _("Log in to use your vouchers."), field=COUPON_CODE, code="login"
            )
        found = None
        if digits.isascii() and digits.isdigit() and len(digits) <= 12:
            found = (
                MemberCoupon.objects.filter(user_id=shopper.user.pk, pk=int(digits))
                .select_related("coupon")
                .prefetch_related(*_targets("coupon__"))
                .first()
            )
        if found is None:
            raise CouponError(
                _("This voucher is not in your wallet."),
                field=COUPON_CODE,
                code="not_found",
            )
        return found.coupon, found
    coupon = coupon_for_code(text)
    if coupon is None:
        raise CouponError(
            _("There is no coupon “%(code)s”. Check the code and try again.")
            % {"code": text[:MAX_CODE_LENGTH]},
            field=COUPON_CODE,
            code="not_found",
        )
    return coupon, None


def coupon_codes_in_use() -> bool:
    """Whether any switched-on coupon can be typed in: the code box shows then.

    Cached like the programme settings; saving or deleting a coupon clears it
    (`coupon_cache_clear`, connected in `loyalty.coupons.receivers`).
    """
    found = cache.get(_CODES_KEY)
    if found is None:
        found = Coupon.objects.filter(is_active=True).exclude(code="").exists()
        cache.set(_CODES_KEY, found, _CODES_TIMEOUT)
    return found


def coupon_cache_clear(**kwargs) -> None:
    cache.delete(_CODES_KEY)


# --- The member's wallet --------------------------------------------------------


def _usable(now: datetime) -> Q:
    return (
        Q(used_at__isnull=True)
        & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        & Q(coupon__is_active=True)
        & (Q(coupon__ends_at__isnull=True) | Q(coupon__ends_at__gt=now))
    )


def member_coupons(
    user, *, include_used: bool = False, now: datetime | None = None
) -> QuerySet[MemberCoupon]:
    """The member's vouchers with their coupon (and order), in one query.

    Two more read the coupons' eligible products and categories (for their
    terms), only when there are vouchers.

    Each row has `state`: "usable", "used" or "expired" (past its expiry, or
    its coupon ended or was switched off). Usable ones come first, soonest
    to expire first; with `include_used` the used and expired ones follow,
    newest first.
    """
    now = now or timezone.now()
    usable = _usable(now)
    queryset = (
        MemberCoupon.objects.filter(user_id=user.pk)
        .select_related("coupon", "order")
        .prefetch_related(*_targets("coupon__"))
        .annotate(
            state=Case(
                When(used_at__isnull=False, then=Value(USED)),
                When(usable, then=Value(USABLE)),
                default=Value(EXPIRED),
                output_field=CharField(),
            )
        )
    )
    if not include_used:
        return queryset.filter(usable).order_by(
            F("expires_at").asc(nulls_last=True), "-issued_at", "-id"
        )
    return queryset.annotate(
        usable_until=Case(When(usable, then=F("expires_at"))),
        past=Case(When(usable, then=Value(0)), default=Value(1)),
    ).order_by("past", F("usable_until").asc(nulls_last=True), "-issued_at", "-id")


# --- The rules ------------------------------------------------------------------


def coupon_member_uses(*, coupon: Coupon, user) -> int:
    """The member's uses of `coupon` by its code that were not released.

    A voucher is one use of its own and is not counted against the code's
    per-member limit: a member may hold this year's birthday voucher of a
    coupon they used last year.
    """
    return CouponRedemption.objects.filter(
        coupon=coupon,
        user_id=user.pk,
        member_coupon__isnull=True,
        released_at__isnull=True,
    ).count()


def coupon_availability(
    coupon: Coupon,
    *,
    user,
    member_coupon: MemberCoupon | None = None,
    now: datetime,
) -> CouponVerdict | None:
    """Why `coupon` cannot be used by `user` now at all, or None when it can.

    What does not depend on the order: switched on, within its window, the
    voucher unused and unexpired, the global limit, the per-member limit (for
    a code; guests' uses of a coupon open to all are not counted per person).
    """
    is_member = user is not None and user.is_authenticated
    if not is_member and (coupon.members_only or member_coupon is not None):
        return CouponVerdict.refused(_("Log in to use this coupon."), "login")
    if member_coupon is not None and member_coupon.user_id != user.pk:
        return CouponVerdict.refused(
            _("This voucher is not in your wallet."), "not_found"
        )
    if not coupon.is_active:
        return CouponVerdict.refused(_("This coupon is no longer valid."), "inactive")
    if coupon.starts_at is not None and coupon.starts_at > now:
        return CouponVerdict.refused(
            _("This coupon can be used from %(date)s.")
            % {"date": day_text(coupon.starts_at)},
            "not_started",
        )
    if coupon.ends_at is not None and coupon.ends_at <= now:
        return CouponVerdict.refused(
            _("This coupon ended on %(date)s.") % {"date": day_text(coupon.ends_at)},
            "expired",
        )
    if member_coupon is not None:
        if member_coupon.used_at is not None:
            return CouponVerdict.refused(
                _("This voucher has already been used."), "used"
            )
        if member_coupon.expires_at is not None and member_coupon.expires_at <= now:
            return CouponVerdict.refused(
                _("This voucher expired on %(date)s.")
                % {"date": day_text(member_coupon.expires_at)},
                "expired",
            )
    if coupon.usage_limit is not None and coupon.times_used >= coupon.usage_limit:
        return CouponVerdict.refused(
            _("This coupon has been fully redeemed."), "used_up"
        )
    if member_coupon is None and is_member:
        limit = coupon.per_member_limit
        if coupon_member_uses(coupon=coupon, user=user) >= limit:
            return CouponVerdict.refused(
                ngettext(
                    "You have already used this coupon.",
                    "You have already used this coupon %(count)d times, "
                    "the most allowed.",
                    limit,
                )
                % {"count": limit},
                "member_limit",
            )
    return None


def _target_ids(coupon: Coupon) -> tuple[set[int], set[int]]:
    """The eligible product ids and category ids (with their subcategories)."""
    products = {product.pk for product in coupon.products.all()}
    categories: set[int] = set()
    for category in coupon.categories.all():
        node = category_node(category.pk)
        categories.update(node.descendant_ids() if node else [category.pk])
    return products, categories


def _eligible_lines(coupon: Coupon, quote) -> tuple[list, bool]:
    """The quote's lines the coupon covers, and whether member prices left some out."""
    products, categories = _target_ids(coupon)
    targeted = bool(products or categories)
    lines, member_priced = [], False
    for line in quote.lines:
        product = line.variant.product
        if targeted and not (
            product.pk in products or product.category_id in categories
        ):
            continue
        if not coupon.combines_with_member_prices and (
            line.price.price < line.price.list_price
        ):
            member_priced = True
            continue
        lines.append(line)
    return lines, member_priced


def _discount(coupon: Coupon, eligible: Decimal, currency: str) -> Decimal:
    """The discount on `eligible`, rounded, capped and never more than it."""
    if coupon.kind == CouponKind.PERCENT:
        amount = money_round(eligible * coupon.value / 100, currency)
        if coupon.max_discount is not None:
            amount = min(amount, money_round(coupon.max_discount, currency))
    else:
        amount = money_round(coupon.value, currency)
    return max(min(amount, eligible), Decimal(0))


def coupon_check(
    coupon: Coupon,
    *,
    quote,
    shopper,
    member_coupon: MemberCoupon | None = None,
    now: datetime,
) -> CouponVerdict:
    """Whether `coupon` applies to `quote` for `shopper`, and what it takes off.

    On top of `coupon_availability`: the lowest tier, member days only, not
    with a member-day discount already on the quote, the eligible lines
    (listed products, or products in listed categories or below; items at a
    member price left out unless the coupon combines with member prices),
    and the minimum spend on those lines. Amounts are taken from the lines'
    value after the discounts before the coupon (member day, paid
    membership). A percentage is rounded, then capped at `max_discount`;
    either kind is capped at the eligible amount.
    """
    user = shopper.user if shopper.is_member else None
    refusal = coupon_availability(
        coupon, user=user, member_coupon=member_coupon, now=now
    )
    if refusal is not None:
        return refusal
    if coupon.min_tier_code:
        required = tier_for_code(coupon.min_tier_code)
        tier = getattr(shopper, "tier", None)
        if required is None or tier is None or tier.rank < required.rank:
            name = required.display_name if required else coupon.min_tier_code
            return CouponVerdict.refused(
                _("This coupon is for %(tier)s members and above.") % {"tier": name},
                "tier",
            )
    if coupon.member_day_only and not getattr(shopper, "member_day", None):
        message = _("This coupon can only be used on a member day.")
        upcoming = member_day_next(store_date(now))
        if upcoming is not None:
            message = _("%(message)s The next one is %(date)s.") % {
                "message": message,
                "date": formats.date_format(upcoming, "SHORT_DATE_FORMAT"),
            }
        return CouponVerdict.refused(message, "member_day_only")
    if not coupon.combines_with_member_day and any(
        # A member day that only multiplies points is no discount to combine.
        adjustment.code == MEMBER_DAY_CODE and adjustment.amount.amount
        for adjustment in quote.adjustments
    ):
        return CouponVerdict.refused(
            _("This coupon cannot be combined with the member-day discount."),
            "member_day",
        )
    lines, member_priced = _eligible_lines(coupon, quote)
    if not lines:
        if member_priced:
            return CouponVerdict.refused(
                _("This coupon does not apply to items at a member price."),
                "member_price",
            )
        return CouponVerdict.refused(
            _("None of the items in your cart can use this coupon."), "no_items"
        )
    weights = {line.key: quote.line_net(line.key).amount for line in lines}
    eligible = sum(weights.values(), Decimal(0))
    if eligible < coupon.min_spend:
        short = format_money(coupon.min_spend - eligible, quote.currency)
        message = (
            _("Spend %(amount)s more to use this coupon.")
            if len(lines) == len(quote.lines)
            else _("Spend %(amount)s more on the items this coupon covers to use it.")
        )
        return CouponVerdict.refused(message % {"amount": short}, "min_spend")
    if coupon.kind == CouponKind.FREE_SHIPPING:
        return CouponVerdict(ok=True, free_shipping=True)
    amount = _discount(coupon, eligible, quote.currency)
    return CouponVerdict(
        ok=True,
        amount=amount,
        allocations=allocate_proportionally(-amount, weights, quote.currency),
    )


def customers_for_contacts(entries: list[str]) -> tuple[list[int], list[str]]:
    """Active customers named by `entries` (lower-case emails, E.164 phones).

    Returns (their ids, the entries that named nobody), for issuing vouchers
    to a pasted list.
    """
    emails = [entry for entry in entries if "@" in entry]
    phones = [entry for entry in entries if "@" not in entry]
    found = User.objects.filter(
        Q(email__in=emails) | Q(phone__in=phones), is_active=True
    ).values_list("pk", "email", "phone")
    ids, named = [], set()
    for pk, email, phone in found:
        ids.append(pk)
        named.update({email.lower(), phone})
    return ids, [entry for entry in entries if entry not in named]
