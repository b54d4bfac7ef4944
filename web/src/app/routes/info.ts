import type { AreaRoutes } from "./types";

// 政策 / 指南 / 常见问题 (public, searchable; the search runs over the lists the API gives).
const KIND_TITLES = { policies: "政策法规", guides: "办事指南", faqs: "常见问题" } as const;

const lists: AreaRoutes = (Object.keys(KIND_TITLES) as (keyof typeof KIND_TITLES)[]).map((kind) => ({
  path: `/info/${kind}`,
  name: `info-${kind}`,
  component: () => import("../views/info/InfoListView.vue"),
  props: { kind },
  meta: { title: KIND_TITLES[kind], public: true },
}));

const routes: AreaRoutes = [
  ...lists,
  {
    path: "/info/policies/:id",
    name: "info-policy",
    component: () => import("../views/info/PolicyView.vue"),
    props: true,
    meta: { title: "政策详情", public: true },
  },
  {
    path: "/info/guides/:id",
    name: "info-guide",
    component: () => import("../views/info/GuideView.vue"),
    props: true,
    meta: { title: "办事指南详情", public: true },
  },
];

export default routes;
