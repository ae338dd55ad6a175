/** The controlled vocabulary of offers, the same for every city, with labels in the app's four languages. */
export interface Category {
  code: string;
  labels: { de: string; en: string; tr: string; ar: string };
}

export const CATEGORIES: Category[] = [
  { code: 'childcare', labels: { de: 'Kita', en: 'Childcare', tr: 'Kreş', ar: 'رعاية الأطفال' } },
  { code: 'school', labels: { de: 'Schule', en: 'School', tr: 'Okul', ar: 'مدرسة' } },
  { code: 'youth', labels: { de: 'Jugend', en: 'Youth', tr: 'Gençlik', ar: 'الشباب' } },
  { code: 'family', labels: { de: 'Familie', en: 'Family', tr: 'Aile', ar: 'الأسرة' } },
  { code: 'seniors', labels: { de: 'Senioren', en: 'Seniors', tr: 'Yaşlılar', ar: 'كبار السن' } },
  { code: 'library', labels: { de: 'Bibliothek', en: 'Library', tr: 'Kütüphane', ar: 'مكتبة' } },
  { code: 'community', labels: { de: 'Treffpunkt', en: 'Community centre', tr: 'Toplum merkezi', ar: 'مركز مجتمعي' } },
  { code: 'health', labels: { de: 'Gesundheit', en: 'Health', tr: 'Sağlık', ar: 'الصحة' } },
  { code: 'sport', labels: { de: 'Sport', en: 'Sport', tr: 'Spor', ar: 'الرياضة' } },
  { code: 'playground', labels: { de: 'Spielplatz', en: 'Playground', tr: 'Oyun parkı', ar: 'ملعب أطفال' } },
  { code: 'culture', labels: { de: 'Kultur', en: 'Culture', tr: 'Kültür', ar: 'الثقافة' } },
  { code: 'worship', labels: { de: 'Religion', en: 'Worship', tr: 'İbadet', ar: 'دور العبادة' } },
  { code: 'transit', labels: { de: 'Haltestelle', en: 'Public transport', tr: 'Toplu taşıma', ar: 'النقل العام' } },
  {
    code: 'higher-education',
    labels: { de: 'Hochschule', en: 'Higher education', tr: 'Yükseköğretim', ar: 'التعليم العالي' },
  },
  { code: 'administration', labels: { de: 'Verwaltung', en: 'Administration', tr: 'Yönetim', ar: 'الإدارة' } },
  { code: 'safety', labels: { de: 'Sicherheit', en: 'Safety', tr: 'Güvenlik', ar: 'السلامة' } },
  { code: 'post', labels: { de: 'Post', en: 'Post office', tr: 'Postane', ar: 'مكتب البريد' } },
];

export const CATEGORY_CODES = new Set(CATEGORIES.map((c) => c.code));
