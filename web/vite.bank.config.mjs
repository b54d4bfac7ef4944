// The bank desk (web/src/bank, Element Plus, the clerk desk's kit and shared code): served at /bank/ by
// the local stack (local/webapp.py serve_bank) beside the bank API (/bank/applications/…), whose paths
// share the prefix — so its hashed files go under bank-assets/. A third entry rather than a route of
// the clerk's desk: its own base path, sign-in (loan officers of a branch) and header.
import { fileURLToPath } from "node:url";

import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/bank/",
  plugins: [vue()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL("../build/web/bank", import.meta.url)),
    emptyOutDir: true,
    target: "es2020",
    assetsDir: "bank-assets",
    assetsInlineLimit: 0, // no data: URLs (CSP)
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      input: fileURLToPath(new URL("./bank.html", import.meta.url)),
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
