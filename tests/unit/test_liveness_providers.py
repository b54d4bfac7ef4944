"""The liveness providers against their documented answers: Rekognition Face Liveness with
botocore's Stubber (CreateFaceLivenessSession, GetFaceLivenessSessionResults, then CompareFaces),
Tencent FaceID (DetectAuth, GetDetectInfoEnhanced: https://cloud.tencent.com/document/api/1007/31816,
/41957; result codes https://cloud.tencent.com/document/product/1007/31082) with a stub transport."""

import json

import boto3
import pytest
from botocore.stub import ANY, Stubber

from estate.adapters import liveness
from estate.adapters.faces import FaceComparer
from estate.adapters.tencent import TencentClient, TencentCredentials
from estate.errors import ServiceUnavailable

SUBJECT = liveness.Subject("14030219900101001X", "王伟", "docs", "reference-faces/x.png")
SESSION = "0f959dbb-37cc-45d8-a08d-dc42cce85fa8"
BOX = {"Width": 0.5, "Height": 0.5, "Left": 0.2, "Top": 0.2}
FRAME = b"\xff\xd8\xff\xe0best-frame"


def rekognition():
    client = boto3.client("rekognition", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    return client, Stubber(client)


@pytest.fixture
def aws():
    client, stubber = rekognition()
    with stubber:
        yield liveness.RekognitionLiveness(FaceComparer(client, threshold=90.0), 80.0, client), stubber
        stubber.assert_no_pending_responses()


def test_aws_start_creates_a_session_with_our_id_as_the_request_token(aws):
    provider, stubber = aws
    stubber.add_response("create_face_liveness_session", {"SessionId": SESSION},
                         {"ClientRequestToken": "ls_abc", "Settings": {"AuditImagesLimit": 0}})
    started = provider.start("ls_abc", SUBJECT, "https://app/x?liveness=ls_abc")
    assert started.provider_session == SESSION and started.url is None


def results(status="SUCCEEDED", confidence=98.5, frame=FRAME):
    answer = {"SessionId": SESSION, "Status": status}
    if confidence is not None:
        answer["Confidence"] = confidence
    if frame is not None:
        answer["ReferenceImage"] = {"Bytes": frame, "BoundingBox": BOX}
    return answer


def test_aws_live_and_the_same_person_passes_with_the_best_frame_compared(aws):
    provider, stubber = aws
    stubber.add_response("get_face_liveness_session_results", results(), {"SessionId": SESSION})
    stubber.add_response("compare_faces", {"FaceMatches": [{"Similarity": 96.0, "Face": {"BoundingBox": BOX,
                                                                                         "Confidence": 99.0}}],
                                           "UnmatchedFaces": []},
                         {"SourceImage": {"S3Object": {"Bucket": "docs", "Name": "reference-faces/x.png"}},
                          "TargetImage": {"Bytes": FRAME}, "SimilarityThreshold": 0.0, "QualityFilter": "AUTO"})
    result = provider.result(SESSION, SUBJECT)
    assert result.passed and result.echoed_session == SESSION and result.similarity == 96.0
    assert result.confidence == 98.5


def test_aws_low_confidence_is_not_live_and_nothing_is_compared(aws):
    provider, stubber = aws
    stubber.add_response("get_face_liveness_session_results", results(confidence=41.2), {"SessionId": SESSION})
    result = provider.result(SESSION, SUBJECT)
    assert result.reason == liveness.NOT_LIVE and result.confidence == 41.2


def test_aws_live_but_another_face_is_a_mismatch(aws):
    provider, stubber = aws
    stubber.add_response("get_face_liveness_session_results", results(), {"SessionId": SESSION})
    stubber.add_response("compare_faces", {"FaceMatches": [], "UnmatchedFaces": [{"BoundingBox": BOX,
                                                                                  "Confidence": 99.0}]}, ANY_COMPARE)
    assert provider.result(SESSION, SUBJECT).reason == liveness.MISMATCH


ANY_COMPARE = {"SourceImage": ANY, "TargetImage": ANY, "SimilarityThreshold": ANY, "QualityFilter": ANY}


@pytest.mark.parametrize("status, reason", [("CREATED", liveness.PENDING), ("IN_PROGRESS", liveness.PENDING),
                                            ("EXPIRED", liveness.TIMEOUT), ("FAILED", liveness.PROVIDER_ERROR)])
def test_aws_unfinished_statuses(aws, status, reason):
    provider, stubber = aws
    stubber.add_response("get_face_liveness_session_results", results(status, None, None), {"SessionId": SESSION})
    result = provider.result(SESSION, SUBJECT)
    assert result.reason == reason and not result.passed


def test_aws_a_forgotten_session_is_a_timeout(aws):
    provider, stubber = aws
    stubber.add_client_error("get_face_liveness_session_results", "SessionNotFoundException", http_status_code=400)
    assert provider.result(SESSION, SUBJECT).reason == liveness.TIMEOUT


def test_aws_throttling_is_busy_not_a_500(aws):
    provider, stubber = aws
    stubber.add_client_error("create_face_liveness_session", "ThrottlingException", http_status_code=400)
    with pytest.raises(ServiceUnavailable) as raised:
        provider.start("ls_abc", SUBJECT, "https://app/x")
    assert raised.value.code == "FACE_SERVICE_BUSY"


# ------------------------------------------------------------------------------------------- Tencent
class FaceId:
    """A stub of faceid.tencentcloudapi.com answering each action from a queue."""

    def __init__(self, *answers):
        self.answers, self.sent = list(answers), []

    def __call__(self, url, headers, body):
        self.sent.append((headers["X-TC-Action"], json.loads(body)))
        return 200, json.dumps({"Response": {**self.answers.pop(0), "RequestId": "req"}}).encode()


def tencent(*answers):
    transport = FaceId(*answers)
    api = TencentClient("faceid", "2018-03-01", TencentCredentials("id", "key"), send=transport)
    return liveness.TencentLiveness(api, "7", lambda bucket, key: b"reference-photo", 70.0), transport


def test_tencent_start_passes_the_reference_photo_the_person_and_our_session():
    provider, faceid = tencent({"Url": "https://faceid.qq.com/api/auth/getLoginPage?token=B", "BizToken": "B"})
    started = provider.start("ls_abc", SUBJECT, "https://app/transfer/start?liveness=ls_abc")
    assert started.provider_session == "B" and started.url.startswith("https://faceid.qq.com/")
    action, params = faceid.sent[0]
    assert action == "DetectAuth" and params["RuleId"] == "7" and params["Extra"] == "ls_abc"
    assert params["IdCard"] == SUBJECT.id_number and params["Name"] == "王伟"
    assert params["RedirectUrl"].endswith("liveness=ls_abc") and params["ImageBase64"] == "cmVmZXJlbmNlLXBob3Rv"


def text(**fields):
    return {"Text": {"ErrCode": None, "ErrMsg": None, "IdCard": SUBJECT.id_number, "Name": "王伟",
                     "Extra": "ls_abc", "LiveStatus": None, "Comparestatus": None, "Sim": None, **fields},
            "BestFrame": None}


def test_tencent_success_passes_with_the_similarity_and_echoes_our_session():
    provider, faceid = tencent(text(ErrCode=0, ErrMsg="成功", LiveStatus=0, Comparestatus=0, Sim="95.36"))
    result = provider.result("B", SUBJECT)
    assert result.passed and result.similarity == 95.36 and result.echoed_session == "ls_abc"
    assert result.verified_person == SUBJECT.id_number
    assert faceid.sent[0] == ("GetDetectInfoEnhanced", {"BizToken": "B", "RuleId": "7", "InfoType": "1"})


@pytest.mark.parametrize("code, reason", [
    (None, liveness.PENDING), (17, liveness.PENDING), (15, liveness.TIMEOUT), (1002, liveness.NOT_LIVE),
    (1005, liveness.NOT_LIVE), (1004, liveness.NO_FACE), (2016, liveness.MISMATCH), (2004, liveness.BAD_IMAGE),
    (3007, liveness.PROVIDER_ERROR),
])
def test_tencent_result_codes(code, reason):
    provider, _ = tencent(text(ErrCode=code, Sim="40.00" if code == 2016 else None))
    result = provider.result("B", SUBJECT)
    assert result.reason == reason
    if reason == liveness.PROVIDER_ERROR:
        assert result.provider_code == "3007"


def test_tencent_below_our_threshold_is_a_mismatch_even_when_tencent_passed():
    provider, _ = tencent(text(ErrCode=0, Sim="65.00"))
    assert provider.result("B", SUBJECT).reason == liveness.MISMATCH


@pytest.mark.parametrize("code", [1001, 2001, 4])
def test_tencent_engine_timeouts_are_busy(code):
    provider, _ = tencent(text(ErrCode=code))
    with pytest.raises(ServiceUnavailable):
        provider.result("B", SUBJECT)


@pytest.mark.parametrize("error, reason", [("InvalidParameterValue.BizTokenExpired", liveness.TIMEOUT),
                                           ("InvalidParameterValue.BizTokenIllegal", liveness.PROVIDER_ERROR),
                                           ("UnauthorizedOperation.Arrears", liveness.PROVIDER_ERROR)])
def test_tencent_api_errors(error, reason):
    provider, _ = tencent({"Error": {"Code": error, "Message": "x"}})
    result = provider.result("B", SUBJECT)
    assert result.reason == reason and result.provider_code == error


def test_tencent_api_rate_limit_is_busy():
    provider, _ = tencent({"Error": {"Code": "RequestLimitExceeded", "Message": "x"}})
    with pytest.raises(ServiceUnavailable):
        provider.result("B", SUBJECT)


def test_tencent_keys_not_filled_in_are_a_clear_503_not_a_500(monkeypatch):
    secrets = boto3.client("secretsmanager", region_name="cn-north-1", aws_access_key_id="x",
                           aws_secret_access_key="x")
    monkeypatch.setattr(liveness, "client", lambda service: secrets)
    with Stubber(secrets) as stubber:
        stubber.add_response("get_secret_value", {"SecretString": "{}"}, {"SecretId": "arn:faceid"})
        with pytest.raises(ServiceUnavailable) as raised:
            liveness.tencent_from_secret("arn:faceid", 70.0)
    assert raised.value.code == "FACE_SERVICE_NOT_CONFIGURED" and "大厅" in raised.value.message
