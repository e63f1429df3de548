"""The orders back office (see `order.py`); importing it registers the admin."""

from shop.orders.admin.order import OrderAdmin

__all__ = ["OrderAdmin"]
