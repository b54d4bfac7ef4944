"""The one error vocabulary of the service.

Every refusal is a DomainError with a stable machine code (the app switches on it) and a
Chinese message the app shows as is. estate.http maps them to HTTP in one place; the
Step Functions definitions match the class names, so renaming a class is a breaking change.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message}


class DomainError(Exception):
    status = 400
    code = "BAD_REQUEST"
    message = "请求有误"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 details: list[FieldError] | None = None, extra: dict | None = None):
        self.message = message or type(self).message
        self.code = code or type(self).code
        self.details = list(details or [])
        self.extra = dict(extra or {})
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> dict:
        body = {"code": self.code, "message": self.message,
                "details": [d.as_dict() for d in self.details]}
        body.update(self.extra)
        return body


class ValidationError(DomainError):
    status = 400
    code = "VALIDATION_FAILED"
    message = "提交的信息有误，请检查后重新提交"


class Unauthenticated(DomainError):
    status = 401
    code = "UNAUTHENTICATED"
    message = "请先登录"


class Forbidden(DomainError):
    status = 403
    code = "FORBIDDEN"
    message = "您无权进行此操作"


class NotFound(DomainError):
    status = 404
    code = "NOT_FOUND"
    message = "未找到相关记录"


class Conflict(DomainError):
    status = 409
    code = "CONFLICT"
    message = "当前状态不允许此操作"


class TooManyRequests(DomainError):
    status = 429
    code = "TOO_MANY_REQUESTS"
    message = "操作过于频繁，请稍后再试"


class PayloadTooLarge(DomainError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"
    message = "提交的内容过大"


class ServiceUnavailable(DomainError):
    """A dependency is busy (throttled, down): the user may simply try again."""
    status = 503
    code = "SERVICE_BUSY"
    message = "服务繁忙，请稍后再试"


# ---------------------------------------------------------------- workflow task failures
# Lambda reports an uncaught exception by its class name, and statemachine/*.asl.json matches these
# names in Retry/Catch (tests/contract/test_asl_errors.py keeps the two in step). Never shown to users.

class TransientError(Exception):
    """A dependency failed in a way worth retrying (throttled, timed out, briefly unavailable): the
    ASL retries the task. Raised by estate.adapters.aws.reraise_transient around every workflow task."""


class SignatureDeadlinePassed(Exception):
    """A party did not sign before the deadline (an ASL Catch matches this name)."""


class SignatureDeclined(Exception):
    """A party declined to sign (sent as the task failure's error name: send_task_failure)."""


@dataclass
class FieldErrors:
    """Collects every field problem of one request so the user hears them all at once (一次性告知)."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, code: str, message: str) -> None:
        self.errors.append(FieldError(field_name, code, message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self, message: str | None = None) -> None:
        if self.errors:
            raise ValidationError(message, details=self.errors)
