"""The whole system in one process: embedded AWS, the template's resources, the handlers, seed data."""

from __future__ import annotations

import gc
import json
import sys
from datetime import datetime, timezone

from local.aws import (ACCOUNT, MOTO_CONFIG, REGION, Resolver, base_environment, make_face_comparison_consistent,
                       back_up_only_touched_items, encode_dynamodb_data_responses_directly, provision,
                       serialize_dynamodb, set_environment)
from local.dev import DevPortal
from local.functions import FunctionRegistry, ensure_core_on_path, route_lambda_invocations
from local.gateway import Gateway
from local.identity import LocalIssuer
from local.liveness import simulated_liveness_page
from local.oidc import STAFF_CLIENT_SECRET, DevIdentityProviders
from local.payments import PaymentSimulators, create_tax_case_route
from local.s3 import LocalS3Endpoint
from local.template import load_template
from local.webapp import serve_app, serve_bank, serve_desk


class LocalStack:
    """Construct before anything imports `estate`: the constructor sets the environment the
    functions read once (table names, issuer, JWKS), exactly as Lambda would before a cold start."""

    def __init__(self, base_url: str = "http://127.0.0.1:8000"):
        self.template = load_template()
        self.resolver = Resolver(self.template)
        self.issuer = LocalIssuer()
        self.base_url = base_url
        self.payments = PaymentSimulators(base_url)
        self.environment = {**base_environment(), **self.resolver.function_environment(),
                            "JWKS_JSON": json.dumps(self.issuer.jwks()), "PUBLIC_BASE_URL": base_url,
                            "S3_PUBLIC_ENDPOINT": f"{base_url}/_s3",
                            "PAYMENT_KEYS_JSON": json.dumps(self.payments.service_keys()),
                            # Sign-in goes through the dev identity providers (local/oidc.py) on this origin.
                            "STAFF_IDP_ISSUER": f"{base_url}/_dev/oidc/staff",
                            "CITIZEN_IDP_ISSUER": f"{base_url}/_dev/oidc/citizen",
                            "IDP_SECRETS_JSON": json.dumps({"staff": STAFF_CLIENT_SECRET, "citizen": ""}),
                            # Liveness through the local simulated page (local/liveness.py), not Rekognition.
                            "FACE_PROVIDER": "simulated"}
        set_environment(self.environment)
        ensure_core_on_path()
        self._mock = None
        self.gateway: Gateway | None = None
        self.registry: FunctionRegistry | None = None
        self.register_data: dict = {}

    def start(self) -> "LocalStack":
        from moto import mock_aws

        self._check_environment_not_stale()
        self._mock = mock_aws(config=MOTO_CONFIG)
        self._mock.start()
        make_face_comparison_consistent()
        serialize_dynamodb()
        encode_dynamodb_data_responses_directly()
        back_up_only_touched_items()
        provision(self.template, self.resolver)
        self.registry = FunctionRegistry(self.template)
        route_lambda_invocations(self.registry)
        self.registry.load_all()
        from local.seed import load_register_data, seed_content, seed_register

        now = datetime.now(timezone.utc).isoformat()
        self.content_count = seed_content(now)
        self.register_counts = seed_register(self.resolver.ref("DocumentsBucket"))
        self.register_data = load_register_data()
        # moto's backends, the seed and every service model live as long as the process: moved out of
        # the collector's reach, they stop making each collection scan ~0.5 M objects (a Lambda's heap
        # is a quarter of that) — a warm PDF render went from ~195 ms to ~130 ms in this process.
        gc.freeze()
        portal = DevPortal(self.issuer, self.register_data, lambda: self.base_url, self.sms_outbox,
                           invoke=self.registry.invoke)
        s3_endpoint = LocalS3Endpoint(self.template, self.resolver, self.registry)
        identity_providers = DevIdentityProviders(self.register_data, lambda: self.base_url,
                                                  self.environment["STAFF_IDP_CLIENT_ID"],
                                                  self.environment["CITIZEN_IDP_CLIENT_ID"])
        self.gateway = Gateway(self.template, self.registry,
                               local_routes=first_answer(portal, identity_providers, s3_endpoint, self.payments,
                                                         create_tax_case_route, simulated_liveness_page, serve_app,
                                                         serve_desk, serve_bank))
        self.payments.gateway = self.gateway
        return self

    def stop(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None

    def _check_environment_not_stale(self) -> None:
        store = sys.modules.get("estate.store.register")
        if store is not None and store.RegisterItem.Meta.table_name != self.environment["REGISTER_TABLE"]:
            raise RuntimeError("estate was imported before the local environment was set; build LocalStack first")
        config = sys.modules.get("estate.config")
        if config is not None:
            config.get_settings.cache_clear()
        auth = sys.modules.get("estate.auth")
        if auth is not None:
            auth.default_verifier.cache_clear()
        for name, cached in (("estate.adapters.tokens", "default_signer"), ("estate.signin.service", "door"),
                             ("estate.signin.service", "_client_secrets")):
            module = sys.modules.get(name)
            if module is not None:
                getattr(module, cached).cache_clear()

    def deliver_sms(self) -> int:
        """What Lambda's SQS event source does in AWS: hand the outbox queue's messages to the sender
        (SmsSenderFunction) until the queue has none visible; returns how many were handed over."""
        from estate.adapters import queue

        handed = 0
        while self.registry is not None:
            batch = queue.receive_sms_batch()
            if not batch:
                return handed
            result = self.registry.invoke("SmsSenderFunction", {"Records": batch})
            failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
            queue.delete_sms_messages([r["receiptHandle"] for r in batch if r["messageId"] not in failed])
            handed += len(batch)
        return handed

    def sms_outbox(self) -> list[dict]:
        """Every SMS the phones received; the outbox's queue is delivered first, so a test (or the dev
        portal) reading it right after a change sees that change's messages."""
        from moto.sns.models import sns_backends

        self.deliver_sms()

        messages = sns_backends[ACCOUNT][REGION].sms_messages
        return [{"id": message_id, "phone": phone, "message": text}
                for message_id, (phone, text) in _snapshot(messages).items()]

    # Tokens for tests and the demo, same as POST /_dev/login.
    def citizen_token(self, id_number: str) -> str:
        person = next(p for p in self.register_data["people"] if p["id_number"] == id_number)
        return self.issuer.citizen_token(id_number, person["name"])


def first_answer(*local_routes):
    """Local-only routes tried in order; the first that answers wins (else the API's routes)."""
    def route(*request):
        for local_route in local_routes:
            response = local_route(*request)
            if response is not None:
                return response
        return None
    return route


def _snapshot(shared: dict) -> dict:
    """A copy of a dict another thread may be adding to (moto's SMS log, written by the Step Functions
    and queue threads): copying is retried until it completes without a concurrent insert."""
    while True:
        try:
            return dict(shared)
        except RuntimeError:  # "mutated during iteration": another thread sent an SMS meanwhile
            continue
