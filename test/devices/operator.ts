/**
 * Hands for hardware mode: the LockerTwinControl and CardTwinControl of a
 * real terminal are a person following instructions on standard error. Each
 * step that the sensors can see is awaited through the driver itself.
 */
import { Duration, Effect, Either, Schedule } from "effect"
import { type Channel, channelKey } from "../../core/domain/compartment.ts"
import type { CardTerminal } from "../../core/ports/CardTerminal.ts"
import type { ChannelStatus, LockerBank } from "../../core/ports/LockerBank.ts"
import type { CardTwinControl } from "../../hardware-sim/behavioural/CardTwin.ts"
import type { LockerTwinControl } from "../../hardware-sim/behavioural/LockerTwin.ts"
import { TwinError } from "../../hardware-sim/behavioural/TwinError.ts"

const say = (text: string) => Effect.sync(() => process.stderr.write(`\n>>> OPERATOR: ${text}\n`))
const patience = Duration.minutes(2)

/** Waits until the driver sees what the person was asked to do. */
const until = (bank: LockerBank["Type"], channel: Channel, what: string, ok: (s: Either.Either<ChannelStatus, unknown>) => boolean) =>
  Effect.either(bank.status(channel)).pipe(
    Effect.flatMap((s) => (ok(s) ? Effect.void : Effect.fail("not yet"))),
    Effect.retry(Schedule.spaced("200 millis").pipe(Schedule.upTo(patience))),
    Effect.mapError(() => new TwinError({ message: `${what}: not seen within ${Duration.format(patience)}` }))
  )

export const operatorLocker = (bank: LockerBank["Type"]): LockerTwinControl => {
  const status = (_: Channel, f: (s: ChannelStatus) => boolean) => (e: Either.Either<ChannelStatus, unknown>) => Either.isRight(e) && f(e.right)
  return {
    locks: Effect.map(
      Effect.orDie(bank.snapshot),
      (xs) => xs.map((s) => ({ channel: s.channel, doorOpen: s.door === "open", item: s.item === true, jammed: false, stuckSensor: null }))
    ),
    close: (c) => Effect.zipRight(say(`push door ${channelKey(c)} shut`), until(bank, c, "door shut", status(c, (s) => s.door === "closed"))),
    putItem: (c) => Effect.zipRight(say(`put something into compartment ${channelKey(c)}`), until(bank, c, "item in", status(c, (s) => s.item === true))),
    takeItem: (c) => Effect.zipRight(say(`take the item out of compartment ${channelKey(c)}`), until(bank, c, "item out", status(c, (s) => s.item === false))),
    jam: (c, jammed) =>
      Effect.zipRight(
        say(jammed ? `block lock ${channelKey(c)} (disconnect its solenoid), then wait 10 s` : `free lock ${channelKey(c)} again, then wait 10 s`),
        Effect.sleep("10 seconds")
      ),
    stickSensor: (c, value) =>
      value === null
        ? Effect.zipRight(say(`uncover the item sensor of ${channelKey(c)}`), Effect.sleep("10 seconds"))
        : Effect.zipRight(
          say(`make the item sensor of ${channelKey(c)} read ${value ? "an item" : "empty"}`),
          until(
            bank,
            c,
            "sensor",
            status(c, (s) => s.item === value)
          )
        ),
    setBoardOnline: (board, online) =>
      say(online ? `reconnect board ${board} to the bus` : `disconnect board ${board} from the bus`).pipe(Effect.zipRight(Effect.sleep("15 seconds"))),
    boardsOffline: Effect.map(Effect.orDie(bank.snapshot), (xs) => [...new Set(xs.filter((s) => s.door === "unknown").map((s) => s.channel.board))]),
    binned: Effect.succeed(0)
  }
}

export const operatorCard = (_terminal: CardTerminal["Type"]): CardTwinControl => ({
  insert: (label) => say(`present card "${label}" now (the same physical card for the same name)`),
  remove: say("take the card away"),
  waiting: Effect.succeed(false),
  setFault: (fault) =>
    fault === "offline"
      ? Effect.zipRight(say("disconnect the card terminal's serial cable (10 s)"), Effect.sleep("10 seconds"))
      : fault === "unreadable"
      ? say("from now on, present an unreadable card (e.g. a blank chip card)")
      : Effect.zipRight(say("reconnect the card terminal; present readable cards again (10 s)"), Effect.sleep("10 seconds")),
  fault: Effect.succeed("none"),
  reads: Effect.succeed(0)
})
