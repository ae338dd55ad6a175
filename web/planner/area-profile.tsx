import { useId } from 'react';
import type { Profile, ProfileIndicator } from '../api/client.ts';
import { formatDate, formatNumber, formatRank, formatValue, indicatorDecimals } from '../format.ts';
import { type Lang, type TFunction, useI18n } from '../i18n/index.ts';
import { barExtent, barScale } from './profile-bars.ts';
import { localized, unitAfterValue } from './text.ts';
import { TimeSeries } from './time-series.tsx';

/**
 * The profile of an area (and, side by side, of a second one): every indicator with a value, as a small bar
 * against the city value; the map's current indicator first, the others by theme; the offers by category, and
 * those of the city's offer lists by age stage of the education chain (issue 21).
 */

export interface AreaProfileProps {
  profile: Profile | null;
  compare: Profile | null;
  loading: boolean;
  error: Error | null;
  /** Offline: the request waits for the connection. */
  paused?: boolean;
  /** Ask again for what failed. */
  onRetry: () => void;
  /** The indicator on the map: shown first. */
  indicatorId: string | null;
  /** Areas of the level to compare with. */
  areas: readonly { code: string; name: string }[];
  compareCode: string | null;
  onCompare: (code: string | null) => void;
  /** Start choosing the area to compare with on the map. */
  onPickCompare: () => void;
  onClose: () => void;
  /** Choose the indicator of a row for the map. */
  onShowIndicator: (id: string) => void;
}

export function AreaProfile({
  profile,
  compare,
  loading,
  error,
  paused = false,
  onRetry,
  indicatorId,
  areas,
  compareCode,
  onCompare,
  onPickCompare,
  onClose,
  onShowIndicator,
}: AreaProfileProps) {
  const { t, lang } = useI18n();
  const id = useId();
  const shown = [profile, compare].filter((p): p is Profile => p !== null);
  const rows = profile ? profileRows(profile, compare) : [];
  const current = rows.find((r) => r.indicator.id === indicatorId) ?? null;
  const themes = groupByTheme(rows.filter((r) => r !== current));
  const currentTheme = current?.indicator.theme;

  return (
    <section
      className="card profile"
      aria-labelledby={`${id}-title`}
      aria-busy={loading || undefined}
      data-area={profile?.area.code}
      data-compare={compare?.area.code}
    >
      <header className="card__head">
        <h2 id={`${id}-title`} className="card__title">
          {profile ? (
            <>
              <span className="profile__name">{profile.area.name}</span>
              {compare ? (
                <>
                  {' '}
                  <span className="profile__vs">{t('planner.profile.vs')}</span>{' '}
                  <span className="profile__name profile__name--compare">{compare.area.name}</span>
                </>
              ) : null}
            </>
          ) : error ? (
            t('planner.error.title')
          ) : (
            t('planner.loading')
          )}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('planner.close')}>
          ×
        </button>
      </header>
      {error && !profile ? (
        <p role="alert" className="profile__error">
          {t('planner.error.profile')}{' '}
          <button type="button" className="button button--secondary" onClick={onRetry}>
            {t('planner.retry')}
          </button>
        </p>
      ) : paused && !profile ? (
        <p role="status" className="profile__error">
          {t('planner.offline')}
        </p>
      ) : null}
      {profile ? (
        <>
          <p className="card__kicker">
            {t(`planner.level.${profile.area.level === 'district' ? 'district' : 'quarter'}One`)} {profile.area.code}
            {profile.area.parent ? ` · ${profile.area.parent.name}` : ''}
            {profile.area.area_km2 !== null ? ` · ${formatNumber(profile.area.area_km2, lang, 2)} km²` : ''}
          </p>
          <div className="field profile__compare">
            <label className="field__label" htmlFor={`${id}-cmp`}>
              {t('planner.profile.compare')}
            </label>
            <select
              id={`${id}-cmp`}
              name="compare"
              value={compareCode ?? ''}
              onChange={(e) => onCompare(e.target.value || null)}
            >
              <option value="">{t('planner.profile.compareNone')}</option>
              {areas
                .filter((a) => a.code !== profile.area.code)
                .map((a) => (
                  <option key={a.code} value={a.code}>
                    {a.name} ({a.code})
                  </option>
                ))}
            </select>
            <button type="button" className="link-button" onClick={onPickCompare}>
              {t('planner.profile.pickOnMap')}
            </button>
          </div>
          <BarKey shown={shown} t={t} />
          {current ? (
            <div className="profile__current">
              <ProfileRow row={current} lang={lang} t={t} current />
              <TimeSeries indicator={current.indicator.id} level={profile.area.level} code={profile.area.code} />
            </div>
          ) : null}
          {themes.map(([theme, themeRows]) => (
            <details key={theme} className="profile__theme" open={theme === currentTheme || undefined}>
              <summary>
                {localized(profile.themes.find((th) => th.id === theme)?.label, lang) || theme}{' '}
                <span className="profile__theme-count">({themeRows.length})</span>
              </summary>
              {themeRows.map((row) => (
                <ProfileRow key={row.indicator.id} row={row} lang={lang} t={t} onShow={onShowIndicator} />
              ))}
            </details>
          ))}
          <OfferCounts profile={profile} compare={compare} lang={lang} t={t} />
          <AgeStages profile={profile} compare={compare} lang={lang} t={t} />
        </>
      ) : null}
    </section>
  );
}

