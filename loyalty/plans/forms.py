"""Forms of the paid membership pages: buying a plan."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from loyalty.plans.selectors import membership_plans_on_sale
from loyalty.purchases.gateways import purchase_gateways


def gateway_choices() -> list[tuple[str, str]]:
    """The payment methods that take purchases: (code, label)."""
    return [(code, gateway.label) for code, gateway in purchase_gateways().items()]


class PlanBuyForm(forms.Form):
    """Which plan on sale, paid how; choices are read when the form is made."""

    plan = forms.ChoiceField(label=_("Plan"))
    gateway = forms.ChoiceField(label=_("Payment method"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [
            (plan.code, plan.name) for plan in membership_plans_on_sale()
        ]
        choices = gateway_choices()
        self.fields["gateway"].choices = choices
        if len(choices) == 1:
            self.fields["gateway"].initial = choices[0][0]

    def clean_plan(self):
        code = self.cleaned_data["plan"]
        return next(p for p in membership_plans_on_sale() if p.code == code)
