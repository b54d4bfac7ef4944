"""Which documents an application's signing covers, and who signs which (DOMAIN §1.7).

A cash sale: every buyer and seller signs the application form, the sale contract and the inquiry
record. A loan sale adds the mortgage contract (抵押合同) between the buyers (抵押人) and the bank
(抵押权人): the buyers sign it with the rest, and the bank — a third applicant on the application
form — seals the application form and the mortgage contract with its e-seal instead of a
hand-drawn signature.
"""

from __future__ import annotations

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
