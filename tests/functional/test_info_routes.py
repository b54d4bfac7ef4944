"""The public reference routes, through the gateway exactly as API Gateway routes them."""

import pytest


def test_outlets_are_the_five_yangquan_county_level_centres(api):
    response = api.get("/outlets")
    assert response.status == 200
    outlets = response.json()["outlets"]
    assert [o["code"] for o in outlets] == ["140302", "140303", "140311", "140321", "140322"]
    assert all(o["name"] and o["address"] and o["phone"] for o in outlets)


def test_one_outlet_and_an_unknown_one(api):
    assert api.get("/outlets/140321").json()["code"] == "140321"
    response = api.get("/outlets/999999")
    assert response.status == 404
    assert response.json()["code"] == "OUTLET_NOT_FOUND"


def test_business_types_cover_the_online_services(api):
    codes = {b["code"]: b for b in api.get("/business-types").json()["business_types"]}
    assert {"sale", "loan-sale", "query"} <= set(codes)
    assert codes["sale"]["online"] and codes["sale"]["bookable"]


def test_materials_checklist_flags_required_items(api):
    items = {i["code"]: i for i in api.get("/info/materials?business=sale").json()["items"]}
    assert items["original_certificate"]["required"] is True
    assert items["marriage_certificate"]["required"] is False and items["marriage_certificate"]["conditional"] is True


def test_married_sellers_need_the_marriage_certificate(api):
    response = api.get("/info/materials?business=sale&seller_marital_status=married&buyer_marital_status=single")
    items = {i["code"]: i for i in response.json()["items"]}
    assert items["marriage_certificate"]["required"] is True


def test_loan_sale_needs_the_loan_contract(api):
    items = {i["code"]: i for i in api.get("/info/materials?business=loan-sale").json()["items"]}
    assert items["loan_contract"]["required"] is True


@pytest.mark.parametrize("query, status, code", [
    ("", 400, "VALIDATION_FAILED"),
    ("?business=spaceship", 404, "BUSINESS_NOT_FOUND"),
    ("?business=sale&seller_marital_status=complicated", 400, "VALIDATION_FAILED"),
])
def test_materials_bad_input(api, query, status, code):
    response = api.get("/info/materials" + query)
    assert response.status == status
    body = response.json()
    assert body["code"] == code and body["message"]


def test_policies_list_and_detail(api):
    policies = api.get("/info/policies").json()["policies"]
    assert len(policies) >= 6
    assert "body" not in policies[0]  # the list is a summary
    detail = api.get(f"/info/policies/{policies[0]['id']}").json()
    assert detail["title"] == policies[0]["title"] and detail["body"]
    assert api.get("/info/policies/no-such-policy").status == 404


def test_guides_cover_sale_loan_sale_query_and_booking(api):
    guides = api.get("/info/guides").json()["guides"]
    assert {"sale", "loan-sale", "query", "booking"} <= {g["business"] for g in guides}
    sale = next(g for g in guides if g["business"] == "sale")
    detail = api.get(f"/info/guides/{sale['id']}").json()
    for key in ("hours", "phone", "notice", "process", "materials", "fees"):
        assert detail[key], key
    assert [g["business"] for g in api.get("/info/guides?business=query").json()["guides"]] == ["query"]


def test_faqs_and_category_filter(api):
    faqs = api.get("/info/faqs").json()["faqs"]
    assert len(faqs) >= 15
    category = faqs[0]["category"]
    filtered = api.get(f"/info/faqs?category={category}").json()["faqs"]
    assert filtered and all(f["category"] == category for f in filtered)


def test_every_reference_answer_fits_its_declared_model(api):
    from estate.info import models

    from tests.support.contract import assert_answers

    policy = api.get("/info/policies").json()["policies"][0]["id"]
    guide = api.get("/info/guides").json()["guides"][0]["id"]
    for path, model in [("/outlets", models.OutletList), ("/outlets/140302", models.Outlet),
                        ("/business-types", models.BusinessTypeList),
                        ("/info/materials?business=loan-sale&seller_marital_status=married", models.MaterialsChecklist),
                        ("/info/policies", models.PolicyList), (f"/info/policies/{policy}", models.Policy),
                        ("/info/guides", models.GuideList), ("/info/guides?business=sale", models.GuideList),
                        (f"/info/guides/{guide}", models.Guide), ("/info/faqs", models.FaqList)]:
        response = api.get(path)
        assert response.status == 200, path
        assert_answers(model, response.json())
