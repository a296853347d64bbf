/**
 * What the back office says about the terminal's own records, in German and
 * English: every event type's name, what each alarm means and what to do, and
 * the offices applications go to. Keyed by the domain's own types, so a new
 * event type or alarm kind without a name here does not compile.
 */
import type { AlarmKind, EventType } from "../../../core/domain/events.ts"
import type { StaffLang } from "./i18n.ts"

type Names<K extends string> = Readonly<Record<K, string>>

const eventNames: Record<StaffLang, Names<EventType>> = {
  de: {
    TerminalStarted: "Terminal gestartet",
    ReconciliationFinding: "Abweichung festgestellt",
    CardSessionStarted: "Karte eingesteckt",
    CardSessionEnded: "Sitzung beendet",
    CardReadFailed: "Karte nicht gelesen",
    OrderAnnounced: "Auftrag angelegt",
    CompartmentAssigned: "Fach zugewiesen",
    OrderLoaded: "Dokument eingelegt",
    LoadAborted: "Einlegen abgebrochen",
    NotificationSent: "SMS gesendet",
    NotificationFailed: "SMS nicht gesendet",
    OrderReminded: "Erinnerung gesendet",
    OrderExpired: "Abholfrist abgelaufen",
    OrderReturned: "Dokument zurückgenommen",
    ReturnAuthorised: "Vorzeitige Rücknahme erlaubt",
    OrderReleased: "Abholung freigegeben",
    CounterHandover: "Am Schalter ausgegeben",
    OrderCancelled: "Vom Amt storniert",
    PickupStarted: "Abholung begonnen",
    PickupIdentifyFailed: "Abholnummer nicht erkannt",
    CodeVerified: "Code richtig",
    CodeRejected: "Code falsch",
    OrderLocked: "Abholung gesperrt",
    OldDocumentReceived: "Alter Ausweis eingeworfen",
    UnlockRequested: "Öffnen angefordert",
    CompartmentOpened: "Fach geöffnet",
    CompartmentOpenFailed: "Fach öffnete nicht",
    DocumentTaken: "Dokument entnommen",
    DoorClosed: "Tür geschlossen",
    PickupCompleted: "Abholung abgeschlossen",
    PickupAbandoned: "Abholung abgebrochen",
    AttachmentScanned: "Seite gescannt",
    ApplicationSubmitted: "Antrag abgeschickt",
    ApplicationDeliveryAttempted: "Zustellung versucht",
    ApplicationDelivered: "Antrag zugestellt",
    ApplicationDeliveryFailed: "Zustellung fehlgeschlagen",
    FeedbackGiven: "Rückmeldung gegeben",
    AlarmRaised: "Alarm ausgelöst",
    AlarmAcknowledged: "Alarm quittiert",
    AlarmResolved: "Alarm von selbst behoben",
    CompartmentOutOfService: "Fach außer Betrieb",
    CompartmentBackInService: "Fach wieder in Betrieb",
    OverrideOpened: "Notöffnung",
    DeviceStatusChanged: "Gerätezustand geändert",
    RetentionApplied: "Daten nach Frist gelöscht",
    StaffSignedIn: "Angemeldet",
    StaffSignInFailed: "Anmeldung fehlgeschlagen",
    StaffAccountCreated: "Konto angelegt",
    StaffAccountChanged: "Konto geändert",
    StaffPasswordReset: "Passwort zurückgesetzt"
  },
  en: {
    TerminalStarted: "Terminal started",
    ReconciliationFinding: "Mismatch found",
    CardSessionStarted: "Card inserted",
    CardSessionEnded: "Session ended",
    CardReadFailed: "Card not read",
    OrderAnnounced: "Order announced",
    CompartmentAssigned: "Compartment assigned",
    OrderLoaded: "Document loaded",
    LoadAborted: "Loading called off",
    NotificationSent: "SMS sent",
    NotificationFailed: "SMS not sent",
    OrderReminded: "Reminder sent",
    OrderExpired: "Pickup period over",
    OrderReturned: "Document taken back",
    ReturnAuthorised: "Early return authorised",
    OrderReleased: "Pickup released",
    CounterHandover: "Handed over at the counter",
    OrderCancelled: "Cancelled by the office",
    PickupStarted: "Pickup started",
    PickupIdentifyFailed: "Pickup number not recognised",
    CodeVerified: "Code right",
    CodeRejected: "Code wrong",
    OrderLocked: "Pickup locked",
    OldDocumentReceived: "Old document received",
    UnlockRequested: "Opening requested",
    CompartmentOpened: "Compartment opened",
    CompartmentOpenFailed: "Compartment did not open",
    DocumentTaken: "Document taken",
    DoorClosed: "Door shut",
    PickupCompleted: "Pickup completed",
    PickupAbandoned: "Pickup abandoned",
    AttachmentScanned: "Page scanned",
    ApplicationSubmitted: "Application sent",
    ApplicationDeliveryAttempted: "Delivery attempted",
    ApplicationDelivered: "Application delivered",
    ApplicationDeliveryFailed: "Delivery failed",
    FeedbackGiven: "Feedback given",
    AlarmRaised: "Alarm raised",
    AlarmAcknowledged: "Alarm acknowledged",
    AlarmResolved: "Alarm resolved by itself",
    CompartmentOutOfService: "Compartment out of service",
    CompartmentBackInService: "Compartment back in service",
    OverrideOpened: "Override open",
    DeviceStatusChanged: "Device state changed",
    RetentionApplied: "Data deleted after its period",
    StaffSignedIn: "Signed in",
    StaffSignInFailed: "Sign-in failed",
    StaffAccountCreated: "Account created",
    StaffAccountChanged: "Account changed",
    StaffPasswordReset: "Password reset"
  }
}

