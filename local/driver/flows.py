"""Drive an application the way the app does, step by step. Shared by the tests and the bench."""

from __future__ import annotations

import base64
import io
import json
import uuid
from datetime import date, timedelta

from estate.domain.ids import id_check_char


def image_bytes(kind: str = "JPEG", size: tuple[int, int] = (640, 480), color=(200, 180, 160)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


def selfie_body() -> dict:
    """A photo as the old face check took it (it no longer passes one: tests show it is refused)."""
    return {"image": base64.b64encode(image_bytes("JPEG", (320, 320))).decode()}


def complete_liveness(request, started: dict, outcome: str = "live") -> None:
    """What the person does on the liveness page the app sends them to (the local simulator):
    `request(method, path, headers, body)` as Citizen's; `started` the session the API answered."""
    path = started["url"][started["url"].index("/_dev/liveness/"):].split("?", 1)[0]
    status, body = request("POST", path, {"Content-Type": "application/json"},
                           json.dumps({"outcome": outcome}).encode())
    assert status == 200, body


def signing_face_body(request, token: str, outcome: str = "live") -> bytes:
    """POST /sign/{token}/face's body: a liveness session started from the link and completed."""
    return json.dumps({"session": liveness_session(request, f"/sign/{token}/liveness-sessions",
                                                   outcome=outcome)}).encode()


def liveness_session(request, start_path: str, headers: dict | None = None, outcome: str = "live",
                     body: dict | None = None) -> str:
    """Start a liveness session at start_path, complete it with `outcome`; the session id to finish."""
    status, started = request("POST", start_path, {"Content-Type": "application/json", **(headers or {})},
                              json.dumps(body or {}).encode())
    assert status == 201, started
    complete_liveness(request, started, outcome)
    return started["session"]


def multipart(fields: dict, file_bytes: bytes, content_type: str = "image/jpeg") -> tuple[bytes, str]:
    boundary = "estate" + uuid.uuid4().hex
    parts = []
    for name, value in {**fields, "Content-Type": content_type}.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\n'
                 f"Content-Type: {content_type}\r\n\r\n".encode() + file_bytes + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def new_person_id(seed: int, birth: str = "19900101", sex: str = "M") -> str:
    sequence = (seed % 400) * 2 + (1 if sex == "M" else 0)
    body = f"140302{birth}{sequence:03d}"
    return body + id_check_char(body)


def party(person: dict, marital_status: str | None = None) -> dict:
    return {"name": person["name"], "id_number": person["id_number"], "phone": person["phone"],
            "address": person.get("address") or "阳泉市城区桃北中街1号",
            "marital_status": marital_status or person.get("marital_status") or "single"}


def contract_body(price: str = "520000.00", today: date | None = None) -> dict:
    today = today or date.today()
    return {
        "price": price, "deposit": "20000.00", "payment_method": "lump_sum",
        "payment_schedule": [{"stage": "定金", "amount": "20000.00", "due_date": (today + timedelta(days=1)).isoformat()},
                             {"stage": "尾款", "amount": f"{float(price) - 20000:.2f}",
                              "due_date": (today + timedelta(days=20)).isoformat()}],
        "delivery_date": (today + timedelta(days=30)).isoformat(),
        "registration_deadline": (today + timedelta(days=60)).isoformat(),
        "handover": "交付钥匙2把，水电气表读数结清", "taxes_borne_by": "statutory",
        "dispute_resolution": {"method": "arbitration", "commission": "阳泉仲裁委员会"},
        "house": {"fixtures": "厨房橱柜、热水器", "lease_status": "未出租"},
    }


def family_of(person: dict) -> dict:
    sex = "M" if int(person["id_number"][16]) % 2 else "F"
    return {"members": [{"name": person["name"], "id_number": person["id_number"], "sex": sex, "relation": "self"}]}


def declaration_body(sellers: list[dict], buyers: list[dict]) -> dict:
    return {"buyer_families": [family_of(b) for b in buyers], "seller_families": [family_of(s) for s in sellers],
            "house": {"acquisition_date": "2018-05-20", "seller_family_only_home": False,
                      "buyer_family_homes_before": 0, "pit_method": "deemed"}}


def inquiry_body(sellers: list[dict], buyers: list[dict]) -> dict:
    seller_answers = {"S1": "yes", "S2": "共有人均同意出售", "S3": "已婚，配偶同意", "S4": "无", "S5": "no",
                      "S6": "yes", "S7": "yes"}
    buyer_answers = {"B1": "yes", "B2": "yes", "B3": "已婚，夫妻共同财产", "B4": "yes", "B5": "一致，全款", "B6": "yes"}
    return {"respondents": [{"id_number": s["id_number"], "answers": seller_answers} for s in sellers]
            + [{"id_number": b["id_number"], "answers": buyer_answers} for b in buyers]}


class Citizen:
    """One signed-in person talking to the API through a `request(method, path, body, headers, raw)` callable."""

    def __init__(self, request, token: str):
        self._request = request
        self.token = token

    def call(self, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None):
        all_headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json", **(headers or {})}
        payload = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode() if body is not None else b"")
        return self._request(method, path, all_headers, payload)

    def liveness(self, outcome: str = "live", purpose: str = "apply") -> str:
        """A liveness session started and completed (as `outcome`) through the local simulator."""
        status, started = self.call("POST", "/identity/liveness-sessions", {"purpose": purpose})
        assert status == 201, started
        complete_liveness(self._request, started, outcome)
        return started["session"]

    def face_check_attempt(self, outcome: str = "live", purpose: str = "apply"):
        """(status, body) of the first refusal — starting (locked) or finishing — or of the face check."""
        status, started = self.call("POST", "/identity/liveness-sessions", {"purpose": purpose})
        if status != 201:
            return status, started
        complete_liveness(self._request, started, outcome)
        return self.call("POST", "/identity/face-checks", {"session": started["session"]})

    def face_check(self, purpose: str = "apply") -> str:
        status, body = self.call("POST", "/identity/face-checks", {"session": self.liveness(purpose=purpose)})
        assert status == 201, body
        return body["face_check"]

    def start(self, unit: dict, role: str, business: str = "sale") -> dict:
        status, body = self.call("POST", "/applications", {
            "business": business, "role": role, "outlet": unit["outlet"], "unit": unit["unit_number"],
            "face_check": self.face_check(), "notice_accepted": True})
        assert status == 201, body
        return body

    def upload(self, application_id: str, category: str, data: bytes | None = None, content_type: str = "image/jpeg"):
        status, body = self.call("POST", f"/applications/{application_id}/materials", {"category": category})
        assert status == 201, body
        form, form_type = multipart(body["upload"]["fields"], data or image_bytes(), content_type)
        url = body["upload"]["url"]
        path = url[url.index("/_s3/"):]
        upload_status, upload_body = self._request("POST", path, {"Content-Type": form_type}, form)
        return body["material"]["material_id"], upload_status, upload_body


