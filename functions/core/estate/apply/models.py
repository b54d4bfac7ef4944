"""The bodies of an application's steps and what the steps answer (estate.schema): the models
carry shape and per-field constraints; the rules that span fields or need the case (schedule
summing to the price, deposit within 20 %, dates not in the past) stay in estate.domain."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import msgspec

from estate.domain.application import BUSINESSES, ROLES, STATUS_LABELS
from estate.domain.declaration import MAX_MEMBERS, PIT_METHODS, RELATIONS, SEXES
from estate.domain.contract import DISPUTE_METHODS, PAYMENT_METHODS, TAX_BEARERS
from estate.domain.materials import MATERIAL_STATUS_LABELS
from estate.domain.people import HOLDING_MODES, MARITAL_STATUSES, MAX_BUYERS
from estate.domain.registration import RETURN_REASONS
from estate.schema import Model, accepted, choice, day, money, text
from estate.schema import key as schema_key


def key(title: str, *, required_message: str = "此项为必填项") -> Any:
    """An id the app echoes back (outlet, face check, bank, branch codes): estate.schema.key, titled."""
    return schema_key(required_message, title=title)


# --- POST /identity/liveness-sessions, then POST /identity/face-checks ----------------------------

FACE_PURPOSES = {"apply": "发起申请", "query": "不动产登记信息查询"}
RETURN_PATH_SHAPE = r"^/[A-Za-z0-9/_\-.~%]{0,200}$"


class LivenessStartForm(Model):
    purpose: choice(FACE_PURPOSES, title="用途", message="请选择用途") = "apply"  # type: ignore[valid-type]
    return_to: text(201, title="完成后返回的应用内页面路径（如 /transfer/start）", pattern=RETURN_PATH_SHAPE,
                    codes={"pattern": "RETURN_PATH_INVALID"},
                    messages={"pattern": "返回地址应为本应用内的页面路径"}) = "/"


class LivenessSessionView(Model):
    """A started liveness session: open `url` (the provider's page) — or, where it is null (AWS),
    run the provider's liveness component with `provider_session` — then POST /identity/face-checks."""

    session: Annotated[str, msgspec.Meta(title="活体检测会话编号")]
    provider: Annotated[str, msgspec.Meta(title="活体检测服务（rekognition / tencent / simulated）")]
    provider_session: Annotated[str, msgspec.Meta(title="服务方的会话编号")]
    url: Annotated[str | None, msgspec.Meta(title="活体检测页面地址（AWS 为空：由应用内组件完成）")]
    expires_at: Annotated[str, msgspec.Meta(title="须在此时间前完成（ISO 8601）")]
    no_camera_hint: Annotated[str, msgspec.Meta(title="没有摄像头时的提示")]


class FaceCheckForm(Model):
    session: key("完成的活体检测会话编号（POST /identity/liveness-sessions）", required_message="请先完成人脸识别")


class FaceCheckAnswer(Model):
    face_check: Annotated[str, msgspec.Meta(title="人脸识别编号（发起申请时提交）")]
    expires_at: Annotated[str, msgspec.Meta(title="有效期至（ISO 8601）")]
    similarity: Annotated[float, msgspec.Meta(title="相似度（0–100）")]


# The shape of an ID number as typed (full-width digits and surrounding spaces are normalised by
# estate.domain.ids.parse_resident_id, which checks the birth date and check character afterwards).
ID_NUMBER_SHAPE = r"^\s*[0-9０-９]{17}[0-9０-９XxＸｘ]\s*$"
ID_NUMBER_FORMAT_MESSAGE = "身份证号码应为18位，最后一位可以是数字或X"


# --- POST /properties/search ----------------------------------------------------------------------


class PropertySearchForm(Model):
    seller_name: text(100, title="卖方姓名（与身份证一致）", messages={"required": "请填写姓名"})
    seller_id_number: text(100, title="卖方居民身份证号码（18位）", pattern=ID_NUMBER_SHAPE,
                           codes={"pattern": "ID_NUMBER_FORMAT"}, messages={"pattern": ID_NUMBER_FORMAT_MESSAGE})
    certificate_number: text(100, title="不动产权证书号或房屋所有权证号", examples=["晋(2021)阳泉市不动产权第0001234号"])
    unit_number: text(100, title="不动产单元号（可选，28位）") | None = None
    outlet: key("办理网点编号（GET /outlets）", required_message="请选择办理网点")


class UnitOwner(Model):
    name: str
    id_number: str
    share: str | int | float | None = None


class Finding(Model):
    code: str
    message: str


class UnitView(Model):
    """A unit found by the search (the owners' ID numbers masked) and whether it can be transferred online."""
    unit_number: str
    unit_number_display: str
    location: str
    area_m2: float | int | str | None = None
    purpose: str | None = None
    certificate_number: str
    holding_mode: str | None = None
    holding_mode_label: str | None = None
    owners: list[UnitOwner]
    eligible: bool
    blockers: list[Finding]
    notices: list[Finding]


class PropertySearchAnswer(Model):
    units: Annotated[list[UnitView], msgspec.Meta(title="匹配的不动产单元（姓名、证件号、证书号须同时一致，否则为空）")]


# --- POST /applications ------------------------------------------------------------------------------


class StartForm(Model):
    business: choice(BUSINESSES, title="业务类型", message="业务类型应为二手房买卖(sale)或贷款买卖(loan-sale)")
    role: choice(ROLES, title="发起人是买方还是卖方", message="请选择我是买方或我是卖方")
    outlet: key("办理网点编号（GET /outlets）", required_message="请选择办理网点")
    unit: text(100, title="不动产单元号（28位，来自房屋查询）", examples=["140302001002GB00001F00010001"])
    face_check: key("通过的人脸识别编号（POST /identity/face-checks）", required_message="请先完成人脸识别")
    notice_accepted: accepted("请勾选“我已查看材料清单、阅读并接受申请须知”", title="已阅读并接受申请须知（须为 true）")


# --- PUT /applications/{id}/contract (the citizen's form and the bank desk's) --------------------


class PaymentStage(Model):
    stage: text(50, title="付款阶段", examples=["定金"])
    amount: money("本期金额（元）")
    due_date: day("本期付款日期")


class DisputeResolution(Model):
    method: choice(DISPUTE_METHODS, title="争议解决方式", code="CHOOSE_ONE",
                   message="争议解决方式须在仲裁和诉讼中选择一种")
    commission: text(50, title="仲裁委员会（选择仲裁时填写，如“阳泉仲裁委员会”）") | None = None
    court: text(100, title="管辖法院（由系统按办理网点填写，不可自行约定）") | None = None


class HouseExtra(Model):
    fixtures: text(1000, title="附属设施设备") | None = None
    lease_status: text(200, title="租赁情况（缺省为“未出租”）") | None = None


Schedule = Annotated[list[PaymentStage], msgspec.Meta(
    min_length=1, title="付款计划（各期合计应等于成交价）",
    extra={"messages": {"required": "请填写付款计划"}})]


class ContractForm(Model):
    form_message: ClassVar[str] = "合同信息有误，请检查标红的必填项"

    price: money("成交价（元）")
    deposit: money("定金（元），不超过成交价的20%") | None = None
    payment_method: choice(PAYMENT_METHODS, title="付款方式",
                           message="付款方式应为一次性付款、分期付款或贷款付款")
    payment_schedule: Schedule
    delivery_date: day("房屋交付日期")
    registration_deadline: day("申请转移登记的期限")
    handover: text(1000, title="交付约定（钥匙、水电气等）")
    taxes_borne_by: choice(TAX_BEARERS, title="税费承担方式",
                           message="税费承担方式应为各自承担、买方承担或卖方承担")
    dispute_resolution: Annotated[DisputeResolution, msgspec.Meta(
        title="争议解决方式（仲裁或诉讼选其一）", extra={"messages": {"required": "请选择争议解决方式"}})]
    house: HouseExtra | None = None


# --- PUT /applications/{id}/parties --------------------------------------------------------------


class PersonForm(Model):
    name: text(100, title="姓名（与身份证一致）", messages={"required": "请填写姓名"})
    id_number: text(100, title="居民身份证号码（18位）")
    phone: text(100, title="手机号码")
    address: text(200, title="通讯地址")
    marital_status: choice(MARITAL_STATUSES, title="婚姻状况", message="婚姻状况应为未婚、已婚、离异或丧偶")


class HoldingForm(Model):
    mode: choice(HOLDING_MODES, title="共有方式", message="共有方式应为单独所有、共同共有或按份共有")
    shares: Annotated[dict[str, Any], msgspec.Meta(
        title="按份共有的份额：买方身份证号 → 百分数（如 \"60\"），合计100")] | None = None
    separate_certificates: Annotated[bool, msgspec.Meta(
        title="是否分别持证", extra={"messages": {"type": "是否分别持证应为是或否"}})] = False
    holders: Annotated[list[str], msgspec.Meta(title="持证人姓名（缺省：单独所有为买方，共同共有为第一位买方）")] | None = None


class PartiesForm(Model):
    form_message: ClassVar[str] = "买卖双方信息有误，请检查后重新提交"

    sellers: Annotated[list[PersonForm], msgspec.Meta(
        min_length=1, title="卖方（须为登记簿记载的全部权利人）", extra={"messages": {"required": "请填写卖方信息"}})]
    buyers: Annotated[list[PersonForm], msgspec.Meta(
        min_length=1, max_length=MAX_BUYERS, title=f"买方（网上办理不超过{MAX_BUYERS}人）",
        extra={"messages": {"required": "请填写买方信息", "too_many": f"网上办理买方不超过{MAX_BUYERS}人"},
               "codes": {"too_many": "TOO_MANY_BUYERS"}})]
    holding: Annotated[HoldingForm, msgspec.Meta(title="持证方式", extra={"messages": {"required": "请选择持证方式"}})]


# --- PUT /applications/{id}/tax-declaration ------------------------------------------------------


class MemberForm(Model):
    name: text(100, title="姓名（与身份证一致）", messages={"required": "请填写姓名"})
    id_number: text(100, title="居民身份证号码（18位）")
    sex: choice(SEXES, title="性别（须与身份证号码一致）", message="性别应为男(M)或女(F)")
    relation: choice(RELATIONS, title="与申报人关系", message="与被查询人关系应为本人、配偶、子女、父母或其他")


class FamilyForm(Model):
    members: Annotated[list[MemberForm], msgspec.Meta(
        min_length=1, max_length=MAX_MEMBERS, title=f"家庭成员（最多{MAX_MEMBERS}人）",
        extra={"messages": {"required": "请添加家庭成员", "too_many": f"一个家庭最多{MAX_MEMBERS}人"}})]


Families = Annotated[list[FamilyForm], msgspec.Meta(
    min_length=1, title="家庭（每位当事人须以“本人”出现在某个家庭中）",
    extra={"messages": {"required": "请至少添加一个家庭"}})]


class TaxHouseForm(Model):
    acquisition_date: day("卖方取得房屋的日期")
    original_price: money("原购房价（元），据实计征个人所得税时必填") | None = None
    reasonable_fees: money("合理费用（元）") | None = None
    seller_family_only_home: Annotated[bool, msgspec.Meta(
        title="是否为卖方家庭唯一住房", extra={"messages": {"required": "请说明是否为卖方家庭唯一住房",
                                                         "type": "请说明是否为卖方家庭唯一住房"}})]
    buyer_family_homes_before: Annotated[int, msgspec.Meta(
        ge=0, le=50, title="买方家庭购房前已有住房套数", extra={
            "codes": {"type": "NOT_COUNT", "range": "NOT_COUNT"},
            "messages": {"required": "请填写买方家庭购房前已有住房套数", "type": "请填写买方家庭购房前已有住房套数",
                         "range": "请填写买方家庭购房前已有住房套数"}})]
    pit_method: choice(PIT_METHODS, title="个人所得税计征方式",
                       message="个人所得税计征方式应为核定(deemed)或据实(actual)") = "deemed"


class DeclarationForm(Model):
    form_message: ClassVar[str] = "纳税申报信息有误，请检查后重新提交"

    buyer_families: Families
    seller_families: Families
    house: Annotated[TaxHouseForm, msgspec.Meta(title="房屋计税信息", extra={"messages": {"required": "请填写房屋信息"}})]


# --- PUT /applications/{id}/inquiry ---------------------------------------------------------------


class RespondentForm(Model):
    id_number: text(100, title="被询问人身份证号码（本申请的买方或卖方）")
    answers: Annotated[dict[str, str], msgspec.Meta(
        title="回答：题号 → 回答（GET /inquiry/questions；是否题答 yes 或 no，文字题不超过500字）",
        examples=[{"S1": "yes", "S2": "共有人均同意出售"}])] = {}


class InquiryForm(Model):
    form_message: ClassVar[str] = "询问笔录填写不完整，请检查"

    respondents: Annotated[list[RespondentForm], msgspec.Meta(
        min_length=1, title="被询问人（须包括全部买方和卖方）", extra={"messages": {"required": "请选择被询问人"}})]


# --- POST /applications/{id}/bank-push --------------------------------------------------------------


class BankPushForm(Model):
    bank: key("贷款银行编号（GET /banks）", required_message="请选择贷款银行")
    branch: key("银行网点编号（须在办理网点辖区内）", required_message="请选择银行网点")


# --- POST /applications/{id}/materials --------------------------------------------------------------


class UploadForm(Model):
    category: Annotated[str, msgspec.Meta(
        max_length=64, title="材料类别（按申请的材料清单）", examples=["id_card_seller"],
        extra={"codes": {"too_long": "UNKNOWN_CATEGORY", "type": "UNKNOWN_CATEGORY"},
               "messages": {"required": "请选择材料类别", "too_long": "材料类别不存在，请按材料清单选择",
                            "type": "材料类别不存在，请按材料清单选择"}})]


# --- POST /applications/{id}/withdraw (the body is optional) -------------------------------------------


class WithdrawApplicationForm(Model):
    """撤回申请: an optional reason, kept on the timeline. No body (or `{}`) withdraws without one."""

    reason: text(200, title="撤回原因（可不填，不超过200字）") | None = None


# --- what the steps answer: the application as its editor sees it (estate.apply.views) ------------

def titled(kind: Any, title: str) -> Any:
    return Annotated[kind, msgspec.Meta(title=title)]


Status = choice(STATUS_LABELS, title="状态")


class ApplicationUnit(UnitView):
    """The unit as the register had it when the application started (other owners' ID numbers masked)."""
    acquired_on: titled(str, "取得日期") | None = None
    assessed_price: titled(str, "评估价（元）") | None = None


class PersonView(Model):
    """A party as the viewer sees them: another person's ID number and phone masked."""
    name: str
    id_number: titled(str, "身份证号（他人的已脱敏）")
    phone: titled(str, "手机号码（他人的已脱敏）") | None = None
    address: str | None = None
    marital_status: choice(MARITAL_STATUSES, title="婚姻状况") | None = None


class HoldingView(Model):
    mode: choice(HOLDING_MODES, title="共有方式")
    shares: titled(dict[str, str | int | float], "按份共有的份额：买方身份证号（他人的已脱敏）→ 百分数") | None = None
    separate_certificates: bool = False
    holders: titled(list[str], "持证人姓名") | None = None


class PartiesView(Model):
    sellers: list[PersonView]
    buyers: list[PersonView]
    holding: HoldingView


class MemberView(Model):
    name: str
    id_number: titled(str, "身份证号（他人的已脱敏）")
    sex: choice(SEXES, title="性别")
    relation: choice(RELATIONS, title="与申报人关系")
    phone: str | None = None


class FamilyView(Model):
    members: list[MemberView]


class TaxHouseView(Model):
    acquisition_date: titled(str, "卖方取得房屋的日期")
    original_price: titled(str, "原购房价（元）") | None = None
    reasonable_fees: titled(str, "合理费用（元）") | None = None
    seller_family_only_home: bool
    buyer_family_homes_before: int
    pit_method: choice(PIT_METHODS, title="个人所得税计征方式")


class DeclarationView(Model):
    """The tax declaration as saved (other people's ID numbers masked)."""
    buyer_families: list[FamilyView]
    seller_families: list[FamilyView]
    house: TaxHouseView


class InquiryAnswer(Model):
    id: titled(str, "题号")
    question: str
    answer: titled(str, "回答（是否题为“是”或“否”）")


class RespondentView(Model):
    id_number: titled(str, "身份证号（他人的已脱敏）")
    name: str | None = None
    role: choice(ROLES, title="买方或卖方") | None = None
    answers: list[InquiryAnswer]


class InquiryView(Model):
    respondents: list[RespondentView]


class PushedBank(Model):
    """The lender a loan sale was pushed to (POST /applications/{id}/bank-push)."""
    bank: titled(str, "银行编号")
    bank_name: str
    branch: titled(str, "银行网点编号")
    branch_name: str
    pushed_at: titled(str, "推送时间（ISO 8601）") | None = None


class LegalDeadline(Model):
    """法定办理时限, counted in working days from acceptance (预计 while the year's holidays are unpublished)."""
    accepted_on: str
    working_days: int
    due_on: str
    due_on_provisional: bool
    due_on_label: str
    days_left: int | None = None


class ReturnReason(Model):
    code: choice({**RETURN_REASONS, "NOTE": "退件说明"}, title="退件原因")  # type: ignore[valid-type]
    label: str


class DocumentVersion(Model):
    sha256: str | None = None
    version: int | None = None


class ContractHouse(Model):
    location: str
    unit_number: str
    certificate_number: str
    building_area: str | int | float | None = None
    purpose: str | None = None
    fixtures: titled(str, "附属设施") | None = None
    lease_status: titled(str, "租赁情况") | None = None


class DisputeView(Model):
    method: choice(DISPUTE_METHODS, title="争议解决方式")
    commission: titled(str, "仲裁委员会") | None = None
    court: titled(str, "人民法院") | None = None
    text: titled(str, "合同条款文字")


class BreachTerms(Model):
    late_daily_rate: titled(str, "逾期付款/交房的日违约金比例")
    termination_after_days: titled(int, "逾期超过此天数可解除合同")
    termination_penalty: titled(str, "解除合同的违约金（元）")


class ContractLoan(Model):
    """A loan sale's loan in the contract, as the bank desk recorded it."""
    bank_name: str
    branch_name: str
    loan_type: str
    loan_type_label: str
    amount: str
    amount_in_words: str
    term_months: int
    down_payment: titled(str, "首付款（元）")


class ScheduledPayment(Model):
    stage: str
    amount: str
    due_date: str
    amount_in_words: str


class ContractView(Model):
    """The contract as saved: the form normalised, with what the platform adds (大写, house basics
    from the register, 违约责任 figures, 网签备案编号; a loan sale's loan once the bank signs it)."""
    house: ContractHouse
    price: str
    price_in_words: str
    deposit: str
    payment_method: choice(PAYMENT_METHODS, title="付款方式")
    payment_method_label: str
    payment_schedule: list[ScheduledPayment]
    delivery_date: str
    registration_deadline: str
    handover: str
    taxes_borne_by: choice(TAX_BEARERS, title="税费承担方式")
    taxes_borne_by_label: str
    dispute_resolution: DisputeView
    dated_on: str
    signing_place: str
    breach: BreachTerms
    filing_number: str | None = None
    loan: ContractLoan | None = None


class TimelineEntry(Model):
    at: str
    action: str
    actor_role: str | None = None
    status_from: str | None = None
    status_to: str | None = None
    note: str | None = None


class MaterialView(Model):
    material_id: str
    category: str
    status: choice(MATERIAL_STATUS_LABELS, title="材料状态")
    status_label: str
    reason: str | None = None
    size: int | None = None
    content_type: str | None = None
    width: int | None = None
    height: int | None = None
    source: str | None = None
    created_at: str


class ApplicationView(Model):
    """An application as a party sees it: other people's ID numbers and phones masked."""
    id: titled(str, "申请编号")
    business: choice(BUSINESSES, title="业务类型")
    outlet: titled(str, "办理网点编号")
    unit_number: titled(str, "不动产单元号")
    location: titled(str, "坐落") | None = None
    status: Status
    status_label: titled(str, "状态（中文）")
    created_at: titled(str, "发起时间（ISO 8601）")
    updated_at: titled(str, "最后修改时间（ISO 8601）") | None = None
    initiator_role: choice(ROLES, title="发起人一方")
    is_initiator: titled(bool, "当前用户是否为发起人（只有发起人可以修改）")
    unit: titled(ApplicationUnit, "不动产单元（登记簿信息，他人证件号已脱敏）")
    notices: titled(list[Finding], "提示事项（发起时确认过的登记簿提示）")
    parties: titled(PartiesView, "买卖双方及持证方式（他人证件号、手机号已脱敏）") | None = None
    contract: ContractView | None = None
    tax_declaration: titled(DeclarationView, "纳税申报（家庭成员、房屋计税信息）") | None = None
    inquiry: titled(InquiryView, "询问笔录（被询问人）") | None = None
    bank: titled(PushedBank, "推送的贷款银行及网点（贷款买卖）") | None = None
    return_reasons: titled(list[ReturnReason], "退件原因（待补正时）")
    deadline: titled(LegalDeadline, "法定办理时限（受理后）") | None = None
    documents: titled(dict[str, DocumentVersion], "已生成的文件：文件 → sha256、版本")
    materials: titled(list[MaterialView], "已上传的材料")
    timeline: titled(list[TimelineEntry], "办理过程（时间顺序）")


class ApplicationSummary(Model):
    id: str
    business: choice(BUSINESSES, title="业务类型")
    outlet: str
    unit_number: str
    location: str | None = None
    status: Status
    status_label: str
    created_at: str
    updated_at: str | None = None


class ApplicationList(Model):
    applications: Annotated[list[ApplicationSummary], msgspec.Meta(title="我参与的申请（新的在前）")]


class UploadTarget(Model):
    """Where the app posts the photo itself: a form POST to storage with these fields, then the file."""
    url: str
    fields: dict[str, str]
    method: str
    max_bytes: int
    content_types: list[str]
    expires_in: Annotated[int, msgspec.Meta(title="上传地址有效秒数")]


class UploadAnswer(Model):
    material: MaterialView
    category_name: str
    upload: UploadTarget


class MaterialDetail(MaterialView):
    url: Annotated[str, msgspec.Meta(title="查看地址（已通过的材料，限时有效）")] | None = None


class MaterialList(Model):
    materials: list[MaterialView]


class MaterialDeleted(Model):
    deleted: str


class ContractDraft(Model):
    """GET /applications/{id}/contract/draft: the saved contract as a PDF marked 草稿 (not issued: no
    verification code, nothing stored), for 预览 before signing starts."""

    title: str
    pages: Annotated[int, msgspec.Meta(title="页数")]
    pdf: Annotated[str, msgspec.Meta(title="PDF 文件（base64）")]


class DocumentLink(Model):
    doc: str
    title: str
    signed: bool
    sha256: str
    verification_code: str | None = None
    url: Annotated[str, msgspec.Meta(title="下载地址（限时有效）")]


class Branch(Model):
    code: str
    name: str
    outlet: Annotated[str, msgspec.Meta(title="所属办理网点编号")]


class Bank(Model):
    code: str
    name: str
    branches: list[Branch]


class BankList(Model):
    banks: list[Bank]


class Question(Model):
    id: str
    question: str
    answer_type: Annotated[str, msgspec.Meta(title="text：文字回答；yes_no：回答 yes 或 no")]


class QuestionBank(Model):
    seller: Annotated[list[Question], msgspec.Meta(title="卖方须回答的问题")]
    buyer: Annotated[list[Question], msgspec.Meta(title="买方须回答的问题")]
