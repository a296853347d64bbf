/**
 * The link to the responsible office: delivers a submitted application and
 * returns the office's acknowledgement.
 */
import type { Effect } from "effect"
import { Context } from "effect"
import type { AuthorityError } from "../domain/errors.ts"

export interface Submission {
  readonly applicationId: string
  readonly reference: string
  readonly serviceId: string
  readonly office: string
  readonly fields: Readonly<Record<string, string>>
  readonly attachments: ReadonlyArray<{ readonly name: string; readonly mime: string; readonly data: Uint8Array }>
}

export interface Acknowledgement {
  /** The office's own file number for the case. */
  readonly authorityReference: string
}

export class AuthorityGateway extends Context.Tag("amtomat/AuthorityGateway")<AuthorityGateway, {
  /** Idempotent by `applicationId`: delivering the same submission twice yields the same acknowledgement. */
  readonly deliver: (submission: Submission) => Effect.Effect<Acknowledgement, AuthorityError>
}>() {}
