"""Coupons (優惠券) and member vouchers.

- `selectors`: a coupon by its code or checkout option, a member's wallet
  ("My coupons") and `coupon_check`, whether a coupon applies to a quote;
- `texts`: what a coupon gives and its rules in words, a voucher's expiry;
- `services`: issuing vouchers (one member or in bulk), redeeming a coupon
  in the order's placement transaction and releasing it on cancellation;
- `adjusters`: the checkout adjuster and its offer (`options["coupon"]`),
  and the free-shipping rule the shipping adjuster adds;
- `receivers`: placed → redeem, cancelled → release;
- `views`, `api`, `forms`: "My coupons", the coupon API, the admin's forms
  (the admin itself is `loyalty.admin.coupons`).
"""
