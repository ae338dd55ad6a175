import type { Messages } from './de.ts';

export const tr: Messages = {
  'app.name': 'Quartiersatlas',
  'app.tagline': '{city}: sosyal ihtiyaçların ve hizmetlerin buluştuğu yerler',
  'app.skipToContent': 'İçeriğe geç',
  'nav.label': 'Bölümler',
  'nav.planner': 'Planlama',
  'nav.finder': 'Hizmet bul',
  'nav.council': 'Eylem alanları',
  'lang.label': 'Dil',
  'planner.title': 'İhtiyaçlar ve hizmetler',
  'planner.intro':
    'Harita {city} şehrini gösteriyor. Yakında semt göstergelerini ve sosyal hizmetleri burada üst üste görebileceksiniz.',
  'planner.panelPlaceholder': 'Seçim, açıklama ve tablolar eklenecek.',
  'finder.title': 'Yakınınızdaki hizmetler',
  'finder.intro': 'Yakında semtinizdeki danışmanlık, buluşma yerleri ve yardımları burada bulabileceksiniz.',
  'council.title': 'Eylem alanları',
  'council.intro': 'Şehrin eylem alanlarına (Aktionsräume) genel bakış: konum, ihtiyaçlar ve mevcut hizmetler.',
  'map.label': '{city} haritası',
  'map.loading': 'Harita yükleniyor …',
  'map.unavailable': 'Harita bu tarayıcıda gösterilemiyor (WebGL yok).',
  'notFound.title': 'Sayfa bulunamadı',
  'notFound.body': "Bu adres Quartiersatlas'ta yok.",
  'notFound.home': 'Ana sayfaya git',
};
