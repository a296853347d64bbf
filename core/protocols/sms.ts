/**
 * SMS over an AT-command modem — pure, no I/O: the AT line parser and command builders
 * (sms/at.ts), SMS-SUBMIT PDUs (sms/pdu.ts) and the GSM 7-bit alphabet (sms/gsm7.ts).
 */
export * from "./sms/at.ts"
export * from "./sms/errors.ts"
export * from "./sms/gsm7.ts"
export * from "./sms/pdu.ts"