/** Each alarm kind: its name, and what it means and what to do in one sentence. */
const alarmTexts: Record<StaffLang, Readonly<Record<AlarmKind, readonly [name: string, todo: string]>>> = {
  de: {
    door_left_open: ["Tür offen gelassen", "Eine Fachtür steht offen: bitte schließen und nachsehen, ob das Fach leer ist."],
    jam: ["Schloss klemmt", "Das Fach hat sich nicht geöffnet: Tür prüfen, das Fach bei Bedarf außer Betrieb nehmen und die Technik rufen."],
    device_offline: [
      "Gerät nicht erreichbar",
      "Ein Gerät antwortet nicht: Strom, Kabel und USB-Adapter prüfen; der Alarm endet von selbst, wenn es wieder antwortet."
    ],
    delivery_failed: ["Zustellung fehlgeschlagen", "Ein Antrag kam beim Amt nicht an: im Postausgang nachsehen und erneut senden."],
    order_locked: ["Abholung gesperrt", "Nach zu vielen falschen Codes gesperrt: die Person prüfen, dann unter Aufträge freigeben."],
    reconciliation: ["Abweichung", "Sensoren und gespeicherter Stand passen nicht zusammen: das Fach vor Ort prüfen."],
    sms_failed: ["SMS-Versand gestört", "Es gehen keine SMS hinaus: Modem, SIM-Karte und Guthaben prüfen."],
    intake_left_open: ["Einwurfklappe offen", "Die Klappe des Einwurfs für alte Ausweise steht offen: schließen und den Einwurf leeren."],
    intake_blocked: ["Einwurf blockiert", "Der Einwurf meldet belegt, obwohl die Klappe zu ist: Stau oder Sensor prüfen."],
    storage: ["Speicher gestört", "Das Terminal kann nicht speichern (voll oder beschädigt) und öffnet nichts: die Technik rufen."],
    order_recalled: ["Storniert: Dokument zurücknehmen", "Das Amt hat den Auftrag storniert, das Dokument liegt noch im Fach: unter Aufträge zurücknehmen."]
  },
  en: {
    door_left_open: ["Door left open", "A compartment door is open: shut it and check that the compartment is empty."],
    jam: ["Lock jammed", "The compartment did not open: check the door, take it out of service if needed and call a technician."],
    device_offline: ["Device offline", "A device does not answer: check power, cable and USB adapter; the alarm ends by itself when it answers again."],
    delivery_failed: ["Delivery failed", "An application did not reach its office: see the outbox and send it again."],
    order_locked: ["Pickup locked", "Locked after too many wrong codes: check the person, then release it under Orders."],
    reconciliation: ["Mismatch", "The sensors and the stored state disagree: check the compartment on site."],
    sms_failed: ["SMS failing", "No SMS go out: check the modem, the SIM card and its credit."],
    intake_left_open: ["Intake flap open", "The flap of the old-document slot is open: shut it and empty the slot."],
    intake_blocked: ["Intake blocked", "The slot reads occupied with its flap shut: check for a jam or a stuck sensor."],
    storage: ["Storage failing", "The terminal cannot store anything (full or damaged) and opens nothing: call a technician."],
    order_recalled: ["Cancelled: take the document back", "The office cancelled the order while its document is in a compartment: take it back under Orders."]
  }
}

/** Offices applications go to, by the catalogue's slug. */
const offices: Record<StaffLang, Readonly<Record<string, string>>> = {
  de: {
    buergerbuero: "Bürgerbüro",
    steueramt: "Steueramt",
    friedhofsverwaltung: "Friedhofsverwaltung",
    werke: "Verbandsgemeindewerke",
    abfallwirtschaft: "Abfallwirtschaft",
    bauhof: "Bauhof",
    ordnungsamt: "Ordnungsamt"
  },
  en: {
    buergerbuero: "Citizens' office",
    steueramt: "Tax office",
    friedhofsverwaltung: "Cemetery administration",
    werke: "Municipal utilities",
    abfallwirtschaft: "Waste management",
    bauhof: "Municipal works depot",
    ordnungsamt: "Public order office"
  }
}

/** A table keyed by the domain's names, read with any string (an event type from a newer terminal, say). */
const lookup = <V>(table: Readonly<Record<string, V>>, key: string): V | undefined => table[key]

export const eventName = (lang: StaffLang, tag: string): string => lookup(eventNames[lang], tag) ?? tag
export const alarmName = (lang: StaffLang, kind: string): string => lookup(alarmTexts[lang], kind)?.[0] ?? kind
export const alarmTodo = (lang: StaffLang, kind: string): string | undefined => lookup(alarmTexts[lang], kind)?.[1]
export const officeName = (lang: StaffLang, slug: string): string => offices[lang][slug] ?? slug

/** For tests: every name this file gives, per language. */
export const wordingTables = { eventNames, alarmTexts, offices }
