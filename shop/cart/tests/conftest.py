from shop.cart.tests.fixtures import *  # noqa: F403
