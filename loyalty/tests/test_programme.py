from decimal import Decimal

import pytest

from loyalty.models import LoyaltyProgramme
from loyalty.selectors.programme import programme

pytestmark = pytest.mark.django_db


def test_saving_the_settings_anywhere_clears_the_cached_row():
    assert programme().point_value == Decimal("1")
    row = LoyaltyProgramme.objects.get(pk=1)
    row.point_value = Decimal("3")

    row.save()

    assert programme().point_value == Decimal("3")
