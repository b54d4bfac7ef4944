import HomeView from "../views/home/HomeView.vue";

import type { AreaRoutes } from "./types";

const routes: AreaRoutes = [
  {
    path: "/",
    name: "home",
    // In the entry chunk, not lazy: it is the screen people land on, and a lazy chunk would add one more
    // round trip before anything shows (bench: h5.home.interactive_ms_slow4g).
    component: HomeView,
    meta: { title: "不动产登记", public: true, tab: "home" },
  },
];

export default routes;
