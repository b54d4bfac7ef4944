"""A stand-in for Alibaba Cloud SMS (dysmsapi.aliyuncs.com) at the HTTP layer: a local server that
checks each request's RPC signature with the AccessKey secret it knows and answers in the
documented response formats (https://help.aliyun.com/zh/sms/developer-reference/api-dysmsapi-2017-05-25-sendsms,
…-querysenddetails, and the gateway's SignatureDoesNotMatch error body).

`answers` is a queue of scripted replies: a dict (JSON body, HTTP 200 unless "_status" is given),
("sleep", seconds) to answer too late, or ("raw", status, bytes). Without a script: OK for SendSms.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from estate.adapters.aliyun import rpc_signature

ACCESS_KEY_ID, ACCESS_KEY_SECRET = "LTAI5tTestKeyId", "testSecretOfTheFake"


def sent_ok(biz_id: str = "900619746936498440^0") -> dict:
    return {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}


def error(code: str, message: str, status: int = 200) -> dict:
    return {"Code": code, "Message": message, "RequestId": "A2C7E0E4-2F6C-4B4A-9C1D-3C7A1F2B9E11", "_status": status}


def details(send_status: int, err_code: str = "DELIVERED", receive_date: str = "2026-12-03 14:05:09") -> dict:
    return {"Code": "OK", "Message": "OK", "RequestId": "819BE656-D2E0-4858-8B21-B2E477085AAF", "TotalCount": 1,
            "SmsSendDetailDTOs": {"SmsSendDetailDTO": [{
                "ErrCode": err_code, "TemplateCode": "SMS_460001", "OutId": "", "ReceiveDate": receive_date,
                "SendDate": "2026-12-03 14:05:07", "PhoneNum": "13912345678", "Content": "【阳泉不动产登记】…",
                "SendStatus": send_status}]}}


class FakeDysmsapi:
    def __init__(self):
        self.answers: list = []
        self.requests: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
                fake.requests.append(form)
                unsigned = {k: v for k, v in form.items() if k != "Signature"}
                if form.get("AccessKeyId") != ACCESS_KEY_ID or \
                        form.get("Signature") != rpc_signature("POST", unsigned, ACCESS_KEY_SECRET):
                    return self._json(400, {"Code": "SignatureDoesNotMatch", "RequestId": "0C5A5E1B-…",
                                            "Message": "Specified signature is not matched with our calculation.",
                                            "HostId": "dysmsapi.aliyuncs.com"})
                answer = fake.answers.pop(0) if fake.answers else sent_ok()
                if isinstance(answer, tuple) and answer[0] == "sleep":
                    time.sleep(answer[1])
                    answer = sent_ok()
                if isinstance(answer, tuple) and answer[0] == "raw":
                    self.send_response(answer[1])
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    self.wfile.write(answer[2])
                    return None
                answer = dict(answer)
                return self._json(answer.pop("_status", 200), answer)

            def _json(self, status: int, body: dict):
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (the timeout tests)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def account_secret(**overrides) -> dict:
    return {"access_key_id": ACCESS_KEY_ID, "access_key_secret": ACCESS_KEY_SECRET, "sign_name": "阳泉不动产登记",
            "template_codes": {"booking_cancelled": "SMS_460001", "booking_confirmed": "SMS_460002"}, **overrides}
