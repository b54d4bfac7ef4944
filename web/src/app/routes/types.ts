// What every area's route module exports: a list of routes, each with a Chinese title for the nav bar.
import type { RouteRecordRaw } from "vue-router";

declare module "vue-router" {
  interface RouteMeta {
    /** The nav bar's title (Chinese). */
    title?: string;
    /** Open without signing in (home, 政策/指南/常见问题). Every other route asks for a sign-in first. */
    public?: boolean;
    /** A tab's root screen: the tab bar shows, the nav bar has no back arrow. */
    tab?: "home" | "mine";
  }
}

export type AreaRoutes = RouteRecordRaw[];
