/**
 * Deutsch: the reference dictionary; English and Leichte Sprache have the
 * same keys (the type `Dict` makes the compiler check that).
 */
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many)

/** A message screen: a title and a text with the next step. `{s}` stands for a number of seconds. */
export type Msg = readonly [title: string, text: string]
export const m = (title: string, text: string): Msg => [title, text]

export const de = {
  appName: "Amt-O-Mat",
  languages: "Sprache",
  display: "Anzeige und Ton",
  largeText: "Große Schrift",
  contrast: "Hoher Kontrast",
  readAloud: "Vorlesen",
  cancel: "Abbrechen",
  back: "Zurück",
  next: "Weiter",
  wait: "Einen Moment bitte …",
  attract: {
    title: "Willkommen am Amt-O-Mat",
    lead: "Hier holen Sie Ihren neuen Ausweis ab und stellen Anträge – rund um die Uhr.",
    hint: "Oben wählen Sie Sprache, große Schrift, hohen Kontrast und Vorlesen.",
    start: "Beginnen"
  },
  unavailable: {
    pickup: "Abholung zurzeit nicht möglich",
    applications: "Anträge zurzeit nicht möglich",
    hint: "Ein Gerät des Automaten ist gestört. Das Personal ist informiert. Bitte kommen Sie später wieder oder während der Öffnungszeiten ins Bürgerbüro."
  },
  resume: {
    pickupTitle: (n: number) => `Fach ${n} ist offen`,
    pickupLead: "Bitte nehmen Sie Ihr Dokument heraus und drücken Sie die Tür zu.",
    closeTitle: (n: number) => `Bitte schließen Sie Fach ${n}`,
    closeLead: "Die Tür steht noch offen. Bitte drücken Sie sie zu.",
    flapTitle: "Bitte schließen Sie die Klappe",
    flapLead: "Die Klappe für den alten Ausweis links unten steht noch offen. Bitte drücken Sie sie zu.",
    staffTitle: (n: number) => `Fach ${n} wird gerade befüllt`,
    staffLead: "Das Personal arbeitet am Automaten. Bitte warten Sie einen Moment.",
    waiting: "Der Automat wartet, bis alles geschlossen ist …"
  },
  card: {
    title: "Bitte stecken Sie Ihre Bankkarte ein",
    lead: "Die Karte öffnet nur Ihre Sitzung. Es wird nichts bezahlt und keine Kartennummer gespeichert.",
    where: "Der Kartenleser ist rechts unter dem Bildschirm.",
    waiting: "Wir warten auf Ihre Karte …"
  },
  services: {
    title: "Was möchten Sie tun?",
    pickup: "Dokument abholen",
    pickupHint: "Personalausweis oder Reisepass – mit der Abholnummer aus Ihrer SMS",
    applications: "Anträge und Meldungen",
    loading: "Die Liste wird geladen …"
  },
  number: {
    title: "Abholnummer eingeben",
    lead: "Die 8-stellige Abholnummer steht in der SMS, die Ihnen sagt, dass Ihr Dokument im Amt-O-Mat bereitliegt.",
    digits: (n: number, total: number) => `${n} von ${total} Ziffern`,
    typo: "Diese Nummer stimmt nicht. Bitte prüfen Sie die Ziffern in der SMS.",
    sending: "Wir senden Ihnen einen Code …"
  },
  pad: {
    label: "Ziffernblock",
    delete: "Letzte Ziffer löschen",
    deleteShort: "Löschen",
    clear: "Alles löschen"
  },
  code: {
    title: "Code aus der SMS eingeben",
    lead: (phone: string, minutes: number) => `Wir haben einen Code an ${phone} geschickt. Er gilt ${minutes} Minuten.`,
    entered: (n: number, total: number) => `${n} von ${total} Ziffern eingegeben`,
    spoken: (n: number, total: number) => `Code: ${n} von ${total} Ziffern eingegeben.`,
    hidden: "Der Code wird nicht vorgelesen. Zum Prüfen können Sie ihn anzeigen – achten Sie darauf, dass niemand mitliest.",
    show: "Code anzeigen",
    hide: "Code verbergen",
    confirm: "Bestätigen",
    noSms: "Keine SMS bekommen?",
    resend: "Neuen Code senden",
    resent: "Ein neuer Code ist unterwegs.",
    checking: "Der Code wird geprüft …",
    wrong: (left: number) => `Der Code stimmt nicht. Sie haben noch ${left} ${plural(left, "Versuch", "Versuche")}. Bitte prüfen Sie die SMS.`
  },
  old: {
    title: "Alten Ausweis einlegen",
    lead: "Die Klappe links unten ist jetzt offen. Bitte legen Sie Ihren alten Ausweis hinein und schließen Sie die Klappe.",
    why: "Der alte Ausweis wird ungültig gemacht. Erst dann öffnet sich das Fach mit dem neuen.",
    waiting: "Wir warten auf Ihren alten Ausweis …"
  },
  opening: { title: "Das Fach wird geöffnet …" },
  open: {
    title: (n: number) => `Fach ${n} ist offen`,
    lead: (kind: string) => `Bitte nehmen Sie Ihren ${kind} heraus und schließen Sie die Tür.`,
    waiting: "Wir warten, bis die Tür geschlossen ist …"
  },
  closeDoor: {
    title: "Bitte schließen Sie die Tür",
    lead: (n: number) => `Sie haben Ihr Dokument. Die Tür von Fach ${n} ist noch offen. Bitte drücken Sie sie zu. Das Personal ist informiert.`
  },
  done: {
    title: "Fertig – vielen Dank!",
    lead: "Sie haben Ihr Dokument. Bitte vergessen Sie Ihre Bankkarte nicht.",
    feedback: "Kurz bewerten",
    finish: "Beenden"
  },
  kinds: {
    "id-card": "Personalausweis",
    passport: "Reisepass",
    "child-passport": "Kinderreisepass",
    "residence-permit": "Aufenthaltstitel",
    other: "Dokument"
  } as Record<string, string>,
  offices: {
    buergerbuero: "das Bürgerbüro",
    steueramt: "das Steueramt",
    friedhofsverwaltung: "die Friedhofsverwaltung",
    werke: "die Stadtwerke",
    abfallwirtschaft: "die Abfallwirtschaft",
    bauhof: "den Bauhof",
    ordnungsamt: "das Ordnungsamt",
    other: "das zuständige Amt"
  } as Record<string, string>,
  form: {
    step: (i: number, n: number) => `Schritt ${i} von ${n}`,
    intro: "Bitte füllen Sie die Felder aus. Pflichtfelder sind mit * markiert.",
    required: "Pflichtfeld",
    choose: "Bitte wählen",
    summary: (n: number) => `Bitte prüfen Sie ${n} ${plural(n, "Angabe", "Angaben")}.`,
    datePattern: "TT.MM.JJJJ",
    fixed: "Jetzt richtig.",
    allFixed: "Alles korrigiert. Tippen Sie auf „Weiter“.",
    errors: {
      required: "Bitte füllen Sie dieses Feld aus.",
      postcode: "Bitte geben Sie 5 Ziffern ein, zum Beispiel 56068.",
      email: "Bitte geben Sie eine E-Mail-Adresse ein, zum Beispiel name@beispiel.de.",
      date: "Bitte geben Sie ein Datum ein, zum Beispiel 15.03.2019.",
      phone: "Bitte geben Sie eine Telefonnummer ein, zum Beispiel 0261 123456.",
      number: "Bitte geben Sie eine Zahl ein.",
      select: "Bitte wählen Sie eine Möglichkeit.",
      tooLong: (n: number) => `Bitte höchstens ${n} Zeichen.`,
      server: "Diese Angabe wurde nicht angenommen. Bitte prüfen Sie sie."
    }
  },
  scan: {
    title: "Unterlagen scannen",
    lead: "Legen Sie das Blatt mit der Schrift nach unten auf den Scanner rechts. Tippen Sie dann auf „Scannen“.",
    scan: (label: string) => `${label} scannen`,
    again: (label: string) => `${label} neu scannen`,
    notYet: "Noch nicht gescannt",
    optional: "freiwillig",
    scanned: (pages: number) => `Gescannt: ${pages} ${plural(pages, "Seite", "Seiten")}`,
    scanning: "Wird gescannt …",
    noPaper: "Auf dem Scanner liegt kein Blatt. Bitte legen Sie es auf und tippen Sie noch einmal auf „Scannen“.",
    down: "Der Scanner funktioniert gerade nicht. Freiwillige Unterlagen können Sie weglassen; sonst geben Sie sie bitte im Bürgerbüro ab.",
    missing: (label: string) => `Bitte scannen Sie noch: ${label}.`
  },
  review: {
    title: "Bitte prüfen Sie Ihre Angaben",
    empty: "(leer)",
    attachments: "Unterlagen",
    none: "keine",
    change: "Ändern",
    send: "Absenden",
    sending: "Wird gesendet …"
  },
  receipt: {
    title: "Ihr Antrag ist eingegangen",
    reference: "Ihre Vorgangsnummer",
    lead: (office: string) => `Wir leiten ihn an ${office} weiter. Bitte notieren oder fotografieren Sie die Nummer.`
  },
  feedback: {
    title: "Wie war es?",
    rating: "Ihre Bewertung",
    ratings: ["sehr schlecht", "schlecht", "mittel", "gut", "sehr gut"],
    recommend: "Würden Sie den Amt-O-Mat weiterempfehlen?",
    yes: "Ja",
    no: "Nein",
    unsure: "Weiß nicht",
    send: "Senden",
    skip: "Überspringen",
    thanks: "Danke für Ihre Rückmeldung!",
    bye: "Bitte nehmen Sie Ihre Bankkarte mit. Auf Wiedersehen!"
  },
  idle: {
    title: "Sind Sie noch da?",
    text: (s: number) => `Der Bildschirm wird in ${s} Sekunden zurückgesetzt. Ihre Eingaben werden dann gelöscht.`,
    more: "Mehr Zeit",
    end: "Jetzt beenden"
  },
  actions: {
    flapClosed: "Die Klappe ist zu",
    tryAgain: "Noch einmal versuchen",
    startOver: "Von vorn beginnen",
    callStaff: "Personal rufen",
    newCode: "Neuen Code senden",
    finish: "Beenden"
  },
  messages: {
    intakeLeftOpen: m(
      "Bitte schließen Sie die Klappe",
      "Die Klappe für den alten Ausweis links unten steht noch offen. Bitte drücken Sie sie zu. Danach geht es weiter."
    ),
    intakeUnavailable: m(
      "Der Einwurf für den alten Ausweis ist gestört",
      "Ihr neues Dokument bleibt sicher im Fach. Das Personal ist informiert. Bitte kommen Sie später wieder oder während der Öffnungszeiten ins Bürgerbüro."
    ),
    storage: m(
      "Der Automat kann gerade nichts speichern",
      "Es wurde nichts geöffnet und nichts verändert. Das Personal ist informiert. Bitte versuchen Sie es später noch einmal oder kommen Sie ins Bürgerbüro."
    ),
    cardTimeout: m("Keine Karte erkannt", "Bitte stecken Sie Ihre Bankkarte ein und versuchen Sie es noch einmal."),
    cardUnreadable: m(
      "Die Karte konnte nicht gelesen werden",
      "Bitte ziehen Sie die Karte heraus und stecken Sie sie noch einmal ein, oder nehmen Sie eine andere Bankkarte."
    ),
    cardReaderDown: m("Der Kartenleser funktioniert gerade nicht", "Bitte kommen Sie während der Öffnungszeiten ins Bürgerbüro. Dort hilft man Ihnen weiter."),
    sessionExpired: m("Ihre Sitzung ist abgelaufen", "Zu Ihrem Schutz wurde die Sitzung beendet. Bitte beginnen Sie noch einmal mit Ihrer Bankkarte."),
    unknownNumber: m(
      "Abholnummer nicht gefunden",
      "Unter dieser Nummer wartet kein Dokument. Bitte prüfen Sie die Nummer in der SMS und versuchen Sie es noch einmal."
    ),
    notReady: m("Dieses Dokument liegt nicht im Amt-O-Mat", "Bitte kommen Sie während der Öffnungszeiten ins Bürgerbüro. Dort erhalten Sie Ihr Dokument."),
    locked: m(
      "Die Abholung ist gesperrt",
      "Der Code wurde zu oft falsch eingegeben. Zu Ihrem Schutz ist die Abholung jetzt gesperrt. Das Personal kann sie wieder freigeben: Bitte rufen Sie das Personal oder kommen Sie ins Bürgerbüro."
    ),
    throttled: m("Bitte warten Sie kurz", "An diesem Automaten gab es zu viele Fehlversuche. Bitte warten Sie etwas und versuchen Sie es dann noch einmal."),
    throttledFor: m(
      "Bitte warten Sie kurz",
      "An diesem Automaten gab es zu viele Fehlversuche. Bitte warten Sie {s} Sekunden und versuchen Sie es dann noch einmal."
    ),
    codeExpired: m("Der Code ist abgelaufen", "Kein Problem: Wir schicken Ihnen einen neuen Code."),
    outOfOrder: m("Das hat nicht in der richtigen Reihenfolge geklappt", "Bitte beginnen Sie noch einmal mit der Abholnummer."),
    noOldDocument: m(
      "Wir haben keinen alten Ausweis erkannt",
      "Ihr neues Dokument bleibt sicher im Fach. Versuchen Sie es noch einmal, oder bringen Sie den alten Ausweis ins Bürgerbüro."
    ),
    doorDidNotOpen: m(
      "Das Fach ließ sich nicht öffnen",
      "Ihr Dokument bleibt sicher verschlossen. Das Personal ist informiert. Bitte rufen Sie das Personal oder kommen Sie ins Bürgerbüro."
    ),
    notTaken: m("Das Dokument wurde nicht entnommen", "Es bleibt sicher im Fach. Sie können die Abholung noch einmal beginnen."),
    deviceError: m("Eine technische Störung", "Ihr Dokument bleibt sicher im Fach. Bitte rufen Sie das Personal oder kommen Sie ins Bürgerbüro."),
    smsNotSent: m(
      "Der Code konnte nicht gesendet werden",
      "Bitte versuchen Sie es gleich noch einmal. Wenn es wieder nicht klappt, kommen Sie bitte ins Bürgerbüro."
    ),
    noSms: m(
      "Keine SMS bekommen?",
      "Eine SMS braucht manchmal eine Minute. Die SMS ging an die Nummer auf dem vorigen Bildschirm: Passt sie zu Ihrem Handy? Sie können einen neuen Code anfordern. Ohne Handy, oder wenn die Nummer nicht mehr stimmt: Ihr Dokument bekommen Sie auch im Bürgerbüro, mit Ihrem alten Ausweis. Es bleibt bis dahin sicher im Fach."
    ),
    callStaff: m(
      "So erreichen Sie das Personal",
      "Drücken Sie die Taste der Sprechanlage rechts neben dem Bildschirm. Während der Öffnungszeiten hilft Ihnen auch das Bürgerbüro im Erdgeschoss."
    ),
    failed: m("Das hat leider nicht geklappt", "Bitte versuchen Sie es noch einmal. Wenn es wieder nicht klappt, rufen Sie bitte das Personal.")
  }
}

export type Dict = typeof de