interface Row {
  indicator: ProfileIndicator;
  other: ProfileIndicator | null;
  compared: boolean;
}

/** Indicators with a value (or a withheld one) in at least one of the areas, in the API's order. */
function profileRows(profile: Profile, compare: Profile | null): Row[] {
  const others = new Map(compare?.indicators.map((i) => [i.id, i]) ?? []);
  return profile.indicators
    .map((indicator) => ({ indicator, other: others.get(indicator.id) ?? null, compared: compare !== null }))
    .filter(
      (r) =>
        r.indicator.value !== null || r.indicator.suppressed || r.other?.value != null || r.other?.suppressed === true,
    );
}

function groupByTheme(rows: Row[]): [string, Row[]][] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const list = groups.get(r.indicator.theme) ?? [];
    list.push(r);
    groups.set(r.indicator.theme, list);
  }
  return [...groups.entries()];
}

function BarKey({ shown, t }: { shown: Profile[]; t: TFunction }) {
  return (
    <p className="profile__key" aria-hidden="true">
      {shown.map((p, i) => (
        <span key={p.area.code} className="profile__key-item">
          <span className={`bar-swatch bar-swatch--${i === 0 ? 'a' : 'b'}`} /> {p.area.name}
        </span>
      ))}
      <span className="profile__key-item">
        <span className="city-mark-swatch" /> {t('planner.profile.city')}
      </span>
    </p>
  );
}

function ProfileRow({
  row,
  lang,
  t,
  current = false,
  onShow,
}: {
  row: Row;
  lang: Lang;
  t: TFunction;
  current?: boolean;
  onShow?: (id: string) => void;
}) {
  const { indicator, other, compared } = row;
  const unit = unitAfterValue(indicator.unit, t);
  // One number format per indicator on every page (web/format.ts).
  const digits = indicatorDecimals(indicator.unit);
  const scale = barScale([indicator.value, other?.value, indicator.city.value]);
  const cityValue = indicator.city.value;
  const entries = compared ? [indicator, other] : [indicator];
  const title = localized(indicator.title, lang);
  return (
    <div
      className={`profile-row${current ? ' profile-row--current' : ''}`}
      data-indicator={indicator.id}
      data-value={indicator.value ?? ''}
      data-compare-value={compared ? (other?.value ?? '') : undefined}
    >
      <div className="profile-row__head">
        {onShow ? (
          <button type="button" className="link-button profile-row__title" onClick={() => onShow(indicator.id)}>
            {title}
          </button>
        ) : (
          <span className="profile-row__title">{title}</span>
        )}
      </div>
      {entries.map((entry, i) => (
        <div key={i === 0 ? 'a' : 'b'} className="profile-row__bar-line">
          <span className="profile-row__value">
            {entry === null
              ? '–'
              : entry.suppressed
                ? t('planner.profile.withheld')
                : formatValue(entry.value, unit, lang, digits)}
            {entry?.rank ? <span className="profile-row__rank"> {formatRank(entry.rank, lang, t)}</span> : null}
          </span>
          <span className="profile-row__track" aria-hidden="true">
            {scale && entry?.value !== null && entry?.value !== undefined ? (
              <span
                className={`profile-row__bar profile-row__bar--${i === 0 ? 'a' : 'b'}`}
                style={{
                  insetInlineStart: `${barExtent(scale, entry.value).left}%`,
                  width: `${Math.max(0.5, barExtent(scale, entry.value).width)}%`,
                }}
              />
            ) : null}
            {scale && cityValue !== null ? (
              <span className="profile-row__city" style={{ insetInlineStart: `${scale.at(cityValue)}%` }} />
            ) : null}
          </span>
        </div>
      ))}
      <p className="profile-row__meta">
        {t('planner.profile.cityValue')}: {formatValue(cityValue, unit, lang, digits)}
        {indicator.reference_date
          ? ` · ${t('planner.asOf')} ${formatDate(indicator.reference_date, lang)}`
          : indicator.value !== null
            ? ` · ${t('planner.undated')}`
            : ''}
        {` · ${t(`planner.method.${indicator.method}`)}`}
        {indicator.value === null && indicator.reason ? ` · ${localized(indicator.reason, lang)}` : ''}
      </p>
    </div>
  );
}

