"""Liveness (活体检测) behind one interface: a face check is a session the person completes on the
phone, not a still photo we are sent — a photo of the person cannot pass.

  start(session_id, subject, return_url) → LivenessStart: the provider's session id, and the page the
      phone goes to (Tencent's H5 page, the local simulator) — None on AWS, where the app's own
      component runs the challenge with the session id.
  result(provider_session, subject)      → LivenessResult: live or not, the confidence, the best frame
      compared with the person's reference photo, and which session (and person) the provider says
      the result belongs to, so the service can refuse a result that is not this session's.

Three providers, selected by FACE_PROVIDER (estate/adapters/providers.py):
  rekognition  CreateFaceLivenessSession → (Amplify FaceLivenessDetector on the phone) →
               GetFaceLivenessSessionResults, then CompareFaces of its reference image with the photo
  tencent      FaceID 人脸核身 H5: DetectAuth (with the reference photo, so Tencent compares) → the
               provider's page → GetDetectInfoEnhanced; mainland deployments (aws-cn has no Rekognition)
  simulated    the local stack only (template.yaml does not allow it): a page answering live, not
               live or timeout (local/liveness.py) — every e2e flow passes through it

Reasons (LivenessResult.reason) are one vocabulary whatever the provider; estate.services.face_checks
maps them to refusals. A provider's own code is kept in provider_code (logged, shown for unknown ones).
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from dataclasses import dataclass

from botocore.exceptions import ClientError

from estate.adapters.aws import client
from estate.adapters.faces import THROTTLING, FaceComparer
from estate.adapters.tencent import TencentClient, TencentCredentials, TencentError
from estate.errors import ServiceUnavailable
from estate.observability import logger

# LivenessResult.reason: None when live and the same person as the reference photo.
NOT_LIVE = "NOT_LIVE"            # a photo, a screen, a mask: the provider says not a live person
MISMATCH = "MISMATCH"            # live, but not the person of the reference photo
NO_FACE = "NO_FACE"
SEVERAL_FACES = "SEVERAL_FACES"
BAD_IMAGE = "BAD_IMAGE"
PENDING = "PENDING"              # not finished yet (the person has not completed the challenge)
TIMEOUT = "TIMEOUT"              # the provider's session expired before it was completed
PROVIDER_ERROR = "PROVIDER_ERROR"  # the provider ended the session with an error of its own (provider_code)

BUSY_MESSAGE = "人脸识别服务繁忙，请稍后再试"


def _busy() -> ServiceUnavailable:
    return ServiceUnavailable(BUSY_MESSAGE, code="FACE_SERVICE_BUSY")


@dataclass(frozen=True)
class Subject:
    """Whose face: their ID number and name, and where their reference photo is."""
    id_number: str
    name: str
    photo_bucket: str
    photo_key: str


@dataclass(frozen=True)
class LivenessStart:
    provider_session: str
    url: str | None


@dataclass(frozen=True)
class LivenessResult:
    reason: str | None
    echoed_session: str | None          # the session the provider says the result is for
    confidence: float | None = None
    similarity: float | None = None
    provider_code: str | None = None
    verified_person: str | None = None  # the ID number the provider verified, when it says

    @property
    def passed(self) -> bool:
        return self.reason is None


def _compared(comparer: FaceComparer, frame: bytes, subject: Subject, echoed: str,
              confidence: float | None) -> LivenessResult:
    """The best frame of a live session against the reference photo (Rekognition CompareFaces)."""
    compared = comparer.compare(frame, subject.photo_bucket, subject.photo_key)
    return LivenessResult(compared.reason, echoed, confidence, compared.similarity)


# ---------------------------------------------------------------------------------------------- AWS
class RekognitionLiveness:
    """Amazon Rekognition Face Liveness. The phone streams video to Rekognition from Amplify UI's
    FaceLivenessDetector with the session id; the server reads the verdict and compares the
    reference image Rekognition returns (the best frame) with the person's photo."""

    name = "rekognition"
    # GetFaceLivenessSessionResults: CREATED | IN_PROGRESS | SUCCEEDED | FAILED | EXPIRED
    STATUS = {"CREATED": PENDING, "IN_PROGRESS": PENDING, "EXPIRED": TIMEOUT, "FAILED": PROVIDER_ERROR}

    def __init__(self, comparer: FaceComparer, confidence_threshold: float, rekognition=None):
        self.comparer = comparer
        self.confidence_threshold = confidence_threshold
        self._rekognition = rekognition

    @property
    def rekognition(self):
        if self._rekognition is None:
            self._rekognition = client("rekognition")
        return self._rekognition

    def _call(self, operation: str, **params) -> dict:
        try:
            return getattr(self.rekognition, operation)(**params)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code", "") in THROTTLING:
                raise _busy() from None
            raise

    def start(self, session_id: str, subject: Subject, return_url: str) -> LivenessStart:
        # ClientRequestToken makes a retried start return the same session, not a second one.
        answer = self._call("create_face_liveness_session", ClientRequestToken=session_id,
                            Settings={"AuditImagesLimit": 0})
        return LivenessStart(answer["SessionId"], None)

    def result(self, provider_session: str, subject: Subject) -> LivenessResult:
        try:
            answer = self._call("get_face_liveness_session_results", SessionId=provider_session)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code == "SessionNotFoundException":   # sessions are kept 3 minutes after they end
                return LivenessResult(TIMEOUT, provider_session, provider_code=code)
            raise
        echoed, status = answer.get("SessionId"), answer.get("Status", "")
        confidence = float(answer["Confidence"]) if answer.get("Confidence") is not None else None
        if status != "SUCCEEDED":
            return LivenessResult(self.STATUS.get(status, PROVIDER_ERROR), echoed, confidence,
                                  provider_code=status or None)
        if confidence is None or confidence < self.confidence_threshold:
            return LivenessResult(NOT_LIVE, echoed, confidence)
        frame = (answer.get("ReferenceImage") or {}).get("Bytes")
        if not frame:
            return LivenessResult(NO_FACE, echoed, confidence)
        return _compared(self.comparer, frame, subject, echoed, confidence)


