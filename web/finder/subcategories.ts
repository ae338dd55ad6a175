import type { Lang } from '../i18n/index.ts';

/**
 * Names for the sub-categories a resident needs to tell offers apart (a doctor's practice from a pharmacy,
 * a primary school from a Gymnasium). The data hold codes (OpenStreetMap tags, school forms); codes not
 * listed here are not shown, since a raw code means nothing to a reader. German school forms keep their
 * German name beside the explanation: it is the word on the school's sign and in letters from the city.
 */
type Labels = Record<Lang, string>;

const SUBCATEGORIES: Record<string, Labels> = {
  doctor: { de: 'Arztpraxis', en: "Doctor's practice", tr: 'Doktor muayenehanesi', ar: 'عيادة طبيب' },
  'doctor:general': { de: 'Hausarzt', en: 'General practitioner', tr: 'Aile hekimi', ar: 'طبيب عام' },
  'doctor:paediatrics': { de: 'Kinderarzt', en: 'Paediatrician', tr: 'Çocuk doktoru', ar: 'طبيب أطفال' },
  /** The filter that takes every doctor's practice. */
  'doctor:*': { de: 'Alle Arztpraxen', en: 'All doctors', tr: 'Tüm doktorlar', ar: 'كل الأطباء' },
  dentist: { de: 'Zahnarztpraxis', en: 'Dentist', tr: 'Diş hekimi', ar: 'طبيب أسنان' },
  pharmacy: { de: 'Apotheke', en: 'Pharmacy', tr: 'Eczane', ar: 'صيدلية' },
  hospital: { de: 'Krankenhaus', en: 'Hospital', tr: 'Hastane', ar: 'مستشفى' },
  clinic: { de: 'Klinik', en: 'Clinic', tr: 'Klinik', ar: 'عيادة' },
  primary: { de: 'Grundschule', en: 'Primary school', tr: 'İlkokul', ar: 'مدرسة ابتدائية' },
  'secondary-gesamtschule': {
    de: 'Gesamtschule',
    en: 'Comprehensive school (Gesamtschule)',
    tr: 'Ortaokul ve lise (Gesamtschule)',
    ar: 'مدرسة شاملة (Gesamtschule)',
  },
  'secondary-gymnasium': {
    de: 'Gymnasium',
    en: 'Grammar school (Gymnasium)',
    tr: 'Lise (Gymnasium)',
    ar: 'مدرسة ثانوية (Gymnasium)',
  },
  'secondary-realschule': {
    de: 'Realschule',
    en: 'Secondary school (Realschule)',
    tr: 'Ortaokul (Realschule)',
    ar: 'مدرسة إعدادية (Realschule)',
  },
  'secondary-hauptschule': {
    de: 'Hauptschule',
    en: 'Secondary school (Hauptschule)',
    tr: 'Ortaokul (Hauptschule)',
    ar: 'مدرسة أساسية (Hauptschule)',
  },
  'secondary-waldorf': { de: 'Waldorfschule', en: 'Waldorf school', tr: 'Waldorf okulu', ar: 'مدرسة فالدورف' },
  'special-needs': {
    de: 'Förderschule',
    en: 'Special needs school',
    tr: 'Özel eğitim okulu',
    ar: 'مدرسة لذوي الاحتياجات الخاصة',
  },
  vocational: { de: 'Berufskolleg', en: 'Vocational college', tr: 'Meslek okulu', ar: 'كلية مهنية' },
  'adult-education': { de: 'Weiterbildung', en: 'Adult education', tr: 'Yetişkin eğitimi', ar: 'تعليم الكبار' },
  'nursing-home': { de: 'Pflegeheim', en: 'Nursing home', tr: 'Bakımevi', ar: 'دار رعاية المسنين' },
  bus: { de: 'Bushaltestelle', en: 'Bus stop', tr: 'Otobüs durağı', ar: 'موقف حافلات' },
  tram: { de: 'Stadtbahn', en: 'Tram stop', tr: 'Tramvay durağı', ar: 'محطة ترام' },
  rail: { de: 'Bahnhof', en: 'Train station', tr: 'Tren istasyonu', ar: 'محطة قطار' },
  police: { de: 'Polizei', en: 'Police', tr: 'Polis', ar: 'الشرطة' },
  fire_station: { de: 'Feuerwehr', en: 'Fire station', tr: 'İtfaiye', ar: 'مركز الإطفاء' },
  townhall: { de: 'Rathaus', en: 'Town hall', tr: 'Belediye binası', ar: 'مبنى البلدية' },
  university: { de: 'Universität', en: 'University', tr: 'Üniversite', ar: 'جامعة' },
  college: { de: 'Hochschule', en: 'College', tr: 'Yüksekokul', ar: 'كلية' },
  museum: { de: 'Museum', en: 'Museum', tr: 'Müze', ar: 'متحف' },
  theatre: { de: 'Theater', en: 'Theatre', tr: 'Tiyatro', ar: 'مسرح' },
  cinema: { de: 'Kino', en: 'Cinema', tr: 'Sinema', ar: 'سينما' },
  christian: { de: 'Kirche', en: 'Church', tr: 'Kilise', ar: 'كنيسة' },
  muslim: { de: 'Moschee', en: 'Mosque', tr: 'Cami', ar: 'مسجد' },
  jewish: { de: 'Synagoge', en: 'Synagogue', tr: 'Sinagog', ar: 'كنيس' },
  swimming_pool: { de: 'Schwimmbad', en: 'Swimming pool', tr: 'Yüzme havuzu', ar: 'مسبح' },
  sports_centre: { de: 'Sporthalle', en: 'Sports centre', tr: 'Spor salonu', ar: 'مركز رياضي' },
};

/** The sub-category's name, or null when the code is unknown or empty. */
export function subcategoryLabel(code: string | null, lang: Lang): string | null {
  return code ? (SUBCATEGORIES[code]?.[lang] ?? null) : null;
}

/** The name of an offer's kind: its speciality where known ("Kinderarzt"), else its sub-category. */
export function kindLabel(subcategory: string | null, speciality: string | null, lang: Lang): string | null {
  return (speciality && subcategoryLabel(`${subcategory}:${speciality}`, lang)) || subcategoryLabel(subcategory, lang);
}

/**
 * The kinds a resident can narrow a category to (the API's `kind`): doctors apart from pharmacies, dentists and
 * hospitals, and among doctors the general practitioners and paediatricians.
 */
export const KIND_FILTERS: Record<string, readonly string[]> = {
  health: ['doctor:general', 'doctor:paediatrics', 'doctor', 'pharmacy', 'dentist', 'hospital'],
};

/** The kinds to ask for: only while the one category that has them is chosen alone. */
export function askedKinds(categories: readonly string[], kinds: readonly string[]): string[] {
  const only = categories.length === 1 ? categories[0] : undefined;
  const allowed = only === undefined ? undefined : KIND_FILTERS[only];
  return allowed ? kinds.filter((k) => allowed.includes(k)) : [];
}
