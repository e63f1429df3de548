"""What the returns demo writes: guests' orders and returns, and members' returns.

Guests (non-members, orders without an account) buy over the last two months,
mostly the linen shirts and trousers that come in sizes; several send
something back. Among the members' history orders of the last 90 days
(written by the loyalty demo) every other one gets a return of one unit.
Each return goes as far as its story says, through the real services, at the
days after delivery it would have happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from returns.models import Resolution, ReturnReason, ReturnStatus

# How far a return goes; each later step includes the earlier ones.
REQUESTED = ReturnStatus.REQUESTED
APPROVED = ReturnStatus.APPROVED
RECEIVED = ReturnStatus.RECEIVED
RESOLVED = ReturnStatus.RESOLVED
CLOSED = ReturnStatus.CLOSED
STEPS = (REQUESTED, APPROVED, RECEIVED, RESOLVED, CLOSED)

GUEST_EMAIL_REGEX = r"^guest[0-9]+@example\.com$"


def guest_email(number: int) -> str:
    return f"guest{number}@example.com"


@dataclass(frozen=True)
class DemoReturn:
    """One unit of the order's `line` (SKU) back, why, how, and how far."""

    sku: str
    reason: str
    resolution: str
    until: str
    reason_text: str = ""
    # For an exchange: the SKU wanted instead (same product, in stock).
    exchange_sku: str = ""
    note: str = ""


@dataclass(frozen=True)
class GuestOrder:
    number: int
    name: str
    days_ago: int
    items: tuple[tuple[str, int], ...]
    payment_method: str = "card"
    returned: DemoReturn | None = None


W = ReturnReason
R = Resolution

# A guest's order arrives two days after it was placed; a return is asked
# for two days after that.
GUEST_ORDERS = (
    GuestOrder(
        1,
        "林佳穎",
        58,
        (("TP-0001-01", 1),),
        returned=DemoReturn(
            "TP-0001-01",
            W.WRONG_SIZE,
            R.EXCHANGE,
            CLOSED,
            exchange_sku="TP-0001-07",
            note="S 太小，換 L。",
        ),
    ),
    GuestOrder(
        2,
        "張志豪",
        52,
        (("PT-0001-02", 1), ("DB-0001-01", 2)),
        payment_method="atm",
        returned=DemoReturn(
            "PT-0001-02", W.WRONG_SIZE, R.REFUND, CLOSED, note="褲長太短。"
        ),
    ),
    GuestOrder(3, "陳怡君", 45, (("BT-0001-01", 2),)),
    GuestOrder(
        4,
        "黃冠宇",
        40,
        (("TP-0001-08", 1), ("NB-0001-02", 2)),
        returned=DemoReturn(
            "TP-0001-08",
            W.NOT_AS_DESCRIBED,
            R.REFUND,
            RESOLVED,
            reason_text="顏色比照片深很多，不是燕麥色。",
        ),
    ),
    GuestOrder(5, "吳美玲", 33, (("DN-0001-01", 3),), payment_method="cod"),
    GuestOrder(
        6,
        "劉建宏",
        27,
        (("PT-0001-03", 1),),
        returned=DemoReturn("PT-0001-03", W.WRONG_SIZE, R.REFUND, RESOLVED),
    ),
    GuestOrder(
        7,
        "蔡宜蓁",
        21,
        (("AC-0001-02", 1), ("PN-0001-01", 1)),
        returned=DemoReturn(
            "AC-0001-02",
            W.DAMAGED_IN_TRANSIT,
            R.REFUND,
            RESOLVED,
            reason_text="外盒破損，皮面有刮痕。",
        ),
    ),
    GuestOrder(8, "楊雅婷", 16, (("BG-0001-03", 1),), payment_method="atm"),
    GuestOrder(
        9,
        "許家豪",
        12,
        (("TP-0001-12", 1), ("DB-0001-01", 1)),
        returned=DemoReturn("TP-0001-12", W.WRONG_SIZE, R.REFUND, RECEIVED),
    ),
    GuestOrder(10, "鄭淑芬", 9, (("DN-0001-01", 2),)),
    # The request waiting for staff: asked for two days ago.
    GuestOrder(
        11,
        "謝承翰",
        6,
        (("TP-0001-01", 1),),
        returned=DemoReturn(
            "TP-0001-01",
            W.WRONG_SIZE,
            R.REFUND,
            REQUESTED,
            note="平常穿 M，S 肩膀太緊。",
        ),
    ),
    GuestOrder(12, "郭俊傑", 4, (("BT-0001-02", 1),)),
)

# The members' returns, by turn (reason, resolution, how far). An exchange
# falls back to shopping credit when no other option is in stock.
MEMBER_TURNS = (
    (W.WRONG_SIZE, R.CREDIT, CLOSED),
    (W.NOT_AS_DESCRIBED, R.REFUND, RESOLVED),
    (W.DEFECTIVE, R.EXCHANGE, RESOLVED),
    (W.CHANGED_MIND, R.CREDIT, RESOLVED),
    (W.WRONG_COLOUR, R.REFUND, APPROVED),
)
# Members whose story the loyalty demo documents exactly keep it:
# member1 (the README's return is theirs to ask for) and member2.
MEMBERS_UNTOUCHED = (1, 2)
MEMBER_DAYS = 90
# Every `MEMBER_EVERY`th eligible member order gets a return.
MEMBER_EVERY = 2
