"""The shop's own settings, plus a bare view to measure the ceiling against.

Everything else (DEBUG, SECRET_KEY, DATABASE_URL, …) comes from the environment
exactly as in production; `bench/storefront.py` sets it.
"""

from shop.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
