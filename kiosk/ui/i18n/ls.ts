/**
 * Leichte Sprache: short sentences, one statement each, common words,
 * long words split with a hyphen.
 */
import { type Dict, m } from "./de.ts"

export const ls: Dict = {
  appName: "Amt-O-Mat",
  languages: "Sprache",
  display: "Anzeige und Ton",
  largeText: "Große Schrift",
  contrast: "Starker Kontrast",
  readAloud: "Vorlesen",
  cancel: "Abbrechen",
  back: "Zurück",
  next: "Weiter",
  wait: "Bitte warten.",
  attract: {
    title: "Willkommen beim Amt-O-Mat",
    lead: "Hier holen Sie Ihren neuen Ausweis ab. Hier stellen Sie auch Anträge. Das geht zu jeder Uhrzeit.",
    hint: "Oben sind Knöpfe. Damit wählen Sie die Sprache. Damit machen Sie die Schrift groß. Damit liest der Automat vor.",
    start: "Anfangen"
  },
  unavailable: {
    pickup: "Abholen geht gerade nicht.",
    applications: "Anträge gehen gerade nicht.",
    hint: "Ein Teil vom Automaten ist kaputt. Ein Mitarbeiter weiß Bescheid. Kommen Sie später wieder. Oder gehen Sie ins Bürgerbüro, wenn es offen ist."
  },
  resume: {
    pickupTitle: (n: number) => `Fach ${n} ist offen.`,
    pickupLead: "Nehmen Sie Ihr Dokument heraus. Drücken Sie dann die Tür zu.",
    closeTitle: (n: number) => `Machen Sie bitte Fach ${n} zu.`,
    closeLead: "Die Tür ist noch offen. Drücken Sie die Tür zu.",
    flapTitle: "Machen Sie bitte die Klappe zu.",
    flapLead: "Unten links ist eine Klappe für den alten Ausweis. Die Klappe ist noch offen. Drücken Sie die Klappe zu.",
    staffTitle: (n: number) => `Ein Mitarbeiter füllt Fach ${n}.`,
    staffLead: "Ein Mitarbeiter arbeitet am Automaten. Warten Sie bitte kurz.",
    waiting: "Der Automat wartet. Alles muss zu sein."
  },
  card: {
    title: "Stecken Sie Ihre Bank-Karte ein.",
    lead: "Die Karte ist nur zum Anmelden. Sie bezahlen nichts. Wir speichern die Karten-Nummer nicht.",
    where: "Der Karten-Leser ist rechts unter dem Bildschirm.",
    waiting: "Der Automat wartet auf Ihre Karte."
  },
  services: {
    title: "Was wollen Sie machen?",
    pickup: "Ausweis abholen",
    pickupHint: "Sie haben eine SMS bekommen. Eine SMS ist eine kurze Nachricht auf dem Handy. In der SMS steht eine Abhol-Nummer.",
    applications: "Anträge stellen",
    loading: "Bitte warten."
  },
  number: {
    title: "Geben Sie die Abhol-Nummer ein.",
    lead: "Die Abhol-Nummer steht in der SMS. Die SMS ist die kurze Nachricht auf Ihrem Handy. Die Nummer hat 8 Ziffern.",
    digits: (n: number, total: number) => `${n} von ${total} Ziffern`,
    typo: "Die Nummer ist falsch. Schauen Sie noch einmal in die SMS.",
    sending: "Wir schicken Ihnen jetzt einen Code."
  },
  pad: {
    label: "Tasten für Zahlen",
    delete: "Letzte Zahl löschen",
    deleteShort: "Löschen",
    clear: "Alles löschen"
  },
  code: {
    title: "Geben Sie den Code ein.",
    lead: (phone: string, minutes: number) =>
      `Wir haben Ihnen eine SMS geschickt. Die SMS ging an die Nummer ${phone}. In der SMS steht ein Code. Ein Code ist eine geheime Zahl. Mit dem Code zeigen Sie: Das Handy gehört Ihnen. Der Code gilt ${minutes} Minuten.`,
    entered: (n: number, total: number) => `${n} von ${total} Ziffern eingegeben`,
    spoken: (n: number, total: number) => `Code: ${n} von ${total} Ziffern eingegeben.`,
    hidden: "Der Code ist geheim. Wir lesen ihn nicht vor. Sie können den Code zeigen. Dann sehen Sie die Ziffern. Passen Sie auf: Niemand soll mitlesen.",
    show: "Code zeigen",
    hide: "Code verstecken",
    confirm: "Fertig",
    noSms: "Keine SMS bekommen?",
    resend: "Neuen Code schicken",
    resent: "Wir schicken Ihnen einen neuen Code.",
    checking: "Wir prüfen den Code.",
    wrong: (left: number) => `Der Code ist falsch. Sie können es noch ${left} Mal versuchen.`
  },
  old: {
    title: "Geben Sie den alten Ausweis ab.",
    lead: "Unten links ist eine Klappe. Die Klappe ist jetzt offen. Legen Sie den alten Ausweis hinein. Machen Sie die Klappe zu.",
    why: "Den alten Ausweis brauchen Sie nicht mehr. Danach geht das Fach mit dem neuen Ausweis auf.",
    waiting: "Der Automat wartet auf den alten Ausweis."
  },
  opening: { title: "Das Fach geht gleich auf." },
  open: {
    title: (n: number) => `Fach Nummer ${n} ist offen.`,
    lead: (kind: string) => `Nehmen Sie Ihren ${kind} heraus. Machen Sie die Tür zu.`,
    waiting: "Der Automat wartet. Machen Sie die Tür zu."
  },
  closeDoor: {
    title: "Machen Sie bitte die Tür zu.",
    lead: (n: number) => `Sie haben Ihren Ausweis. Die Tür von Fach ${n} ist noch offen. Drücken Sie die Tür zu. Ein Mitarbeiter weiß Bescheid.`
  },
  done: {
    title: "Fertig. Danke!",
    lead: "Sie haben jetzt Ihren Ausweis. Nehmen Sie Ihre Bank-Karte mit.",
    feedback: "Sagen Sie uns Ihre Meinung",
    finish: "Ende"
  },
  kinds: {
    "id-card": "Ausweis",
    passport: "Reise-Pass",
    "child-passport": "Kinder-Reise-Pass",
    "residence-permit": "Aufenthalts-Titel",
    other: "Ausweis"
  },
  offices: {
    buergerbuero: "das Bürger-Büro",
    steueramt: "das Steuer-Amt",
    friedhofsverwaltung: "das Amt für Friedhöfe",
    werke: "die Stadt-Werke",
    abfallwirtschaft: "das Amt für Müll",
    bauhof: "den Bau-Hof",
    ordnungsamt: "das Ordnungs-Amt",
    other: "das richtige Amt"
  },
  form: {
    step: (i: number, n: number) => `Schritt ${i} von ${n}`,
    intro: "Schreiben Sie Ihre Angaben in die Felder. Manche Felder müssen Sie ausfüllen. Diese Felder haben einen Stern: *",
    required: "Das müssen Sie ausfüllen.",
    choose: "Bitte wählen",
    summary: (n: number) => `Bitte prüfen Sie die Felder. Bei ${n} Feld${n === 1 ? "" : "ern"} stimmt etwas nicht.`,
    datePattern: "TT.MM.JJJJ",
    fixed: "Jetzt ist es richtig.",
    allFixed: "Jetzt ist alles richtig. Tippen Sie auf: Weiter.",
    errors: {
      required: "Hier fehlt etwas.",
      postcode: "Die Post-Leitzahl hat 5 Ziffern. Zum Beispiel: 56068.",
      email: "Schreiben Sie eine E-Mail-Adresse. Zum Beispiel: name@beispiel.de",
      date: "Bitte schreiben Sie ein Datum. Zum Beispiel: 15.03.2019.",
      phone: "Schreiben Sie eine Telefon-Nummer. Zum Beispiel: 0261 123456.",
      number: "Schreiben Sie eine Zahl.",
      select: "Wählen Sie etwas aus.",
      tooLong: (n: number) => `Das ist zu lang. Höchstens ${n} Zeichen.`,
      server: "Das stimmt so nicht. Prüfen Sie es bitte."
    }
  },
  scan: {
    title: "Papiere einscannen",
    lead:
      "Rechts ist der Scanner. Ein Scanner macht ein Bild von einem Papier. Legen Sie das Papier auf den Scanner. Die Schrift zeigt nach unten. Drücken Sie dann auf Scannen.",
    scan: (label: string) => `${label}: scannen`,
    again: (label: string) => `${label}: noch einmal scannen`,
    notYet: "Noch nicht gescannt",
    optional: "wenn Sie wollen",
    scanned: (pages: number) => `Fertig gescannt. ${pages} Seite${pages === 1 ? "" : "n"}.`,
    scanning: "Der Scanner arbeitet.",
    noPaper: "Auf dem Scanner liegt kein Papier. Legen Sie das Papier auf. Drücken Sie noch einmal auf Scannen.",
    down: "Der Scanner ist kaputt. Manche Papiere brauchen wir nicht unbedingt. Die anderen bringen Sie bitte ins Bürger-Büro.",
    missing: (label: string) => `Das fehlt noch: ${label}. Scannen Sie das Papier bitte.`
  },
  review: {
    title: "Stimmt alles?",
    empty: "(leer)",
    attachments: "Papiere",
    none: "keine",
    change: "Ändern",
    send: "Abschicken",
    sending: "Wir schicken den Antrag."
  },
  receipt: {
    title: "Wir haben Ihren Antrag bekommen.",
    reference: "Ihre Nummer für den Antrag",
    lead: (office: string) => `Wir schicken den Antrag an ${office}. Schreiben Sie sich die Nummer auf. Oder machen Sie ein Foto davon.`
  },
  feedback: {
    title: "Wie fanden Sie es?",
    rating: "Ihre Meinung",
    ratings: ["sehr schlecht", "schlecht", "mittel", "gut", "sehr gut"],
    recommend: "Sollen andere Menschen den Amt-O-Mat auch benutzen?",
    yes: "Ja",
    no: "Nein",
    unsure: "Weiß nicht",
    send: "Abschicken",
    skip: "Nein danke",
    thanks: "Danke für Ihre Meinung!",
    bye: "Nehmen Sie Ihre Bank-Karte mit. Auf Wiedersehen!"
  },
  idle: {
    title: "Sind Sie noch da?",
    text: (s: number) => `Der Automat fängt gleich neu an. Das passiert in ${s} Sekunden. Dann ist alles gelöscht.`,
    more: "Ich brauche mehr Zeit",
    end: "Jetzt aufhören"
  },
  actions: {
    flapClosed: "Die Klappe ist zu.",
    tryAgain: "Noch einmal",
    startOver: "Neu anfangen",
    callStaff: "Hilfe holen",
    newCode: "Neuen Code schicken",
    finish: "Ende"
  },
  messages: {
    intakeLeftOpen: m(
      "Machen Sie bitte die Klappe zu.",
      "Unten links ist eine Klappe für den alten Ausweis. Die Klappe ist noch offen. Drücken Sie die Klappe zu. Dann geht es weiter."
    ),
    intakeUnavailable: m(
      "Die Klappe für den alten Ausweis ist kaputt.",
      "Ihr neues Dokument bleibt sicher im Fach. Ein Mitarbeiter weiß Bescheid. Kommen Sie später wieder. Oder gehen Sie ins Bürgerbüro, wenn es offen ist."
    ),
    storage: m(
      "Der Automat kann gerade nichts speichern.",
      "Nichts ist aufgegangen. Nichts hat sich geändert. Ein Mitarbeiter weiß Bescheid. Versuchen Sie es später noch einmal. Oder gehen Sie ins Bürgerbüro."
    ),
    cardTimeout: m("Der Automat hat keine Karte gefunden.", "Stecken Sie die Karte ein. Versuchen Sie es noch einmal."),
    cardUnreadable: m(
      "Der Automat kann die Karte nicht lesen.",
      "Nehmen Sie die Karte heraus. Stecken Sie die Karte noch einmal ein. Oder nehmen Sie eine andere Bank-Karte."
    ),
    cardReaderDown: m("Der Karten-Leser geht gerade nicht.", "Das ist nicht Ihre Schuld. Kommen Sie bitte ins Bürger-Büro. Dort hilft man Ihnen."),
    sessionExpired: m(
      "Die Zeit ist um.",
      "Der Automat hat alles gelöscht. Das ist zu Ihrem Schutz. Fangen Sie noch einmal an. Stecken Sie dafür Ihre Bank-Karte ein."
    ),
    unknownNumber: m("Wir finden die Abhol-Nummer nicht.", "Schauen Sie noch einmal in die SMS. Versuchen Sie es dann noch einmal."),
    notReady: m("Ihr Ausweis ist nicht im Automaten.", "Kommen Sie bitte ins Bürger-Büro. Dort bekommen Sie Ihren Ausweis."),
    locked: m(
      "Die Abholung ist jetzt gesperrt.",
      "Der Code war zu oft falsch. Das ist zu Ihrem Schutz. Ein Mitarbeiter kann die Sperre aufheben. Holen Sie Hilfe. Oder kommen Sie ins Bürger-Büro."
    ),
    throttled: m("Bitte warten Sie kurz.", "Es gab zu viele Fehler. Warten Sie etwas. Versuchen Sie es dann noch einmal."),
    throttledFor: m("Bitte warten Sie kurz.", "Es gab zu viele Fehler. Warten Sie {s} Sekunden. Versuchen Sie es dann noch einmal."),
    codeExpired: m("Der Code gilt nicht mehr.", "Das ist kein Problem. Wir schicken Ihnen einen neuen Code."),
    outOfOrder: m("Der Automat war bei einem anderen Schritt.", "Das ist nicht Ihr Fehler. Fangen Sie bitte noch einmal mit der Abhol-Nummer an."),
    noOldDocument: m(
      "Wir haben keinen alten Ausweis gefunden.",
      "Ihr neuer Ausweis bleibt sicher im Fach. Versuchen Sie es noch einmal. Oder bringen Sie den alten Ausweis ins Bürger-Büro."
    ),
    doorDidNotOpen: m(
      "Das Fach geht nicht auf.",
      "Ihr Ausweis bleibt sicher im Fach. Ein Mitarbeiter weiß Bescheid. Holen Sie Hilfe. Oder kommen Sie ins Bürger-Büro."
    ),
    notTaken: m("Sie haben den Ausweis nicht genommen.", "Der Ausweis bleibt sicher im Fach. Sie können noch einmal anfangen."),
    deviceError: m("Der Automat hat einen Fehler.", "Ihr Ausweis bleibt sicher im Fach. Holen Sie Hilfe. Oder kommen Sie ins Bürger-Büro."),
    smsNotSent: m("Wir konnten keine SMS schicken.", "Versuchen Sie es gleich noch einmal. Klappt es wieder nicht? Dann kommen Sie bitte ins Bürger-Büro."),
    noSms: m(
      "Sie haben keine SMS bekommen?",
      "Manchmal dauert eine SMS eine Minute. Die SMS ging an die Nummer auf dem Bildschirm vorher. Ist das Ihre Handy-Nummer? Sie können einen neuen Code bekommen. Sie haben kein Handy dabei? Oder die Nummer ist nicht mehr richtig? Dann gehen Sie ins Bürger-Büro. Nehmen Sie Ihren alten Ausweis mit. Dort bekommen Sie Ihr Dokument. Bis dahin ist es sicher im Fach."
    ),
    callStaff: m(
      "So bekommen Sie Hilfe.",
      "Rechts neben dem Bildschirm ist ein Knopf. Drücken Sie den Knopf. Dann können Sie mit einem Mitarbeiter sprechen. Das Bürger-Büro hilft Ihnen auch."
    ),
    failed: m("Das hat nicht geklappt.", "Versuchen Sie es noch einmal. Klappt es wieder nicht? Dann holen Sie bitte Hilfe.")
  }
}
