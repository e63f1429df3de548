"""Private-link codes a visitor has opened, kept in the session.

Opening a rule's private link (`loyalty:listing_access`) adds its code here;
the shopper context reads the codes on every request (`access_codes`), so a
guest keeps access for the session. A signed-in customer also gets a
`ListingAccessGrant`, which holds on every device.
"""

from __future__ import annotations

SESSION_KEY = "loyalty_access_codes"
# Oldest first and dropped beyond this: a session is no place for a collection.
MAX_SESSION_CODES = 20


def session_access_codes(request) -> tuple[str, ...]:
    session = getattr(request, "session", None)
    if session is None:
        return ()
    return tuple(session.get(SESSION_KEY, ()))


def session_access_code_add(request, code: str) -> None:
    """Remember `code` in the session, most recent last, at most
    `MAX_SESSION_CODES` of them."""
    codes = [c for c in session_access_codes(request) if c != code]
    codes.append(code)
    request.session[SESSION_KEY] = codes[-MAX_SESSION_CODES:]
