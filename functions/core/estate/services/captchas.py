"""Picture captchas against slot-grabbing scripts (PEERS §2): a 4-character PNG from the `captcha`
library, valid 5 minutes, single use (the first attempt consumes it, right or wrong), bound to
the account that asked for it. Only a salted SHA-256 of the answer is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Callable

from pynamodb.exceptions import UpdateError

from estate import clock
from estate.config import get_settings
from estate.errors import FieldError, ValidationError
from estate.principal import Principal
from estate.store.verifications import CaptchaChallenge, is_unexpired

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: people misread them in a distorted picture.
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 4

# Only the local stack registers one (GET /_dev/captchas/{id} reveals answers to tests and the
# bench, as a person reading the picture would). In AWS nothing is registered: the answer exists
# only in the picture and as a hash.
answer_observers: list[Callable[[str, str], None]] = []


def _hash(salt: str, answer: str) -> str:
    return hashlib.sha256(f"{salt}:{answer.strip().upper()}".encode()).hexdigest()


def _png(answer: str) -> bytes:
    from captcha.image import ImageCaptcha  # Pillow: kept off the API cold start

    return ImageCaptcha(width=160, height=60).generate(answer, format="png").getvalue()


def create_captcha(caller: Principal) -> dict:
    now = clock.now()
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    salt = secrets.token_hex(8)
    ttl = get_settings().captcha_ttl_s
    challenge = CaptchaChallenge(f"cap_{secrets.token_urlsafe(16)}", subject=caller.subject, answer_salt=salt,
                                 answer_hash=_hash(salt, answer), created_at=now.isoformat(),
                                 expires_at=now + timedelta(seconds=ttl))
    challenge.save(condition=CaptchaChallenge.id.does_not_exist())
    for observe in answer_observers:
        observe(challenge.id, answer)
    return {"captcha_id": challenge.id, "image": "data:image/png;base64," + base64.b64encode(_png(answer)).decode(),
            "expires_in": ttl}


def _refuse(code: str, message: str) -> ValidationError:
    return ValidationError(message, code=code, details=[FieldError("captcha_answer", code, message)])


def consume(caller: Principal, captcha_id: str, answer: str) -> None:
    """Spend the captcha; raises a 400 unless it is this caller's, unexpired, unused and answered right."""
    now = clock.now()
    challenge = CaptchaChallenge(captcha_id)
    try:
        challenge.update(actions=[CaptchaChallenge.used_at.set(now.isoformat())],
                         condition=CaptchaChallenge.id.exists() & CaptchaChallenge.used_at.does_not_exist())
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        if CaptchaChallenge.count(captcha_id) == 0:
            raise _refuse("CAPTCHA_INVALID", "验证码无效，请刷新后重新输入") from None
        raise _refuse("CAPTCHA_USED", "验证码已使用，请刷新后重新输入") from None
    if not hmac.compare_digest(challenge.subject, caller.subject):
        raise _refuse("CAPTCHA_INVALID", "验证码无效，请刷新后重新输入")
    if not is_unexpired(challenge.expires_at, now):
        raise _refuse("CAPTCHA_EXPIRED", "验证码已过期，请刷新后重新输入")
    if not hmac.compare_digest(challenge.answer_hash, _hash(challenge.answer_salt, answer)):
        raise _refuse("CAPTCHA_WRONG", "验证码错误，请刷新后重新输入")