# ---------------------------------------------------------------------------------------- Tencent
# GetDetectInfoEnhanced Text.ErrCode (人脸核身 返回码, https://cloud.tencent.com/document/product/1007/31082)
TENCENT_CODES: dict[int, str] = {
    17: PENDING,                       # 本次流程未完成
    15: TIMEOUT,                       # Token 过期
    1002: NOT_LIVE,                    # 疑似非真人录制
    1003: NOT_LIVE,                    # 人脸识别验证未成功（真人检测失败）
    1005: NOT_LIVE,                    # 活体检测未通过
    1004: NO_FACE,                     # 人脸检测失败
    2010: NO_FACE,                     # 脸部未完整露出
    2015: MISMATCH,                    # 比对失败
    2016: MISMATCH,                    # 相似度未达到通过阈值
    2004: BAD_IMAGE,                   # 视频提取照片出错
}
TENCENT_BUSY_CODES = {1001, 2001, 4, 8, 10, 12, 13}   # 引擎超时 / 服务异常：try again later
TENCENT_API_BUSY = {"InternalError", "RequestLimitExceeded", "FailedOperation.UnKnown", "Network",
                    "MalformedResponse"}


def _tencent_text_code(value) -> int | None:
    try:
        return None if value is None or value == "" else int(value)
    except (TypeError, ValueError):
        return -1


class TencentLiveness:
    """腾讯云人脸核身 (FaceID) H5: the phone opens the Url DetectAuth returns, does the liveness
    challenge on Tencent's page, and comes back to RedirectUrl; GetDetectInfoEnhanced then tells
    whether it was live and how similar to the photo we passed (ImageBase64: the real-name
    platform's reference photo, so Tencent's comparison is with the same photo as on AWS)."""

    name = "tencent"

    def __init__(self, api: TencentClient, rule_id: str, reference_reader, similarity_threshold: float):
        self.api = api
        self.rule_id = rule_id
        self.read_reference = reference_reader
        self.similarity_threshold = similarity_threshold

    def _call(self, action: str, params: dict) -> dict:
        try:
            return self.api.call(action, params)
        except TencentError as error:
            if error.code in TENCENT_API_BUSY:
                raise _busy() from None
            raise

    def start(self, session_id: str, subject: Subject, return_url: str) -> LivenessStart:
        photo = self.read_reference(subject.photo_bucket, subject.photo_key)
        answer = self._call("DetectAuth", {
            "RuleId": self.rule_id, "IdCard": subject.id_number, "Name": subject.name,
            "RedirectUrl": return_url, "Extra": session_id,
            "ImageBase64": base64.b64encode(photo).decode("ascii")})
        return LivenessStart(answer["BizToken"], answer["Url"])

    def result(self, provider_session: str, subject: Subject) -> LivenessResult:
        try:
            answer = self._call("GetDetectInfoEnhanced", {"BizToken": provider_session, "RuleId": self.rule_id,
                                                          "InfoType": "1"})
        except TencentError as error:
            if error.code == "InvalidParameterValue.BizTokenExpired":
                return LivenessResult(TIMEOUT, None, provider_code=error.code)
            return LivenessResult(PROVIDER_ERROR, None, provider_code=error.code)
        text = answer.get("Text") or {}
        echoed, person = text.get("Extra"), text.get("IdCard") or None
        code = _tencent_text_code(text.get("ErrCode"))
        similarity = float(text["Sim"]) if text.get("Sim") not in (None, "") else None
        if code is None:
            return LivenessResult(PENDING, echoed, verified_person=person)
        if code in TENCENT_BUSY_CODES:
            raise _busy()
        if code != 0:
            return LivenessResult(TENCENT_CODES.get(code, PROVIDER_ERROR), echoed, similarity=similarity,
                                  provider_code=str(code), verified_person=person)
        if similarity is None or similarity < self.similarity_threshold:   # our threshold, not only Tencent's
            return LivenessResult(MISMATCH, echoed, similarity=similarity, verified_person=person)
        return LivenessResult(None, echoed, similarity=similarity, verified_person=person)


