"""Answers of the public reference routes (docs/openapi.json is generated from these).

The content is the seed's and, for policies, guides and FAQ, what editors publish
(estate.office.publishing requires only a few fields), so only those fields are required here."""

from typing import Annotated

import msgspec

from estate.domain.materials import CONDITION_LABELS
from estate.schema import Model, choice


class Outlet(Model):
    """A registration office (办理网点) with its hours per half-day."""

    code: str
    name: str
    district: str | None = None
    address: str | None = None
    phone: str | None = None
    hours: Annotated[dict[str, list[str]] | None, msgspec.Meta(
        description="办公时间：上午(am)/下午(pm) → [开始, 结束]", examples=[{"am": ["08:30", "12:00"]}])] = None
    online_services: list[str] | None = None
    arbitration_commission: str | None = None
    court: str | None = None


class OutletList(Model):
    outlets: list[Outlet]


class BusinessType(Model):
    code: str
    name: str
    online: bool = False
    bookable: bool = False
    description: str | None = None


class BusinessTypeList(Model):
    business_types: list[BusinessType]


class MaterialItem(Model):
    """One material of a checklist, evaluated against the case's facts from the query."""

    code: str
    name: str
    required_when: choice(CONDITION_LABELS, title="何时必传") = "always"
    upload: bool = False
    note: str | None = None
    required: bool
    conditional: Annotated[bool, msgspec.Meta(description="是否必传取决于未给出的情况（如婚姻状况）")]
    condition: Annotated[str, msgspec.Meta(title="必传条件（中文）")]


class MaterialsChecklist(Model):
    business: str
    items: list[MaterialItem]


class PolicySummary(Model):
    id: str
    title: str
    issuer: str | None
    doc_number: str | None
    published_on: str | None
    summary: str | None
    tags: list[str] | None


class PolicyList(Model):
    policies: list[PolicySummary]


class Policy(Model):
    id: str
    title: str
    issuer: str
    doc_number: str | None = None
    published_on: str | None = None
    summary: str | None = None
    body: Annotated[list[str] | str, msgspec.Meta(description="正文：段落列表（或一段文字）")]
    tags: list[str] | None = None


class GuideSummary(Model):
    id: str
    business: str
    title: str
    hours: str | None
    phone: str | None


class GuideList(Model):
    guides: list[GuideSummary]


class GuideStep(Model):
    step: int
    name: str
    description: str | None = None


class GuideFee(Model):
    item: str
    amount: str
    note: str | None = None


class Guide(Model):
    id: str
    business: str
    title: str
    hours: str | None = None
    phone: str | None = None
    notice: list[str] | None = None
    process: list[GuideStep] | None = None
    materials: list[str] | None = None
    fees: list[GuideFee] | None = None
    time_limit: str | None = None
    legal_basis: list[str] | None = None


class Faq(Model):
    id: str
    category: str
    question: str
    answer: str


class FaqList(Model):
    faqs: list[Faq]
