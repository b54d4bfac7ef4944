"""Face checks lock after FACE_FAILURES_PER_DAY (5) failures a Beijing day per person, for applying
and for the personal property query as for signing links: the 6th attempt is refused even for a
live person, and the next Beijing day it works again. Mismatches come from botocore's Stubber (moto
always answers a 100 % match)."""

from __future__ import annotations

from datetime import datetime, timedelta

import boto3
import pytest
from botocore.stub import Stubber

from tests.functional.test_property_query import citizen, query_body

BOX = {"Width": 0.5, "Height": 0.5, "Left": 0.2, "Top": 0.2}
MISMATCH = {"FaceMatches": [], "UnmatchedFaces": [{"BoundingBox": BOX, "Confidence": 99.0}]}
MATCH = {"FaceMatches": [{"Similarity": 99.0, "Face": {"BoundingBox": BOX, "Confidence": 99.0}}], "UnmatchedFaces": []}


@pytest.fixture
def faces(monkeypatch):
    """Five mismatches, then one match: whatever calls the face service past the lock would eat the match."""
    from estate.adapters.faces import FaceComparer
    from estate.services import face_checks as identity

    client = boto3.client("rekognition", region_name="us-east-1")
    stubber = Stubber(client)
    for _ in range(5):
        stubber.add_response("compare_faces", MISMATCH)
    stubber.add_response("compare_faces", MATCH)
    stubber.activate()
    monkeypatch.setattr(identity, "face_comparer", lambda: FaceComparer(client, threshold=90))
    yield stubber
    stubber.assert_no_pending_responses()


@pytest.fixture
def beijing_evening():
    """23:30 in Beijing (15:30 UTC), so 'tomorrow' is 31 minutes away and never the same day by chance."""
    from estate import clock

    real = clock.now()
    clock.set_now(real.replace(hour=15, minute=30, second=0, microsecond=0))
    yield clock
    clock.set_now(None)


def fail_five_times(person) -> None:
    for _ in range(5):
        status, body = person.face_check_attempt()
        assert status == 400 and body["code"] == "FACE_MISMATCH", body


def test_applying_five_failures_lock_the_sixth_attempt_until_the_next_beijing_day(pool, as_citizen, faces,
                                                                                  beijing_evening):
    person = as_citizen(pool.citizen())
    fail_five_times(person)
    status, body = person.face_check_attempt()  # a live session, still refused
    assert status == 429 and body["code"] == "FACE_LOCKED" and "明日" in body["message"]
    unlocks_at = datetime.fromisoformat(body["unlocks_at"])
    assert (unlocks_at.hour, unlocks_at.minute, unlocks_at.utcoffset()) == (0, 0, timedelta(hours=8))
    assert unlocks_at - beijing_evening.now() == timedelta(minutes=30)
    beijing_evening.set_now(beijing_evening.now() + timedelta(minutes=31))  # 00:01 in Beijing
    status, body = person.face_check_attempt()
    assert status == 201 and body["face_check"].startswith("fc_"), body


def test_the_lock_is_per_person(pool, as_citizen, faces, beijing_evening):
    fail_five_times(as_citizen(pool.citizen()))
    status, body = as_citizen(pool.citizen()).face_check_attempt()
    assert status == 201, body


def test_the_property_query_cannot_get_a_face_check_once_locked_and_can_the_next_day(stack, pool, faces,
                                                                                    beijing_evening):
    from local.driver.office import fresh_people

    person = citizen(stack, fresh_people()[0])
    fail_five_times(person)
    status, body = person.face_check_attempt()
    assert status == 429 and body["code"] == "FACE_LOCKED"
    beijing_evening.set_now(beijing_evening.now() + timedelta(hours=1))
    status, body = person.call("POST", "/queries", query_body(person))
    assert status == 201 and body["result"] == "无登记记录", body
