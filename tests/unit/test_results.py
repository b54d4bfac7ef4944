"""Use cases answer values (estate.results); estate.http alone turns them into HTTP responses."""

import json

from estate.http import created, to_response
from estate.results import Content, Created


def test_content_keeps_its_status_type_and_headers():
    response = to_response(Content("<p>好</p>", "text/html; charset=utf-8", 410, {"Cache-Control": "no-store"}))
    assert response.status_code == 410 and response.body == "<p>好</p>"
    assert response.headers == {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}


def test_created_is_a_201_with_its_location_when_it_has_one():
    response = to_response(created({"id": "A1"}, "/applications/A1"))
    assert response.status_code == 201 and response.headers["Location"] == "/applications/A1"
    assert json.loads(response.body) == {"id": "A1"}
    assert "Location" not in to_response(Created({"id": "A1"})).headers


def test_a_dict_is_json_with_chinese_kept_readable():
    response = to_response({"message": "已受理"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    assert response.body == '{"message":"已受理"}'
