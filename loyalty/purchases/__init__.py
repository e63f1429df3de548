"""Purchases from the shop itself: top-ups (儲值) and paid membership (訂閱制).

Generic for both kinds: `services.purchase_start`, `purchase_payment_url`,
`purchase_mark_paid` (delivers by kind), `purchase_refund`; the top-up's
refund is `services.topup_refund`. Provider notices arrive at
`/api/loyalty/purchases/<gateway>/notify/` (`api.PurchaseNotifyApi`).
"""
