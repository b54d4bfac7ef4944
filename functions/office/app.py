"""The registration centre's back office (clerks), the bank desk (loan officers), the audit trail
and the staff pages (clerk console, bank desk). Every staff action is written to the audit trail."""

from estate import audit, wiring
from estate.apply import cases, materials, steps
from estate.apply import messages as apply_messages
from estate.notify import messages as notify_messages
from estate.http import create_app, created, route
from estate.office import bank, console, decisions, publishing, queue
from estate.office import messages as office_messages
from estate.signing import initiator, seal, workflow
from estate.signing import messages as signing_messages

app = create_app("estate-office")
# The bank desk edits, submits and withdraws pushed loan sales with the applicant's use cases.
WIRING = wiring.declare(
    "office",
    subscribers=workflow.EDITING_SUBSCRIBERS,  # saving the inquiry starts signing; withdraw/edit end it
    requirements=initiator.SUBMIT_REQUIREMENTS,  # the signed documents extracted, the bank's seal
    sms_templates=[apply_messages.TEMPLATES, office_messages.TEMPLATES, signing_messages.TEMPLATES,
                   notify_messages.TEMPLATES],
)


@route(app, "/office/console", public=True)
def clerk_console(request):
    return console.page()


@route(app, "/bank/console", public=True)
def bank_console(request):
    return console.page("bank")


@route(app, "/office/assets/{name}", public=True, file_params=("name",))
def staff_page_asset(request, name):
    return console.asset(name)


@route(app, "/office/applications")
def office_queue(request):
    return audit.run(request, "office.queue", None, lambda: queue.list_queue(request.caller, request.query))


@route(app, "/office/applications/{id}")
def office_detail(request, id):  # noqa: A002 - the path parameter's public name
    return audit.run(request, "office.view", id, lambda: queue.get_detail(request.caller, id))


@route(app, "/office/applications/{id}/accept", methods=["POST"])
def accept(request, id):  # noqa: A002
    return audit.run(request, "office.accept", id, lambda: decisions.accept(request.caller, id))


@route(app, "/office/applications/{id}/return", methods=["POST"])
def return_application(request, id):  # noqa: A002
    body = request.json()
    return audit.run(request, "office.return", id,
                     lambda: decisions.return_application(request.caller, id, body),
                     detail=lambda view: {"reasons": [r["code"] for r in view["return_reasons"]]})


@route(app, "/office/applications/{id}/approve", methods=["POST"])
def approve(request, id):  # noqa: A002
    return audit.run(request, "office.approve", id, lambda: decisions.approve(request.caller, id),
                     detail=lambda view: {"certificates": [c["certificate_number"]
                                                           for c in view["registration"]["certificates"]]})


@route(app, "/office/applications/{id}/handover", methods=["POST"])
def handover(request, id):  # noqa: A002
    return audit.run(request, "office.handover", id, lambda: decisions.handover(request.caller, id))


@route(app, "/office/audit")
def audit_trail(request):
    return audit.run(request, "audit.read", None, lambda: audit.list_entries(request.caller, request.query))


@route(app, "/bank/applications")
def bank_queue(request):
    return audit.run(request, "bank.queue", None, lambda: bank.list_pushed(request.caller))


@route(app, "/bank/applications/{id}")
def bank_detail(request, id):  # noqa: A002
    return audit.run(request, "bank.view", id, lambda: bank.get_pushed(request.caller, id))


@route(app, "/bank/applications/{id}/loan", methods=["PUT"])
def bank_loan(request, id):  # noqa: A002
    body = request.json()
    return audit.run(request, "bank.loan", id, lambda: bank.set_loan(request.caller, id, body))


@route(app, "/bank/applications/{id}/materials", methods=["POST"])
def bank_upload(request, id):  # noqa: A002
    body = request.json()
    return created(audit.run(request, "bank.upload", id,
                             lambda: bank.at_desk(request.caller, materials.request_upload, id, body)))


@route(app, "/bank/applications/{id}/contract", methods=["PUT"])
def bank_contract(request, id):  # noqa: A002
    body = request.json()
    return audit.run(request, "bank.contract", id, lambda: bank.at_desk(request.caller, steps.set_contract, id, body))


@route(app, "/bank/applications/{id}/tax-declaration", methods=["PUT"])
def bank_tax_declaration(request, id):  # noqa: A002
    body = request.json()
    return audit.run(request, "bank.tax_declaration", id,
                     lambda: bank.at_desk(request.caller, steps.set_tax_declaration, id, body))


@route(app, "/bank/applications/{id}/inquiry", methods=["PUT"])
def bank_inquiry(request, id):  # noqa: A002
    body = request.json()
    return audit.run(request, "bank.inquiry", id, lambda: bank.at_desk(request.caller, steps.set_inquiry, id, body))


@route(app, "/bank/applications/{id}/signing")
def bank_signing(request, id):  # noqa: A002
    return audit.run(request, "bank.signing", id, lambda: bank.at_desk(request.caller, initiator.signing_status, id))


@route(app, "/bank/applications/{id}/seal", methods=["POST"])
def bank_seal(request, id):  # noqa: A002
    return audit.run(request, "bank.seal", id, lambda: seal.seal(request.caller, id, request.source_ip))


@route(app, "/bank/applications/{id}/signing/extract", methods=["POST"])
def bank_extract(request, id):  # noqa: A002
    return audit.run(request, "bank.extract", id, lambda: bank.at_desk(request.caller, initiator.extract, id))


@route(app, "/bank/applications/{id}/submit", methods=["POST"])
def bank_submit(request, id):  # noqa: A002
    return audit.run(request, "bank.submit", id, lambda: bank.at_desk(request.caller, cases.submit, id))


@route(app, "/office/content/{kind}", methods=["POST"])
def publish_content(request, kind):
    body = request.json()
    return created(audit.run(request, "content.publish", kind, lambda: publishing.publish(request.caller, kind, body)))


@route(app, "/office/content/{kind}/{id}", methods=["PUT"])
def edit_content(request, kind, id):  # noqa: A002
    body = request.json()
    return audit.run(request, "content.edit", f"{kind}/{id}", lambda: publishing.edit(request.caller, kind, id, body))


@route(app, "/office/content/{kind}/{id}/withdraw", methods=["POST"])
def withdraw_content(request, kind, id):  # noqa: A002
    body = request.json() if request.raw_body else {}
    return audit.run(request, "content.withdraw", f"{kind}/{id}",
                     lambda: publishing.withdraw(request.caller, kind, id, body))


@route(app, "/office/content/{kind}/{id}/versions")
def content_versions(request, kind, id):  # noqa: A002
    return audit.run(request, "content.versions", f"{kind}/{id}",
                     lambda: publishing.versions(request.caller, kind, id))
