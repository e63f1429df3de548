from django.utils.functional import SimpleLazyObject

from shop.core.shopper import shopper_for_request


class ShopperContextMiddleware:
    """Attach `request.shopper`, built lazily so pages that sell nothing pay nothing.

    Built on first use rather than here because API token authentication sets
    the user after middleware has run.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.shopper = SimpleLazyObject(lambda: shopper_for_request(request))
        return self.get_response(request)
