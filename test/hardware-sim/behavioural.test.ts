/**
 * The behavioural twins against every port contract.
 */
import { demoLayout } from "../../core/domain/compartment.ts"
import { AuthorityTwin, CardTwin, channelsOf, LockerTwin, ScannerTwin, SmsTwin } from "../../hardware-sim/behavioural/index.ts"
import { authorityGatewayContract } from "../contracts/AuthorityGateway.contract.ts"
import { cardTerminalContract } from "../contracts/CardTerminal.contract.ts"
import { documentScannerContract } from "../contracts/DocumentScanner.contract.ts"
import { lockerBankContract } from "../contracts/LockerBank.contract.ts"
import { smsGatewayContract } from "../contracts/SmsGateway.contract.ts"

const channels = channelsOf(demoLayout)
lockerBankContract("behavioural twin", LockerTwin.layer(channels), channels)
cardTerminalContract("behavioural twin", CardTwin.layer)
smsGatewayContract("behavioural twin", SmsTwin.layer)
documentScannerContract("behavioural twin", ScannerTwin.layer)
authorityGatewayContract("behavioural twin", AuthorityTwin.layer)
