"""Notifications: a citizen's own list (GET /me/notifications), the SMS outbox's sender (SQS), its
sweeper (schedule) and the delivery receipts (SNS SMS delivery status via CloudWatch Logs)."""

from estate import clock, wiring
from estate.apply import messages as apply_messages
from estate.http import create_app, route
from estate.notify import inbox, outbox
from estate.notify import messages as notify_messages
from estate.notify.models import NotificationsView
from estate.observability import emits_metrics
from estate.office import messages as office_messages
from estate.signing import messages as signing_messages

app = create_app("estate-notify")
# The sender renders every template any function queues.
WIRING = wiring.declare("notify", sms_templates=[notify_messages.TEMPLATES, apply_messages.TEMPLATES,
                                                 office_messages.TEMPLATES, signing_messages.TEMPLATES])


@route(app, "/me/notifications", answers=NotificationsView)
def my_notifications(request):
    return inbox.my_notifications(request.caller, request.query)


@app.lambda_function(name="send_sms")
@emits_metrics
def send_sms(event, context):
    """SQS (the outbox queue), batches with ReportBatchItemFailures."""
    return outbox.handle_queue_event(event)


@app.lambda_function(name="sweep_outbox")
@emits_metrics
def sweep_outbox(event, context):
    """EventBridge schedule: queue again any outbox message whose time has come."""
    return {"queued": outbox.sweep(clock.now())}


@app.lambda_function(name="record_sms_delivery")
@emits_metrics
def record_sms_delivery(event, context):
    """CloudWatch Logs subscription on SNS's SMS delivery status log groups."""
    return outbox.record_receipts(event)
