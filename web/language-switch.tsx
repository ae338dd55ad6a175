import { isLang, languageInfo, languages, useI18n } from './i18n/index.ts';

/** Always visible in the header; each language is listed by its own name. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang-switch">
      <svg className="lang-switch__icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
        <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path
          d="M3 12h18M12 3c2.5 2.6 3.7 5.6 3.7 9s-1.2 6.4-3.7 9M12 3c-2.5 2.6-3.7 5.6-3.7 9s1.2 6.4 3.7 9"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
        />
      </svg>
      <span className="visually-hidden">{t('lang.label')}</span>
      <select
        name="lang"
        value={lang}
        onChange={(event) => {
          if (isLang(event.target.value)) setLang(event.target.value);
        }}
      >
        {languages.map((code) => (
          <option key={code} value={code} lang={code} dir={languageInfo[code].dir}>
            {languageInfo[code].name}
          </option>
        ))}
      </select>
    </label>
  );
}
