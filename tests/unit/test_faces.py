"""The Rekognition adapter against the real CompareFaces response format (botocore Stubber):
moto always answers 100 %, so mismatch, no face, several faces and throttling are tested here."""

import boto3
import pytest
from botocore.stub import Stubber

from estate.adapters.faces import FaceComparer
from estate.errors import ServiceUnavailable

SELFIE = b"\xff\xd8\xff\xe0selfie"
EXPECTED = {"SourceImage": {"S3Object": {"Bucket": "docs", "Name": "reference-faces/x.png"}},
            "TargetImage": {"Bytes": SELFIE}, "SimilarityThreshold": 0.0, "QualityFilter": "AUTO"}
BOX = {"Width": 0.5, "Height": 0.5, "Left": 0.2, "Top": 0.2}


def face(similarity=None):
    detail = {"BoundingBox": BOX, "Confidence": 99.9}
    return {"Similarity": similarity, "Face": detail} if similarity is not None else detail


@pytest.fixture
def stubbed():
    client = boto3.client("rekognition", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield FaceComparer(client, threshold=90.0), stubber
        stubber.assert_no_pending_responses()


def compare(comparer):
    return comparer.compare(SELFIE, "docs", "reference-faces/x.png")


def test_a_match_above_the_threshold_passes(stubbed):
    comparer, stubber = stubbed
    stubber.add_response("compare_faces", {"FaceMatches": [face(97.3)], "UnmatchedFaces": []}, EXPECTED)
    result = compare(comparer)
    assert result.passed and result.similarity == pytest.approx(97.3) and result.reason is None


def test_a_face_below_the_threshold_is_a_mismatch(stubbed):
    comparer, stubber = stubbed
    stubber.add_response("compare_faces", {"FaceMatches": [face(71.0)], "UnmatchedFaces": []}, EXPECTED)
    result = compare(comparer)
    assert not result.passed and result.reason == "MISMATCH" and result.similarity == pytest.approx(71.0)


def test_someone_else_is_a_mismatch(stubbed):
    comparer, stubber = stubbed
    stubber.add_response("compare_faces", {"FaceMatches": [], "UnmatchedFaces": [face()]}, EXPECTED)
    assert compare(comparer).reason == "MISMATCH"


def test_no_face_in_the_selfie(stubbed):
    comparer, stubber = stubbed
    stubber.add_client_error("compare_faces", "InvalidParameterException", "Request has invalid parameters",
                             expected_params=EXPECTED)
    assert compare(comparer).reason == "NO_FACE"


def test_several_faces_in_the_selfie_are_refused_even_if_one_matches(stubbed):
    comparer, stubber = stubbed
    stubber.add_response("compare_faces", {"FaceMatches": [face(99.0)], "UnmatchedFaces": [face()]}, EXPECTED)
    result = compare(comparer)
    assert not result.passed and result.reason == "SEVERAL_FACES"


def test_throttling_is_a_503_the_user_can_retry(stubbed):
    comparer, stubber = stubbed
    stubber.add_client_error("compare_faces", "ProvisionedThroughputExceededException", "slow down",
                             http_status_code=400, expected_params=EXPECTED)
    with pytest.raises(ServiceUnavailable) as caught:
        compare(comparer)
    assert caught.value.status == 503 and caught.value.code == "FACE_SERVICE_BUSY"


def test_the_threshold_is_configurable(stubbed):
    comparer, stubber = stubbed
    comparer.threshold = 70.0
    stubber.add_response("compare_faces", {"FaceMatches": [face(71.0)], "UnmatchedFaces": []}, EXPECTED)
    assert compare(comparer).passed
