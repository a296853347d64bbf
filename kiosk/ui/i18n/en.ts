/** English. */
import { type Dict, m } from "./de.ts"

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many)

export const en: Dict = {
  appName: "Amt-O-Mat",
  languages: "Language",
  display: "Display and sound",
  largeText: "Large text",
  contrast: "High contrast",
  readAloud: "Read aloud",
  cancel: "Cancel",
  back: "Back",
  next: "Continue",
  wait: "One moment please …",
  attract: {
    title: "Welcome to the Amt-O-Mat",
    lead: "Collect your new ID card or passport and file applications here – day and night.",
    hint: "At the top you can choose the language, large text, high contrast and read aloud.",
    start: "Start"
  },
  unavailable: {
    pickup: "Collecting documents is not possible right now",
    applications: "Applications are not possible right now",
    hint: "A device of this terminal is out of order. Staff have been told. Please come back later or visit the citizens' office during opening hours."
  },
  resume: {
    pickupTitle: (n: number) => `Compartment ${n} is open`,
    pickupLead: "Please take out your document and push the door shut.",
    closeTitle: (n: number) => `Please close compartment ${n}`,
    closeLead: "The door is still open. Please push it shut.",
    flapTitle: "Please close the flap",
    flapLead: "The flap for the old ID card, bottom left, is still open. Please push it shut.",
    staffTitle: (n: number) => `Staff are filling compartment ${n}`,
    staffLead: "Staff are working at the terminal. Please wait a moment.",
    waiting: "The terminal waits until everything is closed …"
  },
  card: {
    title: "Please insert your bank card",
    lead: "The card only opens your session. Nothing is charged and the card number is not stored.",
    where: "The card reader is on the right, below the screen.",
    waiting: "Waiting for your card …"
  },
  services: {
    title: "What would you like to do?",
    pickup: "Collect a document",
    pickupHint: "ID card or passport – with the pickup number from your text message",
    applications: "Applications and reports",
    loading: "Loading the list …"
  },
  number: {
    title: "Enter your pickup number",
    lead: "The 8-digit pickup number is in the text message saying your document is ready.",
    digits: (n: number, total: number) => `${n} of ${total} digits`,
    typo: "This number is not right. Please check the digits in your text message.",
    sending: "We are sending you a code …"
  },
  pad: {
    label: "Number pad",
    delete: "Delete the last digit",
    deleteShort: "Delete",
    clear: "Clear all"
  },
  code: {
    title: "Enter the code from your text message",
    lead: (phone: string, minutes: number) => `We have texted a code to ${phone}. It is valid for ${minutes} minutes.`,
    entered: (n: number, total: number) => `${n} of ${total} digits entered`,
    spoken: (n: number, total: number) => `Code: ${n} of ${total} digits entered.`,
    hidden: "The code is never read aloud. You can show it to check it – make sure nobody is looking.",
    show: "Show the code",
    hide: "Hide the code",
    confirm: "Confirm",
    noSms: "No text message?",
    resend: "Send a new code",
    resent: "A new code is on its way.",
    checking: "Checking the code …",
    wrong: (left: number) => `The code is not right. You have ${left} more ${plural(left, "try", "tries")}. Please check the text message.`
  },
  old: {
    title: "Put in your old document",
    lead: "The flap at the bottom left is open now. Please put your old ID card in and close the flap.",
    why: "The old document is cancelled. Then the compartment with the new one opens.",
    waiting: "Waiting for your old document …"
  },
  opening: { title: "Opening the compartment …" },
  open: {
    title: (n: number) => `Compartment ${n} is open`,
    lead: (kind: string) => `Please take out your ${kind} and close the door.`,
    waiting: "Waiting for the door to be closed …"
  },
  closeDoor: {
    title: "Please close the door",
    lead: (n: number) => `You have your document. The door of compartment ${n} is still open. Please push it shut. Staff have been informed.`
  },
  done: {
    title: "All done – thank you!",
    lead: "You have your document. Please don't forget your bank card.",
    feedback: "Give feedback",
    finish: "Finish"
  },
  kinds: {
    "id-card": "ID card",
    passport: "passport",
    "child-passport": "child passport",
    "residence-permit": "residence permit",
    other: "document"
  },
  offices: {
    buergerbuero: "the citizens' office",
    steueramt: "the tax office",
    friedhofsverwaltung: "the cemetery administration",
    werke: "the public utilities",
    abfallwirtschaft: "the waste management office",
    bauhof: "the public works depot",
    ordnungsamt: "the public order office",
    other: "the responsible office"
  },
  form: {
    step: (i: number, n: number) => `Step ${i} of ${n}`,
    intro: "Please fill in the fields. Required fields are marked with *.",
    required: "required",
    choose: "Please choose",
    summary: (n: number) => `Please check ${n} ${plural(n, "field", "fields")}.`,
    datePattern: "DD.MM.YYYY",
    fixed: "Now correct.",
    allFixed: "All corrected. Tap “Continue”.",
    errors: {
      required: "Please fill in this field.",
      postcode: "Please enter 5 digits, for example 56068.",
      email: "Please enter an e-mail address, for example name@example.com.",
      date: "Please enter a date, for example 15.03.2019.",
      phone: "Please enter a phone number, for example 0261 123456.",
      number: "Please enter a number.",
      select: "Please choose an option.",
      tooLong: (n: number) => `Please use at most ${n} characters.`,
      server: "This entry was not accepted. Please check it."
    }
  },
  scan: {
    title: "Scan your documents",
    lead: "Place the page face down on the scanner on the right. Then tap “Scan”.",
    scan: (label: string) => `Scan ${label}`,
    again: (label: string) => `Scan ${label} again`,
    notYet: "Not scanned yet",
    optional: "optional",
    scanned: (pages: number) => `Scanned: ${pages} ${plural(pages, "page", "pages")}`,
    scanning: "Scanning …",
    noPaper: "There is no page on the scanner. Please place it and tap “Scan” again.",
    down: "The scanner is not working right now. You can leave out optional documents; otherwise please hand them in at the citizens' office.",
    missing: (label: string) => `Please scan: ${label}.`
  },
  review: {
    title: "Please check your details",
    empty: "(empty)",
    attachments: "Documents",
    none: "none",
    change: "Change",
    send: "Send",
    sending: "Sending …"
  },
  receipt: {
    title: "Your application has been received",
    reference: "Your reference number",
    lead: (office: string) => `We are forwarding it to ${office}. Please write down or photograph the number.`
  },
  feedback: {
    title: "How did it go?",
    rating: "Your rating",
    ratings: ["very poor", "poor", "okay", "good", "very good"],
    recommend: "Would you recommend the Amt-O-Mat?",
    yes: "Yes",
    no: "No",
    unsure: "Not sure",
    send: "Send",
    skip: "Skip",
    thanks: "Thank you for your feedback!",
    bye: "Please take your bank card with you. Goodbye!"
  },
  idle: {
    title: "Are you still there?",
    text: (s: number) => `The screen will reset in ${s} seconds. What you have entered will then be deleted.`,
    more: "More time",
    end: "End now"
  },
  actions: {
    flapClosed: "The flap is closed",
    tryAgain: "Try again",
    startOver: "Start over",
    callStaff: "Call staff",
    newCode: "Send a new code",
    finish: "Finish"
  },
  messages: {
    intakeLeftOpen: m("Please close the flap", "The flap for the old ID card, bottom left, is still open. Please push it shut, then we go on."),
    intakeUnavailable: m(
      "The slot for the old ID card is out of order",
      "Your new document stays safe in its compartment. Staff have been told. Please come back later or visit the citizens' office during opening hours."
    ),
    storage: m(
      "The terminal cannot save anything right now",
      "Nothing was opened and nothing was changed. Staff have been told. Please try again later or visit the citizens' office."
    ),
    cardTimeout: m("No card detected", "Please insert your bank card and try again."),
    cardUnreadable: m("The card could not be read", "Please take the card out and insert it again, or use another bank card."),
    cardReaderDown: m("The card reader is not working right now", "Please come to the citizens' office during opening hours. The staff there will help you."),
    sessionExpired: m("Your session has ended", "For your protection the session was closed. Please start again with your bank card."),
    unknownNumber: m("Pickup number not found", "No document is waiting under this number. Please check the number in your text message and try again."),
    notReady: m("This document is not in the Amt-O-Mat", "Please come to the citizens' office during opening hours. You will get your document there."),
    locked: m(
      "The pickup is locked",
      "The code was entered wrongly too often. For your protection the pickup is now locked. Staff can unlock it: please call staff or come to the citizens' office."
    ),
    throttled: m("Please wait a moment", "There were too many failed attempts at this terminal. Please wait a little and then try again."),
    throttledFor: m("Please wait a moment", "There were too many failed attempts at this terminal. Please wait {s} seconds and then try again."),
    codeExpired: m("The code has expired", "No problem: we will send you a new code."),
    outOfOrder: m("Something happened in the wrong order", "Please start again with the pickup number."),
    noOldDocument: m(
      "We did not detect an old document",
      "Your new document stays safe in the compartment. Try again, or bring the old document to the citizens' office."
    ),
    doorDidNotOpen: m(
      "The compartment did not open",
      "Your document stays safely locked away. Staff have been informed. Please call staff or come to the citizens' office."
    ),
    notTaken: m("The document was not taken", "It stays safe in the compartment. You can start the pickup again."),
    deviceError: m("A technical fault", "Your document stays safe in the compartment. Please call staff or come to the citizens' office."),
    smsNotSent: m("The code could not be sent", "Please try again in a moment. If it still does not work, please come to the citizens' office."),
    noSms: m(
      "No text message?",
      "A text can take a minute. The text went to the number on the previous screen: is it your phone's? You can ask for a new code. Without your phone, or if the number has changed: you can also collect your document at the citizens' office, with your old ID. Until then it stays safe in its compartment."
    ),
    callStaff: m(
      "How to reach staff",
      "Press the intercom button to the right of the screen. During opening hours the citizens' office on the ground floor can help you too."
    ),
    failed: m("Sorry, that did not work", "Please try again. If it still does not work, please call staff.")
  }
}
