import './planner.css';
import type { PickingInfo } from '@deck.gl/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CatalogueIndicator } from '../api/client.ts';
import { useConfig } from '../config.ts';
import { indicatorDecimals } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { clusterBounds } from '../layers/cluster.ts';
import type { OfferCluster } from '../layers/offer-layers.ts';
import { categoryColors, offerPoints as toOfferPoints } from '../layers/offer-points.ts';
import { type MapController, MapView, type MapViewChange } from '../map/map-view.tsx';
import { PageHeading } from '../pages/page-heading.tsx';
import { type ChoroplethLevel, formatWalkPoint, type PlannerState, parseWalkPoint } from '../state/planner-state.ts';
import { usePlannerState } from '../state/use-planner-state.ts';
import { AreaProfile } from './area-profile.tsx';
import { useAttributions } from './attributions.ts';
import { clearCard, geometryBounds, paddingBeside, projectBounds, unprojectPoint } from './card-clearance.ts';
import { CatchmentCard, CatchmentControls, useWalkCatchment } from './catchment.tsx';
import { MapCards } from './map-cards.tsx';
import { OfferCard, useCatchment } from './offer-card.tsx';
import { PlannerPanel } from './planner-panel.tsx';
import { shownView } from './shown.ts';
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
  // Issue 16: the next click on the map picks the point whose walking catchment is drawn.
  const [pickWalk, setPickWalk] = useState(false);
  const lastView = useRef<MapViewChange | null>(null);
  const main = useRef<HTMLDivElement | null>(null);
  // The map's text alternative (issue 19): a link before the map opens the table of the same values and moves the
  // focus into it, once it is drawn.
  const focusTable = useRef(false);
  useEffect(() => {
    if (!focusTable.current || state.view !== 'table') return;
    const table = main.current?.querySelector<HTMLElement>('.planner__table');
    if (!table) return;
    focusTable.current = false;
    table.tabIndex = -1;
    table.focus();
  });

  // What the map shows: the last values answer with its own indicator. Title, legend, table, tooltip and exports
  // all take it from here, so that the indicator just picked is never shown with the values of the one before.
  const shown = useMemo(
    () => shownView(data.values.data, data.areas.data?.meta.level, data.catalogue.data?.indicators),
    [data.values.data, data.areas.data, data.catalogue.data],
  );
  const values = shown?.values ?? null;
  // Whether it is what the state asks for: otherwise the next answer is on its way, or failed (exports wait).
  const current =
    !!shown &&
    !data.values.isPlaceholderData &&
    !data.values.isFetching &&
    !data.areas.isPlaceholderData &&
    shown.values.level === state.level &&
    shown.indicator.id === data.indicatorId;
  const symbology = useMemo(
    () => (shown ? symbologyOf(shown.values, shown.indicator, state.palette) : null),
    [shown, state.palette],
  );
  // One number format per indicator, whatever the classification (web/format.ts).
  const digits = shown ? indicatorDecimals(shown.indicator.unit) : 1;
  const areaNames = useMemo(
    () => new Map(data.areas.data?.features.map((f) => [f.properties.code, f.properties.name]) ?? []),
    [data.areas.data],
  );
  const gapsCurrent =
    !!data.gaps.data && !data.gaps.isPlaceholderData && !data.gaps.isFetching && data.gaps.data.level === state.level;

  // The URL names what is shown: the indicator the page chose (the default, or another where the level lacks the
  // one asked for) is written into it; a fallback is said on the page.
  const [levelNote, setLevelNote] = useState<LevelNote | null>(null);
  useUrlNamesShown(state, data, setState, setLevelNote);

  // The profile card never covers the area it describes: it docks on the other side of the map (on phones also
  // shortened), or, where the area lies under both places, the map pans the area beside it.
  const [cardPlace, setCardPlace] = useState<{ docked: boolean; maxHeight: number | null }>(CARD_AT_HOME);
  const profileShown = !!state.area && data.profile.data?.area.code === state.area;
  useEffect(() => {
    if (!profileShown || !state.area) return;
    const feature = data.areas.data?.features.find((f) => f.properties.code === state.area);
    const bounds = feature ? geometryBounds(feature.geometry) : null;
    if (!bounds) return;
    // Measured at the card's own place: back there first, then look after it has been laid out.
    setCardPlace(CARD_AT_HOME);
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        const mapBox = main.current?.querySelector('.planner__map')?.getBoundingClientRect();
        const cardBox = main.current?.querySelector('.planner__cards')?.getBoundingClientRect();
        const view = lastView.current;
        if (!mapBox || !cardBox || !view || mapBox.width === 0) return;
        const size = { width: mapBox.width, height: mapBox.height };
        const card = {
          left: cardBox.left - mapBox.left,
          top: cardBox.top - mapBox.top,
          width: cardBox.width,
          height: cardBox.height,
        };
        const clear = clearCard(size, card, projectBounds(view.bounds, size, bounds));
        if (clear.place !== 'pan') {
          setCardPlace({ docked: clear.place === 'dock', maxHeight: clear.maxHeight });
          return;
        }
        const [lon, lat] = unprojectPoint(view.bounds, size, {
          x: size.width / 2 - clear.dx,
          y: size.height / 2 - clear.dy,
        });
        controller.current?.flyTo({ lon, lat });
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [profileShown, state.area, data.areas.data]);
  const offerColors = useMemo(
    () => categoryColors(data.categories.data?.categories.map((c) => c.code) ?? []),
    [data.categories.data],
  );
  const offerPoints = useMemo(() => (data.offers.data ? toOfferPoints(data.offers.data) : null), [data.offers.data]);

  // The walking catchment (issue 16) of the open offer, or else of the point picked: drawn on the map, listed in
  // the offer's card or the point's own.
  // One array per point (the state is read afresh from the URL on every map move).
  const walkText = state.offer || !state.walk ? null : formatWalkPoint(state.walk);
  const walkPoint = useMemo(() => parseWalkPoint(walkText), [walkText]);
  const catchment = useCatchment(state.offer ? (data.offer.data ?? null) : null);
  const pointCatchment = useWalkCatchment(walkPoint);
  const drawn = state.offer ? catchment.data : walkPoint ? pointCatchment.data : undefined;
  // A point's catchment, once there, is brought into view beside its card (once per point).
  const fittedWalk = useRef<string | null>(null);
  useEffect(() => {
    const widest = pointCatchment.data?.features.at(-1);
    if (!walkText || !widest || fittedWalk.current === walkText) return;
    const bounds = geometryBounds(widest.geometry);
    const frame = requestAnimationFrame(() => {
      fittedWalk.current = walkText;
      const mapBox = main.current?.querySelector('.planner__map')?.getBoundingClientRect();
      const cardBox = main.current?.querySelector('.walk-card')?.getBoundingClientRect();
      if (!bounds || !mapBox || mapBox.width === 0) return;
      const padding = cardBox
        ? paddingBeside(mapBox, {
            left: cardBox.left - mapBox.left,
            top: cardBox.top - mapBox.top,
            width: cardBox.width,
            height: cardBox.height,
          })
        : 24;
      controller.current?.fitBounds(bounds, { padding, maxZoom: 16 });
    });
    return () => cancelAnimationFrame(frame);
  }, [walkText, pointCatchment.data]);
  const catchmentBands = useMemo(
    () => drawn?.features.map((f) => ({ minutes: f.properties.minutes, polygons: f.geometry.coordinates })),
    [drawn],
  );
  const layers = usePlannerLayers({
    state,
    data,
    symbology,
    offerPoints,
    offerColors,
    zoom,
    hovered,
    catchment: state.offer || walkPoint ? catchmentBands : null,
    catchmentOrigin: walkPoint,
  });

  const onViewChange = useCallback(
    (view: MapViewChange) => {
      lastView.current = view;
      setZoom(view.zoom);
      setState({ map: { lon: view.lon, lat: view.lat, zoom: view.zoom } });
    },
    [setState],
  );

  const onClick = useCallback(
    (info: PickingInfo) => {
      if (pickWalk && info.coordinate) {
        const [lon, lat] = info.coordinate as [number, number];
        setPickWalk(false);
        setState({ walk: [lon, lat], offer: null }, { history: 'push' });
        return;
      }
      const id = info.layer?.id ?? '';
      if (id === `${LAYER_IDS.offers}-points` && info.object) {
        const cluster = info.object as OfferCluster;
        if (cluster.members.length === 1) setState({ offer: cluster.members[0]?.id ?? null, walk: null });
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
    [setState, pickCompare, pickWalk, state.area],
  );

  // Escape ends the picking of a point.
  useEffect(() => {
    if (!pickWalk) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setPickWalk(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pickWalk]);
  const mapCentre = lastView.current ?? state.map;

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
    indicator: shown?.indicator ?? null,
    symbology,
    digits,
    categories: data.categories.data ?? null,
  });

  const attributions = useAttributions(state, shown, data);

  const ready =
    !!data.areas.data &&
    !data.areas.isFetching &&
    (state.view === 'gap' ? gapsCurrent : !!symbology && current) &&
    (!state.offers.length || (!!data.offers.data && !data.offers.isFetching)) &&
    (!state.actionAreas || (!!data.actionAreas.data && !data.actionAreas.isFetching));
  const failed = [data.catalogue, data.values, data.areas, data.gaps, data.offers, data.actionAreas].filter(
    (r) => r.error,
  );
  const paused = [data.catalogue, data.values, data.areas, data.gaps, data.offers].some((r) => r.isPaused);
  const wanted = data.indicator;
  const waitingFor = state.view !== 'gap' && wanted && shown && wanted.id !== shown.indicator.id ? wanted : null;
  const areaList = useMemo(
    () => data.areas.data?.features.map((f) => ({ code: f.properties.code, name: f.properties.name })) ?? [],
    [data.areas.data],
  );
  const title = t('planner.title');
  const sheetTitle =
    state.view === 'gap' ? t('planner.view.gap') : shown ? localized(shown.indicator.title, lang) : title;

  return (
    <div
      className="planner"
      data-view={state.view}
      data-ready={ready ? 'true' : 'false'}
      data-indicator={shown?.indicator.id ?? undefined}
      data-current={current ? 'true' : 'false'}
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
          {/* Cut with an ellipsis on a phone: the whole title is its tooltip, and the opened sheet's heading. */}
          <span className="planner__sheet-title" title={sheetTitle}>
            {sheetTitle}
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
            shown={shown}
            current={state.view === 'gap' ? gapsCurrent : current}
            areaNames={areaNames}
            digits={digits}
            offerColors={offerColors}
            offerCount={offerPoints?.length ?? null}
            controller={controller}
            attributions={attributions}
          />
          <CatchmentControls
            picking={pickWalk}
            active={!!state.walk}
            onPick={setPickWalk}
            onCentre={
              mapCentre
                ? () => {
                    setPickWalk(false);
                    setState({ walk: [mapCentre.lon, mapCentre.lat], offer: null }, { history: 'push' });
                  }
                : null
            }
            onClear={() => setState({ walk: null }, { history: 'push' })}
          />
        </div>
      </aside>
      <div className="planner__main" ref={main}>
        {state.view !== 'table' ? (
          <a
            className="skip-link planner__table-link"
            href={`?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(window.location.search)), view: 'table' })}`}
            onClick={(event) => {
              event.preventDefault();
              focusTable.current = true;
              setState({ view: 'table' }, { history: 'push' });
            }}
          >
            {t('planner.tableLink')}
          </a>
        ) : null}
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
            shown={shown}
            current={current}
            symbology={symbology}
            digits={digits}
          />
        ) : null}
        <div className="planner__status" role="status" aria-live="polite">
          {levelNote && levelNote.level === state.level && levelNote.instead === data.indicatorId ? (
            <span className="planner__note">
              {t('planner.level.notAvailable', {
                wanted: localized(levelNote.wanted.title, lang),
                level: t(`planner.level.${state.level}`),
                shown: localized(data.indicator?.title, lang),
              })}{' '}
              <button type="button" className="link-button" onClick={() => setLevelNote(null)}>
                {t('planner.close')}
              </button>
            </span>
          ) : null}
          {failed.length ? (
            <span className="planner__error">
              {data.values.error && waitingFor
                ? t('planner.error.indicator', { indicator: localized(waitingFor.title, lang) })
                : t('planner.error.load')}
              {waitingFor && shown
                ? ` ${t('planner.stillShowing', { indicator: localized(shown.indicator.title, lang) })}`
                : ''}{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  for (const r of failed) void r.refetch();
                }}
              >
                {t('planner.retry')}
              </button>
            </span>
          ) : paused ? (
            <span className="planner__error">
              {t('planner.offline')}
              {waitingFor && shown
                ? ` ${t('planner.stillShowing', { indicator: localized(shown.indicator.title, lang) })}`
                : ''}
            </span>
          ) : !ready ? (
            <span className="planner__loading">
              {waitingFor
                ? t('planner.loadingIndicator', { indicator: localized(waitingFor.title, lang) })
                : t('planner.loading')}
            </span>
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
        {pickWalk ? (
          <p className="planner__hint" role="status">
            {t('planner.walk.pickHint')}{' '}
            <button type="button" className="link-button" onClick={() => setPickWalk(false)}>
              {t('planner.cancel')}
            </button>
          </p>
        ) : null}
        <MapCards docked={cardPlace.docked} maxHeight={cardPlace.maxHeight}>
          {state.offer ? (
            <OfferCard
              offer={data.offer.data ?? null}
              error={data.offer.error}
              onRetry={() => void data.offer.refetch()}
              onClose={() => setState({ offer: null })}
            />
          ) : null}
          {walkPoint ? (
            <CatchmentCard
              point={walkPoint}
              categories={data.categories.data ?? null}
              onClose={() => setState({ walk: null }, { history: 'push' })}
            />
          ) : null}
          {state.area ? (
            <AreaProfile
              profile={data.profile.data?.area.code === state.area ? data.profile.data : null}
              compare={state.compare && data.compare.data?.area.code === state.compare ? data.compare.data : null}
              loading={data.profile.isFetching || data.compare.isFetching}
              error={data.profile.error ?? data.compare.error}
              paused={data.profile.isPaused || data.compare.isPaused}
              onRetry={() => {
                if (data.profile.error) void data.profile.refetch();
                if (data.compare.error) void data.compare.refetch();
              }}
              indicatorId={state.view === 'gap' ? data.need : (shown?.indicator.id ?? null)}
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

const CARD_AT_HOME = { docked: false, maxHeight: null };

/** A fallback to say: the indicator asked for has no values at the level, another is shown. */
interface LevelNote {
  wanted: CatalogueIndicator;
  instead: string;
  level: ChoroplethLevel;
}

/**
 * Keeps the URL naming what the page shows: the indicator (and in the gap view need and supply) the page chose,
 * by default or because the level lacks the one asked for, replaces the URL's; a fallback is noted for the page.
 */
function useUrlNamesShown(
  state: PlannerState,
  data: ReturnType<typeof usePlannerData>,
  setState: ReturnType<typeof usePlannerState>[1],
  setLevelNote: (note: LevelNote) => void,
) {
  const { indicatorId, need, supply, notAtLevel } = data;
  const loaded = !!data.catalogue.data;
  useEffect(() => {
    if (!loaded || !indicatorId) return;
    const patch: Partial<PlannerState> = {};
    if (state.indicator !== indicatorId) {
      patch.indicator = indicatorId;
      // Only naming the default changes nothing else; a fallback starts the new indicator afresh.
      if (!notAtLevel.indicator) Object.assign(patch, { date: state.date, breaks: state.breaks });
      else setLevelNote({ wanted: notAtLevel.indicator, instead: indicatorId, level: state.level });
    }
    if (state.view === 'gap') {
      if (need && state.need !== need) patch.need = need;
      if (supply && state.supply !== supply) patch.supply = supply;
    }
    if (Object.keys(patch).length) setState(patch);
  }, [loaded, indicatorId, need, supply, notAtLevel.indicator, state, setState, setLevelNote]);
}
