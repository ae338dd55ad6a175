import './qualify.css';
import type { PickingInfo } from '@deck.gl/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useCallback, useMemo, useRef, useState } from 'react';
import type { Catalogue, Designation, IndexPresets } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { useConfig } from '../config.ts';
import { formatNumber } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { useLayerModule } from '../map/use-layer-module.ts';
import { PageHeading } from '../pages/page-heading.tsx';
import { localized } from '../planner/text.ts';
import { Link, setSearchParams, useLocation } from '../router.tsx';
import { CouncilMap, PrintButton } from './council-map.tsx';
import { councilPath } from './council-route.ts';
import { LoadError, Loading } from './load-state.tsx';
import { choiceFromSearch, designationQuery, type QualifyChoice, searchOfChoice } from './qualify-choice.ts';
import { QUALIFY_COLORS, type QualifySet } from './qualify-colors.ts';
import { IndicatorMethods } from './source-list.tsx';

const loadQualifyLayers = () => import('./qualify-layers.ts');

/** Indicators an index can use at the quarters: a direction, and values for at least half of them. */
function usable(catalogue: Catalogue) {
  return catalogue.indicators.filter((i) => {
    const c = i.coverage.find((x) => x.level === 'quarter');
    return i.direction !== 'neutral' && !!c && c.of > 0 && c.with_value >= c.of / 2;
  });
}

/**
 * `/council/qualify`: which quarters would qualify as an Aktionsraum under an index and a rule of the council's
 * choosing, against today's Aktionsräume (issue 18). The builder writes its choice into the URL (a link gives
 * the same page); the answer is /api/analysis/designation.
 */
export function QualifyPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const choice = useMemo(() => choiceFromSearch(search), [search]);
  const catalogue = useQuery(queries.catalogue());
  const presets = useQuery(queries.indexPresets());
  // Without a choice in the URL, the first preset the data can fill.
  const firstPreset = presets.data?.presets.find((p) => p.indicators.length > 0)?.id ?? null;
  const effective: QualifyChoice =
    !choice.preset && choice.indicators.length === 0 && firstPreset ? { ...choice, preset: firstPreset } : choice;
  const query = designationQuery(effective);
  const designation = useQuery({ ...queries.designation(query), placeholderData: keepPreviousData });
  const failed = catalogue.error ?? presets.error;

  return (
    <div className="council council--qualify">
      <header className="council-head">
        <p className="council-back council-noprint">
          <Link to={councilPath()}>← {t('council.title')}</Link>
        </p>
        <PageHeading title={t('council.qualify.title')}>{t('council.qualify.title')}</PageHeading>
        <p className="council-head__intro">{t('council.qualify.intro')}</p>
      </header>
      {failed ? (
        <LoadError
          error={failed}
          retry={() => {
            catalogue.refetch();
            presets.refetch();
          }}
        />
      ) : null}
      {catalogue.data && presets.data ? (
        <Builder
          key={search}
          choice={effective}
          catalogue={catalogue.data}
          presets={presets.data}
          onApply={(next) => setSearchParams(searchOfChoice(next))}
        />
      ) : failed ? null : (
        <Loading />
      )}
      {designation.error && !designation.isFetching ? (
        <LoadError error={designation.error} retry={() => designation.refetch()} />
      ) : null}
      {designation.data && catalogue.data ? (
        <Result designation={designation.data} catalogue={catalogue.data} busy={designation.isFetching} />
      ) : query && !designation.error ? (
        <Loading />
      ) : null}
    </div>
  );
}

