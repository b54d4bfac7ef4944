"""The application's own SMS wording (withdrawal), declared by the functions that send it (estate.wiring)."""


TEMPLATES = {
    "withdrawn_during_signing": ("{name}您好，{location}不动产转移登记申请已由申请人于{date}撤销，签署已终止，"
                                 "此前短信中的签署链接已作废，无需再签署。"),
    "application_withdrawn": ("{name}您好，您参与的{location}不动产转移登记申请（申请号{application_id}）"
                              "已由申请人于{date}撤销，如有疑问请联系申请人。"),
}
