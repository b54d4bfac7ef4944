"""Taxes: the public calculator, an application's assessment, online payment, receipts."""

from estate import wiring
from estate.notify import messages as notify_messages
from estate.http import create_app, created, route
from estate.idempotency import once
from estate.tax import access, estimate, payments, receipts, settled
from estate.tax.models import (TaxEstimateForm, TaxEstimateView, MyPaymentsView, PaymentForm, PaymentOrderView,
                               QrCheckoutView, TaxReceiptView, TaxCaseView)

app = create_app("estate-tax")
WIRING = wiring.declare(
    "tax",
    subscribers={"taxes_paid": [settled.record_taxes_paid]},  # the last payment moves an accepted application
    sms_templates=[notify_messages.TEMPLATES],  # assessing a case tells each side its amounts
)

# Providers post their notifications as forms (Chalice matches the media type, ignoring charset).
FORM_TYPES = ["application/x-www-form-urlencoded"]


@route(app, "/tax/estimate", methods=["POST"], public=True, body=TaxEstimateForm, answers=TaxEstimateView)
def estimate_taxes(request):
    return estimate.estimate(request.body)


@route(app, "/applications/{id}/tax", answers=TaxCaseView)
def application_tax(request, id):  # noqa: A002 - the path parameter's public name
    return access.get_application_tax(request.caller, id)


@route(app, "/tax/payments", methods=["POST"], body=PaymentForm, answers=PaymentOrderView)
def create_payment(request):
    return created(once(request, "tax-payment", lambda: payments.create_payment(request.caller, request.body)))


@route(app, "/tax/payments", methods=["GET"], answers=MyPaymentsView)
def my_payments(request):
    return payments.my_payments(request.caller)


@route(app, "/tax/payments/{id}", answers=PaymentOrderView)
def get_payment(request, id):  # noqa: A002
    return payments.get_payment(request.caller, id)


@route(app, "/tax/pay/{token}", public=True, answers=QrCheckoutView)
def qr_checkout(request, token):
    return payments.qr_checkout(token, browser=request.prefers_html())


@route(app, "/tax/notify/{channel}", methods=["POST"], public=True, content_types=FORM_TYPES)
def provider_notification(request, channel):
    return payments.handle_notification(channel, request.raw_body)


@route(app, "/tax/receipts/{id}", answers=TaxReceiptView)
def get_receipt(request, id):  # noqa: A002
    return receipts.get_receipt(request.caller, id)
