"""Pages of the programme's long lists (histories, purchases, vouchers, listings).

Each list page shows `loyalty/_pagination.html` under its rows; these build
what that template reads.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def page_get(request, items, per_page: int) -> Page:
    """The page of `items` that `?page=` asks for; out of range, the last or first."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def page_links(page: Page) -> dict:
    """The context of `loyalty/_pagination.html` for `page`: the page and its links.

    The links are elided: the first and last pages and two on each side of
    this one, with `ellipsis` standing for the gaps.
    """
    return {
        "page_obj": page,
        "page_range": list(
            page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ),
        "ellipsis": Paginator.ELLIPSIS,
    }
