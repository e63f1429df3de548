from django.core.management.base import BaseCommand, CommandError

from shop.catalog.stock import stock_differences


class Command(BaseCommand):
    help = "Prove every variant's stock equals the sum of its stock ledger rows."

    def handle(self, *args, **options):
        differences = stock_differences()
        for pk, sku, stock, ledger in differences:
            self.stdout.write(f"{sku} (variant {pk}): stock {stock}, ledger {ledger}")
        if differences:
            raise CommandError(f"{len(differences)} variants differ from their ledger.")
        self.stdout.write("Stock and ledger agree for every variant.")
