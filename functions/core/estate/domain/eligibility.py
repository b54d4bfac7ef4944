"""What stops a unit from being transferred online, and what the parties must be told (DOMAIN.md §4
and the Yangquan notice's online limits: individuals only, at most 2 owners per side, only
不动产权证书).

Blockers make `eligible` false: the case must go to the hall, or the obstacle must be cleared
first. Notices do not block but must be shown (and, for objections, acknowledged in writing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from estate.domain.register import UnitFacts

MAX_OWNERS_PER_SIDE = 2
ONLINE_CERTIFICATE_TYPE = "不动产权证书"
RESIDENTIAL = "住宅"
HALL_ONLY_HOUSE_NATURES = {"经济适用房", "房改房", "公有住房"}


@dataclass(frozen=True)
class Finding:
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Eligibility:
    blockers: tuple[Finding, ...]
    notices: tuple[Finding, ...]

    @property
    def eligible(self) -> bool:
        return not self.blockers


def _restriction_findings(unit: UnitFacts) -> tuple[list[Finding], list[Finding]]:
    blockers: list[Finding] = []
    notices: list[Finding] = []
    for r in unit.restrictions:
        if r.kind == "seizure":
            blockers.append(Finding("SEIZED", f"该不动产已被{r.holder or '司法机关'}查封"
                                    f"（{r.document_number or '文号见登记簿'}），查封期间不能办理转移登记"))
        elif r.kind == "mortgage" and r.transfer_banned:
            blockers.append(Finding("MORTGAGE_TRANSFER_BANNED",
                                    f"该不动产已抵押给{r.holder or '抵押权人'}且约定禁止转让，"
                                    "需抵押权人同意并共同申请，请先办理抵押权注销或到窗口办理"))
        elif r.kind == "mortgage":
            notices.append(Finding("MORTGAGED", f"该不动产已抵押给{r.holder or '抵押权人'}，"
                                   "抵押权随不动产转让而存续，卖方应及时通知抵押权人"))
        elif r.kind == "advance_notice":
            blockers.append(Finding("ADVANCE_NOTICE", "该不动产存在预告登记，未经预告登记权利人同意不能转让，请到窗口办理"))
        elif r.kind == "objection":
            notices.append(Finding("OBJECTION", "该不动产存在异议登记，买方须书面承诺知悉异议并自担风险"))
        elif r.kind == "residence_right":
            notices.append(Finding("RESIDENCE_RIGHT", "该住宅上设有居住权，转让后居住权继续有效，请买方知悉"))
        elif r.kind == "expropriation":
            blockers.append(Finding("EXPROPRIATION_FROZEN", "该不动产位于征收范围内已冻结，不能办理转移登记"))
    return blockers, notices


def assess_eligibility(unit: UnitFacts) -> Eligibility:
    blockers, notices = _restriction_findings(unit)
    if unit.in_flight is not None:
        blockers.append(Finding("CASE_IN_PROGRESS", "该不动产有正在办理的登记业务，办结前不能再次申请"))
    if unit.certificate_type != ONLINE_CERTIFICATE_TYPE:
        blockers.append(Finding("LEGACY_CERTIFICATE",
                                f"网上办理暂只支持不动产权证书，该房屋持有的是{unit.certificate_type}，请到窗口办理"))
    if len(unit.owners) > MAX_OWNERS_PER_SIDE:
        blockers.append(Finding("TOO_MANY_OWNERS", f"网上办理卖方权利人不超过{MAX_OWNERS_PER_SIDE}人，请到窗口办理"))
    if any(o.owner_type != "person" for o in unit.owners):
        blockers.append(Finding("NOT_INDIVIDUAL", "网上办理暂只接受个人二手商品房买卖，单位产权请到窗口办理"))
    if unit.purpose != RESIDENTIAL:
        blockers.append(Finding("NOT_RESIDENTIAL", f"网上办理暂只接受住宅，该不动产用途为{unit.purpose}"))
    if unit.house_nature in HALL_ONLY_HOUSE_NATURES:
        blockers.append(Finding("RESTRICTED_HOUSE_NATURE",
                                f"{unit.house_nature}上市交易需先补缴土地出让金等，请到窗口办理"))
    return Eligibility(tuple(blockers), tuple(notices))
