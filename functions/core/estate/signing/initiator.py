"""The initiator's side of signing (or, in a pushed loan sale, the bank desk's): every signer's state,
and extracting (一键提取) the signed files."""

from __future__ import annotations

from estate import clock
from estate.apply.access import load_for_editor, load_for_officer, load_for_party
from estate.domain.signing import BANK, DOCUMENT_TITLES, bank_signer_id, documents_of
from estate.errors import Conflict, FieldError
from estate.principal import ROLE_BANK
from estate.observability import mask_name
from estate.store.applications import Application, Material
from estate.store.signing import DECLINED, SIGNED, get_signer, party_key, signers


def signing_status(caller, application_id: str) -> dict:
    """Any party of the application, or the loan officer of the branch it was pushed to, may look."""
    load = load_for_officer if caller.role == ROLE_BANK else load_for_party
    application, _, _ = load(caller, application_id)
    signing = application.signing or {}
    version = signing.get("document_version", application.document_version)
    parties = signers(application_id, version) if signing else []
    return {
        "status": application.status, "document_version": version, "deadline": signing.get("deadline"),
        "outcome": signing.get("outcome"), "reason": signing.get("reason"),
        "parties": [{"name": s.name if s.id_number == caller.id_number or s.role == BANK else mask_name(s.name),
                     "party": party_key(s.id_number),  # POST /applications/{id}/parties/{party}/link
                     "role": s.role, "status": s.status, "signed_at": s.signed_at, "reminders": s.reminders}
                    for s in parties],
        # who declined (masked unless it is the caller) and why: what the initiator must resolve
        "declines": [{"name": s.name if s.id_number == caller.id_number else mask_name(s.name), "role": s.role,
                      "reason": s.decline_reason} for s in parties if s.status == DECLINED],
        "all_signed": bool(parties) and all(s.status == SIGNED for s in parties),
        "packet_ready": bool(application.signed_documents),
    }


def extract(caller, application_id: str) -> dict:
    editor = load_for_editor(caller, application_id)
    application, materials = editor.application, editor.materials
    if not application.signed_documents:
        raise Conflict("全部当事人签署完成后才能提取签署文件", code="NOT_ALL_SIGNED")
    existing = {m.category for m in materials if m.source == "signed"}
    now = clock.now().isoformat()
    added = []
    for doc, meta in application.signed_documents.items():
        if doc in existing:
            continue
        Material(f"APP#{application_id}", f"MAT#signed-{doc}", material_id=f"signed-{doc}", category=doc,
                 status="accepted", object_key=meta["key"], uploaded_by="system", created_at=now,
                 content_type="application/pdf", source="signed").save()
        added.append(doc)
    return {"extracted": sorted(set(existing) | set(added)),
            "documents": [{"doc": doc, "title": DOCUMENT_TITLES[doc], "sha256": meta["sha256"],
                           "code": meta.get("code")} for doc, meta in application.signed_documents.items()]}


def signed_documents_extracted(application: Application, materials: list[Material]) -> list[FieldError]:
    extracted = {m.category for m in materials if m.source == "signed" and m.status == "accepted"}
    return [FieldError(f"signed.{doc}", "SIGNED_DOCUMENT_MISSING",
                       f"请在全部当事人签署后一键提取已签署的{DOCUMENT_TITLES[doc]}")
            for doc in documents_of(application.business) if doc not in extracted]


def bank_sealed(application: Application, materials: list[Material]) -> list[FieldError]:
    """A loan sale's documents carry the mortgagee bank's e-seal (the packet cannot exist without it,
    but the missing list names the seal itself so the officer knows what to do)."""
    if application.business != "loan-sale" or not application.bank_branch:
        return []
    version = (application.signing or {}).get("document_version")
    signer = (get_signer(application.application_id, version, bank_signer_id(application.bank_branch))
              if version is not None else None)
    if signer is not None and signer.status == SIGNED:
        return []
    return [FieldError("signatures.bank", "BANK_SEAL_MISSING", "贷款银行（抵押权人）尚未加盖电子印章")]


# What a submit checks on top of the materials, wherever an application can be submitted (apply, office).
SUBMIT_REQUIREMENTS = [signed_documents_extracted, bank_sealed]
