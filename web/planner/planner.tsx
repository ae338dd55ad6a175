import './planner.css';
import type { PickingInfo } from '@deck.gl/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useConfig } from '../config.ts';
import { decimalsFor } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { clusterBounds } from '../layers/cluster.ts';
import type { OfferCluster } from '../layers/offer-layers.ts';
import { categoryColors, offerPoints as toOfferPoints } from '../layers/offer-points.ts';
import { type MapController, MapView, type MapViewChange } from '../map/map-view.tsx';
import { PageHeading } from '../pages/page-heading.tsx';
import { usePlannerState } from '../state/use-planner-state.ts';
import { AreaProfile } from './area-profile.tsx';
import { MapCards } from './map-cards.tsx';
import { OfferCard } from './offer-card.tsx';
import { PlannerPanel } from './planner-panel.tsx';
import { symbologyOf } from './symbology.ts';
import { TableSection } from './table-section.tsx';
import { localized } from './text.ts';
import { usePlannerData } from './use-planner-data.ts';
import { LAYER_IDS, usePlannerLayers } from './use-planner-layers.ts';
import { useTooltip } from './use-tooltip.ts';

/**
 * The planners' map: an indicator per district or quarter (or need × supply), offers and action areas on top,
 * the profile of a clicked area, the indicator as a table. All of it follows the URL (see state/planner-state.ts).
 */
