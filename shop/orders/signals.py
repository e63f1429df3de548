"""Domain events of an order's life.

Sent by the service that makes the transition, inside its transaction, with
`order` (and `actor` where a person acted). Loyalty and returns subscribe in
their `AppConfig.ready()`; a receiver that raises rolls the transition back.
Anything leaving the database (email, webhook) is queued with
`transaction.on_commit`.
"""

from django.dispatch import Signal

order_placed = Signal()  # order
order_paid = Signal()  # order, payment
order_shipped = Signal()  # order, actor
order_delivered = Signal()  # order, actor
order_completed = Signal()  # order
order_cancelled = Signal()  # order, actor, previous_status
order_refunded = Signal()  # order, amount, lines (a refund of part or all of an order)
