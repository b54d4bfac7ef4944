"""Generate data/seed/register.json: a realistic, deterministic demo register for Yangquan.

Run `python tools/gen_seed.py` to regenerate; the output is committed so reviewers see the data.
Every ID number has a real birth date and a valid GB 11643 check character, every unit number
and certificate number has the official shape, and every scenario the lookup must handle
(co-owners, seizure, mortgages, objection, advance notice, residence right, legacy certificate,
in-flight case, three owners, company owner) is present at least once.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions" / "core"))

from estate.domain.ids import format_certificate_number, id_check_char  # noqa: E402

rng = random.Random(20210408)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = ["建国", "秀英", "志强", "丽娟", "海燕", "晓东", "春梅", "文华", "俊杰", "婷婷", "鹏飞", "玉兰", "国庆", "红霞",
         "子涵", "浩然", "雅琴", "振华", "慧敏", "明轩", "淑芬", "宏伟", "静怡", "立新", "桂花", "嘉怡", "永刚", "美玲",
         "思远", "晓燕", "学军", "凤英", "天佑", "欣怡", "建军", "丽萍", "少华", "雨桐", "卫东", "晨曦", "磊", "娜", "勇",
         "敏", "军", "芳", "伟", "静", "强", "霞"]

OUTLETS = {
    "140302": {"district": "城区", "cert_place": "阳泉市", "streets": ["桃北中街", "北大街", "南大街", "德胜街", "义井街", "新华西街"]},
    "140303": {"district": "矿区", "cert_place": "阳泉市", "streets": ["桥头街", "赛鱼路", "平坦垴街", "沙坪街"]},
    "140311": {"district": "郊区", "cert_place": "阳泉市", "streets": ["荫营镇荫营街", "义井镇大阳泉路", "河底镇河底街"]},
    "140321": {"district": "平定县", "cert_place": "平定县", "streets": ["冠山镇东关街", "冠山镇西关街", "冠山镇宋家庄路"]},
    "140322": {"district": "盂县", "cert_place": "盂县", "streets": ["秀水镇秀水东街", "秀水镇兴盂街", "秀水镇文化路"]},
}
RESIDENTS = ["11", "12", "13", "21", "22"]  # digits 5-6 of an area code, for variety of birthplaces
TODAY = date(2026, 11, 29)


def make_id(area: str, birth: date, sex: str) -> str:
    seq = rng.randrange(1, 499) * 2 + (1 if sex == "M" else 0)
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def make_person(index: int, *, sex: str | None = None, min_age: int = 22, max_age: int = 75) -> dict:
    sex = sex or rng.choice("MF")
    surname = SURNAMES[index % len(SURNAMES)]
    given = GIVEN[(index * 7) % len(GIVEN)]
    birth = TODAY - timedelta(days=rng.randrange(min_age * 365 + 10, max_age * 365))
    area = rng.choice(["140302", "140303", "140311", "140321", "140322", "1401" + rng.choice(RESIDENTS)])
    phone = "1" + rng.choice(["35", "36", "38", "39", "50", "52", "58", "59", "78", "82", "87", "88"]) + f"{rng.randrange(0, 10**8):08d}"
    return {"name": surname + given, "id_number": make_id(area, birth, sex), "phone": phone, "sex": sex,
            "marital_status": rng.choice(["married", "married", "married", "single", "divorced"])}


def unit_number(outlet: str, parcel: int, building: int, room: int) -> str:
    zone = f"{rng.randrange(1, 12):03d}{rng.randrange(1, 30):03d}"
    return f"{outlet}{zone}GB{parcel:05d}F{building:04d}{room:04d}"


class Serials:
    def __init__(self):
        self.next = {}

    def take(self, place: str, year: int) -> int:
        key = (place, year)
        self.next[key] = self.next.get(key, rng.randrange(100, 900)) + rng.randrange(1, 40)
        return self.next[key]


def main() -> None:  # noqa: C901 - one scenario table, top to bottom; its random draws' order fixes the seed data
    people = [make_person(i) for i in range(130)]
    # Household pairs: married couples share the joint-owned units.
    serials = Serials()
    units = []
    owner_cursor = iter(range(len(people)))

    def next_owner() -> dict:
        return people[next(owner_cursor)]

    scenarios = (
        ["single"] * 40 + ["joint"] * 8 + ["shares"] * 5 + ["three_owners"] * 2 + ["seized"] * 2
        + ["mortgage_banned", "mortgage_allowed", "mortgage_allowed", "objection", "advance_notice",
           "residence_right", "legacy", "in_flight", "company", "affordable", "commercial"]
    )
    outlets = list(OUTLETS)
    for index, scenario in enumerate(scenarios):
        outlet = outlets[index % len(outlets)]
        info = OUTLETS[outlet]
        parcel, building, room = rng.randrange(1, 400), rng.randrange(1, 30), rng.choice([101, 201, 302, 501, 602, 1203, 1502])
        street = rng.choice(info["streets"])
        prefix = "阳泉市" if info["district"] in ("城区", "矿区", "郊区") else "阳泉市"
        location = f"{prefix}{info['district']}{street}{rng.randrange(1, 200)}号{building}号楼{rng.randrange(1, 4)}单元{room}室"
        area = f"{rng.choice([58, 72, 86, 89, 90, 95, 108, 118, 126, 139, 140, 146])}.{rng.randrange(0, 100):02d}"
        reg_year = rng.randrange(2016, 2025)
        acquired = date(reg_year, rng.randrange(1, 13), rng.randrange(1, 28))
        mode, owners = "single", []
        if scenario in ("joint",):
            mode, owners = "joint", [next_owner(), next_owner()]
        elif scenario == "shares":
            share = rng.choice(["0.5", "0.6", "0.7"])
            mode, owners = "shares", [next_owner(), next_owner()]
            owners[0] = {**owners[0], "share": share}
            owners[1] = {**owners[1], "share": str(1 - float(share))[:3]}
        elif scenario == "three_owners":
            mode, owners = "shares", [next_owner(), next_owner(), next_owner()]
            for o, s in zip(owners, ["0.4", "0.3", "0.3"], strict=True):
                o["share"] = s
        elif scenario == "company":
            owners = [{"name": "阳泉市晋阳置业有限公司", "id_number": "91140300MA0K3X7Q2B", "owner_type": "organisation"}]
        else:
            owners = [next_owner()]
        cert_year = acquired.year
        certificate = format_certificate_number("晋", cert_year, info["cert_place"], serials.take(info["cert_place"], cert_year))
        certificate_type = "不动产权证书"
        if scenario == "legacy":
            certificate_type = "房屋所有权证"
            certificate = f"阳房权证{info['district'].rstrip('区县')}字第{rng.randrange(10**7, 10**8)}号"
        restrictions = []
        if scenario == "seized":
            court = f"阳泉市{info['district']}人民法院" if info["district"].endswith("区") else f"{info['district']}人民法院"
            restrictions.append({"kind": "seizure", "holder": court,
                                 "document_number": f"({reg_year + 2})晋{outlet[2:]}执{rng.randrange(100, 999)}号",
                                 "registered_on": f"{reg_year + 2}-06-15", "ends_on": f"{reg_year + 5}-06-14"})
        if scenario in ("mortgage_banned", "mortgage_allowed"):
            restrictions.append({"kind": "mortgage", "holder": rng.choice(["中国建设银行股份有限公司阳泉分行", "中国工商银行股份有限公司阳泉分行"]),
                                 "document_number": format_certificate_number("晋", cert_year, info["cert_place"], serials.take(info["cert_place"] + "证明", cert_year), kind="不动产证明"),
                                 "registered_on": acquired.isoformat(), "ends_on": f"{cert_year + 20}-{acquired:%m-%d}",
                                 "amount": f"{rng.randrange(20, 60) * 10000}.00", "transfer_banned": scenario == "mortgage_banned"})
        if scenario == "objection":
            restrictions.append({"kind": "objection", "holder": "申请人" + make_person(200)["name"],
                                 "registered_on": "2026-11-20", "note": "利害关系人主张该房屋部分份额"})
        if scenario == "advance_notice":
            restrictions.append({"kind": "advance_notice", "holder": make_person(201)["name"],
                                 "registered_on": "2026-03-02", "note": "预购商品房预告登记"})
        if scenario == "residence_right":
            restrictions.append({"kind": "residence_right", "holder": make_person(202)["name"],
                                 "registered_on": "2023-05-10", "ends_on": "2038-05-09", "note": "居住权人为原权利人之母"})
        unit = {
            "unit_number": unit_number(outlet, parcel, building, room),
            "outlet": outlet, "location": location, "building_area": area,
            "purpose": "商业服务" if scenario == "commercial" else "住宅",
            "house_nature": "经济适用房" if scenario == "affordable" else "商品房",
            "floor": int(str(room)[:-2]), "total_floors": max(int(str(room)[:-2]) + rng.randrange(0, 12), 6),
            "land_term_end": f"{2070 + rng.randrange(0, 16)}-12-31",
            "assessed_price": f"{int(float(area) * rng.randrange(4200, 6800) / 100) * 100}.00",
            "right": {
                "right_id": f"R{outlet}{index:05d}", "holding_mode": mode,
                "owners": [{"name": o["name"], "id_number": o["id_number"], "owner_type": o.get("owner_type", "person"),
                            "share": o.get("share")} for o in owners],
                "certificate_number": certificate, "certificate_type": certificate_type,
                "registered_on": acquired.isoformat(), "acquired_on": acquired.isoformat(),
            },
            "restrictions": restrictions,
            "scenario": scenario,
        }
        if scenario == "in_flight":
            unit["in_flight"] = {"case_id": "YQ2026-M-000731", "business": "mortgage", "since": "2026-11-25"}
        units.append(unit)

    # Married owners of joint property are spouses: align their marital status.
    owner_ids = {o["id_number"] for u in units for o in u["right"]["owners"]}
    for u in units:
        if u["right"]["holding_mode"] == "joint":
            for o in u["right"]["owners"]:
                next(p for p in people if p["id_number"] == o["id_number"])["marital_status"] = "married"
    for p in people:
        p["role"] = "owner" if p["id_number"] in owner_ids else "citizen"
        p["address"] = f"阳泉市{rng.choice(['城区', '矿区', '郊区'])}{rng.choice(['桃北西街', '南庄路', '新泉路', '下站街'])}{rng.randrange(1, 99)}号"

    banks = [
        {"code": "ICBC", "name": "中国工商银行", "branches": [
            {"code": "ICBC-YQ-CQ", "name": "中国工商银行阳泉城区支行", "outlet": "140302"},
            {"code": "ICBC-YQ-KQ", "name": "中国工商银行阳泉矿区支行", "outlet": "140303"},
            {"code": "ICBC-PD", "name": "中国工商银行平定支行", "outlet": "140321"}]},
        {"code": "CCB", "name": "中国建设银行", "branches": [
            {"code": "CCB-YQ-CQ", "name": "中国建设银行阳泉分行营业部", "outlet": "140302"},
            {"code": "CCB-YQ-JQ", "name": "中国建设银行阳泉郊区支行", "outlet": "140311"},
            {"code": "CCB-YX", "name": "中国建设银行盂县支行", "outlet": "140322"}]},
        {"code": "ABC", "name": "中国农业银行", "branches": [
            {"code": "ABC-YQ-CQ", "name": "中国农业银行阳泉城区支行", "outlet": "140302"},
            {"code": "ABC-PD", "name": "中国农业银行平定县支行", "outlet": "140321"}]},
        {"code": "YQCCB", "name": "阳泉市商业银行", "branches": [
            {"code": "YQCCB-HQ", "name": "阳泉市商业银行营业部", "outlet": "140302"},
            {"code": "YQCCB-KQ", "name": "阳泉市商业银行矿区支行", "outlet": "140303"},
            {"code": "YQCCB-YX", "name": "阳泉市商业银行盂县支行", "outlet": "140322"}]},
    ]
    staff = [{"role": "clerk", "outlet": code, "name": f"{OUTLETS[code]['district']}窗口受理员", "roles": "editor"}
             for code in OUTLETS]
    staff += [{"role": "bank", "branch": b["code"], "name": f"{b['name']}信贷员"} for bank in banks for b in bank["branches"]]

    out = {"generated_by": "tools/gen_seed.py", "people": people, "units": units, "banks": banks, "staff": staff}
    path = ROOT / "data" / "seed" / "register.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(people)} people, {len(units)} units, {len(staff)} staff")


if __name__ == "__main__":
    main()
