"""Which materials a case needs (材料清单). The checklist is content; the conditions are rules.

A condition names the case facts that make an item required; the app shows conditional items
with their condition, and once the parties' facts are known every item is plainly required or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

CONDITION_LABELS = {
    "always": "必传",
    "never": "选传",
    "seller_married": "卖方已婚时必传",
    "buyer_married": "买方已婚时必传",
    "any_married": "买方或卖方已婚时必传",
    "seller_divorced": "卖方离异时必传",
    "buyer_divorced": "买方离异时必传",
    "court_decision": "房屋经人民法院判决或调解取得时必传",
    "loan": "贷款买卖时必传",
    "agent": "委托代理人办理时必传",
}
MARITAL_STATUSES = ("single", "married", "divorced", "widowed")

# An uploaded material's states. "expired": the presigned POST's policy expired before any file
# arrived (too large, empty, abandoned, or the network gave up); S3 will not take it any more.
MATERIAL_STATUS_LABELS = {"pending": "上传中", "accepted": "已通过", "rejected": "未通过", "expired": "上传失败"}
EXPIRED_UPLOAD_REASON = "上传失败：上传链接已过期且未收到图片，请重新上传"
# S3 checks the policy's expiry when the POST starts: a large photo sent in the last second still
# lands (and the server clock may lag S3's), so a pending upload is given up only after this grace.
UPLOAD_GRACE_S = 120


@dataclass(frozen=True)
class CaseFacts:
    """What is known about the case; None means not known yet. A side with two people may give a
    tuple of statuses (one married, one divorced: both documents are needed)."""

    seller_marital_status: str | tuple[str, ...] | None = None
    buyer_marital_status: str | tuple[str, ...] | None = None
    court_decision: bool | None = None
    loan: bool | None = None
    agent: bool | None = None


def _statuses(value: str | tuple[str, ...] | None) -> tuple[str, ...] | None:
    return (value,) if isinstance(value, str) else value


def _required(condition: str, facts: CaseFacts) -> bool | None:
    """True/False when the facts decide it, None when they are not known yet."""
    seller, buyer = _statuses(facts.seller_marital_status), _statuses(facts.buyer_marital_status)
    rules: dict[str, Callable[[], bool | None]] = {
        "always": lambda: True,
        "never": lambda: False,
        "seller_married": lambda: None if seller is None else "married" in seller,
        "buyer_married": lambda: None if buyer is None else "married" in buyer,
        "seller_divorced": lambda: None if seller is None else "divorced" in seller,
        "buyer_divorced": lambda: None if buyer is None else "divorced" in buyer,
        "court_decision": lambda: facts.court_decision,
        "loan": lambda: facts.loan,
        "agent": lambda: facts.agent,
    }
    if condition == "any_married":
        if "married" in (seller or ()) or "married" in (buyer or ()):
            return True
        return None if seller is None or buyer is None else False
    if condition not in rules:
        raise ValueError(f"unknown materials condition {condition!r}")
    return rules[condition]()


def evaluate_checklist(items: list[dict[str, Any]], facts: CaseFacts) -> list[dict[str, Any]]:
    evaluated = []
    for item in items:
        condition = item.get("required_when", "always")
        required = _required(condition, facts)
        evaluated.append({
            **item,
            "required": bool(required),
            "conditional": required is None,
            "condition": CONDITION_LABELS[condition],
        })
    return evaluated


def upload_deadline(created_at: datetime, presign_ttl_s: int) -> datetime:
    """When a pending upload is given up: the POST policy's expiry (it is signed as the material is
    created) plus the grace."""
    return created_at + timedelta(seconds=presign_ttl_s + UPLOAD_GRACE_S)


def material_status(status: str, created_at: str, now: datetime, presign_ttl_s: int) -> str:
    """The state a material is in now. The stored state says "pending" until someone next writes the
    record, but a pending upload past its deadline has failed, whoever reads it and when."""
    if status == "pending" and now >= upload_deadline(datetime.fromisoformat(created_at), presign_ttl_s):
        return "expired"
    return status
