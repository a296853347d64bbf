/**
 * Staff accounts as a supervisor manages them in the back office: create one
 * (with a temporary password shown once), change its role or name, disable and
 * enable it, reset its password. Nobody disables or demotes their own account,
 * and the terminal never loses its last active supervisor — one conditional
 * UPDATE decides that, so parallel requests cannot walk past it. Every change is
 * an event (ids only, no names); disabling or resetting ends the account's
 * sessions at once.
 */
import { Effect, Option } from "effect"
import { Conflict, Forbidden, InvalidInput, NotFound } from "../domain/errors.ts"
import type { StaffId } from "../domain/ids.ts"
import { usernamePattern } from "../domain/rules.ts"
import { type Role, type StaffAccount, type StaffAccountView, type StaffMember } from "../domain/staff.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { StaffRepo } from "../persistence/StaffRepo.ts"
import { withTransaction } from "../persistence/transactions.ts"
import { SecureRandom } from "../ports/SecureRandom.ts"
import { hashPassword, StaffAuth } from "./StaffAuth.ts"
import { nowMillis } from "./support.ts"

const invalid = (field: string, problem: string) => new InvalidInput({ field, problem, message: `${field}: ${problem}` })

const viewOf = (a: StaffAccount, now: number): StaffAccountView => ({
  id: a.id,
  username: a.username,
  displayName: a.displayName,
  role: a.role,
  disabled: a.disabled,
  locked: a.lockedUntil > now
})

export interface AccountChange {
  readonly role?: Role | undefined
  readonly displayName?: string | undefined
  readonly disabled?: boolean | undefined
}

export class StaffAccounts extends Effect.Service<StaffAccounts>()("amtomat/StaffAccounts", {
  effect: Effect.gen(function*() {
    const staff = yield* StaffRepo
    const auth = yield* StaffAuth
    const log = yield* EventLog
    const random = yield* SecureRandom
    const transaction = yield* withTransaction

    const supervisorOnly = (me: StaffMember) => auth.requireRole(me, ["supervisor"])

    /** 12 characters from the CSPRNG in three groups (about 62 bits), to be typed once and then changed. */
    const temporaryPassword = Effect.map(random.id("t"), (id) => {
      const s = id.slice(2)
      return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`
    })

    const nameOk = (displayName: string) => {
      const name = displayName.trim()
      return name.length >= 2 && name.length <= 80 ? Effect.succeed(name) : Effect.fail(invalid("displayName", "must have 2 to 80 characters"))
    }

    const find = (id: StaffId) =>
      Effect.flatMap(
        staff.find(id),
        Option.match({
          onNone: () => Effect.fail(new NotFound({ resource: "staff account", id, message: `no staff account ${id}` })),
          onSome: Effect.succeed
        })
      )

    const list = Effect.fn("StaffAccounts.list")(function*(me: StaffMember) {
      yield* supervisorOnly(me)
      const now = yield* nowMillis
      return (yield* staff.list).map((a) => viewOf(a, now))
    })

    const create = Effect.fn("StaffAccounts.create")(function*(me: StaffMember, input: { username: string; displayName: string; role: Role }) {
      yield* supervisorOnly(me)
      const username = input.username.trim().toLowerCase()
      if (!usernamePattern.test(username)) {
        return yield* invalid("username", "must be 2 to 32 lower-case letters, digits, dots, dashes or underscores")
      }
      const displayName = yield* nameOk(input.displayName)
      const password = yield* temporaryPassword
      const member = yield* auth.create(username, displayName, input.role, password).pipe(
        Effect.catchTag("Conflict", () => Effect.fail(new Conflict({ reason: "WrongState", message: `the user name ${username} is taken` })))
      )
      yield* log.append({ _tag: "StaffAccountCreated", staffId: member.id, role: member.role, by: me.id })
      return { account: viewOf(yield* find(member.id), yield* nowMillis), temporaryPassword: password }
    })

    const change = Effect.fn("StaffAccounts.change")(function*(me: StaffMember, id: StaffId, to: AccountChange) {
      yield* supervisorOnly(me)
      const before = yield* find(id)
      const role = to.role ?? before.role
      const disabled = to.disabled ?? before.disabled
      const displayName = to.displayName === undefined ? before.displayName : yield* nameOk(to.displayName)
      if (id === me.id && (role !== before.role || disabled)) {
        return yield* new Forbidden({ message: "you cannot disable your own account or change your own role; ask another supervisor" })
      }
      const after = yield* transaction(Effect.gen(function*() {
        const changed = yield* staff.change(id, { role, displayName, disabled }, me.id)
        if (Option.isNone(changed)) {
          // demoted or disabled meanwhile (the role checked above was the one of the sign-in)
          const asker = yield* staff.find(me.id)
          if (Option.isNone(asker) || asker.value.role !== "supervisor" || asker.value.disabled) {
            return yield* new Forbidden({ message: "this needs the role supervisor" })
          }
          return yield* new Conflict({ reason: "WrongState", message: "the terminal must keep at least one active supervisor, so this account stays one" })
        }
        if (changed.value.role !== before.role || changed.value.disabled !== before.disabled) {
          yield* log.append({ _tag: "StaffAccountChanged", staffId: id, role, disabled, by: me.id })
        }
        return changed.value
      }))
      if (after.disabled && !before.disabled) yield* auth.endSessionsOf(id)
      return viewOf(after, yield* nowMillis)
    })

    const resetPassword = Effect.fn("StaffAccounts.resetPassword")(function*(me: StaffMember, id: StaffId) {
      yield* supervisorOnly(me)
      // one's own reset would end one's own session before the new password was ever read
      if (id === me.id) return yield* new Forbidden({ message: "you cannot reset your own password here; ask another supervisor" })
      const account = yield* find(id)
      const password = yield* temporaryPassword
      const hash = yield* hashPassword(password)
      yield* transaction(Effect.zipRight(staff.setPassword(id, hash), log.append({ _tag: "StaffPasswordReset", staffId: id, by: me.id })))
      yield* auth.endSessionsOf(id)
      return { account: viewOf(yield* find(account.id), yield* nowMillis), temporaryPassword: password }
    })

    return { list, create, change, resetPassword } as const
  }),
  // StaffAuth.Default by reference: the layer build shares it with the terminal's own
  dependencies: [EventLog.Default, StaffRepo.Default, StaffAuth.Default]
}) {}
