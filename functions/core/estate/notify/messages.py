"""The lifecycle SMS wording (issue 17), declared by every function that queues or sends it (estate.wiring).

Parameters are masked before they are stored (estate.notify.steps): a location is cut to its street,
names of other parties are masked, amounts are plain yuan. The in-app entry shows the same text."""


TEMPLATES = {
    "application_submitted": ("{name}您好，{location}不动产转移登记申请（申请号{application_id}）已于{date}提交登记机构，"
                              "受理后将短信通知您。"),
    "application_accepted": ("{name}您好，{location}不动产转移登记申请（申请号{application_id}）已于{date}受理，"
                             "法定办结期限：{due_on}。"),
    "taxes_assessed": ("{name}您好，{location}不动产转移登记申请的税费已核定，{side_label}应缴{amount}元（{items}）。"
                       "请在“阳泉不动产登记”的“我的税费”中用支付宝或云闪付缴纳。"),
    "taxes_assessed_nothing": "{name}您好，{location}不动产转移登记申请的税费已核定，{side_label}无需缴纳税费。",
    "application_returned_other": ("{name}您好，您参与的{location}不动产转移登记申请（申请号{application_id}）"
                                   "已被登记机构退件，待申请人补正后重新提交。"),
    "certificate_to_collect": ("{name}您好，{location}不动产转移登记（申请号{application_id}）已登簿，新证书号{certificate}。"
                               "请携带身份证原件前往{outlet_name}领取新证，可在“阳泉不动产登记”预约领证时段。"),
    "certificate_to_hand_back": ("{name}您好，{location}不动产转移登记（申请号{application_id}）已登簿，"
                                 "请携带身份证原件和原不动产权证书前往{outlet_name}交回原证书。"),
    "application_refused": ("{name}您好，{location}不动产转移登记申请（申请号{application_id}）经审查不予登记，"
                            "原因：{reason}。详情请登录“阳泉不动产登记”查看。"),
    "application_completed": "{name}您好，{location}不动产转移登记（申请号{application_id}）已于{date}办结。",
    "application_withdrawn_self": ("{name}您好，您已于{date}撤销{location}不动产转移登记申请（申请号{application_id}）。"),
    "refund_requested": ("{name}您好，{location}不动产转移登记申请已{ended}，您已缴纳的税费{amount}元已提交退税申请"
                         "（编号{refund_id}），款项将按原支付渠道退回。"),
    "signing_link_reissued": "{name}您好，{location}不动产转移登记申请的签署链接已按申请重新发送，此前的链接已作废。",
}
