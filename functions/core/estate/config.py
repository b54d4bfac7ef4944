"""Configuration, read once per process from the environment that template.yaml sets.

Every setting has a name in template.yaml Globals (or the function's Environment);
tests and the local stack set the same variables. Nothing else in the code reads os.environ.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    register_table: str
    people_table: str
    content_table: str
    jwt_issuer: str
    jwt_audience: str
    jwks_json: str
    token_signing_key: str
    session_ttl_s: int
    staff_idp_issuer: str
    staff_idp_client_id: str
    citizen_idp_issuer: str
    citizen_idp_client_id: str
    idp_secret_arn: str
    idp_secrets_json: str
    public_base_url: str
    app_base_url: str
    applications_table: str
    verifications_table: str
    idempotency_table: str
    uploads_bucket: str
    documents_bucket: str
    face_match_threshold: float
    face_check_ttl_s: int
    liveness_confidence_threshold: float
    liveness_session_ttl_s: int
    face_provider_secret_arn: str
    upload_max_bytes: int
    image_max_pixels: int
    presign_ttl_s: int
    s3_public_endpoint: str
    documents_origin: str
    signing_state_machine_arn: str
    signing_deadline_s: int
    signing_reminder_interval_s: int
    signing_max_reminders: int
    face_failures_per_day: int
    documents_table: str
    tax_table: str
    payment_keys_json: str
    payment_secret_arn: str
    bookings_table: str
    booking_horizon_days: int
    booking_cutoff: str
    booking_default_quota: int
    booking_max_active: int
    no_show_limit: int
    no_show_window_days: int
    no_show_block_days: int
    captcha_ttl_s: int
    sms_provider: str
    sms_queue_url: str
    sms_secret_arn: str
    uses_providers: frozenset[str]
    face_provider: str
    realname_provider: str
    audit_table: str
    queries_table: str
    query_daily_limit: int
    legal_deadline_working_days: int
    json_max_body_bytes: int
    json_image_max_body_bytes: int
    json_max_depth: int
    text_max_chars: int

    @property
    def is_local(self) -> bool:
        return self.stage == "local"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


@functools.cache
def get_settings() -> Settings:
    return Settings(
        stage=_env("STAGE", "local"),
        region=_env("AWS_REGION", _env("AWS_DEFAULT_REGION", "cn-north-1")),
        register_table=_env("REGISTER_TABLE", "estate-register"),
        people_table=_env("PEOPLE_TABLE", "estate-people"),
        content_table=_env("CONTENT_TABLE", "estate-content"),
        jwt_issuer=_env("JWT_ISSUER", "https://login.local.estate"),
        jwt_audience=_env("JWT_AUDIENCE", "estate-api"),
        # Local only: the dev issuer's public keys (POST /_dev/login tokens), trusted beside our own key.
        jwks_json=_env("JWKS_JSON"),
        # Our tokens are signed by this KMS key (RSA_2048, SIGN_VERIFY); the private half never leaves KMS.
        token_signing_key=_env("TOKEN_SIGNING_KEY"),
        session_ttl_s=int(_env("SESSION_TTL_S", "3600")),
        # Sign-in (estate.signin): the centre's staff identity provider and the provincial app (三晋通),
        # both OpenID Connect with PKCE; their client secrets (if any) in Secrets Manager as
        # {"staff": "...", "citizen": "..."} (IDP_SECRET_ARN), or inline locally (IDP_SECRETS_JSON).
        staff_idp_issuer=_env("STAFF_IDP_ISSUER").rstrip("/"),
        staff_idp_client_id=_env("STAFF_IDP_CLIENT_ID"),
        citizen_idp_issuer=_env("CITIZEN_IDP_ISSUER").rstrip("/"),
        citizen_idp_client_id=_env("CITIZEN_IDP_CLIENT_ID"),
        idp_secret_arn=_env("IDP_SECRET_ARN"),
        idp_secrets_json=_env("IDP_SECRETS_JSON"),
        public_base_url=_env("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
        # The citizen app (H5): locally served at /app/ on the API's origin; deployed behind its own
        # CloudFront distribution (APP_BASE_URL). SMS signing links and payment QR codes open it.
        app_base_url=(_env("APP_BASE_URL") or _env("PUBLIC_BASE_URL", "http://127.0.0.1:8000") + "/app").rstrip("/"),
        applications_table=_env("APPLICATIONS_TABLE", "estate-applications"),
        verifications_table=_env("VERIFICATIONS_TABLE", "estate-verifications"),
        idempotency_table=_env("IDEMPOTENCY_TABLE", "estate-idempotency"),
        uploads_bucket=_env("UPLOADS_BUCKET", "estate-uploads"),
        documents_bucket=_env("DOCUMENTS_BUCKET", "estate-documents"),
        face_match_threshold=float(_env("FACE_MATCH_THRESHOLD", "90")),
        face_check_ttl_s=int(_env("FACE_CHECK_TTL_S", "600")),
        # Liveness (estate.adapters.liveness): Rekognition's confidence that the person was live, and
        # how long a started session may take to finish; the Tencent FaceID keys' secret (aws-cn).
        liveness_confidence_threshold=float(_env("LIVENESS_CONFIDENCE_THRESHOLD", "80")),
        liveness_session_ttl_s=int(_env("LIVENESS_SESSION_TTL_S", "600")),
        face_provider_secret_arn=_env("FACE_PROVIDER_SECRET_ARN"),
        upload_max_bytes=int(_env("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))),
        # Checked from the header before any pixel is decoded (decompression bombs): 40 MP is a phone
        # camera's largest photo with room to spare; a 256 MB Lambda cannot hold much more decoded.
        image_max_pixels=int(_env("IMAGE_MAX_PIXELS", str(40_000_000))),
        presign_ttl_s=int(_env("PRESIGN_TTL_S", "300")),
        # Only the local stack sets this: presigned upload URLs must point at its own origin.
        s3_public_endpoint=_env("S3_PUBLIC_ENDPOINT"),
        # Where presigned document downloads point (the signing page's CSP lets it fetch from there).
        documents_origin=_env("DOCUMENTS_ORIGIN"),
        signing_state_machine_arn=_env("SIGNING_STATE_MACHINE_ARN"),
        signing_deadline_s=int(_env("SIGNING_DEADLINE_S", str(7 * 24 * 3600))),
        signing_reminder_interval_s=int(_env("SIGNING_REMINDER_INTERVAL_S", str(24 * 3600))),
        signing_max_reminders=int(_env("SIGNING_MAX_REMINDERS", "3")),
        face_failures_per_day=int(_env("FACE_FAILURES_PER_DAY", "5")),
        documents_table=_env("DOCUMENTS_TABLE", "estate-documents"),
        tax_table=_env("TAX_TABLE", "estate-tax"),
        # Payment keys (merchant private keys, providers' public keys): the local stack passes its
        # simulators' keys inline; in AWS they are read from Secrets Manager (PAYMENT_SECRET_ARN).
        payment_keys_json=_env("PAYMENT_KEYS_JSON"),
        payment_secret_arn=_env("PAYMENT_SECRET_ARN"),
        bookings_table=_env("BOOKINGS_TABLE", "estate-bookings"),
        booking_horizon_days=int(_env("BOOKING_HORIZON_DAYS", "7")),      # working days ahead
        booking_cutoff=_env("BOOKING_CUTOFF", "17:00"),                   # the day before, Asia/Shanghai
        booking_default_quota=int(_env("BOOKING_DEFAULT_QUOTA", "20")),   # per outlet x business x day x half-day
        booking_max_active=int(_env("BOOKING_MAX_ACTIVE", "3")),
        no_show_limit=int(_env("NO_SHOW_LIMIT", "3")),
        no_show_window_days=int(_env("NO_SHOW_WINDOW_DAYS", "30")),
        no_show_block_days=int(_env("NO_SHOW_BLOCK_DAYS", "30")),
        captcha_ttl_s=int(_env("CAPTCHA_TTL_S", "300")),
        **selected_providers(),
        sms_queue_url=_env("SMS_QUEUE_URL", "SmsQueue"),                  # the SMS outbox's queue (estate.adapters.queue)
        # A mainland SMS provider's AccessKey, sign name and template codes (estate.adapters.providers).
        sms_secret_arn=_env("SMS_SECRET_ARN"),
        # The providers this function calls ("sms", "face"): their secrets are checked at cold start.
        uses_providers=frozenset(filter(None, _env("USES_PROVIDERS").replace(" ", "").split(","))),
        audit_table=_env("AUDIT_TABLE", "estate-audit"),
        queries_table=_env("QUERIES_TABLE", "estate-queries"),
        query_daily_limit=int(_env("QUERY_DAILY_LIMIT", "5")),           # personal property queries per person per day
        legal_deadline_working_days=int(_env("LEGAL_DEADLINE_WORKING_DAYS", "30")),  # 不动产登记暂行条例 Art. 20
        # Request bodies (estate.http): the largest form (contract, declaration, a policy) is a few KB;
        # routes carrying a photo or a drawn signature as base64 take a 5 MB image (+1/3) and no more.
        json_max_body_bytes=int(_env("JSON_MAX_BODY_BYTES", str(256 * 1024))),
        json_image_max_body_bytes=int(_env("JSON_IMAGE_MAX_BODY_BYTES", str(7 * 1024 * 1024))),
        json_max_depth=int(_env("JSON_MAX_DEPTH", "32")),
        text_max_chars=int(_env("TEXT_MAX_CHARS", "10000")),           # any one string; fields have tighter limits
    )


def selected_providers() -> dict[str, str]:
    """SMS and face-comparison services differ by partition (aws vs aws-cn): template parameters
    SmsProvider and FaceProvider choose them. Read uncached so a cold-start check sees the real value."""
    return {"sms_provider": _env("SMS_PROVIDER", "sns"), "face_provider": _env("FACE_PROVIDER", "rekognition"),
            "realname_provider": _env("REALNAME_PROVIDER", "people")}


def provider_secret_arns() -> dict[str, str]:
    """The secrets a selected provider's keys are read from (uncached, for the cold-start check)."""
    return {"face_provider": _env("FACE_PROVIDER_SECRET_ARN")}
