"""Transfer applications (sale and loan sale): face check, property lookup, the application's steps,
materials, submit and withdraw."""

import msgspec

from estate import wiring
from estate.apply import cases, lookup, materials, steps
from estate.apply import messages as apply_messages
from estate.apply.models import (ApplicationList, ApplicationView, BankList, BankPushForm, ContractDraft, ContractForm,
                                 DeclarationForm, DocumentLink, FaceCheckAnswer, FaceCheckForm, InquiryForm,
                                 LivenessSessionView, LivenessStartForm, MaterialDeleted, MaterialDetail, MaterialList,
                                 PartiesForm, PropertySearchAnswer, PropertySearchForm, QuestionBank, StartForm,
                                 UploadAnswer, UploadForm, WithdrawApplicationForm)
from estate.notify import messages as notify_messages
from estate.http import REFERENCE_CACHE, create_app, created, route
from estate.idempotency import once
from estate.services import face_checks
from estate.signing import initiator, workflow
from estate.signing import messages as signing_messages

app = create_app("estate-apply")
WIRING = wiring.declare(
    "apply",
    subscribers=workflow.EDITING_SUBSCRIBERS,  # saving the inquiry starts signing; withdraw/edit end it
    requirements=initiator.SUBMIT_REQUIREMENTS,  # the signed documents extracted, the bank's seal
    sms_templates=[apply_messages.TEMPLATES, signing_messages.TEMPLATES, notify_messages.TEMPLATES],
)


@route(app, "/identity/liveness-sessions", methods=["POST"], body=LivenessStartForm, body_required=False,
       answers=LivenessSessionView)
def create_liveness_session(request):
    """Start a face check: a liveness session the person completes on the phone (no photo upload)."""
    return created(face_checks.create_liveness_session(request.caller, msgspec.to_builtins(request.body)))


@route(app, "/identity/face-checks", methods=["POST"], body=FaceCheckForm, answers=FaceCheckAnswer)
def create_face_check(request):
    """Finish it: the session's result, read once; a face check id when live and the same person."""
    return created(face_checks.create_face_check(request.caller, msgspec.to_builtins(request.body)))


@route(app, "/properties/search", methods=["POST"], body=PropertySearchForm, answers=PropertySearchAnswer)
def search_properties(request):
    return lookup.search_properties(request.caller, request.body)


@route(app, "/applications", methods=["POST"], body=StartForm, answers=ApplicationView)
def start_application(request):
    body = request.body
    return created(once(request, "start", lambda: cases.start_application(request.caller, body)))


@route(app, "/applications", methods=["GET"], answers=ApplicationList)
def list_applications(request):
    return cases.list_applications(request.caller)


@route(app, "/applications/{id}", methods=["GET"], answers=ApplicationView)
def get_application(request, id):  # noqa: A002 - the path parameter's public name
    return cases.get_application(request.caller, id)


@route(app, "/applications/{id}/parties", methods=["PUT"], body=PartiesForm, answers=ApplicationView)
def set_parties(request, id):  # noqa: A002
    return steps.set_parties(request.caller, id, request.body)


@route(app, "/applications/{id}/bank-push", methods=["POST"], body=BankPushForm, answers=ApplicationView)
def push_to_bank(request, id):  # noqa: A002
    return steps.push_to_bank(request.caller, id, request.body)


@route(app, "/banks", public=True, answers=BankList, cache=REFERENCE_CACHE)
def list_banks(request):
    return steps.list_banks(request.query)


@route(app, "/applications/{id}/contract", methods=["PUT"], body=ContractForm, answers=ApplicationView)
def set_contract(request, id):  # noqa: A002
    return steps.set_contract(request.caller, id, request.body)


@route(app, "/applications/{id}/contract/draft", answers=ContractDraft)
def contract_draft(request, id):  # noqa: A002
    return cases.contract_draft(request.caller, id)


@route(app, "/applications/{id}/tax-declaration", methods=["PUT"], body=DeclarationForm, answers=ApplicationView)
def set_tax_declaration(request, id):  # noqa: A002
    return steps.set_tax_declaration(request.caller, id, request.body)


@route(app, "/inquiry/questions", public=True, answers=QuestionBank, cache=REFERENCE_CACHE)
def inquiry_questions(request):
    return steps.inquiry_questions()


@route(app, "/applications/{id}/inquiry", methods=["PUT"], body=InquiryForm, answers=ApplicationView)
def set_inquiry(request, id):  # noqa: A002
    return steps.set_inquiry(request.caller, id, request.body)


@route(app, "/applications/{id}/materials", methods=["POST"], body=UploadForm, answers=UploadAnswer)
def request_upload(request, id):  # noqa: A002
    return created(materials.request_upload(request.caller, id, request.body))


@route(app, "/applications/{id}/materials", methods=["GET"], answers=MaterialList)
def list_materials(request, id):  # noqa: A002
    return materials.list_materials(request.caller, id)


@route(app, "/applications/{id}/materials/{mid}", methods=["GET"], answers=MaterialDetail)
def get_material(request, id, mid):  # noqa: A002
    return materials.get_material(request.caller, id, mid)


@route(app, "/applications/{id}/materials/{mid}", methods=["DELETE"], answers=MaterialDeleted)
def delete_material(request, id, mid):  # noqa: A002
    return materials.delete_material(request.caller, id, mid)


@route(app, "/applications/{id}/documents/{doc}", answers=DocumentLink)
def document_link(request, id, doc):  # noqa: A002
    return cases.document_link(request.caller, id, doc, request.query)


@route(app, "/applications/{id}/submit", methods=["POST"], answers=ApplicationView)
def submit(request, id):  # noqa: A002
    return once(request, f"submit:{id}", lambda: cases.submit(request.caller, id))


@route(app, "/applications/{id}/withdraw", methods=["POST"], body=WithdrawApplicationForm, body_required=False,
       answers=ApplicationView)
def withdraw(request, id):  # noqa: A002
    reason = request.body.reason
    return once(request, f"withdraw:{id}", lambda: cases.withdraw(request.caller, id, reason))


@app.lambda_function(name="check_material")
def check_material(event, context):
    """S3 ObjectCreated on the uploads bucket: decide accepted/rejected right after the upload."""
    for record in event.get("Records", []):
        materials.on_uploaded(record["s3"]["bucket"]["name"], record["s3"]["object"]["key"])
    return {"checked": len(event.get("Records", []))}
