/**
 * What a soak must show, as sentences (empty: all well). The soak test (soak.test.ts) asserts
 * them, for the short run and for `npm run soak`.
 *
 * Log bound: 1 MiB per hour-equivalent. The short soak injects a fault every few seconds (a real
 * night sees a handful), so this is the worst case; still, a single line per bus poll (4/s while a
 * door is open, 1/3 s idle), per HTTP request or per reconnect attempt would exceed it (14 400
 * lines of ~100 bytes an hour ≈ 1.4 MiB), and so would a hot reconnect loop. 1 MiB an hour keeps a
 * year of journal under 9 GiB on a kiosk PC even at this fault rate.
 */
import type { SoakReport } from "./harness.ts"

export const logBytesPerHourBound = 1024 * 1024

export const verdict = (r: SoakReport, expect: { readonly minPickups: number }) => {
  const problems: Array<string> = []
  if (r.documentsBehindOpenDoorWithoutAlarm !== 0) {
    problems.push(`${r.documentsBehindOpenDoorWithoutAlarm} documents behind an open door without an alarm: ${JSON.stringify(r.openDoorViolations)}`)
  }
  if (r.eventsLost !== 0) problems.push(`${r.eventsLost} events lost (chain ${r.chain}): ${r.missingEvents.join("; ")}`)
  for (const [kind, s] of Object.entries(r.recoveryMs)) if (s.unrecovered > 0) problems.push(`${kind}: ${s.unrecovered} faults not recovered`)
  if (r.logBytesPerHour >= logBytesPerHourBound) problems.push(`log ${r.logBytesPerHour} bytes/hour, bound ${logBytesPerHourBound}`)
  if (r.pickups.completed < expect.minPickups) problems.push(`${r.pickups.completed} pickups completed, at least ${expect.minPickups} expected`)
  if (r.terminalExits !== 0) problems.push(`the terminal exited ${r.terminalExits} times`)
  return problems
}
