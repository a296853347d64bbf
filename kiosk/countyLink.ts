/**
 * The terminal's link to its county: the credential file `amtomat county
 * terminal add` wrote, the CountyGateway port over HTTP, and the sync job
 * (core/workflows/CountySync.ts) that `serve --county URL --county-credential
 * FILE` runs beside the terminal. Nothing here is on the path of a door.
 */
import { HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Context, Data, Duration, Effect, Either, Layer, Option, ParseResult, Schema } from "effect"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { CompartmentsRepo } from "../core/persistence/CompartmentsRepo.ts"
import { CountyOrdersRepo } from "../core/persistence/CountyOrdersRepo.ts"
import { CountyGateway, CountyUnreachable } from "../core/ports/CountyGateway.ts"
import { CountyInbox } from "../core/ports/CountyInbox.ts"
import { Inbox } from "../core/protocols/countyOrders.ts"
import { CountyHead, PushResult, ReplicationRefused } from "../core/protocols/replication.ts"
import { CountyOrders, type InboxSettings } from "../core/workflows/CountyOrders.ts"
import { CountyGridSource, CountySync, type SyncSettings } from "../core/workflows/CountySync.ts"
import { Loading } from "../core/workflows/Loading.ts"

export class CountyLinkError extends Data.TaggedError("CountyLinkError")<{
  readonly reason: "BadCredential" | "BadUrl" | "WrongTerminal"
  readonly message: string
}> {}

/** What `county terminal add --out FILE` writes: the terminal, its site and its credential (mode 0600). */
export const CountyCredential = Schema.Struct({
  terminal: Schema.String.pipe(Schema.minLength(1)),
  site: Schema.String.pipe(Schema.minLength(1)),
  credential: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{32,}$/))
})
export type CountyCredential = typeof CountyCredential.Type

const decodeCredential = Schema.decodeUnknownEither(Schema.parseJson(CountyCredential))

export const loadCountyCredential = (file: string) =>
  Effect.gen(function*() {
    const text = yield* Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: (e) =>
        new CountyLinkError({ reason: "BadCredential", message: `--county-credential: cannot read ${file} (${e instanceof Error ? e.message : String(e)})` })
    })
    const decoded = decodeCredential(text)
    if (Either.isLeft(decoded)) {
      const why = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
      return yield* new CountyLinkError({
        reason: "BadCredential",
        message: `--county-credential: ${file} is not a county credential (${
          why === undefined ? "malformed" : `${why.path.join(".") || "file"}: ${why.message}`
        }); write one with amtomat county terminal add`
      })
    }
    return decoded.right
  })

export const countyUrl = (text: string) =>
  Effect.try({
    try: () => {
      const url = new URL(text)
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http or https")
      return url.toString().replace(/\/$/, "")
    },
    catch: () => new CountyLinkError({ reason: "BadUrl", message: `--county: "${text}" is not an http:// or https:// URL of a county server` })
  })

const Changed = Schema.Struct({ changed: Schema.Int })

/** The error body a county answer carries, if it has one. */
const ErrorBody = Schema.Struct({ _tag: Schema.String, message: Schema.String })

/**
 * The ports over HTTP (the log's replication and the order inbox): bearer credential, one timeout per request. A 409 is the county's
 * refusal; 401 an unknown credential; anything else that is not the protocol's answer is
 * BadAnswer, and no answer at all is Network.
 */
