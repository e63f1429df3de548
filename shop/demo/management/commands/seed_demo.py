"""`manage.py seed_demo`: fill the shop with a believable Taiwanese lifestyle shop."""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from shop.core.errors import ShopError
from shop.demo import services
from shop.demo.extensions import demo_steps
from shop.demo.plan import BASE_PRODUCT_COUNT

DEFAULT_CUSTOMERS = 50


class Command(BaseCommand):
    help = (
        "Create the demo shop: categories, brands, products with variants, stock "
        "and pictures, a merchant, one staff user per role and shoppers, then the "
        "parts of the apps built on the shop (loyalty memberships and histories). "
        "Running it again creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=BASE_PRODUCT_COUNT,
            help=f"How many products (default {BASE_PRODUCT_COUNT}, every written "
            "product once; more repeat them as other editions).",
        )
        parser.add_argument(
            "--customers",
            type=int,
            default=DEFAULT_CUSTOMERS,
            help="How many shoppers member1@example.com… "
            f"(default {DEFAULT_CUSTOMERS}).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First delete the demo products (every product in a demo category) "
            "and the demo shoppers with their orders and loyalty data.",
        )

    def handle(self, *args, products, customers, reset, verbosity, **options):
        if products < 0 or customers < 0:
            raise CommandError("--products and --customers cannot be negative.")
        started = time.monotonic()
        show_progress = verbosity > 0
        steps = demo_steps()
        try:
            if reset:
                # The apps above the shop clear their rows before the shoppers go.
                for step in steps:
                    if step.reset is not None:
                        step.reset()
                deleted_products, deleted_shoppers = services.demo_data_reset()
                if show_progress:
                    self.stdout.write(
                        f"Deleted {deleted_products} demo products and "
                        f"{deleted_shoppers} demo shoppers."
                    )
            with self._bar(products, "Products", show_progress) as bar:
                catalogue = services.demo_catalogue_seed(
                    products=products, progress=bar.update
                )
            staff = services.demo_staff_seed()
            with self._bar(customers, "Shoppers", show_progress) as bar:
                shoppers_created = services.demo_shoppers_seed(
                    customers=customers, progress=bar.update
                )
            step_results = []
            for step in steps:
                with self._bar(customers, step.label, show_progress) as bar:
                    step_results.append(
                        step.seed(customers=customers, progress=bar.update)
                    )
        except ShopError as exc:
            raise CommandError(exc.message) from exc
        if show_progress:
            self._summary(
                catalogue,
                staff,
                shoppers_created,
                customers,
                time.monotonic() - started,
                step_results,
            )

    def _bar(self, total, label, enabled):
        return tqdm(
            total=total,
            desc=label,
            unit="",
            disable=not enabled,
            file=sys.stderr,
            leave=False,
        )

    def _summary(
        self, catalogue, staff, shoppers_created, shoppers_total, seconds, steps
    ):
        from shop.accounts.models import User
        from shop.catalog.models import Category, Product, ProductImage, Variant

        rows = (
            ("Categories", Category.objects.count(), catalogue.categories_created),
            ("Products", Product.objects.count(), catalogue.products_created),
            ("Variants", Variant.objects.count(), catalogue.variants_created),
            ("Product images", ProductImage.objects.count(), catalogue.images_created),
            (
                "Shoppers",
                User.objects.filter(is_staff=False).count(),
                shoppers_created,
            ),
        )
        rows += tuple((step.label, step.total, step.created) for step in steps)
        write = self.stdout.write
        write(self.style.SUCCESS(f"Demo shop ready in {seconds:.1f} s."))
        for label, total, created in rows:
            write(f"  {label:<16}{total:>8}  ({created} new)")
        for step in steps:
            for note in step.notes:
                write(f"  {note}")
        site = settings.SITE_URL.rstrip("/")
        write("")
        write(f"Shop:      {site}/")
        write(f"Admin:     {site}/admin/")
        write(f"API docs:  {site}/api/docs/")
        write("")
        write(f"Logins (password {services.DEMO_PASSWORD}):")
        for login in staff:
            write(f"  {login.email:<24} {login.role}")
        if shoppers_total:
            write(
                f"  member1@example.com … member{shoppers_total}@example.com  shoppers"
            )
