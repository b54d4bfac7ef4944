"""Content publishing by editors (issue 7): publish, edit, withdraw policies, guides and FAQ; the
public sees the current version; every version is kept."""

from __future__ import annotations

import uuid

from estate.office import models
from tests.support.contract import assert_answers


def editor(api, stack):
    return api.as_token(stack.issuer.clerk_token("140302", "编辑", "editor"))


def test_an_editor_publishes_edits_and_withdraws_a_faq_and_every_version_is_kept(api, stack):
    office, public = editor(api, stack), api.as_token(None)
    faq_id = f"faq-{uuid.uuid4().hex[:8]}"
    body = {"id": faq_id, "data": {"category": "查询", "question": "网上查询要多久？", "answer": "即时出具。"}}
    created = office.post("/office/content/faq", body)
    assert created.status == 201 and assert_answers(models.ContentItemView, created.json()).version == 1, created.text
    assert office.post("/office/content/faq", body).json()["code"] == "CONTENT_EXISTS"
    assert faq_id in [f["id"] for f in public.get("/info/faqs").json()["faqs"]]

    edited = office.request("PUT", f"/office/content/faq/{faq_id}", {
        "version": 1, "data": {**body["data"], "answer": "即时出具，可在线核验。"}})
    assert edited.status == 200 and assert_answers(models.ContentItemView, edited.json()).version == 2, edited.text
    stale = office.request("PUT", f"/office/content/faq/{faq_id}", {"version": 1, "data": body["data"]})
    assert stale.status == 409 and stale.json()["code"] == "CONTENT_CHANGED"
    [faq] = [f for f in public.get("/info/faqs").json()["faqs"] if f["id"] == faq_id]
    assert faq["answer"] == "即时出具，可在线核验。"

    withdrawn = office.post(f"/office/content/faq/{faq_id}/withdraw")
    assert withdrawn.status == 200 and assert_answers(models.ContentItemView, withdrawn.json()).status == "withdrawn"
    assert faq_id not in [f["id"] for f in public.get("/info/faqs").json()["faqs"]]
    assert office.post(f"/office/content/faq/{faq_id}/withdraw").status == 409
    history = office.get(f"/office/content/faq/{faq_id}/versions").json()
    assert_answers(models.ContentHistory, history)
    versions = history["versions"]
    assert [(v["version"], v["status"]) for v in versions] == [(1, "published"), (2, "published"), (3, "withdrawn")]
    assert versions[0]["data"]["answer"] == "即时出具。"


def test_editing_a_seeded_policy_keeps_the_seeded_text_as_version_one(api, stack):
    office, public = editor(api, stack), api.as_token(None)
    policy = public.get("/info/policies").json()["policies"][-1]
    full = public.get(f"/info/policies/{policy['id']}").json()
    edited = office.request("PUT", f"/office/content/policy/{policy['id']}",
                            {"data": {**full, "summary": "（已更新）" + (full.get("summary") or "")}})
    assert edited.status == 200 and edited.json()["version"] == 2, edited.text
    versions = office.get(f"/office/content/policy/{policy['id']}/versions").json()["versions"]
    assert versions[0]["version"] == 1 and versions[0]["data"]["summary"] == full.get("summary")
    assert public.get(f"/info/policies/{policy['id']}").json()["summary"].startswith("（已更新）")


def test_only_editors_publish_and_bad_content_is_400(api, stack):
    plain_clerk = api.as_token(stack.issuer.clerk_token("140303", "窗口"))
    body = {"id": "guide-x", "data": {"title": "x", "business": "sale"}}
    assert plain_clerk.post("/office/content/guide", body).json()["code"] == "EDITOR_ONLY"
    office = editor(api, stack)
    assert office.post("/office/content/news", body).status == 404
    bad = office.post("/office/content/policy", {"id": "Bad Id!", "data": {}})
    assert bad.status == 400 and [(d["field"], d["code"]) for d in bad.json()["details"]] == [("id", "INVALID_ID")]
    bad = office.post("/office/content/policy", {"id": "policy-new-x", "data": "正文"})
    assert bad.status == 400 and [(d["field"], d["code"]) for d in bad.json()["details"]] == [("data", "NOT_OBJECT")]
    bad = office.request("PUT", "/office/content/faq/any", {"version": "1", "data": {}})
    assert bad.status == 400 and bad.json()["details"][0] == {"field": "version", "code": "NOT_A_NUMBER",
                                                              "message": "版本应为整数"}
    bad = office.post("/office/content/faq/any/withdraw", {"version": 0})
    assert bad.status == 400 and bad.json()["details"][0]["code"] == "OUT_OF_RANGE"
    bad = office.post("/office/content/policy", {"id": "policy-new-x", "data": {"title": "只有标题"}})
    assert bad.status == 400 and {d["field"] for d in bad.json()["details"]} == {"data.issuer", "data.body"}
    assert {d["message"] for d in bad.json()["details"]} == {"政策文件须填写发文机关", "政策文件须填写正文"}  # no field code
    assert office.request("PUT", "/office/content/faq/nope-404", {"data": {"category": "a", "question": "b",
                                                                          "answer": "c"}}).status == 404
