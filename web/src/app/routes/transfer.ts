// 二手房转移登记 (买卖, 贷款买卖): the start wizard (须知, 网点, 人脸, 房屋查询), then one screen per
// step of the application, each reopened from the application's state (ResumeView).
import type { RouteRecordRaw } from "vue-router";

const step = (name: string, path: string, load: () => Promise<unknown>, title: string): RouteRecordRaw => ({
  name: `transfer-${name}`, path: `/transfer/case/:id/${path}`, component: load as RouteRecordRaw["component"],
  meta: { title, auth: true },
});

export const routes: RouteRecordRaw[] = [
  {
    name: "transfer-start",
    path: "/transfer/:business(sale|loan-sale)",
    component: () => import("../views/transfer/StartView.vue"),
    meta: { title: "二手房转移登记", auth: true },
  },
  {
    name: "transfer-case",
    path: "/transfer/case/:id",
    component: () => import("../views/transfer/ResumeView.vue"),
    meta: { title: "二手房转移登记", auth: true },
  },
  step("parties", "parties", () => import("../views/transfer/PartiesView.vue"), "买卖双方信息"),
  step("contract", "contract", () => import("../views/transfer/ContractView.vue"), "合同在线签订"),
  step("declaration", "declaration", () => import("../views/transfer/DeclarationView.vue"), "纳税申报"),
  step("inquiry", "inquiry", () => import("../views/transfer/InquiryView.vue"), "询问笔录"),
  step("materials", "materials", () => import("../views/transfer/MaterialsView.vue"), "签署与材料上传"),
  step("bank", "bank", () => import("../views/transfer/BankView.vue"), "推送银行"),
  step("progress", "progress", () => import("../views/transfer/ProgressView.vue"), "办理进度"),
];

export default routes;
