/**
 * The fleet back office's build: one page, plain TypeScript and DOM, no framework.
 * `npm run build:ui` writes county/ui/dist, which `amtomat county serve` serves at
 * /fleet. `npx vite --config county/ui/vite.config.ts` serves the sources with hot
 * reload and forwards /api to a county server on port 8090.
 */
import { resolve } from "node:path"
import { defineConfig } from "vite"

const root = import.meta.dirname

export default defineConfig({
  root,
  base: "/",
  publicDir: false,
  logLevel: "warn",
  build: {
    outDir: resolve(root, "dist"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    modulePreload: { polyfill: false },
    rollupOptions: { input: { fleet: resolve(root, "fleet.html") } }
  },
  server: { proxy: { "/api": "http://localhost:8090", "/health": "http://localhost:8090" } }
})
