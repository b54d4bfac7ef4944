// 二手房转移登记 (买卖, 贷款买卖): the start wizard (须知, 网点, 人脸, 房屋查询), then one screen per
// step of the application, each reopened from the application's state (ResumeView). Every route asks
// for a sign-in (the shell's guard); the signing status screen belongs to the sign area.
import type { AreaRoutes } from "./types";

const routes: AreaRoutes = [
  {
    path: "/transfer",
    name: "transfer",
    component: () => import("../views/transfer/BusinessView.vue"),
    meta: { title: "业务办理" },
  },
  {
    path: "/transfer/:business(sale|loan-sale)",
    name: "transfer-start",
    component: () => import("../views/transfer/StartView.vue"),
    meta: { title: "二手房转移登记" },
  },
  {
    path: "/transfer/case/:id",
    name: "transfer-case",
    component: () => import("../views/transfer/ResumeView.vue"),
    meta: { title: "二手房转移登记" },
  },
  {
    path: "/transfer/case/:id/parties",
    name: "transfer-parties",
    component: () => import("../views/transfer/PartiesView.vue"),
    meta: { title: "买卖双方信息" },
  },
  {
    path: "/transfer/case/:id/contract",
    name: "transfer-contract",
    component: () => import("../views/transfer/ContractView.vue"),
    meta: { title: "合同在线签订" },
  },
  {
    path: "/transfer/case/:id/declaration",
    name: "transfer-declaration",
    component: () => import("../views/transfer/DeclarationView.vue"),
    meta: { title: "纳税申报" },
  },
  {
    path: "/transfer/case/:id/inquiry",
    name: "transfer-inquiry",
    component: () => import("../views/transfer/InquiryView.vue"),
    meta: { title: "询问笔录" },
  },
  {
    path: "/transfer/case/:id/materials",
    name: "transfer-materials",
    component: () => import("../views/transfer/MaterialsView.vue"),
    meta: { title: "签署与材料上传" },
  },
  {
    path: "/transfer/case/:id/bank",
    name: "transfer-bank",
    component: () => import("../views/transfer/BankView.vue"),
    meta: { title: "推送银行" },
  },
  {
    path: "/transfer/case/:id/progress",
    name: "transfer-progress",
    component: () => import("../views/transfer/ProgressView.vue"),
    meta: { title: "办理进度" },
  },
];

export default routes;
