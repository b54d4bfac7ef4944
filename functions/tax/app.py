"""Taxes: the public calculator, an application's assessment, online payment, receipts."""

from estate.http import create_app, route
from estate.tax import estimate

app = create_app("estate-tax")


@route(app, "/tax/estimate", methods=["POST"], public=True)
def estimate_taxes(request):
    return estimate.estimate(request.json())