export function Planner() {
  const { t, lang } = useI18n();
  const { city } = useConfig();
  const [state, setState] = usePlannerState();
  const data = usePlannerData(state);
  const controller = useRef<MapController | null>(null);
  const [zoom, setZoom] = useState(state.map?.zoom ?? 11);
  const [hovered, setHovered] = useState<string | null>(null);
  const [sheetOpen, setSheetOpen] = useState(false);
  const [pickCompare, setPickCompare] = useState(false);

  const values = data.values.data && data.values.data.level === state.level ? data.values.data : null;
  const symbology = useMemo(
    () => (values && data.indicator ? symbologyOf(values, data.indicator, state.palette) : null),
    [values, data.indicator, state.palette],
  );
  const digits = useMemo(
    () => (values ? decimalsFor([...values.classification.breaks, values.classification.min ?? 0]) : 1),
    [values],
  );
  const offerColors = useMemo(
    () => categoryColors(data.categories.data?.categories.map((c) => c.code) ?? []),
    [data.categories.data],
  );
  const offerPoints = useMemo(() => (data.offers.data ? toOfferPoints(data.offers.data) : null), [data.offers.data]);

  const layers = usePlannerLayers({ state, data, symbology, offerPoints, offerColors, zoom, hovered });

  const onViewChange = useCallback(
    (view: MapViewChange) => {
      setZoom(view.zoom);
      setState({ map: { lon: view.lon, lat: view.lat, zoom: view.zoom } });
    },
    [setState],
  );

  const onClick = useCallback(
    (info: PickingInfo) => {
      const id = info.layer?.id ?? '';
      if (id === `${LAYER_IDS.offers}-points` && info.object) {
        const cluster = info.object as OfferCluster;
        if (cluster.members.length === 1) setState({ offer: cluster.members[0]?.id ?? null });
        else controller.current?.fitBounds(clusterBounds(cluster.members), { maxZoom: 16, padding: 64 });
        return;
      }
      if ((id === `${LAYER_IDS.choropleth}-fill` || id === `${LAYER_IDS.gap}-fill`) && info.object) {
        const code = (info.object as { properties: { code: string } }).properties.code;
        if (pickCompare && state.area && code !== state.area) {
          setPickCompare(false);
          setState({ compare: code }, { history: 'push' });
        } else setState({ area: code, offer: null }, { history: 'push' });
      }
    },
    [setState, pickCompare, state.area],
  );

  const onHover = useCallback((info: PickingInfo) => {
    const id = info.layer?.id ?? '';
    const code =
      (id === `${LAYER_IDS.choropleth}-fill` || id === `${LAYER_IDS.gap}-fill`) && info.object
        ? (info.object as { properties: { code: string } }).properties.code
        : null;
    setHovered((old) => (old === code ? old : code));
  }, []);

  const getTooltip = useTooltip({
    values,
    gaps: data.gaps.data ?? null,
    indicator: data.indicator,
    symbology,
    digits,
    categories: data.categories.data ?? null,
  });

  const attributions = useMemo(() => {
    const byId = new Map(data.sources.data?.sources.map((s) => [s.id, s.attribution]) ?? []);
    const list: string[] = [];
    const add = (text: string | undefined) => {
      if (text && !list.includes(text) && !text.includes('OpenStreetMap')) list.push(text);
    };
    if (state.view === 'gap') {
      for (const s of [
        ...(data.gaps.data?.need.indicator.sources ?? []),
        ...(data.gaps.data?.supply.indicator.sources ?? []),
      ])
        add(s.attribution);
    } else for (const s of data.indicator?.sources ?? []) add(s.attribution);
    // The area boundaries are always on the map.
    add(byId.get('do-boundaries'));
    if (state.offers.includes('childcare')) add(byId.get('nrw-kitas'));
    if (state.offers.includes('school')) add(byId.get('nrw-schools'));
    return list;
  }, [state.view, state.offers, data.indicator, data.gaps.data, data.sources.data]);

  const ready =
    !!data.areas.data &&
    !data.areas.isFetching &&
    (state.view === 'gap' ? !!data.gaps.data && !data.gaps.isFetching : !!symbology && !data.values.isFetching) &&
    (!state.offers.length || (!!data.offers.data && !data.offers.isFetching)) &&
    (!state.actionAreas || (!!data.actionAreas.data && !data.actionAreas.isFetching));
  const failed = [data.catalogue, data.values, data.areas, data.gaps, data.offers].find((r) => r.error);
  const areaList = useMemo(
    () => data.areas.data?.features.map((f) => ({ code: f.properties.code, name: f.properties.name })) ?? [],
    [data.areas.data],
  );
  const title = t('planner.title');

  return (
    <div
      className="planner"
      data-view={state.view}
      data-ready={ready ? 'true' : 'false'}
      data-indicator={data.indicatorId ?? undefined}
      data-level={state.level}
      data-sheet={sheetOpen ? 'open' : 'closed'}
    >
      <aside className="planner__panel" aria-label={t('planner.panelLabel')}>
        <button
          type="button"
          className="planner__sheet-toggle"
          aria-expanded={sheetOpen}
          aria-controls="planner-panel-body"
          onClick={() => setSheetOpen((o) => !o)}
        >
          <span className="planner__sheet-grip" aria-hidden="true" />
          <span className="planner__sheet-title">
            {state.view === 'gap'
              ? t('planner.view.gap')
              : data.indicator
                ? localized(data.indicator.title, lang)
                : title}
          </span>
          <span className="planner__sheet-action">
            {sheetOpen ? t('planner.sheet.close') : t('planner.sheet.open')}
          </span>
          {state.view !== 'gap' && symbology ? (
            <span className="planner__sheet-ramp" aria-hidden="true">
              {symbology.classes.map((c) => (
                <span key={c.index} style={{ background: c.color }} />
              ))}
            </span>
          ) : null}
        </button>
        <div id="planner-panel-body" className="planner__panel-body">
          <PageHeading title={title}>{title}</PageHeading>
          <p className="planner__intro">{t('planner.intro', { city: city.name })}</p>
          <PlannerPanel
            state={state}
            setState={setState}
            data={data}
            symbology={symbology}
            values={values}
            digits={digits}
            offerColors={offerColors}
            offerCount={offerPoints?.length ?? null}
            controller={controller}
            attributions={attributions}
          />
        </div>
      </aside>
      <div className="planner__main">
        <div className="planner__map" inert={state.view === 'table' || undefined}>
          <MapView
            label={t('map.label', { city: city.name })}
            unavailableText={t('map.unavailable')}
            layers={layers}
            initialView={state.map ?? undefined}
            onViewChange={onViewChange}
            controllerRef={controller}
            onClick={onClick}
            onHover={onHover}
            getTooltip={getTooltip}
            attributions={attributions}
          />
        </div>
        {state.view === 'table' ? (
          <TableSection
            state={state}
            setState={setState}
            data={data}
            values={values}
            symbology={symbology}
            digits={digits}
          />
        ) : null}
        <div className="planner__status" role="status" aria-live="polite">
          {failed ? (
            <span className="planner__error">
              {t('planner.error.load')}{' '}
              <button type="button" className="link-button" onClick={() => failed.refetch()}>
                {t('planner.retry')}
              </button>
            </span>
          ) : !ready ? (
            <span className="planner__loading">{t('planner.loading')}</span>
          ) : null}
        </div>
        {pickCompare ? (
          <p className="planner__hint" role="status">
            {t('planner.profile.pickHint')}{' '}
            <button type="button" className="link-button" onClick={() => setPickCompare(false)}>
              {t('planner.cancel')}
            </button>
          </p>
        ) : null}
        <MapCards>
          {state.offer ? (
            <OfferCard
              offer={data.offer.data ?? null}
              error={data.offer.error}
              onClose={() => setState({ offer: null })}
            />
          ) : null}
          {state.area ? (
            <AreaProfile
              profile={data.profile.data?.area.code === state.area ? data.profile.data : null}
              compare={state.compare && data.compare.data?.area.code === state.compare ? data.compare.data : null}
              loading={data.profile.isFetching || data.compare.isFetching}
              error={data.profile.error}
              indicatorId={state.view === 'gap' ? data.need : data.indicatorId}
              areas={areaList}
              compareCode={state.compare}
              onCompare={(code) => setState({ compare: code }, { history: 'push' })}
              onPickCompare={() => setPickCompare(true)}
              onClose={() => setState({ area: null }, { history: 'push' })}
              onShowIndicator={(id) => setState({ indicator: id, view: state.view === 'gap' ? 'map' : state.view })}
            />
          ) : null}
        </MapCards>
      </div>
    </div>
  );
}
