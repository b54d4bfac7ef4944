"""Back-office test helpers: a submitted application written straight into the store (fast; the
full citizen flow is exercised once in test_office.py), its tax case, and paying it."""

from __future__ import annotations

from local.driver.flows import party
from local.driver.signing import prepare_sale, tokens_for, wait_until

CASE_B = {"transaction_date": "2023-03-01", "price": "600000.00", "area_m2": "88.00", "seller_years_held": 1,
          "buyer_family_homes_before": 0}


_fresh = {"next": 0}


def fresh_people(count: int = 1) -> list[dict]:
    """Real-name people outside the seed (the session's pool of seeded citizens is small): valid ID
    numbers, mobiles and a reference photo (the local face comparison does not look at pixels)."""
    from estate.store.people import Person, get_person
    from local.seed import load_register_data
    from local.driver.flows import new_person_id

    template = get_person(next(p["id_number"] for p in load_register_data()["people"] if p["role"] == "citizen"))
    people = []
    for _ in range(count):
        index = _fresh["next"] = _fresh["next"] + 1
        id_number = new_person_id(index, birth="19770707")
        person = {"name": "测试" + "甲乙丙丁戊己庚辛壬癸"[index % 10] + "子丑寅卯辰巳午未申酉"[index // 10 % 10],
                  "id_number": id_number, "phone": f"1360{index:07d}", "role": "citizen",
                  "address": "阳泉市城区测试路2号"}
        Person(id_number, name=person["name"], phone=person["phone"], address=person["address"],
               photo_key=template.photo_key).save()
        people.append(person)
    return people


def write_submitted_application(pool, scenario: str = "single", buyers: int = 1, holding: dict | None = None,
                                business: str = "sale", status: str = "SUBMITTED") -> dict:
    """An application as the apply function leaves it after submit: parties, the unit locked."""
    from pynamodb.transactions import TransactWrite

    from estate import clock
    from estate.store.applications import Application, Membership, event_item, new_application_id
    from estate.store.base import transaction_connection
    from estate.store.register import InFlightAttribute, Unit, get_unit

    unit_record = pool.unit(scenario)
    sellers, buyer_people = pool.owners(unit_record), fresh_people(buyers)
    holding = holding or ({"mode": "single", "separate_certificates": False, "holders": [buyer_people[0]["name"]]}
                          if buyers == 1 else {"mode": "joint", "separate_certificates": False,
                                               "holders": [buyer_people[0]["name"]]})
    now = clock.now()
    app_id = new_application_id(now)
    parties = {"sellers": [party(s, "married") for s in sellers], "buyers": [party(b, "married") for b in buyer_people],
               "holding": holding}
    unit = get_unit(unit_record["unit_number"])
    application = Application(
        *Application.key(app_id), application_id=app_id, business=business, outlet=unit.outlet,
        unit_number=unit.unit_number, status=status, initiator_id=sellers[0]["id_number"], initiator_role="seller",
        party_ids=[p["id_number"] for p in sellers + buyer_people],
        unit={"unit_number": unit.unit_number, "location": unit.location, "area_m2": unit.building_area,
              "owners": [{"name": o.name, "id_number": o.id_number, "share": o.share} for o in unit.right.owners]},
        parties=parties, contract={"price": "600000.00"},
        created_at=now.isoformat(), updated_at=now.isoformat())
    application.place_in_queue(now.isoformat())  # as the store's writer does for every status change
    with TransactWrite(connection=transaction_connection()) as tx:
        tx.update(unit, actions=[Unit.in_flight.set(InFlightAttribute(case_id=app_id, business=business,
                                                                       since=now.isoformat()))],
                  condition=Unit.in_flight.does_not_exist())
        tx.save(application)
        for person in sellers + buyer_people:
            tx.save(Membership(*Membership.key(person["id_number"], app_id), application_id=app_id,
                               role="seller" if person in sellers else "buyer", created_at=now.isoformat()))
        tx.save(event_item(app_id, now, "submitted", "seller", "SIGNED", status))
    return {"id": app_id, "unit": unit_record, "sellers": sellers, "buyers": buyer_people, "outlet": unit.outlet}


def assess_taxes(api, case: dict) -> dict:
    response = api.as_token(None).post("/_dev/tax-cases", {
        "application_id": case["id"], "buyer_ids": [b["id_number"] for b in case["buyers"]],
        "seller_ids": [s["id_number"] for s in case["sellers"]], "case": CASE_B})
    assert response.status == 201, response.text
    return response.json()


def mark_taxes_paid(application_id: str) -> None:
    """As if every item had been paid (the payment flow itself is tested in test_tax_payments.py)."""
    from estate import clock
    from estate.store.taxes import PAID, UNPAID, PayableItem, get_case

    _, items = get_case(application_id)
    for item in items:
        if item.status == UNPAID:
            item.update(actions=[PayableItem.status.set(PAID), PayableItem.paid_at.set(clock.now().isoformat())])


def signed_submitted_sale(stack, pool, as_citizen, buyers: int = 2) -> dict:
    """The citizens' real path: filled, signed by every party through their SMS links, extracted, submitted."""
    from local.driver.api import decode
    from local.driver.flows import sign_through_link

    request = lambda method, path, headers, body: decode(stack.gateway.handle(method, path, headers, body))  # noqa: E731
    sale = prepare_sale(pool, as_citizen, scenario="joint" if buyers == 2 else "single", buyers=buyers)
    for index, person in enumerate(sale["people"]):
        status, body = sign_through_link(request, tokens_for(stack, person)[0], seed=index)
        assert status == 200, body
    initiator, app_id = sale["initiator"], sale["id"]
    wait_until(lambda: initiator.call("GET", f"/applications/{app_id}/signing")[1].get("packet_ready"))
    status, body = initiator.call("POST", f"/applications/{app_id}/signing/extract")
    assert status == 200, body
    status, body = initiator.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 200 and body["status"] == "SUBMITTED", body
    return sale


def write_queue_cases(outlet: str, count: int, *, status: str = "SUBMITTED", business: str = "sale",
                      since=None, step_s: int = 60) -> list[str]:
    """`count` cases the office sees at `outlet`, written in one batch (the queue's tests and bench):
    the i-th entered `status` at since + i*step_s (an accepted one was accepted then). No unit is
    locked and nobody is told: only the queue reads them. Their ids, in that order."""
    from datetime import timedelta

    from estate import clock
    from estate.store.applications import Application, new_application_id

    start = since or clock.now() - timedelta(seconds=step_s * count)
    ids = []
    with Application.batch_write() as batch:
        for index in range(count):
            at = start + timedelta(seconds=step_s * index)
            app_id = new_application_id(at)
            local_day = at.astimezone(clock.SHANGHAI).date().isoformat()
            application = Application(
                *Application.key(app_id), application_id=app_id, business=business, outlet=outlet,
                unit_number=f"140302{index:022d}", status=status, initiator_id="140302197707070000",
                initiator_role="seller", unit={"location": f"阳泉市城区测试路{index}号"},
                parties={"sellers": [{"name": "卖方甲"}], "buyers": [{"name": "买方乙"}]},
                office={"accepted_at": at.isoformat(), "accepted_on": local_day} if status in ("ACCEPTED", "TAX_PAID") else None,
                created_at=at.isoformat(), updated_at=at.isoformat())
            application.place_in_queue(at.isoformat())
            batch.save(application)
            ids.append(app_id)
    return ids
