/** The twin panel's calls: only /api/twin/*. */
import type { Sms, TwinState } from "../../http/twinApi.ts"
import { call } from "../shared/http.ts"

export type TwinStateT = typeof TwinState.Encoded
export type LockT = TwinStateT["locks"][number]
export type SmsT = typeof Sms.Encoded

const post = (path: string, body?: unknown) => call<void>("POST", `/api/twin${path}`, body)

export const twinApi = {
  state: () => call<TwinStateT>("GET", "/api/twin/state"),
  inbox: () => call<ReadonlyArray<SmsT>>("GET", "/api/twin/sms"),
  insertCard: (label: string) => post("/card/insert", { label }),
  removeCard: () => post("/card/remove"),
  cardFault: (fault: string) => post("/card/fault", { fault }),
  smsFault: (fault: string) => post("/sms/fault", { fault }),
  close: (slot: string | number) => post(`/slots/${slot}/close`),
  put: (slot: string | number) => post(`/slots/${slot}/put`),
  take: (slot: string | number) => post(`/slots/${slot}/take`),
  jam: (slot: string | number, jammed: boolean) => post(`/slots/${slot}/jam`, { jammed }),
  sensor: (slot: string | number, stuck: boolean | null) => post(`/slots/${slot}/sensor`, { stuck }),
  board: (board: number, online: boolean) => post(`/boards/${board}/online`, { online }),
  placeDocument: (pages: number) => post("/scanner/place", { pages }),
  scannerFault: (fault: string) => post("/scanner/fault", { fault }),
  authorityMode: (mode: string) => post("/authority/mode", { mode })
}
