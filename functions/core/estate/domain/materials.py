"""Which materials a case needs (材料清单). The checklist is content; the conditions are rules.

A condition names the case facts that make an item required; the app shows conditional items
with their condition, and once the parties' facts are known every item is plainly required or not.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class CaseFacts:
    """What is known about the case; None means not known yet."""

    seller_marital_status: str | None = None
    buyer_marital_status: str | None = None
    court_decision: bool | None = None
    loan: bool | None = None
    agent: bool | None = None


def _required(condition: str, facts: CaseFacts) -> bool | None:
    """True/False when the facts decide it, None when they are not known yet."""
    seller, buyer = facts.seller_marital_status, facts.buyer_marital_status
    rules = {
        "always": lambda: True,
        "never": lambda: False,
        "seller_married": lambda: None if seller is None else seller == "married",
        "buyer_married": lambda: None if buyer is None else buyer == "married",
        "seller_divorced": lambda: None if seller is None else seller == "divorced",
        "buyer_divorced": lambda: None if buyer is None else buyer == "divorced",
        "court_decision": lambda: facts.court_decision,
        "loan": lambda: facts.loan,
        "agent": lambda: facts.agent,
    }
    if condition == "any_married":
        if "married" in (seller, buyer):
            return True
        return None if None in (seller, buyer) else False
    if condition not in rules:
        raise ValueError(f"unknown materials condition {condition!r}")
    return rules[condition]()


def evaluate_checklist(items: list[dict], facts: CaseFacts) -> list[dict]:
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
