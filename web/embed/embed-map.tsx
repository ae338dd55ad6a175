import '../planner/planner.css';
import './embed.css';
import { useMemo, useState } from 'react';
import { useConfig } from '../config.ts';
import { indicatorDecimals } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { categoryColors, offerPoints as toOfferPoints } from '../layers/offer-points.ts';
import { MapView } from '../map/map-view.tsx';
import { useAttributions } from '../planner/attributions.ts';
import { BivariateLegend } from '../planner/gap-panel.tsx';
import { ClassLegend } from '../planner/legend.tsx';
import { LegendMeta } from '../planner/planner-panel.tsx';
import { shownView } from '../planner/shown.ts';
import { symbologyOf } from '../planner/symbology.ts';
import { localized, unitAfterValue, unitLabel } from '../planner/text.ts';
import { usePlannerData } from '../planner/use-planner-data.ts';
import { usePlannerLayers } from '../planner/use-planner-layers.ts';
import { useLocation } from '../router.tsx';
import type { PlannerState } from '../state/planner-state.ts';
import { usePlannerState } from '../state/use-planner-state.ts';

/**
 * `/embed?…`: the planner's URL state (indicator, level, classes, palette, offers, action areas, view) drawn as a
 * map with its legend and attribution, without the app's header, navigation or panels, for the city's own pages
 * (which EMBED_ORIGINS lets frame it). A link opens the same view in the full planner.
 */
export function EmbedMap() {
  const { t, lang } = useI18n();
  const { city } = useConfig();
  const [urlState] = usePlannerState();
  // The table view has no place here: it shows as the map.
  const state: PlannerState = useMemo(
    () => (urlState.view === 'table' ? { ...urlState, view: 'map' } : urlState),
    [urlState],
  );
  const data = usePlannerData(state);
  const [zoom, setZoom] = useState(state.map?.zoom ?? 11);
  const shown = useMemo(
    () => shownView(data.values.data, data.areas.data?.meta.level, data.catalogue.data?.indicators),
    [data.values.data, data.areas.data, data.catalogue.data],
  );
  const symbology = useMemo(
    () => (shown ? symbologyOf(shown.values, shown.indicator, state.palette) : null),
    [shown, state.palette],
  );
  const digits = shown ? indicatorDecimals(shown.indicator.unit) : 1;
  const offerColors = useMemo(
    () => categoryColors(data.categories.data?.categories.map((c) => c.code) ?? []),
    [data.categories.data],
  );
  const offerPoints = useMemo(() => (data.offers.data ? toOfferPoints(data.offers.data) : null), [data.offers.data]);
  const layers = usePlannerLayers({ state, data, symbology, offerPoints, offerColors, zoom, hovered: null });
  const attributions = useAttributions(state, shown, data);
  const areaNames = useMemo(
    () => new Map(data.areas.data?.features.map((f) => [f.properties.code, f.properties.name]) ?? []),
    [data.areas.data],
  );
  const failed = [data.catalogue, data.values, data.areas, data.gaps, data.offers].filter((r) => r.error);
  const ready =
    !!data.areas.data &&
    (state.view === 'gap' ? !!data.gaps.data : !!symbology) &&
    (!state.offers.length || !!data.offers.data);
  const title =
    state.view === 'gap' && data.gaps.data
      ? t('planner.gap.pngTitle', {
          need: localized(data.gaps.data.need.indicator.title, lang),
          supply: localized(data.gaps.data.supply.indicator.title, lang),
        })
      : shown
        ? localized(shown.indicator.title, lang)
        : t('planner.title');
  // The same view in the full planner (the URL state is the planner's own).
  const plannerHref = `/${useLocation().search}`;

  return (
    <div className="embed" data-ready={ready ? 'true' : 'false'} data-indicator={shown?.indicator.id ?? undefined}>
      <div className="embed__map">
        <MapView
          label={t('map.label', { city: city.name })}
          unavailableText={t('map.unavailable')}
          layers={layers}
          initialView={state.map ?? undefined}
          onViewChange={(view) => setZoom(view.zoom)}
          attributions={attributions}
        />
      </div>
      <section className="embed__legend" aria-label={t('embed.legend')}>
        <h1 className="embed__title">{title}</h1>
        {failed.length ? (
          <p className="planner__error" role="alert">
            {t('planner.error.load')}{' '}
            <button
              type="button"
              className="link-button"
              onClick={() => {
                for (const r of failed) void r.refetch();
              }}
            >
              {t('planner.retry')}
            </button>
          </p>
        ) : !ready ? (
          <p className="planner__loading" role="status">
            {t('planner.loading')}
          </p>
        ) : null}
        {state.view === 'gap' && data.gaps.data ? <BivariateLegend gaps={data.gaps.data} /> : null}
        {state.view !== 'gap' && shown && symbology ? (
          <ClassLegend
            title={localized(shown.indicator.title, lang)}
            unit={unitLabel(shown.indicator.unit, t)}
            valueUnit={unitAfterValue(shown.indicator.unit, t)}
            classes={symbology.classes}
            digits={digits}
            missing={shown.values.missing.map((m) => ({
              code: m.code,
              name: areaNames.get(m.code) ?? m.code,
              reason: localized(m.reason, lang),
              suppressed: m.suppressed,
            }))}
            city={shown.values.city ? { label: city.name, value: shown.values.city.value } : null}
            centred={symbology.centre !== null}
            merged={shown.values.classification.merged}
          >
            <LegendMeta shown={shown} />
          </ClassLegend>
        ) : null}
        <p className="embed__open">
          <a href={plannerHref} target="_blank" rel="noopener">
            {t('embed.open', { city: city.name })}
          </a>
        </p>
      </section>
    </div>
  );
}
