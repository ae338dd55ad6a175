/**
 * The easy-read page (issue 19): what the finder does and how to use it, in Leichte Sprache, with plain English
 * beside it. One sentence per line, one statement per sentence, no passive, numbers as digits; the German and the
 * English lists say the same thing line by line. web/easy-read/easy-read.test.ts holds them to those rules.
 */

export interface EasyReadSection {
  id: string;
  title: { de: string; en: string };
  lines: { de: string; en: string }[];
}

export const FINDER_EXPLAINED: EasyReadSection[] = [
  {
    id: 'what',
    title: { de: 'Was macht die Angebots-Suche?', en: 'What does the finder do?' },
    lines: [
      { de: 'Mit der Angebots-Suche finden Sie Hilfe in Ihrer Nähe.', en: 'The finder shows you help near you.' },
      {
        de: 'Zum Beispiel: eine Kita, eine Schule oder eine Bücherei.',
        en: 'For example: a day-care centre, a school or a library.',
      },
      { de: 'Die Suche kostet nichts.', en: 'The finder is free.' },
      { de: 'Sie brauchen kein Konto.', en: 'You do not need an account.' },
    ],
  },
  {
    id: 'how',
    title: { de: 'So geht die Suche', en: 'How to search' },
    lines: [
      { de: 'Schreiben Sie Ihre Adresse in das Feld.', en: 'Write your address in the field.' },
      { de: 'Zum Beispiel: Ihre Straße und Ihre Haus-Nummer.', en: 'For example: your street and your house number.' },
      { de: 'Wählen Sie dann die richtige Adresse aus der Liste.', en: 'Then choose the right address from the list.' },
      { de: 'Sie können auch Ihren Standort nehmen.', en: 'You can also use your location.' },
      { de: 'Dafür gibt es einen eigenen Knopf.', en: 'There is a button for this.' },
      { de: 'Wählen Sie dann eine Art von Angebot.', en: 'Then choose a kind of offer.' },
      { de: 'Zum Beispiel: Kita.', en: 'For example: day-care centre.' },
    ],
  },
  {
    id: 'results',
    title: { de: 'Das zeigt Ihnen die Suche', en: 'What the finder shows you' },
    lines: [
      { de: 'Die Suche zeigt eine Liste mit Angeboten.', en: 'The finder shows a list of offers.' },
      { de: 'Das nächste Angebot steht oben.', en: 'The nearest offer is at the top.' },
      { de: 'Bei jedem Angebot steht der Weg in Metern.', en: 'Each offer shows the distance in metres.' },
      { de: 'Das ist die Luftlinie.', en: 'This is the distance in a straight line.' },
      { de: 'Luftlinie heißt: der gerade Weg.', en: 'A straight line is the direct way.' },
      { de: 'Der Weg zu Fuß ist oft länger.', en: 'The way on foot is often longer.' },
      { de: 'Daneben steht die Zeit zu Fuß.', en: 'Next to it you see the time on foot.' },
      { de: 'Die Zeit ist geschätzt.', en: 'The time is an estimate.' },
      { de: 'Sie können ein Angebot öffnen.', en: 'You can open an offer.' },
      { de: 'Dann sehen Sie mehr über das Angebot.', en: 'Then you see more about the offer.' },
      { de: 'Zum Beispiel: die Adresse.', en: 'For example: the address.' },
      { de: 'Die Angebote sehen Sie auch auf einer Karte.', en: 'You also see the offers on a map.' },
    ],
  },
  {
    id: 'keyboard',
    title: { de: 'Ohne Maus', en: 'Without a mouse' },
    lines: [
      { de: 'Sie können alles mit der Tastatur machen.', en: 'You can do everything with the keyboard.' },
      { de: 'Die Tab-Taste bringt Sie zum nächsten Feld.', en: 'The Tab key takes you to the next field.' },
      { de: 'Die Enter-Taste öffnet ein Angebot.', en: 'The Enter key opens an offer.' },
    ],
  },
  {
    id: 'languages',
    title: { de: 'Sprachen', en: 'Languages' },
    lines: [
      { de: 'Die Suche gibt es in 4 Sprachen.', en: 'The finder is in 4 languages.' },
      {
        de: 'Das sind Deutsch, Englisch, Türkisch und Arabisch.',
        en: 'These are German, English, Turkish and Arabic.',
      },
      { de: 'Die Sprache wählen Sie oben auf der Seite.', en: 'You choose the language at the top of the page.' },
    ],
  },
  {
    id: 'careful',
    title: { de: 'Bitte beachten Sie', en: 'Please note' },
    lines: [
      { de: 'Manche Angaben sind alt.', en: 'Some of the information is old.' },
      { de: 'Manche Angebote fehlen.', en: 'Some offers are missing.' },
      { de: 'Fragen Sie im Zweifel beim Angebot nach.', en: 'If in doubt, ask the offer directly.' },
    ],
  },
];
