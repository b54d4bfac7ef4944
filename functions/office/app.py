"""The registration centre's back office (clerks), the bank desk (loan officers) and the audit trail.
Every staff action is written to the audit trail. The staff pages themselves are the browser desks
(web/src/desk at /office/, web/src/bank at /bank/); the old console addresses redirect to them."""

from estate import audit, wiring
from estate.apply import cases, materials, steps
from estate.apply import messages as apply_messages
from estate.apply.models import ApplicationView, ContractForm, DeclarationForm, InquiryForm, UploadAnswer, UploadForm
from estate.notify import messages as notify_messages
from estate.http import create_app, created, route
from estate.idempotency import once
from estate.results import moved
from estate.office import bank, decisions, models, publishing, queue
from estate.office import messages as office_messages
from estate.signing import initiator, seal, workflow
from estate.signing.models import SigningExtractView, SigningStatusView
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
    """The retired clerk console: its bookmarks open the clerk's desk."""
    return moved("/office/")


@route(app, "/bank/console", public=True)
def bank_console(request):
    """The retired bank console: its bookmarks open the bank desk."""
    return moved("/bank/")


@route(app, "/office/applications", answers=models.OfficeQueue)
def office_queue(request):
    return audit.run(request, "office.queue", None, lambda: queue.list_queue(request.caller, request.query))


@route(app, "/office/applications/{id}", answers=models.CaseDetail)
def office_detail(request, id):  # noqa: A002 - the path parameter's public name
    return audit.run(request, "office.view", id, lambda: queue.get_detail(request.caller, id))


@route(app, "/office/applications/{id}/accept", methods=["POST"], answers=models.CaseDetail)
def accept(request, id):  # noqa: A002
    return audit.run(request, "office.accept", id, lambda: decisions.accept(request.caller, id))


@route(app, "/office/applications/{id}/return", methods=["POST"], body=models.ReturnForm, answers=models.CaseDetail)
def return_application(request, id):  # noqa: A002
    return audit.run(request, "office.return", id,
                     lambda: decisions.return_application(request.caller, id, request.body),
                     detail=lambda view: {"reasons": [r["code"] for r in view["return_reasons"]]})


@route(app, "/office/applications/{id}/refusal", methods=["POST"], body=models.RefusalForm,
       answers=models.CaseDetail)
def refuse(request, id):  # noqa: A002
    body = request.body
    # A retried refusal (same Idempotency-Key) answers the first result, and is audited as a request too.
    return audit.run(request, "office.refuse", id,
                     lambda: once(request, f"refusal:{id}", lambda: decisions.refuse(request.caller, id, body)),
                     detail=lambda view: {"reason": view["refusal"]["code"]})


@route(app, "/office/vocabulary", answers=models.OfficeVocabulary)
def office_vocabulary(request):
    return queue.vocabulary(request.caller)


@route(app, "/office/applications/{id}/approve", methods=["POST"], answers=models.CaseDetail)
def approve(request, id):  # noqa: A002
    return audit.run(request, "office.approve", id, lambda: decisions.approve(request.caller, id),
                     detail=lambda view: {"certificates": [c["certificate_number"]
                                                           for c in view["registration"]["certificates"]]})


@route(app, "/office/applications/{id}/handover", methods=["POST"], answers=models.CaseDetail)
def handover(request, id):  # noqa: A002
    return audit.run(request, "office.handover", id, lambda: decisions.handover(request.caller, id))


@route(app, "/office/audit", answers=models.AuditDay)
def audit_trail(request):
    return audit.run(request, "audit.read", None, lambda: audit.list_entries(request.caller, request.query))


@route(app, "/bank/applications", answers=models.BankQueue)
def bank_queue(request):
    return audit.run(request, "bank.queue", None, lambda: bank.list_pushed(request.caller))


@route(app, "/bank/applications/{id}", answers=models.PushedCase)
def bank_detail(request, id):  # noqa: A002
    return audit.run(request, "bank.view", id, lambda: bank.get_pushed(request.caller, id))


