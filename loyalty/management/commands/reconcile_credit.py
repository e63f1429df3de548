from django.core.management.base import BaseCommand, CommandError

from loyalty.credit.services import credit_reconcile


class Command(BaseCommand):
    help = (
        "Prove every member's cached shopping-credit balance equals the sum of "
        "their ledger rows and what their lots hold, and that every spend, "
        "withdrawal and give-back agrees with its draws."
    )

    def handle(self, *args, **options):
        problems = credit_reconcile()
        for line in problems:
            self.stdout.write(line)
        if problems:
            raise CommandError(f"{len(problems)} differences.")
        self.stdout.write("0 differences")
