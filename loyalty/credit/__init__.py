"""Shopping credit (購物金) and stored value (儲值金): the wallet, its ledger,
spending it at checkout (`adjusters.CreditAdjuster`) and the member's pages.

Writes are in `services` (`from loyalty.credit import services as credit`),
reads in `selectors`; top-ups are bought through `loyalty.purchases`.
"""
