/**
 * The fleet back office's screens: the vite build in county/ui/dist, served at
 * /fleet (and / sends the browser there), its hashed assets under /assets/.
 * Without a build, /fleet says how to make one. The page talks only to this
 * server, with the bearer token of a county staff sign-in.
 */
import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { readFile } from "node:fs/promises"
import { extname, join, resolve } from "node:path"

/** The build to serve; AMTOMAT_COUNTY_UI_DIST points elsewhere. */
export const fleetUiDist = process.env["AMTOMAT_COUNTY_UI_DIST"] ?? resolve(import.meta.dirname, "..", "ui", "dist")

const types: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".map": "application/json"
}

const pageHeaders = {
  "cache-control": "no-cache",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer"
}

const read = (file: string) => Effect.option(Effect.tryPromise(() => readFile(file)))
const notFound = HttpServerResponse.unsafeJson({ _tag: "NotFound", message: "no such file" }, { status: 404 })

const page = Effect.map(read(join(fleetUiDist, "fleet.html")), (found) =>
  found._tag === "Some"
    ? HttpServerResponse.uint8Array(found.value, { contentType: "text/html; charset=utf-8", headers: pageHeaders })
    : HttpServerResponse.unsafeJson({ _tag: "NotFound", message: "the fleet screens are not built: run `npm run build:ui`" }, { status: 404 }))

const asset = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const name = new URL(request.url, "http://x").pathname.slice("/assets/".length)
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith(".")) return notFound
  const found = yield* read(join(fleetUiDist, "assets", name))
  if (found._tag === "None") return notFound
  return HttpServerResponse.uint8Array(found.value, {
    contentType: types[extname(name)] ?? "application/octet-stream",
    headers: { "cache-control": "public, max-age=31536000, immutable", "x-content-type-options": "nosniff" }
  })
})

export const fleetUiRoutes = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    yield* router.get("/", Effect.succeed(HttpServerResponse.empty({ status: 302, headers: { location: "/fleet" } })))
    yield* router.get("/fleet", page)
    yield* router.get("/assets/*", asset)
  })
)
