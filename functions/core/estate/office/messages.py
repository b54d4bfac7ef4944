"""The back office's SMS wording, declared by the functions that send it (estate.wiring)."""

from estate.store import content

TEMPLATES = {
    "application_returned": ("{name}您好，您的不动产转移登记申请（申请号{application_id}）已退件，原因：{reasons}。"
                             "请登录“阳泉不动产登记”补正后重新提交。"),
}


def outlet_name(outlet: str) -> str:
    return (content.get_published("outlet", outlet) or {}).get("name") or "市不动产登记中心业务大厅"
