"""Logging for every function: one JSON line per event, constant message plus keys.

Citizens' ID numbers and phone numbers must never reach a log line in clear. Call sites mask
what they log on purpose (mask_id_number, mask_phone), and the formatter masks anything that
slipped through as a last line of defence, so a careless `logger.info(..., body=...)` is safe.
"""

from __future__ import annotations

import functools
import re

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.metrics import MetricUnit

# 18-character resident ID numbers (old 15-digit numbers too) and mainland mobiles,
# not embedded in longer digit runs (timestamps, unit numbers).
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8}|\d{6})(\d{3})([0-9Xx]?)(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(?:\+?86)?(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_id_number(id_number: str | None) -> str:
    """140302********0014 style: area code kept for support, birth date and sequence hidden."""
    if not id_number:
        return ""
    value = str(id_number)
    if len(value) < 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    value = str(phone)
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "****" + value[-4:]


def mask_name(name: str | None) -> str:
    """张* / 欧阳** : the family name stays so a co-party can recognise whom it means."""
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 1)


def mask_text(text: str) -> str:
    text = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 10) + m.group(0)[-4:], text)
    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


class MaskingFormatter(LambdaPowertoolsFormatter):
    def format(self, record):
        return mask_text(super().format(record))


logger = Logger(service="estate", logger_formatter=MaskingFormatter())


# Business events as CloudWatch metrics in Embedded Metric Format: the JSON line printed at flush is
# turned into metrics by CloudWatch Logs, so counting costs no API call and no latency. The namespace
# comes from POWERTOOLS_METRICS_NAMESPACE (template Globals); tools and unit tests get a default.
metrics = Metrics(service="estate")
if metrics.namespace is None:
    metrics.namespace = "estate"


def count_event(name: str, value: float = 1) -> None:
    """Count a business event (UpperCamelCase name, e.g. ApplicationSubmitted); flushed per request."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def flush_metrics() -> None:
    """Print the pending EMF line, if anything was counted (an empty flush only warns)."""
    if metrics.metric_set:
        metrics.flush_metrics()


def emits_metrics(handler):
    """For handlers that are not Chalice apps (EstateChalice flushes by itself): flush after each event."""
    @functools.wraps(handler)
    def wrapper(event, context):
        try:
            return handler(event, context)
        finally:
            flush_metrics()

    return wrapper
