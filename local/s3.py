"""Local stand-in for S3's public endpoints: browser/phone uploads by presigned POST and
downloads by presigned GET, served on the local origin under /_s3/.

Real S3 enforces a POST policy's conditions and a presigned URL's expiry; moto does not, so
this endpoint does (content-length-range, Content-Type prefix, expiry) before storing the object
in moto. It then delivers the bucket's ObjectCreated notification to the function the template
subscribes, asynchronously, as S3 would.
"""

from __future__ import annotations

import base64
import json
import threading
from datetime import datetime, timezone
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import unquote

from local.gateway import HttpResponse, json_response

PREFIX = "/_s3/"


def _s3_error(status: int, code: str, message: str) -> HttpResponse:
    body = f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return HttpResponse(status, {"Content-Type": "application/xml"}, body.encode())


def parse_form(content_type: str, body: bytes) -> dict[str, bytes | str]:
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, bytes | str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name is None:
            continue
        payload = part.get_payload(decode=True) or b""
        fields[name] = payload if name == "file" else payload.decode("utf-8")
        if name == "file":
            fields["__file_content_type"] = part.get_content_type()
    return fields


class LocalS3Endpoint:
    def __init__(self, template, resolver, registry):
        self.registry = registry
        self.subscriptions: list[tuple[str, str, str]] = []  # (bucket, key prefix, function)
        for logical_id, res in template.of_type("AWS::Serverless::Function").items():
            for event in (res["Properties"].get("Events") or {}).values():
                if event["Type"] != "S3":
                    continue
                props = event["Properties"]
                rules = (((props.get("Filter") or {}).get("S3Key") or {}).get("Rules") or [])
                prefix = next((r["Value"] for r in rules if r["Name"] == "prefix"), "")
                self.subscriptions.append((resolver.ref(props["Bucket"]["Ref"]), prefix, logical_id))

    def __call__(self, method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
        if not path.startswith(PREFIX):
            return None
        bucket, _, key = path[len(PREFIX):].partition("/")
        if method == "POST" and not key:
            return self.post_object(bucket, headers, body)
        if method in ("GET", "HEAD") and key:
            try:
                return self.get_object(bucket, unquote(key), query)
            except (ValueError, TypeError):  # a malformed X-Amz-Date or X-Amz-Expires: S3 answers 400
                return _s3_error(400, "AuthorizationQueryParametersError", "Invalid date or expiry")
        return _s3_error(405, "MethodNotAllowed", "unsupported")

    def post_object(self, bucket: str, headers: dict, body: bytes) -> HttpResponse:
        import boto3

        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        if not content_type.startswith("multipart/form-data"):
            return _s3_error(400, "InvalidRequest", "multipart/form-data expected")
        fields = parse_form(content_type, body)
        if "file" not in fields or "key" not in fields or "policy" not in fields:
            return _s3_error(400, "InvalidArgument", "key, policy and file are required")
        policy = json.loads(base64.b64decode(fields["policy"]))
        expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
        if expiration < datetime.now(timezone.utc):
            return _s3_error(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
        data: bytes = fields["file"]  # type: ignore[assignment]
        object_type = str(fields.get("Content-Type") or fields.get("__file_content_type") or "")
        for condition in policy.get("conditions", []):
            if isinstance(condition, list) and condition[0] == "content-length-range":
                if not condition[1] <= len(data) <= condition[2]:
                    return _s3_error(400, "EntityTooLarge" if len(data) > condition[2] else "EntityTooSmall",
                                     "Your proposed upload exceeds the maximum allowed size")
            if isinstance(condition, list) and condition[0] == "starts-with" and condition[1] == "$Content-Type":
                if not object_type.startswith(condition[2]):
                    return _s3_error(403, "AccessDenied", "Invalid according to Policy: Content-Type")
            if isinstance(condition, dict) and condition.get("key") not in (None, fields["key"]):
                return _s3_error(403, "AccessDenied", "Invalid according to Policy: key")
        key = str(fields["key"])
        boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=data, ContentType=object_type)
        self._notify(bucket, key, len(data))
        return HttpResponse(204, {"Location": f"{PREFIX}{bucket}/{key}"})

    def get_object(self, bucket: str, key: str, query: dict) -> HttpResponse:
        import boto3
        from botocore.exceptions import ClientError

        signed_at, expires = query.get("X-Amz-Date"), query.get("X-Amz-Expires")
        if signed_at and expires:
            signed = datetime.strptime(signed_at, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            if (datetime.now(timezone.utc) - signed).total_seconds() > int(expires):
                return _s3_error(403, "AccessDenied", "Request has expired")
        elif "Expires" in query and "Signature" in query:  # SigV2 style
            if int(query["Expires"]) < datetime.now(timezone.utc).timestamp():
                return _s3_error(403, "AccessDenied", "Request has expired")
        else:
            return _s3_error(403, "AccessDenied", "Access Denied")
        try:
            obj = boto3.client("s3").get_object(Bucket=bucket, Key=key)
        except ClientError:
            return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
        headers = {"Content-Type": obj.get("ContentType") or "application/octet-stream"}
        if query.get("response-content-disposition"):
            headers["Content-Disposition"] = query["response-content-disposition"]
        return HttpResponse(200, headers, obj["Body"].read())

    def _notify(self, bucket: str, key: str, size: int) -> None:
        event = {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Post",
                              "s3": {"bucket": {"name": bucket}, "object": {"key": key, "size": size}}}]}
        for sub_bucket, prefix, function in self.subscriptions:
            if sub_bucket == bucket and key.startswith(prefix):
                threading.Thread(target=self._deliver, args=(function, event), daemon=True).start()

    def _deliver(self, function: str, event: dict) -> None:
        from local.functions import FunctionError

        try:
            self.registry.invoke(function, event)
        except FunctionError:
            pass  # S3 would retry; the API's GET re-checks pending materials anyway


def status_json(status: int, body: dict) -> HttpResponse:
    return json_response(status, body)