function Builder({
  choice,
  catalogue,
  presets,
  onApply,
}: {
  choice: QualifyChoice;
  catalogue: Catalogue;
  presets: IndexPresets;
  onApply(choice: QualifyChoice): void;
}) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState<QualifyChoice>(choice);
  // The list of indicators starts closed when the URL has chosen some (the builder is made anew per URL).
  const [listOpen] = useState(choice.indicators.length === 0);
  const candidates = useMemo(() => usable(catalogue), [catalogue]);
  const preset = presets.presets.find((p) => p.id === draft.preset) ?? null;
  // The rows of the weight table: the preset's filled indicators, or the own choice.
  const rows = preset ? preset.indicators.map((i) => i.id) : draft.indicators;
  const weightOf = (id: string, k: number) =>
    draft.weights[k] ?? preset?.indicators.find((i) => i.id === id)?.weight ?? 1;
  const titleOf = (id: string) => localized(catalogue.indicators.find((i) => i.id === id)?.title, lang) || id;
  const setWeight = (k: number, value: number) =>
    setDraft((d) => ({ ...d, weights: rows.map((id, j) => (j === k ? value : weightOf(id, j))) }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form className="qualify-builder council-noprint" onSubmit={submit} aria-labelledby="qualify-builder-title">
      <h2 id="qualify-builder-title">{t('council.qualify.builder')}</h2>
      <div className="qualify-builder__row">
        <label className="qualify-field">
          <span>{t('council.qualify.preset')}</span>
          <select
            name="preset"
            value={draft.preset ?? ''}
            onChange={(e) => setDraft((d) => ({ ...d, preset: e.target.value || null, weights: [] }))}
          >
            <option value="">{t('council.qualify.presetNone')}</option>
            {presets.presets.map((p) => (
              <option key={p.id} value={p.id} disabled={p.indicators.length === 0}>
                {localized(p.title, lang)}
              </option>
            ))}
          </select>
        </label>
        <label className="qualify-field">
          <span>{t('council.qualify.method')}</span>
          <select
            name="method"
            value={draft.method}
            onChange={(e) => setDraft((d) => ({ ...d, method: e.target.value === 'rank' ? 'rank' : 'z' }))}
          >
            <option value="z">{t('council.qualify.method.z')}</option>
            <option value="rank">{t('council.qualify.method.rank')}</option>
          </select>
        </label>
        <label className="qualify-field">
          <span>{t('council.qualify.rule')}</span>
          <select
            name="rule-kind"
            value={draft.rule.kind}
            onChange={(e) =>
              setDraft((d) => ({
                ...d,
                rule: { ...d.rule, kind: e.target.value === 'threshold' ? 'threshold' : 'top' },
              }))
            }
          >
            <option value="top">{t('council.qualify.rule.top')}</option>
            <option value="threshold">{t('council.qualify.rule.threshold')}</option>
          </select>
        </label>
        <label className="qualify-field qualify-field--narrow">
          <span>{t('council.qualify.ruleValue')}</span>
          <input
            name="rule-value"
            type="number"
            required
            step={draft.rule.kind === 'top' ? 1 : 0.01}
            min={draft.rule.kind === 'top' ? 1 : undefined}
            value={draft.rule.value}
            onChange={(e) => setDraft((d) => ({ ...d, rule: { ...d.rule, value: Number(e.target.value) } }))}
          />
        </label>
      </div>
      {preset?.unfilled.length ? (
        <p className="qualify-note">
          {t('council.qualify.unfilled', {
            items: preset.unfilled.map((u) => `${localized(u.topic, lang)} (${localized(u.reason, lang)})`).join('; '),
          })}
        </p>
      ) : null}
      <fieldset className="qualify-indicators">
        <legend>{t('council.qualify.indicators')}</legend>
        {preset ? null : (
          // Closed once indicators are chosen: the list is long, on a phone above all.
          <details className="qualify-candidates" open={listOpen}>
            <summary>{t('council.qualify.choose')}</summary>
            {candidates.map((i) => (
              <label key={i.id} className="qualify-check">
                <input
                  type="checkbox"
                  name="indicator"
                  value={i.id}
                  checked={draft.indicators.includes(i.id)}
                  onChange={(e) =>
                    setDraft((d) => ({
                      ...d,
                      weights: [],
                      indicators: e.target.checked ? [...d.indicators, i.id] : d.indicators.filter((x) => x !== i.id),
                    }))
                  }
                />
                {localized(i.title, lang)}
              </label>
            ))}
          </details>
        )}
        {rows.length ? (
          <ul className="qualify-weights">
            {rows.map((id, k) => (
              <li key={id}>
                <label>
                  <span>{titleOf(id)}</span>
                  <input
                    type="number"
                    name={`weight-${id}`}
                    aria-label={`${t('council.qualify.weight')}: ${titleOf(id)}`}
                    min={0.01}
                    step={0.01}
                    required
                    value={weightOf(id, k)}
                    onChange={(e) => setWeight(k, Number(e.target.value))}
                  />
                </label>
              </li>
            ))}
          </ul>
        ) : null}
      </fieldset>
      <button type="submit" className="council-button">
        {t('council.qualify.apply')}
      </button>
    </form>
  );
}

