"""Book the way the app does (captcha → solve → submit). Shared by functional and e2e tests; the
captcha is read through the local-only reveal route, as a person reads the picture."""

from __future__ import annotations

from local.driver.flows import Citizen

MONDAY = "2026-09-28T09:00:00+08:00"   # next working days: 09-29, 09-30, 10-08, 10-09, 10-10 (Sat, 调休), 10-12, 10-13


class Booker(Citizen):
    def captcha(self) -> tuple[str, str]:
        status, body = self.call("POST", "/captchas", {})
        assert status == 201 and body["image"].startswith("data:image/png;base64,"), body
        status, revealed = self._request("GET", f"/_dev/captchas/{body['captcha_id']}", {}, b"")
        assert status == 200, revealed
        return body["captcha_id"], revealed["answer"]

    def book(self, outlet: str, business: str, day: str, period: str = "am", answer: str | None = None,
             captcha: tuple[str, str] | None = None, **extra):
        captcha_id, right_answer = captcha or self.captcha()
        return self.call("POST", "/bookings", {"outlet": outlet, "business": business, "date": day, "period": period,
                                               "captcha_id": captcha_id,
                                               "captcha_answer": right_answer if answer is None else answer,
                                               "notice_accepted": True, **extra})
