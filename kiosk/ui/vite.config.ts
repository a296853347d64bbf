/**
 * The screens' build: three pages, plain TypeScript and DOM, no framework.
 * `npm run build:ui` writes kiosk/ui/dist, which `amtomat serve` serves at
 * /, /staff and /twin. `npx vite --config kiosk/ui/vite.config.ts` serves the
 * sources with hot reload and forwards /api to a terminal on port 8080.
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
    rollupOptions: {
      input: {
        index: resolve(root, "index.html"),
        staff: resolve(root, "staff.html"),
        twin: resolve(root, "twin.html")
      }
    }
  },
  server: {
    proxy: { "/api": "http://localhost:8080", "/health": "http://localhost:8080" }
  }
})
