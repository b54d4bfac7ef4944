"""Face comparison with Rekognition CompareFaces: the live selfie against the person's reference
photo from the real-name platform. The selfie is sent as bytes and never stored.

The reference photo (exactly one face) is the source and the selfie the target, so every face in
the selfie comes back in FaceMatches or UnmatchedFaces: more than one means someone else is in
the frame, which we refuse.
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from estate.adapters.aws import client
from estate.errors import ServiceUnavailable

THROTTLING = {"ThrottlingException", "ProvisionedThroughputExceededException", "ServiceUnavailableException",
              "InternalServerError", "LimitExceededException"}


@dataclass(frozen=True)
class FaceResult:
    passed: bool
    similarity: float | None
    reason: str | None   # None when passed; NO_FACE | SEVERAL_FACES | MISMATCH | BAD_IMAGE


class FaceComparer:
    def __init__(self, rekognition=None, threshold: float = 90.0):
        self._rekognition = rekognition
        self.threshold = threshold

    @property
    def rekognition(self):
        if self._rekognition is None:
            self._rekognition = client("rekognition")
        return self._rekognition

    def compare(self, selfie: bytes, reference_bucket: str, reference_key: str) -> FaceResult:
        try:
            response = self.rekognition.compare_faces(
                SourceImage={"S3Object": {"Bucket": reference_bucket, "Name": reference_key}},
                TargetImage={"Bytes": selfie},
                SimilarityThreshold=0.0,  # we want the score, and decide with our own threshold
                QualityFilter="AUTO",
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in THROTTLING:
                raise ServiceUnavailable("人脸识别服务繁忙，请稍后再试", code="FACE_SERVICE_BUSY") from None
            if code == "InvalidParameterException":   # Rekognition's answer when it finds no face
                return FaceResult(False, None, "NO_FACE")
            if code in ("InvalidImageFormatException", "ImageTooLargeException"):
                return FaceResult(False, None, "BAD_IMAGE")
            raise
        matches = response.get("FaceMatches", [])
        faces_in_selfie = len(matches) + len(response.get("UnmatchedFaces", []))
        if faces_in_selfie == 0:
            return FaceResult(False, None, "NO_FACE")
        if faces_in_selfie > 1:
            return FaceResult(False, None, "SEVERAL_FACES")
        similarity = float(matches[0]["Similarity"]) if matches else 0.0
        if similarity < self.threshold:
            return FaceResult(False, similarity, "MISMATCH")
        return FaceResult(True, similarity, None)
