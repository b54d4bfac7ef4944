"""Which documents an application's signing covers, and who signs which (DOMAIN §1.7).

A cash sale: every buyer and seller signs the application form, the sale contract and the inquiry
record. A loan sale adds the mortgage contract (抵押合同) between the buyers (抵押人) and the bank
(抵押权人): the buyers sign it with the rest, and the bank — a third applicant on the application
form — seals the application form and the mortgage contract with its e-seal instead of a
hand-drawn signature.
"""

from __future__ import annotations

from typing import Any

BUYER, SELLER, BANK = "buyer", "seller", "bank"

DOCUMENT_TITLES = {"application_form": "不动产登记申请书", "sale_contract": "存量房买卖合同",
                   "inquiry_record": "不动产登记询问笔录", "mortgage_contract": "不动产抵押合同"}

_SIGNED_BY = {"application_form": {BUYER, SELLER, BANK}, "sale_contract": {BUYER, SELLER},
              "inquiry_record": {BUYER, SELLER}, "mortgage_contract": {BUYER, BANK}}


def documents_of(business: str) -> list[str]:
    """Every document rendered for signing, in reading order."""
    return [doc for doc in DOCUMENT_TITLES if doc != "mortgage_contract" or business == "loan-sale"]


def documents_for(business: str, role: str) -> dict[str, str]:
    """doc → title of what a signer in `role` opens and signs."""
    return {doc: DOCUMENT_TITLES[doc] for doc in documents_of(business) if role in _SIGNED_BY[doc]}


def signs(doc: str, role: str) -> bool:
    return role in _SIGNED_BY[doc]


def bank_signer_id(branch: str) -> str:
    """The bank's place among the signers (signers are keyed by ID number; a branch has none)."""
    return f"BANK:{branch}"


def signing_parties(business: str, parties: dict[str, Any], bank: dict[str, Any] | None) -> list[tuple[dict[str, Any], str]]:
    """(person, role) of everyone who signs: sellers, buyers and — in a loan sale pushed to a bank —
    the mortgagee bank, which seals at the bank desk (person: its branch's signer id, no phone)."""
    signing = [(p, SELLER) for p in parties["sellers"]] + [(p, BUYER) for p in parties["buyers"]]
    if business == "loan-sale" and bank:
        signing.append(({"id_number": bank_signer_id(bank["branch"]), "name": bank["branch_name"], "phone": None},
                        BANK))
    return signing


def execution_name(application_id: str, document_version: int) -> str:
    return f"{application_id}-v{document_version}"


def execution_input(application_id: str, document_version: int, signing: list[tuple[dict[str, Any], str]],
                    deadline_s: int, reminder_interval_s: int, max_reminders: int) -> dict[str, Any]:
    """What the signing state machine is started with (statemachine/signing.asl.json)."""
    interval = min(reminder_interval_s, deadline_s)
    return {"application_id": application_id, "document_version": document_version,
            "parties": [{"id_number": p["id_number"], "role": role} for p, role in signing],
            "deadline_seconds": deadline_s, "reminder_interval_seconds": interval, "first_wait_seconds": interval,
            "max_reminders": max_reminders}
