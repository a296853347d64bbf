/**
 * The screens: the vite build in kiosk/ui/dist, served at / (citizen kiosk),
 * /staff (back office) and /twin (twin panel, only with twin devices), their
 * hashed assets under /assets/. Without a build, / shows the start page with
 * a hint how to build the screens.
 */
import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { readFile } from "node:fs/promises"
import { extname, join, resolve } from "node:path"

/** The build to serve; AMTOMAT_UI_DIST points elsewhere (the tests use a stand-in build). */
export const uiDist = process.env["AMTOMAT_UI_DIST"] ?? resolve(import.meta.dirname, "..", "ui", "dist")

const types: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json",
  ".html": "text/html; charset=utf-8"
}

/** The pages only load what they ship with and talk only to this server. */
const pageHeaders = {
  "cache-control": "no-cache",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' data: blob:; style-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer"
}

const read = (file: string) => Effect.option(Effect.tryPromise(() => readFile(file)))

const notFound = HttpServerResponse.unsafeJson({ _tag: "NotFound", message: "no such file" }, { status: 404 })

const page = (name: string, fallback: string | undefined) =>
  Effect.map(read(join(uiDist, name)), (found) =>
    found._tag === "Some"
      ? HttpServerResponse.uint8Array(found.value, { contentType: types[".html"]!, headers: pageHeaders })
      : fallback !== undefined
      ? HttpServerResponse.html(fallback)
      : HttpServerResponse.unsafeJson({
        _tag: "NotFound",
        message: "the screens are not built: run `npm run build:ui`"
      }, { status: 404 }))

const asset = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const name = new URL(request.url, "http://x").pathname.slice("/assets/".length)
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith(".")) return notFound
  const found = yield* read(join(uiDist, "assets", name))
  if (found._tag === "None") return notFound
  return HttpServerResponse.uint8Array(found.value, {
    contentType: types[extname(name)] ?? "application/octet-stream",
    headers: { "cache-control": "public, max-age=31536000, immutable", "x-content-type-options": "nosniff" }
  })
})

/** Routes for the screens; `startPage` is shown at / when the screens are not built. */
export const uiRoutes = (twin: boolean, startPage: string) =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function*() {
      yield* router.get("/", page("index.html", startPage))
      yield* router.get("/staff", page("staff.html", undefined))
      if (twin) yield* router.get("/twin", page("twin.html", undefined))
      yield* router.get("/assets/*", asset)
    })
  )
