"""Calling the local stack in-process (no sockets) as API Gateway would, and handing out seeded
people and units no other caller has used. Shared by tests/ and bench/."""

from __future__ import annotations

import json

from local.stack import LocalStack


class Api:
    """Calls the API exactly as API Gateway would route it, without sockets."""

    def __init__(self, stack: LocalStack, token: str | None = None):
        self.stack = stack
        self.token = token

    def as_token(self, token: str | None) -> "Api":
        return Api(self.stack, token)

    def request(self, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None):
        all_headers = {"Content-Type": "application/json"}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        all_headers.update(headers or {})
        payload = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode() if body is not None else b"")
        return self.stack.gateway.handle(method, path, all_headers, payload)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)


def decode(response):
    content_type = response.headers.get("Content-Type", "")
    if "json" in content_type and response.body:
        return response.status, response.json()
    return response.status, response.body


class PeoplePool:
    """Hands out seeded units and people no other test has used (the session shares one register)."""

    fresh_units_written = 0
    # People written outside the seed join the shared register (owners() looks them up there) but
    # belong to the pool that wrote them: another pool over the same register must not hand them out
    # again, or its test reads the signing links the first test's sale sent to their phone.
    fresh_people_handed_out: set[str] = set()

    def __init__(self, register: dict):
        self.register = register
        self.used_units: set[str] = set()
        self.used_people: set[str] = set()

    def unit(self, scenario: str, outlet: str | None = None) -> dict:
        candidates = [u for u in self.register["units"] if u["scenario"] == scenario]
        if len(candidates) > 1:
            candidates = candidates[1:]  # the first of each kind stays untouched for read-only tests (unit_of)
        unit = next((u for u in candidates
                     if u["unit_number"] not in self.used_units and outlet in (None, u["outlet"])), None)
        if unit is None and scenario == "single":
            unit = self._fresh_single_unit(next(u for u in candidates if outlet in (None, u["outlet"])))
        if unit is None:
            raise LookupError(f"every seeded {scenario!r} unit is taken: add one to tools/gen_seed.py")
        self.used_units.add(unit["unit_number"])
        self.used_people.update(o["id_number"] for o in unit["right"]["owners"])
        return unit

    def _fresh_single_unit(self, template: dict) -> dict:
        """A single-owner unit outside the seed, written to the register as the seed loader does, once
        the session has used up the seeded ones (suites keep growing; the seed stays small)."""
        import copy

        from estate.store.register import Unit
        from local.seed import register_indexes
        from local.driver.office import fresh_people

        [owner] = fresh_people(1)
        PeoplePool.fresh_people_handed_out.add(owner["id_number"])
        # Counted across pools: a test's own PeoplePool writes fresh units too, and their numbers must not meet.
        PeoplePool.fresh_units_written += 1
        n = PeoplePool.fresh_units_written
        unit = copy.deepcopy(template)
        unit["unit_number"] = f"{template['unit_number'][:12]}GB9{n:04d}F9{n:07d}"
        unit["location"] = f"{template['location']}（测试{n}）"
        unit["right"].update(right_id=f"RT{n:010d}", certificate_number=f"晋(2021)阳泉市不动产权第9{n:06d}号",
                             owners=[{"name": owner["name"], "id_number": owner["id_number"], "owner_type": "person",
                                      "share": None}])
        Unit.from_record(unit).save()
        certificate, holdings = register_indexes(unit)
        for item in (certificate, *holdings):
            item.save()
        self.register["people"].append(owner)
        self.used_people.add(owner["id_number"])
        return unit

    def owners(self, unit: dict) -> list[dict]:
        ids = [o["id_number"] for o in unit["right"]["owners"]]
        return [next(p for p in self.register["people"] if p["id_number"] == i) for i in ids]

    def citizen(self) -> dict:
        person = next((p for p in self.register["people"]
                       if p["role"] == "citizen" and p["id_number"] not in self.used_people
                       and p["id_number"] not in PeoplePool.fresh_people_handed_out), None)
        if person is None:  # the seed's citizens are used up: real-name people outside it
            from local.driver.office import fresh_people

            [person] = fresh_people(1)
            PeoplePool.fresh_people_handed_out.add(person["id_number"])
            self.register["people"].append(person)
        self.used_people.add(person["id_number"])
        return person
