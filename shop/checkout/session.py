"""What the shopper has entered so far, kept in the session between checkout steps.

Only plain values are stored (codes, ids, strings); everything is validated
again when the order is placed.
"""

STATE_KEY = "checkout"
PLACED_KEY = "checkout_placed"
# Guests can reopen the confirmation of their recent orders from this browser.
PLACED_REMEMBERED = 10


def state_get(session) -> dict:
    state = session.get(STATE_KEY)
    return dict(state) if isinstance(state, dict) else {}


def state_update(session, **values) -> dict:
    state = state_get(session)
    state.update(values)
    session[STATE_KEY] = state
    return state


def state_clear(session) -> None:
    session.pop(STATE_KEY, None)


def placed_remember(session, number: str) -> None:
    numbers = [n for n in placed_numbers(session) if n != number]
    session[PLACED_KEY] = [*numbers, number][-PLACED_REMEMBERED:]


def placed_numbers(session) -> list[str]:
    numbers = session.get(PLACED_KEY)
    return [str(n) for n in numbers] if isinstance(numbers, list) else []
