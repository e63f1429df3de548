"""The member area at `/account/`: dashboard, profile and address book.

Log-in, sign-up, email and password pages are allauth's, mounted beside these.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shop.accounts.errors import AccountsError
from shop.accounts.forms import AddressForm, ProfileForm, add_service_error
from shop.accounts.member_area import cards_for
from shop.accounts.selectors import address_list, consent_history
from shop.accounts.services import (
    address_create,
    address_delete,
    address_set_default,
    address_update,
    user_profile_update,
)


@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html", {"cards": cards_for(request)})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_profile_update(
                user=user,
                name=data["name"],
                phone=data["phone"],
                birthday=data["birthday"],
                accepts_email_marketing=data["accepts_email_marketing"],
                accepts_sms_marketing=data["accepts_sms_marketing"],
                source="profile",
            )
        except AccountsError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "consent_records": consent_history(user=user)[:20]},
    )


@login_required
def address_index(request):
    return render(
        request,
        "accounts/address_list.html",
        {"addresses": address_list(user=request.user)},
    )


def _address_form_page(request, *, address=None):
    """Show and save the address form, for a new address or an existing one.

    The form posts a `change_country` button too: pressing it (or changing the
    country, when scripts run) redraws the form for that country's fields
    without saving and without error messages.
    """
    if request.method == "POST" and "change_country" in request.POST:
        form = AddressForm(initial=request.POST.dict(), address=address)
    else:
        form = AddressForm(request.POST or None, address=address)
        if request.method == "POST" and form.is_valid():
            try:
                if address is None:
                    address_create(user=request.user, **form.service_kwargs())
                else:
                    address_update(address=address, **form.service_kwargs())
            except AccountsError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The address has been saved."))
                return redirect("accounts:addresses")
    return render(
        request, "accounts/address_form.html", {"form": form, "address": address}
    )


@login_required
@require_http_methods(["GET", "POST"])
def address_add(request):
    return _address_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request, pk: int):
    address = get_object_or_404(address_list(user=request.user), pk=pk)
    return _address_form_page(request, address=address)


@login_required
@require_http_methods(["GET", "POST"])
def address_remove(request, pk: int):
    address = get_object_or_404(address_list(user=request.user), pk=pk)
    if request.method == "POST":
        address_delete(address=address)
        messages.success(request, _("The address has been deleted."))
        return redirect("accounts:addresses")
    return render(request, "accounts/address_confirm_delete.html", {"address": address})


@login_required
@require_POST
def address_make_default(request, pk: int):
    address = get_object_or_404(address_list(user=request.user), pk=pk)
    address_set_default(address=address)
    messages.success(request, _("Your default address has been changed."))
    return redirect("accounts:addresses")