const SETS: readonly Exclude<QualifySet, 'other'>[] = ['both', 'entering', 'leaving'];

function Result({ designation, catalogue, busy }: { designation: Designation; catalogue: Catalogue; busy: boolean }) {
  const { t, lang } = useI18n();
  const { city } = useConfig();
  const quarters = useQuery(queries.areas('quarter'));
  const actionAreas = useQuery(queries.areas('action-area'));
  const refreshPicture = useRef<(() => Promise<void>) | null>(null);
  const layerModule = useLayerModule(loadQualifyLayers);
  const setOf = useMemo(() => {
    const m = new Map<string, Exclude<QualifySet, 'other'>>();
    for (const s of SETS) for (const q of designation[s]) m.set(q.code, s);
    return m;
  }, [designation]);
  const key = `${designation.rule}|${designation.selected.map((q) => q.code).join(',')}`;
  const layers = useMemo(
    () =>
      layerModule && quarters.data && actionAreas.data
        ? layerModule.qualifyLayers(quarters.data, actionAreas.data, setOf, key)
        : [],
    [layerModule, quarters.data, actionAreas.data, setOf, key],
  );
  const getTooltip = useCallback(
    (info: PickingInfo) => {
      const p = (info.object as { properties?: { code: string; name: string } } | null)?.properties;
      if (!p) return null;
      const set = setOf.get(p.code);
      return `${p.code} ${p.name}${set ? `: ${t(`council.qualify.legend.${set}`)}` : ''}`;
    },
    [setOf, t],
  );
  const n = (x: number, digits = 0) => formatNumber(x, lang, digits);
  const used = designation.index.indicators.map((i) => i.indicator.id);
  const rows = (['entering', 'leaving', 'both'] as const).flatMap((set) => designation[set].map((q) => ({ q, set })));

  return (
    <div className="qualify-result" aria-busy={busy || undefined} data-rule={designation.rule}>
      <div className="council-toolbar">
        <PrintButton refreshRef={refreshPicture} />
      </div>
      <p className="qualify-note">
        {designation.cut !== null ? t('council.qualify.cut', { cut: n(designation.cut, 2) }) : null}{' '}
        {designation.ties ? t('council.qualify.ties', { n: n(designation.ties) }) : null}{' '}
        {localized(designation.today_rule, lang)}
      </p>
      <section aria-labelledby="qualify-map-title">
        <h2 id="qualify-map-title">{t('council.qualify.map')}</h2>
        {quarters.data ? (
          <CouncilMap
            className="council-map--overview"
            label={t('council.qualify.mapLabel', { city: city.name })}
            layers={layers}
            layersKey={key}
            bounds={city.bounds}
            getTooltip={getTooltip}
            refreshRef={refreshPicture}
            caption={
              <ul className="map-legend">
                {SETS.map((s) => (
                  <li key={s} data-set={s}>
                    <span className="map-legend__swatch" style={{ background: QUALIFY_COLORS[s] }} aria-hidden="true" />
                    {t(`council.qualify.legend.${s}`)} ({n(designation.totals[s].areas)})
                  </li>
                ))}
              </ul>
            }
          />
        ) : (
          <Loading />
        )}
      </section>
      <section aria-labelledby="qualify-totals-title">
        <h2 id="qualify-totals-title">{t('council.qualify.totals')}</h2>
        {/* Scrolls sideways on a phone: focusable, so the keyboard can scroll it (issue 19). */}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the focus to be scrolled by keys */}
        <section className="table-scroll" aria-labelledby="qualify-totals-title" tabIndex={0}>
          <table className="council-table qualify-totals">
            <thead>
              <tr>
                <th scope="col">{t('council.qualify.col.set')}</th>
                <th scope="col" className="num">
                  {t('council.qualify.col.quarters')}
                </th>
                <th scope="col" className="num">
                  {t('council.qualify.col.addresses')}
                </th>
                <th scope="col" className="num">
                  {t('council.qualify.col.residents')}
                </th>
                <th scope="col" className="num">
                  {t('council.qualify.col.published')}
                </th>
                <th scope="col" className="num">
                  {t('council.qualify.col.modelled')}
                </th>
              </tr>
            </thead>
            <tbody>
              {(['selected', 'today', 'both', 'entering', 'leaving'] as const).map((s) => {
                const total = designation.totals[s];
                return (
                  <tr key={s} data-set={s}>
                    <th scope="row">{t(`council.qualify.set.${s}`)}</th>
                    <td className="num">{n(total.areas)}</td>
                    <td className="num">{n(total.addresses)}</td>
                    <td className="num">{n(total.residents)}</td>
                    <td className="num">{n(total.residents_published)}</td>
                    <td className="num">{n(total.residents_modelled)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <p className="qualify-note">{localized(designation.residents, lang)}</p>
      </section>
      <section aria-labelledby="qualify-table-title">
        <h2 id="qualify-table-title">{t('council.qualify.table')}</h2>
        {/* Scrolls sideways on a phone: focusable, so the keyboard can scroll it (issue 19). */}
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the focus to be scrolled by keys */}
        <section className="table-scroll" aria-labelledby="qualify-table-title" tabIndex={0}>
          <table className="council-table qualify-table">
            <thead>
              <tr>
                <th scope="col">{t('council.qualify.col.quarter')}</th>
                <th scope="col">{t('council.qualify.col.change')}</th>
                <th scope="col" className="num">
                  {t('council.qualify.col.index')}
                </th>
                <th scope="col" className="num">
                  {t('council.qualify.col.margin')}
                </th>
                <th scope="col" className="num">
                  {t('council.qualify.col.band')}
                </th>
                <th scope="col">{t('council.qualify.col.actionArea')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ q, set }) => (
                <tr key={q.code} data-code={q.code} data-set={set}>
                  <th scope="row">
                    {q.code} {q.name}
                  </th>
                  <td>
                    <span
                      className="map-legend__swatch"
                      style={{ background: QUALIFY_COLORS[set] }}
                      aria-hidden="true"
                    />
                    {t(`council.qualify.set.${set}`)}
                  </td>
                  <td className="num" data-index>
                    {n(q.index, 2)}
                  </td>
                  <td className="num" data-margin>
                    {q.margin > 0 ? '+' : ''}
                    {n(q.margin, 2)}
                  </td>
                  <td className="num" data-band>
                    {q.band ? `${n(q.band.low)}–${n(q.band.high)} (${n(q.band.median)})` : '–'}
                  </td>
                  <td>
                    {q.action_areas.length
                      ? q.action_areas
                          .map((a) => `${a.name} (${formatNumber(a.address_share * 100, lang, 0)} %)`)
                          .join(', ')
                      : t('council.qualify.none')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {designation.undetermined.length ? (
          <p className="qualify-note">
            {t('council.qualify.undetermined', {
              names: designation.undetermined.map((u) => `${u.code} ${u.name}`).join(', '),
            })}
          </p>
        ) : null}
      </section>
      <section aria-labelledby="qualify-how-title">
        <h2 id="qualify-how-title">{t('council.qualify.howTitle')}</h2>
        <p className="qualify-note">{localized(designation.index.method_text, lang)}</p>
        <p className="qualify-note">{localized(designation.index.stability.method, lang)}</p>
        <ul className="qualify-note">
          {designation.index.indicators.map((i) => (
            <li key={i.indicator.id}>
              {localized(i.indicator.title, lang)}: {t('council.qualify.weight')} {n(i.weight, 2)}
              {i.dates.length ? `, ${i.dates.join(', ')}` : ''}
              {i.indicator.sources.length ? ` (${i.indicator.sources.map((s) => s.attribution).join('; ')})` : ''}
            </li>
          ))}
        </ul>
        <IndicatorMethods
          idPrefix="qualify"
          indicators={used.flatMap((id) => catalogue.indicators.find((i) => i.id === id) ?? [])}
        />
      </section>
    </div>
  );
}
