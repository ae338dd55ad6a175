/** German is the source language: its keys are the keys every other language must have. */
export const de = {
  'app.name': 'Quartiersatlas',
  'app.tagline': '{city}: wo soziale Bedarfe und Angebote zusammentreffen',
  'app.skipToContent': 'Zum Inhalt springen',
  'nav.label': 'Bereiche',
  'nav.planner': 'Planung',
  'nav.finder': 'Angebote finden',
  'nav.council': 'Aktionsräume',
  'lang.label': 'Sprache',
  'planner.title': 'Bedarfe und Angebote',
  'planner.intro':
    'Die Karte zeigt {city}. Bald lassen sich hier Kennzahlen der Stadtteile und soziale Angebote übereinanderlegen.',
  'planner.panelPlaceholder': 'Auswahl, Legende und Tabellen folgen.',
  'finder.title': 'Angebote in Ihrer Nähe',
  'finder.intro': 'Hier finden Sie bald Beratung, Treffpunkte und Hilfen in Ihrem Stadtteil.',
  'council.title': 'Aktionsräume',
  'council.intro': 'Die Aktionsräume der Stadt im Überblick: Lage, Bedarfe und vorhandene Angebote.',
  'map.label': 'Karte von {city}',
  'map.loading': 'Karte wird geladen …',
  'map.unavailable': 'Die Karte kann in diesem Browser nicht angezeigt werden (WebGL fehlt).',
  'notFound.title': 'Seite nicht gefunden',
  'notFound.body': 'Diese Adresse gibt es im Quartiersatlas nicht.',
  'notFound.home': 'Zur Startseite',
} as const;

export type MessageKey = keyof typeof de;

/** A translation: every key of the source language, and no other. */
export type Messages = { readonly [K in MessageKey]: string };
