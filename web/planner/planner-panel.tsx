import { type RefObject, useCallback } from 'react';
import { useConfig } from '../config.ts';
import { formatDate } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import type { MapController } from '../map/map-view.tsx';
import {
  type ChoroplethLevel,
  type PlannerState,
  type PlannerView,
  plannerSearch,
  updateState,
} from '../state/planner-state.ts';
import type { SetPlannerState } from '../state/use-planner-state.ts';
import { ChangeLegend } from './change-legend.tsx';
import { ClassificationControls } from './classification-controls.tsx';
import { DatePlayer } from './date-player.tsx';
import { ExportActions } from './export-actions.tsx';
import { BivariateLegend, GapBasis, GapList } from './gap-panel.tsx';
import { HotSpotLegend } from './hot-spot-legend.tsx';
import { IndicatorPicker } from './indicator-picker.tsx';
import { ClassLegend } from './legend.tsx';
import { OfferFilter } from './offer-filter.tsx';
import type { Shown } from './shown.ts';
import { canDiverge, type Symbology } from './symbology.ts';
import { localized, unitAfterValue, unitLabel } from './text.ts';
import type { PlannerData } from './use-planner-data.ts';

/** The planner's side panel (a bottom sheet on phones): what to show, its legend, layers and exports. */
export function PlannerPanel({
  state,
  setState,
  data,
  symbology,
  shown,
  current,
  areaNames,
  digits,
  offerColors,
  offerCount,
  controller,
  attributions,
}: {
  state: PlannerState;
  setState: SetPlannerState;
  data: PlannerData;
  symbology: Symbology | null;
  /** What the map shows: legend, classes and exports speak of it alone. */
  shown: Shown | null;
  /** Whether the map shows what the state asks for; exports wait until it does. */
  current: boolean;
  /** Area code → name, for the areas without a value. */
  areaNames: ReadonlyMap<string, string>;
  digits: number;
  offerColors: ReadonlyMap<string, string>;
  offerCount: number | null;
  controller: RefObject<MapController | null>;
  attributions: readonly string[];
}) {
  const { t, lang } = useI18n();
  const { city } = useConfig();
  const catalogue = data.catalogue.data;
  const indicator = data.indicator;
  const values = shown?.values ?? null;
  const views: PlannerView[] = ['map', 'gap', 'hotspots', 'change', 'table'];
  const playDate = useCallback((date: string) => setState({ date }), [setState]);
  const levels: ChoroplethLevel[] = ['district', 'quarter'];

  return (
    <>
      <fieldset className="segmented" aria-label={t('planner.view.label')}>
        {views.map((v) => (
          <button
            key={v}
            type="button"
            aria-pressed={state.view === v}
            data-view={v}
            onClick={() => setState({ view: v }, { history: 'push' })}
          >
            {t(`planner.view.${v}`)}
          </button>
        ))}
      </fieldset>
      <fieldset className="segmented segmented--quiet" aria-label={t('planner.level.label')}>
        {levels.map((l) => (
          <button
            key={l}
            type="button"
            aria-pressed={state.level === l}
            data-level={l}
            onClick={() => setState({ level: l }, { history: 'push' })}
          >
            {t(`planner.level.${l}`)}
          </button>
        ))}
      </fieldset>

      {data.catalogue.error ? (
        <p className="field__error" role="alert">
          {t('planner.error.catalogue')}{' '}
          <button type="button" className="link-button" onClick={() => data.catalogue.refetch()}>
            {t('planner.retry')}
          </button>
        </p>
      ) : null}

      {catalogue && state.view !== 'gap' ? (
        <>
          <IndicatorPicker
            label={t('planner.indicator')}
            indicators={data.available}
            themes={catalogue.themes}
            missingTopics={catalogue.missing_topics}
            level={state.level}
            value={data.indicatorId}
            onChange={(id) => setState({ indicator: id }, { history: 'push' })}
          />
          {indicator && data.levelInfo && data.levelInfo.dates.length > 1 && state.view !== 'change' ? (
            <div className="field">
              <label className="field__label" htmlFor="planner-date">
                {t('planner.date')}
              </label>
              <select
                id="planner-date"
                name="date"
                value={data.date ?? ''}
                onChange={(e) => setState({ date: e.target.value || null })}
              >
                <option value="">{t('planner.dateLatest')}</option>
                {data.levelInfo.dates.map((d) => (
                  <option key={d} value={d}>
                    {formatDate(d, lang)}
                  </option>
                ))}
              </select>
              <DatePlayer dates={data.levelInfo.dates} current={data.date} onChange={playDate} />
            </div>
          ) : null}
          {state.view === 'hotspots' ? <HotSpotLegend lisa={data.lisa} /> : null}
          {state.view === 'change' && indicator ? (
            <ChangeLegend
              change={data.change}
              dates={data.levelInfo?.dates ?? []}
              since={data.since}
              to={data.date}
              setState={(patch) => setState(patch)}
            />
          ) : null}
          {indicator && state.view !== 'hotspots' && state.view !== 'change' ? (
            <details className="panel-section" open>
              <summary className="section-title">{t('planner.classes.title')}</summary>
              <ClassificationControls
                method={state.method}
                classes={state.classes}
                palette={symbology?.palette ?? 'blue'}
                canDiverge={canDiverge(indicator)}
                breaks={values?.classification.breaks ?? []}
                manualBreaks={state.breaks}
                digits={digits}
                onChange={(patch) => setState(patch)}
              />
            </details>
          ) : null}
          {shown && values && symbology && state.view !== 'hotspots' && state.view !== 'change' ? (
            <ClassLegend
              title={localized(shown.indicator.title, lang)}
              unit={unitLabel(shown.indicator.unit, t)}
              valueUnit={unitAfterValue(shown.indicator.unit, t)}
              classes={symbology.classes}
              digits={digits}
              loading={!current}
              missing={values.missing.map((m) => ({
                code: m.code,
                name: areaNames.get(m.code) ?? m.code,
                reason: localized(m.reason, lang),
                suppressed: m.suppressed,
              }))}
              city={values.city ? { label: city.name, value: values.city.value } : null}
              centred={symbology.centre !== null}
              merged={values.classification.merged}
            >
              <LegendMeta shown={shown} />
            </ClassLegend>
          ) : null}
        </>
      ) : null}

      {catalogue && state.view === 'gap' ? (
        <>
          <IndicatorPicker
            label={t('planner.gap.needPicker')}
            name="need"
            indicators={data.available}
            themes={catalogue.themes}
            missingTopics={catalogue.missing_topics}
            level={state.level}
            value={data.need}
            onChange={(id) => setState({ need: id }, { history: 'push' })}
          />
          <IndicatorPicker
            label={t('planner.gap.supplyPicker')}
            name="supply"
            indicators={data.available}
            themes={catalogue.themes}
            missingTopics={catalogue.missing_topics}
            level={state.level}
            value={data.supply}
            onChange={(id) => setState({ supply: id }, { history: 'push' })}
          />
          {data.gaps.data ? (
            <>
              <BivariateLegend gaps={data.gaps.data} />
              <GapList
                gaps={data.gaps.data}
                indicators={catalogue.indicators}
                selected={state.area}
                onSelect={(code) => setState({ area: code, offer: null }, { history: 'push' })}
                hrefOf={(code) =>
                  `${window.location.pathname}${plannerSearch(updateState(state, { area: code, offer: null }), window.location.search)}`
                }
                current={current}
              />
              <GapBasis gaps={data.gaps.data} indicators={catalogue.indicators} />
            </>
          ) : data.gaps.error ? (
            <p className="field__error" role="alert">
              {t('planner.error.gaps')}{' '}
              <button type="button" className="link-button" onClick={() => data.gaps.refetch()}>
                {t('planner.retry')}
              </button>
            </p>
          ) : null}
        </>
      ) : null}

      <section className="panel-section" aria-labelledby="planner-layers">
        <h2 id="planner-layers" className="section-title">
          {t('planner.layers')}
        </h2>
        <label className="check check--switch">
          <input
            type="checkbox"
            name="action-areas"
            checked={state.actionAreas}
            onChange={(e) => setState({ actionAreas: e.target.checked })}
          />
          <span className="check__outline" aria-hidden="true" />
          <span className="check__label">{t('planner.actionAreas')}</span>
        </label>
        {data.categories.data ? (
          <OfferFilter
            categories={data.categories.data.categories}
            selected={state.offers}
            colors={offerColors}
            onChange={(codes) => setState({ offers: codes, offer: null })}
            shown={offerCount}
            loading={data.offers.isFetching}
          />
        ) : null}
      </section>

      <ExportActions
        controller={controller}
        state={state}
        data={data}
        symbology={symbology}
        shown={shown}
        current={current}
        digits={digits}
        attributions={attributions}
      />
    </>
  );
}

/** Reference date, method and sources of what the map shows. */
export function LegendMeta({ shown }: { shown: Shown }) {
  const { t, lang } = useI18n();
  const { values, indicator: ind } = shown;
  const dates = values.dates;
  return (
    <dl className="meta">
      <dt>{t('planner.asOf')}</dt>
      <dd data-meta="date">{dates.length ? dates.map((d) => formatDate(d, lang)).join(', ') : '–'}</dd>
      <dt>{t('planner.methodLabel')}</dt>
      <dd data-meta="method">
        {t(`planner.method.${ind.method}`)} · {t(`planner.classes.${values.classification.method}`)},{' '}
        {t('planner.classes.n', { n: values.classification.classes })}
        <details className="meta__note">
          <summary>{t('planner.howMade')}</summary>
          <p>{localized(ind.method_note, lang)}</p>
          <p>{localized(ind.method_text, lang)}</p>
        </details>
      </dd>
      <dt>{t('planner.source')}</dt>
      <dd data-meta="source">
        {ind.sources.length ? ind.sources.map((s) => s.attribution).join('; ') : '–'}
        {ind.method !== 'published' ? ` · ${t('planner.computedBy')}` : ''}
      </dd>
    </dl>
  );
}
