"""Materials (申请材料): one image per upload, presigned straight to S3, checked on the server after."""

from __future__ import annotations

import secrets

from pynamodb.exceptions import UpdateError

from estate import clock
from estate.adapters import uploads
from estate.apply.access import load_for_officer, load_for_party
from estate.apply.models import UploadForm
from estate.apply.views import material_view
from estate.config import get_settings
from estate.domain import application as lifecycle

from estate.domain import materials as materials_rules
from estate.errors import Conflict, FieldErrors, NotFound
from estate.principal import ROLE_BANK, Principal
from estate.observability import logger
from estate.store import content
from estate.store.applications import Material

UPLOAD_STATES = lifecycle.EDITABLE | {lifecycle.SIGNING, lifecycle.SIGNED, lifecycle.PUSHED_TO_BANK}


def _categories(business: str) -> dict[str, dict]:
    checklist = content.get_published("materials", business) or {"items": []}
    return {item["code"]: item for item in checklist["items"] if item.get("upload")}


def request_upload(caller: Principal, application_id: str, body: UploadForm) -> dict:
    """Any party uploads; so does the loan officer of the branch a loan sale was pushed to (the
    loan contract, the bank's licence and authorisation: 由贷款银行工作人员协助上传)."""
    by_bank = caller.role == ROLE_BANK
    application, _, _ = (load_for_officer if by_bank else load_for_party)(caller, application_id)
    lifecycle.require(application.status, UPLOAD_STATES, "上传材料")
    category = body.category
    categories = _categories(application.business)
    if category not in categories:
        errors = FieldErrors()
        errors.add("category", "UNKNOWN_CATEGORY", "材料类别不存在，请按材料清单选择")
        errors.raise_if_any()
    settings = get_settings()
    material_id = "m_" + secrets.token_urlsafe(10)
    key = f"materials/{application_id}/{material_id}"
    now = clock.now().isoformat()
    material = Material(f"APP#{application_id}", f"MAT#{material_id}", material_id=material_id, category=category,
                        status="pending", object_key=key,
                        uploaded_by=f"bank:{caller.branch}" if by_bank else caller.id_number, created_at=now)
    material.save(condition=Material.pk.does_not_exist())
    post = uploads.presigned_image_post(settings.uploads_bucket, key, settings.upload_max_bytes,
                                        settings.presign_ttl_s)
    return {"material": material_view(material), "category_name": categories[category]["name"],
            "upload": {"url": post["url"], "fields": post["fields"], "method": "POST",
                       "max_bytes": settings.upload_max_bytes, "content_types": list(uploads.IMAGE_TYPES),
                       "expires_in": settings.presign_ttl_s}}


def _material(application_id: str, material_id: str) -> Material:
    try:
        return Material.get(f"APP#{application_id}", f"MAT#{material_id}")
    except Material.DoesNotExist:
        raise NotFound("材料不存在", code="MATERIAL_NOT_FOUND") from None


def check_material(application_id: str, material_id: str) -> Material:
    """The server-side check after upload; idempotent (a decided material keeps its verdict)."""
    return check_loaded_material(application_id, _material(application_id, material_id))


def check_loaded_material(application_id: str, material: Material) -> Material:
    """check_material for a material the caller has just read (no second read unless it raced)."""
    material_id = material.material_id
    if material.status != "pending":
        return material
    settings = get_settings()
    result = uploads.check_uploaded_image(settings.uploads_bucket, material.object_key, settings.upload_max_bytes)
    if result.reason == "MISSING":
        # Not uploaded yet (stays pending), or a concurrent check already decided and removed a
        # rejected file: read the verdict again rather than answer with what we read before.
        return _give_up_if_expired(application_id, _material(application_id, material_id))
    actions = [Material.status.set("accepted" if result.accepted else "rejected"),
               Material.size.set(result.size), Material.content_type.set(result.content_type),
               Material.width.set(result.width), Material.height.set(result.height),
               Material.reason.set(uploads.REJECTION_MESSAGES.get(result.reason) if result.reason else None)]
    try:
        material.update(actions=[a for a in actions], condition=Material.status == "pending")
    except Exception:  # noqa: BLE001 - someone else decided it first; theirs stands
        return _material(application_id, material_id)
    if not result.accepted:
        uploads.delete_object(settings.uploads_bucket, material.object_key)  # keep no rejected files
    logger.info("material checked", application_id=application_id, accepted=result.accepted, reason=result.reason)
    return material


def _give_up_if_expired(application_id: str, material: Material) -> Material:
    """A pending upload past its POST policy's expiry (plus grace) never arrives: S3 refuses it
    then (too large, empty, too late). Store the failure the reader is shown anyway."""
    now = clock.now()
    if materials_rules.material_status(material.status, material.created_at, now,
                                       get_settings().presign_ttl_s) != "expired":
        return material
    try:
        material.update(actions=[Material.status.set("expired"),
                                 Material.reason.set(materials_rules.EXPIRED_UPLOAD_REASON)],
                        condition=Material.status == "pending")
    except UpdateError:  # a late check decided it meanwhile (or it was deleted): read what stands
        return _material(application_id, material.material_id)
    logger.info("material upload expired", application_id=application_id)
    return material


def get_material(caller: Principal, application_id: str, material_id: str) -> dict:
    load_for_party(caller, application_id)
    material = check_material(application_id, material_id)
    view = material_view(material)
    if material.status == "accepted":
        settings = get_settings()
        view["url"] = uploads.presigned_get(settings.uploads_bucket, material.object_key, settings.presign_ttl_s)
    return view


def list_materials(caller: Principal, application_id: str) -> dict:
    _, _, materials = load_for_party(caller, application_id)
    return {"materials": [material_view(m) for m in sorted(materials, key=lambda m: m.created_at)]}


def delete_material(caller: Principal, application_id: str, material_id: str) -> dict:
    application, _, _ = load_for_party(caller, application_id)
    lifecycle.require(application.status, UPLOAD_STATES, "删除材料")
    material = _material(application_id, material_id)
    if material.source != "upload":
        raise Conflict("系统生成的签署文件不能删除", code="MATERIAL_READ_ONLY")
    material.delete()
    uploads.delete_object(get_settings().uploads_bucket, material.object_key)
    return {"deleted": material_id}


def on_uploaded(bucket: str, key: str) -> None:
    """S3 ObjectCreated → check at once, so the app sees the verdict without asking again."""
    parts = key.split("/")
    if len(parts) == 3 and parts[0] == "materials":
        check_material(parts[1], parts[2])
