/**
 * The county's terminal registry: a terminal registered with its site gets a
 * credential — 32 bytes from the CSPRNG, shown once — and the county keeps only
 * its SHA-256 (a credential is a high-entropy secret, so a fast hash is enough
 * and lets the county find the terminal by it). A push or a head request
 * authenticates with the credential as a bearer token.
 */
import { Data, Effect, Option, Schema } from "effect"
import { createHash } from "node:crypto"
import { SecureRandom } from "../core/ports/SecureRandom.ts"
import { TerminalsRepo } from "./persistence/TerminalsRepo.ts"
import { isoNow } from "./replication/Replication.ts"

export class RegistryError extends Data.TaggedError("RegistryError")<{
  readonly reason: "Exists" | "BadName"
  readonly message: string
}> {}

export const credentialHash = (credential: string) => createHash("sha256").update(credential, "utf8").digest("hex")

/** Terminal ids: ASCII letters, digits and `._-` (they appear in every event, file names and URLs). */
const validName = Schema.is(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$/)))
/** Site names as a county writes them: "Münstermaifeld", "Mayen (VG Vordereifel)"; no markup or control characters. */
const validSite = Schema.is(Schema.String.pipe(Schema.pattern(/^[\p{L}\p{N}][\p{L}\p{N} .,_'()/-]{0,99}$/u)))

export interface Registered {
  readonly terminal: string
  readonly site: string
}

export class Registry extends Effect.Service<Registry>()("amtomat/county/Registry", {
  effect: Effect.gen(function*() {
    const terminals = yield* TerminalsRepo
    const random = yield* SecureRandom

    /** Registers the terminal and returns its credential (the only time it exists outside the terminal). */
    const add = Effect.fn("Registry.add")(function*(terminal: string, site: string) {
      if (!validName(terminal)) {
        return yield* new RegistryError({
          reason: "BadName",
          message: `--terminal: "${terminal}" is not a terminal id (letters, digits, . _ - and spaces, at most 64)`
        })
      }
      if (!validSite(site)) {
        return yield* new RegistryError({
          reason: "BadName",
          message: `--site: "${site}" is not a site name (letters, digits, spaces and . , _ ' ( ) / -, at most 100)`
        })
      }
      if (Option.isSome(yield* terminals.byId(terminal))) {
        return yield* new RegistryError({ reason: "Exists", message: `terminal ${terminal} is registered already: its credential was issued once` })
      }
      const credential = yield* random.token
      yield* terminals.add({ terminal, site, credentialHash: credentialHash(credential), at: yield* isoNow })
      return credential
    })

    /** The terminal this credential is of, if any. */
    const authenticate = (credential: string) =>
      Effect.map(terminals.byCredentialHash(credentialHash(credential)), Option.map((r): Registered => ({ terminal: r.terminal, site: r.site })))

    return { add, authenticate } as const
  }),
  dependencies: [TerminalsRepo.Default]
}) {}