def signature_png(seed: int = 1) -> bytes:
    """A hand-drawn-looking signature: dark strokes on a transparent canvas, like the page's canvas."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (480, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(20 + i * 22, 80 + ((i * 37 + seed * 11) % 60) - 30) for i in range(20)]
    draw.line(points, fill=(17, 17, 17, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def link_tokens(messages: list[dict], phone: str) -> list[str]:
    """The signing-link tokens sent to one phone, oldest first."""
    import re

    tokens = []
    for message in messages:
        if message["phone"].endswith(phone):
            tokens += re.findall(r"/sign/([A-Za-z0-9_\-]{20,})", message["message"])
    return tokens


def fetch_document(request, token: str, doc: str, timeout_s: float = 30) -> dict:
    """GET a document's URL and facts, refreshing while the workflow is still rendering it."""
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        status, body = request("GET", f"/sign/{token}/documents/{doc}", {}, b"")
        if status == 200:
            return body
        assert status == 409 and body["code"] == "DOCUMENT_NOT_READY" and time.monotonic() < deadline, body
        time.sleep(0.1)


def open_document(request, token: str, doc: str, timeout_s: float = 30) -> dict:
    """Open a document as the page does: fetch it, then report its last page shown (sha256, pages)."""
    body = fetch_document(request, token, doc, timeout_s)
    status, viewed = request("POST", f"/sign/{token}/documents/{doc}/viewed", {"Content-Type": "application/json"},
                             json.dumps({"sha256": body["sha256"], "pages": body["pages"]}).encode())
    assert status == 200 and viewed["viewed"], viewed
    return body


def sign_through_link(request, token: str, seed: int = 1) -> tuple[int, dict]:
    """What a party does on the signing page: face check, open each of their documents, sign."""
    status, session = request("GET", f"/sign/{token}/session", {}, b"")
    assert status == 200, session
    status, body = request("POST", f"/sign/{token}/face", {"Content-Type": "application/json"},
                           signing_face_body(request, token))
    assert status == 200, body
    for doc in session["documents"]:
        open_document(request, token, doc["doc"])
    payload = {"image": "data:image/png;base64," + base64.b64encode(signature_png(seed)).decode()}
    return request("POST", f"/sign/{token}/signature", {"Content-Type": "application/json"},
                   json.dumps(payload).encode())