function OfferCounts({
  profile,
  compare,
  lang,
  t,
}: {
  profile: Profile;
  compare: Profile | null;
  lang: Lang;
  t: TFunction;
}) {
  const others = new Map(compare?.offers.map((o) => [o.category, o]) ?? []);
  const offers = profile.offers.filter((o) => (o.count ?? 0) > 0 || (others.get(o.category)?.count ?? 0) > 0);
  if (offers.length === 0) return null;
  return (
    <details className="profile__theme">
      <summary>{t('planner.profile.offers')}</summary>
      <table className="mini-table">
        <thead>
          <tr>
            <th scope="col">{t('planner.profile.category')}</th>
            <th scope="col">{profile.area.name}</th>
            {compare ? <th scope="col">{compare.area.name}</th> : null}
          </tr>
        </thead>
        <tbody>
          {offers.map((o) => (
            <tr key={o.category}>
              <th scope="row">{localized(o.label, lang)}</th>
              <td>{o.count === null ? '–' : formatNumber(o.count, lang, 0)}</td>
              {compare ? <td>{formatNumber(others.get(o.category)?.count ?? 0, lang, 0)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/**
 * The offers of the city's lists per age stage of the education chain (issue 21); nothing without a public list,
 * since nothing is known then. Offers whose list gives no age stay apart as "age not given".
 */
function AgeStages({
  profile,
  compare,
  lang,
  t,
}: {
  profile: Profile;
  compare: Profile | null;
  lang: Lang;
  t: TFunction;
}) {
  const ages = profile.age_stages;
  if (!ages) return null;
  const other = compare?.age_stages ?? null;
  const otherOf = (stage: string) => other?.stages.find((s) => s.stage === stage)?.offers;
  const count = (n: number | undefined) => (n === undefined ? '–' : formatNumber(n, lang, 0));
  return (
    <details className="profile__theme" data-testid="age-stages">
      <summary>{t('planner.profile.ageStages')}</summary>
      <table className="mini-table">
        <thead>
          <tr>
            <th scope="col">{t('planner.profile.ageStage')}</th>
            <th scope="col">{profile.area.name}</th>
            {compare ? <th scope="col">{compare.area.name}</th> : null}
          </tr>
        </thead>
        <tbody>
          {ages.stages.map((s) => (
            <tr key={s.stage}>
              <th scope="row">
                {localized(s.label, lang)} ({t('planner.profile.ageRange', { min: s.age_min, max: s.age_max })})
              </th>
              <td>{count(s.offers)}</td>
              {compare ? <td>{count(otherOf(s.stage))}</td> : null}
            </tr>
          ))}
          <tr>
            <th scope="row">{t('planner.profile.ageNotGiven')}</th>
            <td>{count(ages.age_not_given)}</td>
            {compare ? <td>{count(other?.age_not_given)}</td> : null}
          </tr>
        </tbody>
      </table>
      <p className="profile__note">{localized(ages.note, lang)}</p>
      <p className="profile__note">
        {t('planner.profile.ageLists', {
          lists: ages.lists.map((l) => (l.date ? `${l.title} (${formatDate(l.date, lang)})` : l.title)).join('; '),
        })}
      </p>
    </details>
  );
}
