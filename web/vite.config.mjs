// The citizen H5 app (web/src/app): served at /app/ by the local stack (local/webapp.py) and, deployed,
// by CloudFront from a private bucket. Everything it loads is in the build: no CDN at run time.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/** Vant's icon font is embedded (woff2 data: URL) with a fallback on a CDN: drop the CDN (no third-party
 * request at run time; the CSP would block it anyway). */
function noRemoteFonts() {
  return {
    name: "estate:no-remote-fonts",
    transform(code, id) {
      if (!/node_modules[\\/]vant[\\/].*\.css$/.test(id)) return null;
      return { code: code.replace(/,\s*url\((?:https?:)?\/\/[^)]*\)\s*format\([^)]*\)/g, ""), map: null };
    },
  };
}

/** Vant embeds its icon font in the icon stylesheet (a ~25 KB gzip woff2 data: URL), which makes that
 * render-blocking CSS the largest file of the home screen. Written out as its own file instead (hashed
 * by Vite like any asset), the stylesheet is ~3 KB and the font is fetched only when an icon is drawn,
 * with `font-display: swap` so text never waits for it (bench/h5.py: h5.home.interactive_ms_slow4g). */
function iconFontAsFile() {
  const fontFile = fileURLToPath(new URL("./node_modules/.cache/estate/vant-icon.woff2", import.meta.url));
  return {
    name: "estate:icon-font-as-file",
    enforce: "pre", // before Vite's CSS plugin, which then resolves and hashes the url() like any asset
    transform(code, id) {
      if (!/node_modules[\\/]vant[\\/]es[\\/]icon[\\/]index\.css$/.test(id)) return null;
      const match = /url\(["']?data:font\/woff2;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)["']?\)/.exec(code);
      if (!match) return null;
      mkdirSync(dirname(fontFile), { recursive: true });
      writeFileSync(fontFile, Buffer.from(match[1], "base64"));
      const url = relative(dirname(id), fontFile).split("\\").join("/");
      return {
        code: code.replace(match[0], `url("${url}")`).replace(/font-display:\s*auto/g, "font-display:swap"),
        map: null,
      };
    },
  };
}

export default defineConfig({
  root,
  base: "/app/",
  plugins: [vue(), noRemoteFonts(), iconFontAsFile()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL("../build/web/app", import.meta.url)),
    emptyOutDir: true,
    manifest: true, // .vite/manifest.json: which chunks each screen loads (bench/h5.py sizes them)
    target: "es2020", // older Android WebViews (Chrome 80+)
    assetsInlineLimit: 0, // no data: URLs, so the CSP needs no `data:` for images or fonts
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      checks: { pluginTimings: false }, // its slow-plugin report is noise on a shared 2-core machine
      output: {
        // Vue and the router are one vendor chunk cached across releases; each area's views come in
        // their own lazy chunks (import() in routes/*.ts) and PDF.js only with the viewer
        // (shared/PdfViewer.vue loads it with import()). PDF.js is deliberately NOT a named group: a
        // group chunk also takes shared helpers, and the entry then imported all of PDF.js statically
        // (bench/h5.py caught it: 143 KB gzip on the home screen).
        codeSplitting: {
          groups: [
            { name: "vue", test: /node_modules[\\/](@vue|vue|vue-router)[\\/]/ },
          ],
        },
      },
    },
  },
});
