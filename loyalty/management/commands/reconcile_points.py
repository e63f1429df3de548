from django.core.management.base import BaseCommand, CommandError

from loyalty.services.points import points_lot_differences, points_reconcile


class Command(BaseCommand):
    help = (
        "Prove every member's cached points balances equal the sums of their "
        "ledger rows, and that their lots hold those balances."
    )

    def handle(self, *args, **options):
        ledger = points_reconcile()
        for pk, available, ledger_available, pending, ledger_pending in ledger:
            self.stdout.write(
                f"member {pk}: available {available}, ledger {ledger_available}; "
                f"pending {pending}, ledger {ledger_pending}"
            )
        lots = points_lot_differences()
        for pk, available, on_available, pending, on_pending in lots:
            self.stdout.write(
                f"member {pk}: available {available}, on lots {on_available}; "
                f"pending {pending}, on lots {on_pending}"
            )
        count = len(ledger) + len(lots)
        if count:
            raise CommandError(
                f"{count} differences: {len(ledger)} against the ledger, "
                f"{len(lots)} against the lots."
            )
        self.stdout.write("0 differences")