@route(app, "/bank/applications/{id}/loan", methods=["PUT"], body=models.LoanForm, answers=models.PushedCase)
def bank_loan(request, id):  # noqa: A002
    return audit.run(request, "bank.loan", id, lambda: bank.set_loan(request.caller, id, request.body))


@route(app, "/bank/applications/{id}/materials", methods=["POST"], body=UploadForm, answers=UploadAnswer)
def bank_upload(request, id):  # noqa: A002
    body = request.body
    return created(audit.run(request, "bank.upload", id,
                             lambda: bank.at_desk(request.caller, materials.request_upload, id, body)))


@route(app, "/bank/applications/{id}/contract", methods=["PUT"], body=ContractForm, answers=ApplicationView)
def bank_contract(request, id):  # noqa: A002
    body = request.body
    return audit.run(request, "bank.contract", id, lambda: bank.at_desk(request.caller, steps.set_contract, id, body))


@route(app, "/bank/applications/{id}/tax-declaration", methods=["PUT"], body=DeclarationForm,
       answers=ApplicationView)
def bank_tax_declaration(request, id):  # noqa: A002
    body = request.body
    return audit.run(request, "bank.tax_declaration", id,
                     lambda: bank.at_desk(request.caller, steps.set_tax_declaration, id, body))


@route(app, "/bank/applications/{id}/inquiry", methods=["PUT"], body=InquiryForm, answers=ApplicationView)
def bank_inquiry(request, id):  # noqa: A002
    body = request.body
    return audit.run(request, "bank.inquiry", id, lambda: bank.at_desk(request.caller, steps.set_inquiry, id, body))


@route(app, "/bank/applications/{id}/signing", answers=SigningStatusView)
def bank_signing(request, id):  # noqa: A002
    return audit.run(request, "bank.signing", id, lambda: bank.at_desk(request.caller, initiator.signing_status, id))


@route(app, "/bank/applications/{id}/seal", methods=["POST"], answers=models.SealView)
def bank_seal(request, id):  # noqa: A002
    return audit.run(request, "bank.seal", id, lambda: seal.seal(request.caller, id, request.source_ip))


@route(app, "/bank/applications/{id}/signing/extract", methods=["POST"], answers=SigningExtractView)
def bank_extract(request, id):  # noqa: A002
    return audit.run(request, "bank.extract", id, lambda: bank.at_desk(request.caller, initiator.extract, id))


@route(app, "/bank/applications/{id}/submit", methods=["POST"], answers=ApplicationView)
def bank_submit(request, id):  # noqa: A002
    return audit.run(request, "bank.submit", id, lambda: bank.at_desk(request.caller, cases.submit, id))


@route(app, "/office/content/{kind}", methods=["POST"], body=models.PublishForm, answers=models.ContentItemView)
def publish_content(request, kind):
    return created(audit.run(request, "content.publish", kind,
                             lambda: publishing.publish(request.caller, kind, request.body)))


@route(app, "/office/content/{kind}/{id}", methods=["PUT"], body=models.EditForm, answers=models.ContentItemView)
def edit_content(request, kind, id):  # noqa: A002
    return audit.run(request, "content.edit", f"{kind}/{id}",
                     lambda: publishing.edit(request.caller, kind, id, request.body))


@route(app, "/office/content/{kind}/{id}/withdraw", methods=["POST"], body=models.WithdrawForm, body_required=False,
       answers=models.ContentItemView)
def withdraw_content(request, kind, id):  # noqa: A002
    form = request.body  # optional: a bare POST withdraws whatever version is current
    return audit.run(request, "content.withdraw", f"{kind}/{id}",
                     lambda: publishing.withdraw(request.caller, kind, id, form))


@route(app, "/office/content/{kind}/{id}/versions", answers=models.ContentHistory)
def content_versions(request, kind, id):  # noqa: A002
    return audit.run(request, "content.versions", f"{kind}/{id}",
                     lambda: publishing.versions(request.caller, kind, id))
