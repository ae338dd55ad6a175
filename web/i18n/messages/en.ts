import type { Messages } from './de.ts';

export const en: Messages = {
  'app.name': 'Quartiersatlas',
  'app.tagline': '{city}: where social needs and services meet',
  'app.skipToContent': 'Skip to content',
  'nav.label': 'Sections',
  'nav.planner': 'Planning',
  'nav.finder': 'Find services',
  'nav.council': 'Action areas',
  'lang.label': 'Language',
  'planner.title': 'Needs and services',
  'planner.intro':
    'The map shows {city}. Soon you can lay district indicators and social services on top of each other here.',
  'planner.panelPlaceholder': 'Selection, legend and tables will follow.',
  'finder.title': 'Services near you',
  'finder.intro': 'Soon you will find counselling, meeting places and support in your neighbourhood here.',
  'council.title': 'Action areas',
  'council.intro': "An overview of the city's action areas (Aktionsräume): location, needs and existing services.",
  'map.label': 'Map of {city}',
  'map.loading': 'Loading map …',
  'map.unavailable': 'The map cannot be shown in this browser (WebGL is missing).',
  'notFound.title': 'Page not found',
  'notFound.body': 'This address does not exist in the Quartiersatlas.',
  'notFound.home': 'Go to the start page',
};
