"""Paid membership (訂閱制): plans, periods, benefits, cancellation."""
