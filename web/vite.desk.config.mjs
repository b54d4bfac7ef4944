// The clerk's desk (web/src/desk, Element Plus): served at /office/ by the local stack (local/webapp.py
// serve_desk) beside the office API, whose paths share the prefix — so its hashed files go under
// desk-assets/ (the API owns /office/assets/…). Element Plus is imported per component (views import
// each El* and its CSS), not whole: the desk loads only what it shows.
import { fileURLToPath } from "node:url";

import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/office/",
  plugins: [vue()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL("../build/web/desk", import.meta.url)),
    emptyOutDir: true,
    target: "es2020",
    assetsDir: "desk-assets",
    assetsInlineLimit: 0, // no data: URLs (CSP)
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      input: fileURLToPath(new URL("./desk.html", import.meta.url)),
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
