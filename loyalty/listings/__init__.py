"""Member-only listings (隱形賣場) and early access (新品搶先)."""
