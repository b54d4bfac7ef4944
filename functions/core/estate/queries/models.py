"""The personal property query's body and answer (docs/openapi.json is generated from these)."""

from typing import Annotated, ClassVar

import msgspec

from estate.documents.issue import DOCUMENT_TYPES
from estate.queries.personal import MAX_PURPOSE, RESTRICTION_LABELS, SCOPES
from estate.schema import Model, accepted, choice, key, text
from estate.store.documents import REVOKED, VALID
from estate.store.register import HOLDING_LABELS

_PURPOSE_TOO_LONG = f"查询目的不超过{MAX_PURPOSE}字"


class QueryForm(Model):
    """POST /queries: the person's own holdings, after a face check and a captcha."""

    form_message: ClassVar[str] = "查询信息有误，请检查后重新提交"

    outlet: key("请选择登记机构", title="登记机构编码")
    scope: choice(SCOPES, title="查询范围", message="查询范围应为所选登记机构辖区(outlet)或全市(city)")
    purpose: text(MAX_PURPOSE, title="查询目的", messages={"required": "请填写查询目的", "too_long": _PURPOSE_TOO_LONG})
    captcha_id: key("请获取验证码", title="验证码编号")
    captcha_answer: text(20, title="验证码", messages={"required": "请输入验证码"})
    face_check: key("请先完成人脸识别", title="人脸识别编号")
    notice_accepted: accepted("请阅读并勾选“我已阅读并同意查询须知”", title="已阅读并同意查询须知")


class QueryRestriction(Model):
    kind: choice(RESTRICTION_LABELS, title="限制类型")
    label: str
    holder: str | None
    document_number: str | None
    registered_on: str | None
    ends_on: str | None
    amount: Annotated[str | None, msgspec.Meta(description="担保金额（元），抵押时")]


class QueryUnit(Model):
    unit_number: str
    location: str
    building_area: Annotated[str, msgspec.Meta(description="建筑面积（平方米），十进制文字")]
    purpose: str
    house_nature: str | None
    right_type: str
    holding_mode: choice(HOLDING_LABELS, title="共有方式")
    holding_mode_label: str | None
    share: Annotated[str | None, msgspec.Meta(description="本人份额，小数文字，如 \"0.6\"（按份共有时）")]
    owners: list[str]
    certificate_number: str | None
    registered_on: str | None
    how_acquired: str | None
    restrictions: list[QueryRestriction]


class QueryDocument(Model):
    code: str
    sha256: str
    verify_url: str
    pdf_url: str


class QueryAnswer(Model):
    """A recorded query; `document` is null until the certificate is issued (on GET /queries/{id})."""

    id: str
    created_at: str
    scope: choice(SCOPES, title="查询范围")
    scope_label: str | None
    outlet: str
    purpose: str
    units: list[QueryUnit]
    result: str
    document: QueryDocument | None
    document_status: choice({"issued": "已出具", "pending": "待生成"}, title="查询结果证明")
    document_status_label: str


class DocumentVerification(Model):
    """GET /verify/{code} (public): what was issued under a printed verification code, whether it still
    stands, and with ?sha256= whether a copy in hand is that file byte for byte."""

    code: Annotated[str, msgspec.Meta(title="校验码（印在文件上的形式）")]
    valid: bool
    status: choice({VALID: "有效", REVOKED: "已作废"}, title="状态")
    document_type: choice(DOCUMENT_TYPES, title="文件类型")
    document_type_label: str
    title: str
    sha256: str
    size: Annotated[int, msgspec.Meta(title="字节数")]
    issued_at: str
    revoked_at: str | None
    revoked_reason: str | None
    sha256_matches: bool | None = None
