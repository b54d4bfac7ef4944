"""Multi-party e-signing: the personal signing page behind each SMS link, the API it calls, the
initiator's status and extraction, and the signing workflow's tasks."""

from estate import wiring
from estate.notify import messages as notify_messages
from estate.apply.models import LivenessSessionView
from estate.http import create_app, created, route
from estate.observability import emits_metrics
from estate.signing import ceremony, initiator, links, page, workflow
from estate.signing import messages as signing_messages
from estate.signing.models import (SigningDeclinedView, SigningDeclineForm, SigningDocumentView, SigningExtractView,
                                   SigningFaceForm, SigningFaceView, SigningLinkSentView, SigningLivenessForm,
                                   SigningSessionView,
                                   SigningSignatureForm, SigningSignedView, SigningStatusView, SigningViewedForm,
                                   SigningViewedView)

app = create_app("estate-sign")
WIRING = wiring.declare("sign", sms_templates=[signing_messages.TEMPLATES, notify_messages.TEMPLATES])


@route(app, "/sign/{token}", public=True)
def signing_page(request, token):
    """Signing link (SMS): redirects to the citizen app's signing screen, which calls the routes below."""
    return page.signing_page(token)


@route(app, "/sign/{token}/session", public=True, answers=SigningSessionView)
def session(request, token):
    return ceremony.session(token)


@route(app, "/sign/{token}/liveness-sessions", methods=["POST"], public=True, body=SigningLivenessForm,
       body_required=False, answers=LivenessSessionView)
def start_face(request, token):
    return created(ceremony.start_face(token, request.body))


@route(app, "/sign/{token}/face", methods=["POST"], public=True, body=SigningFaceForm, answers=SigningFaceView)
def face(request, token):
    return ceremony.face(token, request.body)


@route(app, "/sign/{token}/documents/{doc}", public=True, answers=SigningDocumentView)
def view_document(request, token, doc):
    return ceremony.view_document(token, doc)


@route(app, "/sign/{token}/documents/{doc}/viewed", methods=["POST"], public=True, body=SigningViewedForm,
       answers=SigningViewedView)
def document_viewed(request, token, doc):
    return ceremony.confirm_view(token, doc, request.body)


@route(app, "/sign/{token}/signature", methods=["POST"], public=True, image_fields=("image",), body=SigningSignatureForm,
       answers=SigningSignedView)
def sign(request, token):
    return ceremony.sign(token, request.body, request.user_agent, request.source_ip)


@route(app, "/sign/{token}/decline", methods=["POST"], public=True, body=SigningDeclineForm, answers=SigningDeclinedView)
def decline(request, token):
    return ceremony.decline(token, request.body)


@route(app, "/applications/{id}/signing", answers=SigningStatusView)
def signing_status(request, id):  # noqa: A002 - the path parameter's public name
    return initiator.signing_status(request.caller, id)


@route(app, "/applications/{id}/signing/extract", methods=["POST"], answers=SigningExtractView)
def extract(request, id):  # noqa: A002
    return initiator.extract(request.caller, id)


@route(app, "/applications/{id}/parties/{party}/link", methods=["POST"], answers=SigningLinkSentView)
def reissue_link(request, id, party):  # noqa: A002
    return links.reissue_link(request.caller, id, party)


@app.lambda_function(name="signing_task")
@emits_metrics
def signing_task(event, context):
    """Runs one step of statemachine/signing.asl.json (render, await, remind, compose, fail)."""
    return workflow.task(event)
