/**
 * The port contracts against the real drivers talking bytes to the protocol
 * twins over an in-process serial cable (pair binding), with the twins'
 * CMD 31 behaviour both ways.
 */
import { cardTerminalContract } from "../contracts/CardTerminal.contract.ts"
import { lockerBankContract } from "../contracts/LockerBank.contract.ts"
import { smsGatewayContract } from "../contracts/SmsGateway.contract.ts"
import { cardRig, lockerRig, modemRig } from "./rigs.ts"

const channels = [{ board: 0, lock: 1 }, { board: 0, lock: 2 }, { board: 0, lock: 16 }, { board: 1, lock: 1 }]

lockerBankContract("Kerong driver ⇄ bus twin (pair binding, CMD 31 silent)", lockerRig("pair", { channels }), channels)
lockerBankContract(
  "Kerong driver ⇄ bus twin (pair binding, CMD 31 answered, polarity 0, bus noise)",
  lockerRig("pair", {
    channels,
    boards: [{ address: 0, polarity: 0 }, { address: 1, polarity: 1 }],
    twin: { unlockReply: true, boards: [{ address: 0, polarity: 0 }, { address: 1, polarity: 1 }] }
  }),
  channels
)
cardTerminalContract("ZVT driver ⇄ terminal twin (pair binding)", cardRig("pair"))
smsGatewayContract("AT driver ⇄ modem twin (pair binding, PDU mode)", modemRig("pair"))
smsGatewayContract("AT driver ⇄ modem twin (pair binding, text mode, no echo)", modemRig("pair", { mode: "text", twin: { echo: false } }))
