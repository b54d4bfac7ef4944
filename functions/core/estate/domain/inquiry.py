"""The inquiry record (询问笔录, DOMAIN §1.5): a fixed question bank per role; every buyer and
seller must be a respondent and answer every question of their role."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from estate.errors import FieldErrors

if TYPE_CHECKING:  # the form's model lives beside the use-case
    from estate.apply.models import InquiryForm

SELLER_QUESTIONS = [
    ("S1", "您是否本人申请，出售该房屋是否为您的真实意思表示？", "yes"),
    ("S2", "该房屋是否还有其他共有人？如有，是否均同意出售？", "text"),
    ("S3", "您的婚姻状况？该房屋是否为夫妻共同财产？配偶是否知情并同意？", "text"),
    ("S4", "该房屋是否存在抵押、查封、异议登记、预告登记、居住权或出租？如已出租，承租人是否放弃优先购买权？", "text"),
    ("S5", "该房屋是否有未成年人的份额？", "no"),
    ("S6", "成交价格是否与合同一致，价款是否已支付或将按约定支付？", "yes"),
    ("S7", "您提交的材料是否真实？如有虚假，是否愿意承担法律责任？", "yes"),
]
BUYER_QUESTIONS = [
    ("B1", "您是否本人申请，购买该房屋是否为您的真实意思表示？", "yes"),
    ("B2", "您选择的持有方式（单独所有、共同共有或按份共有及份额）以及是否分别持证是否与申请一致？", "yes"),
    ("B3", "您的婚姻状况？购买该房屋是否为夫妻共同财产？", "text"),
    ("B4", "您是否知悉该房屋目前的权利限制情况（异议登记、居住权、租赁等）？", "yes"),
    ("B5", "成交价格是否与合同一致？是否使用贷款支付？", "text"),
    ("B6", "您提交的材料是否真实？如有虚假，是否愿意承担法律责任？", "yes"),
]
QUESTIONS = {"seller": SELLER_QUESTIONS, "buyer": BUYER_QUESTIONS}
YES_NO = {"yes": "是", "no": "否"}


def question_bank() -> dict[str, Any]:
    return {role: [{"id": qid, "question": text, "answer_type": "text" if kind == "text" else "yes_no"}
                   for qid, text, kind in questions] for role, questions in QUESTIONS.items()}


def validate_inquiry(form: InquiryForm, *, roles: dict[str, str], names: dict[str, str]) -> dict[str, Any]:
    """roles: ID number → buyer|seller for every party. Every party must answer every question.

    A yes/no question whose answer contradicts a safe transfer (e.g. "not my true intention") is
    recorded, not refused: the clerk reviews it; but the statutory true-intention answer must be yes.
    """
    errors = FieldErrors()
    records = []
    seen = set()
    for i, respondent in enumerate(form.respondents):
        where = f"respondents[{i}]"
        id_number = respondent.id_number.strip()
        if id_number not in roles:
            errors.add(f"{where}.id_number", "NOT_A_PARTY", "被询问人须为本申请的买方或卖方")
            continue
        if id_number in seen:
            errors.add(f"{where}.id_number", "DUPLICATE", "同一被询问人不能重复")
            continue
        seen.add(id_number)
        role = roles[id_number]
        answers_raw = respondent.answers
        answers = []
        for qid, text, kind in QUESTIONS[role]:
            answer = answers_raw.get(qid)
            if kind == "text":
                if not answer or not answer.strip() or len(answer) > 500:
                    errors.add(f"{where}.answers.{qid}", "REQUIRED", "请如实填写回答（不超过500字）")
                    continue
                shown = answer.strip()
            else:
                if answer not in YES_NO:
                    errors.add(f"{where}.answers.{qid}", "YES_OR_NO", "请回答是或否")
                    continue
                if qid in ("S1", "B1") and answer != "yes":
                    errors.add(f"{where}.answers.{qid}", "NOT_TRUE_INTENTION",
                               "申请须为本人真实意思表示，否则不能网上办理")
                shown = YES_NO[answer]
            answers.append({"id": qid, "question": text, "answer": shown})
        records.append({"id_number": id_number, "name": names.get(id_number, ""), "role": role, "answers": answers})
    missing = set(roles) - seen
    if missing:
        errors.add("respondents", "RESPONDENT_MISSING", "被询问人须包括全部买方和卖方")
    errors.raise_if_any(form.form_message)
    return {"respondents": records}