export const httpCountyGateway = (options: { readonly url: string; readonly credential: string; readonly timeout?: Duration.DurationInput }) =>
  Layer.effectContext(
    Effect.gen(function*() {
      const client = (yield* HttpClient.HttpClient).pipe(
        HttpClient.mapRequest((r) =>
          r.pipe(HttpClientRequest.prependUrl(`${options.url}/api/v1/replication`), HttpClientRequest.bearerToken(options.credential))
        )
      )
      const timeout = Duration.decode(options.timeout ?? "30 seconds")
      const unreachable = (reason: CountyUnreachable["reason"], message: string) => new CountyUnreachable({ reason, message })
      const answer = <A, I>(schema: Schema.Schema<A, I>) => (response: HttpClientResponse.HttpClientResponse) =>
        Effect.gen(function*() {
          if (response.status >= 200 && response.status < 300) {
            return yield* HttpClientResponse.schemaBodyJson(schema)(response).pipe(
              Effect.mapError(() => unreachable("BadAnswer", `the county at ${options.url} answered with something that is not the replication protocol`))
            )
          }
          if (response.status === 409) {
            const refused = yield* HttpClientResponse.schemaBodyJson(ReplicationRefused)(response).pipe(
              Effect.mapError(() => unreachable("BadAnswer", `the county at ${options.url} refused the push without saying why`))
            )
            return yield* Effect.fail(refused)
          }
          const body = yield* Effect.option(HttpClientResponse.schemaBodyJson(ErrorBody)(response))
          const said = body._tag === "Some" ? `: ${body.value.message}` : ""
          return yield* Effect.fail(
            response.status === 401
              ? unreachable("Unauthorized", `the county at ${options.url} does not accept this terminal's credential${said}`)
              : unreachable("BadAnswer", `the county at ${options.url} answered ${response.status}${said}`)
          )
        })
      const call = <A, I>(request: HttpClientRequest.HttpClientRequest, schema: Schema.Schema<A, I>) =>
        client.execute(request).pipe(
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: () => unreachable("Network", `the county at ${options.url} did not answer within ${Duration.format(timeout)}`)
          }),
          Effect.catchTag(
            "RequestError",
            (e) =>
              Effect.fail(unreachable("Network", `the county at ${options.url} cannot be reached (${e.cause instanceof Error ? e.cause.message : e.reason})`))
          ),
          Effect.catchTag("ResponseError", (e) => Effect.fail(unreachable("Network", `the county at ${options.url} broke off its answer (${e.reason})`))),
          Effect.flatMap(answer(schema)),
          Effect.scoped
        )
      const post = <A, I>(path: string, body: unknown, schema: Schema.Schema<A, I>) =>
        Effect.flatMap(
          HttpClientRequest.bodyJson(HttpClientRequest.post(path), body).pipe(Effect.orDie), // the protocol's bodies are plain JSON
          (r) => call(r, schema)
        )
      const refusedAsBadAnswer = <A, E>(what: string, effect: Effect.Effect<A, E | ReplicationRefused>) =>
        Effect.catchIf(
          effect,
          (e): e is ReplicationRefused => e instanceof ReplicationRefused,
          (e) => Effect.fail(unreachable("BadAnswer", `the county at ${options.url} refused ${what}: ${e.message}`))
        )
      const inbox = CountyInbox.of({
        fetch: refusedAsBadAnswer("to hand out the orders", call(HttpClientRequest.get("/orders"), Inbox)),
        answer: (answers) => Effect.asVoid(refusedAsBadAnswer("the answer about its orders", post("/orders/answers", answers, Changed)))
      })
      const gateway = CountyGateway.of({
        head: call(HttpClientRequest.get("/head"), CountyHead).pipe(
          Effect.catchTag(
            "ReplicationRefused",
            (e) => Effect.fail(unreachable("BadAnswer", `the county at ${options.url} refused to name its head: ${e.message}`))
          )
        ),
        push: (request) => post("/events", request, PushResult)
      })
      return Context.make(CountyGateway, gateway).pipe(Context.add(CountyInbox, inbox))
    })
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

/** The terminal's identity must be the credential's: a terminal pushing under another's name is refused before it starts. */
export const checkCredentialFits = (credential: CountyCredential, policy: { readonly terminalId: string; readonly site: string }, file: string) =>
  credential.terminal === policy.terminalId && credential.site === policy.site
    ? Effect.void
    : Effect.fail(
      new CountyLinkError({
        reason: "WrongTerminal",
        message:
          `--county-credential: ${file} is terminal ${credential.terminal}'s at ${credential.site}, but this terminal is ${policy.terminalId} at ${policy.site} (set --site, and terminalId in --policy)`
      })
    )

/** `--county URL --county-credential FILE`: both or neither; the credential must be this terminal's. */
export const countySettings = (
  opts: { readonly county: Option.Option<string>; readonly countyCredential: Option.Option<string> },
  policy: { readonly terminalId: string; readonly site: string }
) =>
  Effect.gen(function*() {
    if (Option.isNone(opts.county) && Option.isNone(opts.countyCredential)) return Option.none<{ readonly url: string; readonly credential: string }>()
    if (Option.isNone(opts.county)) {
      return yield* new CountyLinkError({ reason: "BadUrl", message: "--county-credential needs --county URL (the county server)" })
    }
    if (Option.isNone(opts.countyCredential)) {
      return yield* new CountyLinkError({ reason: "BadCredential", message: "--county needs --county-credential FILE (from amtomat county terminal add)" })
    }
    const url = yield* countyUrl(opts.county.value)
    const file = resolve(opts.countyCredential.value)
    const credential = yield* loadCountyCredential(file)
    yield* checkCredentialFits(credential, policy, file)
    return Option.some({ url, credential: credential.credential })
  })

/** The sync job as a scoped fiber: CountySync over the HTTP gateway, beside the terminal (needs its EventLog). */
export const countyJob = (
  options: { readonly url: string; readonly credential: string; readonly settings?: SyncSettings; readonly inbox?: InboxSettings }
) =>
  Effect.gen(function*() {
    // built in the terminal's scope: the HTTP client lives as long as the job, not as long as this call
    // the grid the fleet shows is the terminal's own compartments table, read at each push
    const compartments = yield* CompartmentsRepo
    const grid = Layer.succeed(
      CountyGridSource,
      Effect.map(Effect.orElseSucceed(compartments.all, () => []), (all) => all.map((c) => ({ id: c.id, state: c.state, door: c.door, item: c.item })))
    )
    // the orders from the citizens' office are announced through the terminal's own Loading, as staff would
    const loading = yield* Loading
    const local = Layer.mergeAll(grid, Layer.succeed(Loading, loading), CountyOrdersRepo.Default)
    const context = yield* Layer.build(
      Layer.merge(CountySync.Default, CountyOrders.Default).pipe(Layer.provide(httpCountyGateway(options)), Layer.provide(local))
    )
    const sync = Context.get(context, CountySync)
    yield* Effect.logInfo(`county: replicating the event log to ${options.url} and taking the orders announced there`)
    yield* Effect.forkScoped(sync.run(options.settings))
    yield* Effect.forkScoped(Context.get(context, CountyOrders).run(options.inbox))
    return sync
  })
