import { useConfig } from '../config.ts';
import { formatDate } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { Link, routes } from '../router.tsx';
import { PageHeading } from './page-heading.tsx';

/**
 * `/barrierefreiheit` and `/accessibility`: the accessibility statement in the form BITV NRW asks for (§ 10b BGG NRW,
 * the model statement of Implementing Decision (EU) 2018/1523): the state of conformance, the content that is not
 * accessible with its alternatives, the date and method of the statement, the feedback contact (ACCESSIBILITY_CONTACT,
 * through /api/config) and the enforcement procedure. German and English; Turkish and Arabic readers get the English
 * text with the shell's notice.
 */

/** The day this statement was prepared (or last reviewed): update it with every review of its content. */
export const STATEMENT_DATE = '2026-12-07';

/** The enforcement body of North Rhine-Westphalia (§ 10d BGG NRW), as it names itself. */
export const ENFORCEMENT = {
  web: 'https://www.lbbp.nrw.de/ombudsstelle',
  mail: 'ombudsstelle-barrierefreie-it@mags.nrw.de',
} as const;

const LIMITS = [
  'accessibility.limits.map',
  'accessibility.limits.mapKeyboard',
  'accessibility.limits.png',
  'accessibility.limits.languages',
  'accessibility.limits.easyRead',
] as const;

export default function AccessibilityPage() {
  const { t, lang } = useI18n();
  const config = useConfig();
  const contact = config.accessibilityContact;
  const other = lang === 'de' ? `${routes.accessibilityEn}?lang=en` : `${routes.accessibility}?lang=de`;
  return (
    <div className="page page--narrow statement">
      <PageHeading title={t('accessibility.title')}>{t('accessibility.title')}</PageHeading>
      <p>
        <a href={other} lang={lang === 'de' ? 'en' : 'de'} hrefLang={lang === 'de' ? 'en' : 'de'}>
          {t('accessibility.otherLanguage')}
        </a>
      </p>
      <p>{t('accessibility.intro', { city: config.city.name, site: window.location.origin })}</p>

      <h2>{t('accessibility.status.title')}</h2>
      <p>{t('accessibility.status.body')}</p>

      <h2>{t('accessibility.limits.title')}</h2>
      <ul>
        {LIMITS.map((key) => (
          <li key={key}>{t(key)}</li>
        ))}
      </ul>

      <h2>{t('accessibility.made.title')}</h2>
      <p data-date={STATEMENT_DATE}>
        {t('accessibility.made.body', { date: formatDate(STATEMENT_DATE, lang, 'long') })}
      </p>

      <h2>{t('accessibility.feedback.title')}</h2>
      {contact ? (
        <p data-contact="configured">
          {t('accessibility.feedback.body')} <a href={contact.href}>{contact.text}</a>
        </p>
      ) : (
        <p data-contact="missing">{t('accessibility.feedback.none')}</p>
      )}

      <h2>{t('accessibility.enforcement.title')}</h2>
      <p>{t('accessibility.enforcement.body')}</p>
      <address className="statement__address">
        <span lang="de">{t('accessibility.enforcement.name')}</span>
        <br />
        {t('accessibility.enforcement.web')}: <a href={ENFORCEMENT.web}>{ENFORCEMENT.web}</a>
        <br />
        {t('accessibility.enforcement.mail')}: <a href={`mailto:${ENFORCEMENT.mail}`}>{ENFORCEMENT.mail}</a>
      </address>
      <p>
        <Link to={routes.easyRead}>{t('footer.easyRead')}</Link>
      </p>
    </div>
  );
}
