"""Idempotency-Key for the operations a flaky phone network makes clients retry (start, submit,
withdraw, payments): the first result is stored and replayed; a retry while the first is still
running gets a 409. Failures are not stored, so a corrected retry runs again.
"""

from __future__ import annotations

import functools
import re
from typing import Callable

from estate.config import get_settings
from estate.errors import Conflict, ValidationError
from estate.http import ApiRequest

KEY_SHAPE = re.compile(r"^[A-Za-z0-9_\-:.]{8,100}$")
EXPIRES_AFTER_S = 24 * 3600


@functools.cache
def _persistence():
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(table_name=get_settings().idempotency_table)


def once(request: ApiRequest, operation: str, run: Callable[[], dict]) -> dict:
    key = request.headers.get("idempotency-key")
    if key is None:
        return run()
    if not KEY_SHAPE.match(key):
        raise ValidationError("Idempotency-Key 应为8到100位字母、数字或 -_:.", code="BAD_IDEMPOTENCY_KEY")
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError

    config = IdempotencyConfig(expires_after_seconds=EXPIRES_AFTER_S)
    if request.lambda_context is not None:
        config.register_lambda_context(request.lambda_context)  # in-progress records expire with the invocation

    @idempotent_function(data_keyword_argument="request_key", persistence_store=_persistence(), config=config)
    def operation_once(request_key: dict) -> dict:
        return run()

    try:
        return operation_once(request_key={"caller": request.caller.subject, "operation": operation, "key": key})
    except IdempotencyAlreadyInProgressError:
        raise Conflict("相同的请求正在处理中，请稍候", code="REQUEST_IN_PROGRESS") from None
