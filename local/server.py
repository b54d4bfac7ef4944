"""`make run`: serve the local stack on one HTTP origin until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 12 * 1024 * 1024  # a 10 MB image plus form overhead; API Gateway's own cap is 10 MB
ERROR_CODES = {413: "PAYLOAD_TOO_LARGE", 414: "URI_TOO_LONG", 431: "HEADERS_TOO_LARGE"}
ERROR_MESSAGES = {413: "上传内容过大", 414: "请求地址过长", 431: "请求头过大"}


def header_value(value) -> str:
    """http.server writes headers as ISO-8859-1 and raises (dropping the connection) on anything else.
    A value outside it goes out as its UTF-8 bytes, as S3 and most servers send it."""
    value = str(value)
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8").decode("latin-1")
    return value


def make_handler(get_stack):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "estate-local"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.send_error(413)
                return
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items()}
            response = get_stack().gateway.handle(self.command, self.path, headers, body, self.client_address[0])
            self.send_response(response.status)
            for key, value in response.headers.items():
                if key.lower() not in ("content-length", "connection"):
                    self.send_header(key, header_value(value))
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        def __getattr__(self, name: str):
            # Every method reaches the gateway, which answers what the deployed stage would (403
            # ROUTE_NOT_FOUND for TRACE or an unknown verb) — never http.server's HTML 501.
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

        def send_error(self, code, message=None, explain=None):
            """http.server's own refusals (a malformed request line, a body over the cap) in our error
            shape too, not its HTML page."""
            body = json.dumps({"code": ERROR_CODES.get(code, "BAD_REQUEST"), "message": ERROR_MESSAGES.get(code, "请求格式不正确"),
                               "details": []}, ensure_ascii=False).encode("utf-8")
            self.send_response(code, message)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(body)

        def log_message(self, fmt, *args):  # one short access line, no query strings (they may hold IDs)
            if os.environ.get("ESTATE_ACCESS_LOG"):
                sys.stderr.write(f"{self.command} {self.path.split('?')[0]} {args[1] if len(args) > 1 else ''}\n")

    return Handler


class LocalHttpServer(ThreadingHTTPServer):
    # socketserver's default listen backlog is 5: a burst of concurrent clients (the booking
    # contention test opens 200 at once) would see connection resets that API Gateway never gives.
    request_queue_size = 512
    daemon_threads = True


@contextlib.contextmanager
def serving(stack) -> Iterator[int]:
    """An already started in-process stack behind this HTTP front on a free port, for as long as the
    block runs (tests that also write straight into the stack's store); yields the port."""
    httpd = LocalHttpServer(("127.0.0.1", 0), make_handler(lambda: stack))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


class Server:
    def __init__(self, port: int, host: str = "127.0.0.1"):
        from local.stack import LocalStack

        # Bind first: with port 0 the real port must be known before the functions read their
        # configuration (links in SMS and QR codes carry the base URL).
        self.httpd = LocalHttpServer((host, port), make_handler(lambda: self.stack))
        self.httpd.daemon_threads = True
        self.host, self.port = host, self.httpd.server_address[1]
        self.stack = LocalStack(base_url=f"http://{host}:{self.port}")
        self.thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> "Server":
        self.stack.start()
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="http", daemon=True)
        self.thread.start()
        threading.Thread(target=self._run_sms_outbox, name="sms-outbox", daemon=True).start()
        return self

    def _run_sms_outbox(self) -> None:
        """The SMS queue's event source and the outbox sweeper's schedule, as AWS runs them."""
        last_sweep = 0.0
        while not self._stopping.wait(1) and self.stack.registry is not None:
            try:
                self.stack.deliver_sms()
                if time.monotonic() - last_sweep > 60:
                    self.stack.registry.invoke("OutboxSweepFunction", {})
                    last_sweep = time.monotonic()
            except Exception:  # noqa: BLE001 - keep polling; the handler logged what failed
                pass

    def stop(self) -> None:
        self._stopping.set()
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
        self.stack.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the registration service locally on an embedded AWS.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # `kill -USR1 <pid>`: where every thread is
    started = time.monotonic()
    server = Server(args.port, args.host).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    base = server.stack.base_url
    units = {o["id_number"]: u for u in server.stack.register_data["units"] for o in u["right"]["owners"]
             if u["scenario"] == "single"}
    owners = [p for p in server.stack.register_data["people"] if p["id_number"] in units][:3]
    print(f"estate local stack ready at {base} ({time.monotonic() - started:.1f}s; "
          f"{server.stack.register_counts['units']} units, {server.stack.register_counts['people']} people)", flush=True)
    print(f"  open        {base}/            (tour, links, demo accounts)")
    print(f"  SMS outbox  {base}/_dev/sms")
    print(f"  people      {base}/_dev/people")
    print(f"  citizen app {base}/app/           (on a phone-sized window; choose a demo person)")
    print(f"  clerk desk  {base}/office/        (choose a demo clerk)")
    print(f"  bank desk   {base}/bank/          (choose a demo loan officer)")
    for p in owners:
        unit = units[p["id_number"]]
        print(f"  demo owner  {p['name']}  id_number={p['id_number']}  certificate={unit['right']['certificate_number']}"
              f"  outlet={unit['outlet']}")
    print('  clerk       POST /_dev/login {"role": "clerk", "outlet": "140302"}')
    print('  bank        POST /_dev/login {"role": "bank", "branch": "CCB-YQ-CQ"}', flush=True)
    stop.wait()
    print("stopping…", flush=True)
    server.stop()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
