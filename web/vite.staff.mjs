// The staff desks' shared Vite configuration (Element Plus; the clerk's desk and the bank desk).
// Each desk is served under a prefix its API shares (/office/…, /bank/…), so its hashed files go
// under <name>-assets/ where no API path lives. Element Plus is imported per component (views import
// each El* and its CSS), not whole: a desk loads only what it shows.
import { fileURLToPath } from "node:url";

import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** `name`: the desk (its html entry `<name>.html`, output build/web/<name>); `base`: where it is served. */
export function staffDesk(name, base) {
  return defineConfig({
    root: here("."),
    base,
    plugins: [vue()],
    resolve: { alias: { "@": here("./src") } },
    build: {
      outDir: here(`../build/web/${name}`),
      emptyOutDir: true,
      target: "es2020",
      assetsDir: `${name}-assets`,
      assetsInlineLimit: 0, // no data: URLs (CSP)
      chunkSizeWarningLimit: 800,
      rolldownOptions: {
        input: here(`./${name}.html`),
        checks: { pluginTimings: false },
        output: {
          codeSplitting: {
            groups: [
              { name: "pdfjs", test: /node_modules[\\/]pdfjs-dist/ },
              { name: "vue", test: /node_modules[\\/](@vue|vue|vue-router)[\\/]/ },
              { name: "element", test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@vueuse|lodash|dayjs)/ },
            ],
          },
        },
      },
    },
  });
}
