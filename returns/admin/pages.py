"""The pages behind a request's buttons: approve, reject, receive, inspect,
refund, exchange, bank transfer, close; and the note form.

Each page shows the request and a form; posting it calls one service, whose
refusal (`ReturnError`) becomes a message on the same page (and an error on
the field it names), and whose success leads back to the request. The page
itself checks the permission (`returns.admin.staff.MOVES`) and, on GET, that
the move still makes sense; the POST always reaches the service, which has
the last word under its lock.

The refund page is the preview: every figure of `refund_preview`, and a
Confirm button carrying the previewed refund's idempotency key, so a double
click or a retry makes one refund. A confirm whose units changed since the
preview (another member of staff inspected a unit) is refused and the new
preview shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from returns import services
from returns.admin import forms as staff_forms
from returns.admin.staff import (
    ADD_NOTE,
    MOVES,
    RETRY_STATUSES,
    staff_moves_open,
    staff_return,
)
from returns.errors import ReturnError
from returns.models import RefundStatus, ReturnRequest
from returns.services.refunds import (
    bank_account_full,
    bank_account_masked,
    refund_issue,
    refund_key,
    refund_preview,
    refund_transfer_paid,
)
from shop.core.money import format_money

PAGE_TEMPLATES = {
    "receive": "returns/admin/receive.html",
    "inspect": "returns/admin/inspect.html",
    "refund": "returns/admin/refund.html",
}


def _posted(request):
    """The form data of a POST (even an empty one: a bare button), else None."""
    return request.POST if request.method == "POST" else None


def refund_message(refund) -> str:
    """What staff are told once `refund_issue` answered."""
    amount = format_money(refund.total, refund.currency)
    if refund.status == RefundStatus.SUCCEEDED:
        return gettext("Refund of %(amount)s made.") % {"amount": amount}
    if refund.status == RefundStatus.TRANSFER_DUE:
        return gettext(
            "Refund of %(amount)s recorded. Transfer %(cash)s to %(account)s, "
            "then record the transfer."
        ) % {
            "amount": amount,
            "cash": format_money(refund.to_payment, refund.currency),
            "account": refund.breakdown.get("bank_account", ""),
        }
    return gettext(
        "Refund of %(amount)s recorded, but the payment provider has not "
        "confirmed it (%(reason)s). Try again from the refund page."
    ) % {
        "amount": amount,
        "reason": refund.breakdown.get("provider_message")
        or refund.get_status_display(),
    }


class RequestPagesMixin:
    """The move pages of `ReturnRequestAdmin` (see the module docstring)."""

    def request_page_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/note/",
                wrap(self.note_view),
                name="returns_returnrequest_note",
            ),
            *(
                path(
                    f"<int:object_id>/{name}/",
                    wrap(self.move_view),
                    {"move": name},
                    name=f"returns_returnrequest_{name}",
                )
                for name in MOVES
            ),
        ]

    def _back(self, obj) -> str:
        return reverse("admin:returns_returnrequest_change", args=[obj.pk])

    def _staff_return(self, object_id) -> ReturnRequest:
        try:
            return staff_return(pk=object_id)
        except ReturnRequest.DoesNotExist as error:
            raise Http404 from error

    # --- the pages ---

    def move_view(self, request, object_id, move):
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        step = MOVES[move]
        if not request.user.has_perm(step.permission):
            raise PermissionDenied
        obj = self._staff_return(object_id)
        refunds = list(obj.refunds.all())
        if request.method == "GET" and step not in staff_moves_open(
            request=obj, refunds=refunds
        ):
            self.message_user(
                request,
                gettext("Return %(number)s cannot be handled that way now.")
                % {"number": obj.number},
                messages.WARNING,
            )
            return HttpResponseRedirect(self._back(obj))
        page = getattr(self, f"_{move}_page")
        context = page(request, obj, refunds)
        if isinstance(context, HttpResponseRedirect):
            return context
        return TemplateResponse(
            request,
            PAGE_TEMPLATES.get(move, "returns/admin/move.html"),
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": obj,
                "title": gettext("%(move)s: %(number)s")
                % {"move": step.label, "number": obj.number},
                "move": step,
                "bank_account": bank_account_masked(obj),
                **context,
            },
        )

    def _run(self, request, obj, form, call, success: str):
        """Call the service `call()`; a refusal goes on the form and the page.

        Returns the redirect back to the request, or None to show the page again.
        """
        try:
            call()
        except ReturnError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
            self.message_user(request, error.message, messages.ERROR)
            return None
        self.message_user(request, success, messages.SUCCESS)
        # The admin's history of the request, beside its own timeline.
        self.log_change(request, obj, success)
        return HttpResponseRedirect(self._back(obj))

    def _form_page(self, request, obj, form, call, success):
        if request.method == "POST" and form.is_valid():
            done = self._run(request, obj, form, lambda: call(form), success)
            if done is not None:
                return done
        return {"form": form}

    def _approve_page(self, request, obj, refunds):
        return self._form_page(
            request,
            obj,
            staff_forms.ApproveForm(_posted(request)),
            lambda form: services.return_request_approve(
                request=obj, actor=request.user, note=form.cleaned_data["note"]
            ),
            gettext("Return %(number)s approved; the customer has been emailed.")
            % {"number": obj.number},
        )

    def _reject_page(self, request, obj, refunds):
        return self._form_page(
            request,
            obj,
            staff_forms.RejectForm(_posted(request)),
            lambda form: services.return_request_reject(
                request=obj, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            gettext("Return %(number)s rejected; the customer has been emailed.")
            % {"number": obj.number},
        )

    def _receive_page(self, request, obj, refunds):
        expected = [
            (line, unit)
            for line in obj.lines.all()
            for unit in line.units.all()
            if unit.received_at is None
        ]
        form = staff_forms.ReceiveForm(_posted(request), units=expected)
        context = self._form_page(
            request,
            obj,
            form,
            lambda form: services.return_units_receive(
                request=obj,
                received_unit_ids=form.cleaned_data["received"],
                missing_unit_ids=form.cleaned_data["missing"],
                actor=request.user,
            ),
            gettext("The parcel of return %(number)s is recorded.")
            % {"number": obj.number},
        )
        if isinstance(context, dict):
            context["rows"] = [
                (line, unit, form["received"], form["missing"])
                for line, unit in expected
            ]
        return context

    def _inspect_page(self, request, obj, refunds):
        waiting = [
            (line, unit)
            for line in obj.lines.all()
            for unit in line.units.all()
            if unit.received_at is not None and unit.inspected_at is None
        ]
        form = staff_forms.InspectForm(_posted(request), units=waiting)
        context = self._form_page(
            request,
            obj,
            form,
            lambda form: services.return_units_inspect(
                request=obj, conditions=form.conditions(), actor=request.user
            ),
            gettext("The inspection of return %(number)s is recorded.")
            % {"number": obj.number},
        )
        if isinstance(context, dict):
            context["rows"] = [
                (line, unit, form[f"unit_{unit.pk}"]) for line, unit in waiting
            ]
            context["missing"] = [
                (line, unit)
                for line in obj.lines.all()
                for unit in line.units.all()
                if unit.missing and unit.received_at is None
            ]
        return context

    def _exchange_page(self, request, obj, refunds):
        return self._form_page(
            request,
            obj,
            staff_forms.ConfirmForm(_posted(request)),
            lambda form: services.exchange_fulfil(request=obj, actor=request.user),
            gettext("The exchange of return %(number)s is on its way.")
            % {"number": obj.number},
        )

    def _close_page(self, request, obj, refunds):
        return self._form_page(
            request,
            obj,
            staff_forms.ConfirmForm(_posted(request)),
            lambda form: services.return_request_close(request=obj, actor=request.user),
            gettext("Return %(number)s closed.") % {"number": obj.number},
        )

    def _transfer_page(self, request, obj, refunds):
        due = obj.refunds.filter(status=RefundStatus.TRANSFER_DUE)
        context = self._form_page(
            request,
            obj,
            staff_forms.TransferPaidForm(_posted(request), refunds=due),
            lambda form: refund_transfer_paid(
                refund=form.cleaned_data["refund"],
                actor=request.user,
                reference=form.cleaned_data["reference"],
            ),
            gettext("The bank transfer for return %(number)s is recorded.")
            % {"number": obj.number},
        )
        if isinstance(context, dict) and due.exists():
            # Only here, for the person about to pay it, the whole number:
            # masked everywhere else, and forgotten once the transfer is recorded.
            context["bank_account"] = bank_account_full(obj)
        return context

    def _refund_page(self, request, obj, refunds):
        retry = [r for r in refunds if r.status in RETRY_STATUSES]
        keys = {r.idempotency_key: r for r in refunds}
        form = staff_forms.RefundConfirmForm(_posted(request))
        if request.method == "POST" and form.is_valid():
            key = form.cleaned_data["key"]
            # A key of this return's own refunds: a double click or a retry.
            if key in keys or key == self._preview_key(obj):
                try:
                    refund = refund_issue(
                        request=obj, actor=request.user, idempotency_key=key
                    )
                except ReturnError as error:
                    self.message_user(request, error.message, messages.ERROR)
                else:
                    level = (
                        messages.WARNING
                        if refund.status in RETRY_STATUSES
                        else messages.SUCCESS
                    )
                    self.message_user(request, refund_message(refund), level)
                    self.log_change(request, obj, refund_message(refund))
                    return HttpResponseRedirect(self._back(obj))
            else:
                self.message_user(
                    request,
                    gettext(
                        "Return %(number)s changed since this preview: check the "
                        "figures again before confirming."
                    )
                    % {"number": obj.number},
                    messages.ERROR,
                )
        obj = self._staff_return(obj.pk)
        try:
            preview = refund_preview(request=obj) if not retry else None
        except ReturnError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(self._back(obj))
        key = refund_key(request=obj, units=preview.unit_keys) if preview else ""
        return {
            "form": staff_forms.RefundConfirmForm(initial={"key": key}),
            "preview": preview,
            "retry": retry,
            "currency": obj.order.currency,
        }

    def _preview_key(self, obj) -> str:
        """The key of the refund `obj` would have now ("" when it has none)."""
        try:
            preview = refund_preview(request=obj)
        except ReturnError:
            return ""
        return refund_key(request=obj, units=preview.unit_keys)

    # --- notes ---

    def note_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(ADD_NOTE):
            raise PermissionDenied
        obj = self._staff_return(object_id)
        form = staff_forms.NoteForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    self.message_user(request, error, messages.ERROR)
        else:
            try:
                services.return_note_add(
                    request=obj, author=request.user, text=form.cleaned_data["text"]
                )
            except ReturnError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, gettext("Note added."), messages.SUCCESS)
                self.log_change(request, obj, gettext("Note added."))
        return HttpResponseRedirect(self._back(obj) + "#notes")
