"""The signing SMS wording, declared by the functions that send it (estate.wiring)."""


TEMPLATES = {
    "sign_invite": ("{name}您好，您参与的{location}不动产转移登记申请（{role_label}）需要您签署申请书、买卖合同和询问笔录。"
                    "请在{deadline}前打开链接，完成人脸识别后签署：{link} 此链接仅限本人使用，请勿转发。"),
    "sign_reminder": ("{name}您好，{location}不动产转移登记申请仍等待您签署（第{reminder}次提醒），"
                      "请在{deadline}前完成：{link}"),
    "sign_relink": ("{name}您好，这是您申请重新获取的{location}不动产转移登记申请（{role_label}）签署链接，此前的链接已作废。"
                    "请在{deadline}前打开链接，完成人脸识别后签署：{link} 此链接仅限本人使用，请勿转发。"),
    "sign_complete": "{name}您好，{location}不动产转移登记申请已由全部买卖双方签署完成，请发起人一键提取签署文件并提交申请。",
    "sign_declined": ("{name}您好，{location}不动产转移登记申请的签署未完成：{who}拒绝签署，原因：“{reason}”。"
                      "申请已退回，请修改后重新发起签署。"),
    "sign_failed": "{name}您好，{location}不动产转移登记申请的签署未完成（{reason}），申请已退回发起人修改后重新发起签署。",
}
