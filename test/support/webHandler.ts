/**
 * The terminal's whole HTTP app as a fetch-style handler, in-process, over a
 * real terminal (twins, SQLite file): for request-level property tests.
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { Effect, Layer } from "effect"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"
import { httpAppLayer } from "../../kiosk/http/server.ts"
import { testTerminal, type TestTerminalOptions } from "./terminal.ts"

export const STAFF = { username: "fuzz", password: "fuzz-password-123" } as const

/** With a supervisor account STAFF, so authenticated endpoints can be probed too. */
export const webHandler = (options: TestTerminalOptions = {}) =>
  HttpApiBuilder.toWebHandler(
    Layer.mergeAll(httpAppLayer(true), HttpServer.layerContext).pipe(
      Layer.provideMerge(
        testTerminal(options).pipe(
          Layer.tap((context) => Effect.provide(Effect.flatMap(StaffAuth, (a) => a.create(STAFF.username, "Fuzz", "supervisor", STAFF.password)), context))
        )
      )
    )
  )