# -------------------------------------------------------------------------------------- simulated
class SimulatedLiveness:
    """The local stack's stand-in for a provider: start() opens a session the local page
    (/_dev/liveness/{id}, local/liveness.py) answers live, not live or timeout; result() reads that
    answer and, when live, compares a frame with the reference photo like the AWS provider does
    (moto's CompareFaces; tests replace the comparer to simulate another person)."""

    name = "simulated"
    ANSWERS = {"live": None, "not_live": NOT_LIVE, "timeout": TIMEOUT}
    _answers: dict[str, str | None] = {}   # provider session → answer (None: not answered yet)
    _lock = threading.Lock()

    def __init__(self, comparer: FaceComparer, page_base_url: str):
        self.comparer = comparer
        self.page_base_url = page_base_url.rstrip("/")

    def start(self, session_id: str, subject: Subject, return_url: str) -> LivenessStart:
        from urllib.parse import quote

        provider_session = "sim-" + secrets.token_urlsafe(12)
        with self._lock:
            self._answers[provider_session] = None
        return LivenessStart(provider_session,
                             f"{self.page_base_url}/_dev/liveness/{provider_session}?return={quote(return_url, safe='')}")

    @classmethod
    def answer(cls, provider_session: str, outcome: str) -> bool:
        """The simulator page's button: False for an unknown session or outcome."""
        with cls._lock:
            if provider_session not in cls._answers or outcome not in cls.ANSWERS:
                return False
            cls._answers[provider_session] = outcome
            return True

    @classmethod
    def knows(cls, provider_session: str) -> bool:
        return provider_session in cls._answers

    def result(self, provider_session: str, subject: Subject) -> LivenessResult:
        if provider_session not in self._answers:
            return LivenessResult(PROVIDER_ERROR, None, provider_code="SessionNotFound")
        outcome = self._answers[provider_session]
        if outcome is None:
            return LivenessResult(PENDING, provider_session)
        if outcome != "live":
            return LivenessResult(self.ANSWERS[outcome], provider_session, confidence=12.0)
        return _compared(self.comparer, json.dumps({"frame": provider_session}).encode(), subject,
                         provider_session, 99.0)


def tencent_from_secret(secret_arn: str, similarity_threshold: float) -> TencentLiveness:
    """The FaceID client from its Secrets Manager secret: {"secret_id", "secret_key", "rule_id"}."""
    from estate.adapters.uploads import read_object

    secret = json.loads(client("secretsmanager").get_secret_value(SecretId=secret_arn)["SecretString"] or "{}")
    if not all(secret.get(name) for name in ("secret_id", "secret_key", "rule_id")):
        # The stack's secret not filled in yet (template.yaml creates it empty): a refusal, not a 500.
        logger.error("face provider keys missing", provider="tencent")
        raise ServiceUnavailable("人脸识别服务暂未开通，请到不动产登记大厅办理", code="FACE_SERVICE_NOT_CONFIGURED")
    api = TencentClient("faceid", "2018-03-01", TencentCredentials(secret["secret_id"], secret["secret_key"]))
    return TencentLiveness(api, str(secret["rule_id"]), read_object, similarity_threshold)
