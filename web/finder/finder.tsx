import type { DeckProps, LayersList, PickingInfo } from '@deck.gl/core';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type NearestCollection, type SearchHit } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { type BBox, useConfig } from '../config.ts';
import { formatNumberUpTo } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import type { Lang } from '../i18n/languages.ts';
import type { MapController } from '../map/map-view.tsx';
import { useLayerModule } from '../map/use-layer-module.ts';
import { PageHeading } from '../pages/page-heading.tsx';
import { setSearchParams, useLocation } from '../router.tsx';
import { categoryLabel, categoryOrder, isCategory } from './categories.ts';
import { CategoryChips } from './category-chips.tsx';
import { RESULT_COUNT, RESULT_MAX_M } from './constants.ts';
import type { ResultMarker } from './finder-layers.ts';
import {
  type FinderState,
  finderParams,
  type Place,
  type Position,
  parseFinderState,
  round5,
  toggleCategory,
} from './finder-state.ts';
import { isolate } from './format.ts';
import { detailsPushed, pushSearchParams, restoreListScroll } from './history.ts';
import { keepInView } from './keep-in-view.ts';
import { KindChips } from './kind-chips.tsx';
import { LocateButton } from './locate-button.tsx';
import { showOnMap } from './map-camera.ts';
import { OfferDetails } from './offer-details.tsx';
import { OfferFilters } from './offer-filters.tsx';
import { PlaceSearch } from './place-search.tsx';
import { type NearestOffer, offerName, ResultList } from './result-list.tsx';
import { ShareButton } from './share-button.tsx';
import { askedKinds, KIND_FILTERS, kindLabel } from './subcategories.ts';
import { useOfferDetails, useRouteTemplate } from './use-offers.ts';
import './finder.css';

/**
 * Whether the server will search from this point: it answers for the city and 5 km around it, so a point
 * within about 4 km of the city's extent is asked for, one farther out gets "outside the city" at once.
 */
export function withinReach([lon, lat]: Position, [w, s, e, n]: BBox): boolean {
  return lon >= w - 0.06 && lon <= e + 0.06 && lat >= s - 0.036 && lat <= n + 0.036;
}

/** The map's layer builders (deck.gl): loaded with the map, after the list (web/map/use-layer-module.ts). */
const loadFinderLayers = () => import('./finder-layers.ts');

/** The finder's state (from the URL), its requests, and what the map shows. */
export function useFinder() {
  const { lang } = useI18n();
  const { city } = useConfig();
  const { search } = useLocation();
  const state = useMemo(() => parseFinderState(search), [search]);
  const categories = useMemo(() => state.categories.filter(isCategory), [state.categories]);
  const kinds = useMemo(() => askedKinds(categories, state.kinds), [categories, state.kinds]);
  const stateRef = useRef(state);
  stateRef.current = state;

  const update = useCallback((next: Partial<FinderState>) => {
    setSearchParams(finderParams({ ...stateRef.current, ...next }));
  }, []);

  /** The details were opened by the user just now (the focus follows), rather than restored by a link. */
  const [openedByUser, setOpenedByUser] = useState(false);
  /** The result to give the focus back to when its details close. */
  const returnTo = useRef<string | null>(null);

  const place = state.place;
  const reachable = place ? withinReach(place.point, city.bounds) : false;
  const nearest = useQuery(
    queries.nearest(
      place && reachable
        ? {
            lon: round5(place.point[0]),
            lat: round5(place.point[1]),
            category: categories.length ? categories : undefined,
            kind: kinds.length ? kinds : undefined,
            k: RESULT_COUNT,
            max_m: RESULT_MAX_M,
            open_at: state.open ?? undefined,
            age: state.age ?? undefined,
            language: state.spoken ?? undefined,
            step_free: state.stepFree ? 'true' : undefined,
          }
        : null,
    ),
  );
  const offers = useMemo(() => nearest.data?.features ?? [], [nearest.data]);
  // Walking on the network (issue 16): what is reachable on foot from the place, and the walk to the open offer.
  const from = place && reachable ? { lon: round5(place.point[0]), lat: round5(place.point[1]) } : null;
  const isochrones = useQuery({ ...queries.isochrones(from), retry: false });
  const route = useQuery({
    ...queries.walkRoute(from && state.selected ? { ...from, to: state.selected } : null),
    retry: false,
  });
  const details = useOfferDetails(offers.map((o) => o.properties.id));
  const selectedDetail = useQuery(queries.offer(state.selected));

  const markers: ResultMarker[] = useMemo(
    () =>
      offers.map((offer, i) => ({
        id: offer.properties.id,
        number: i + 1,
        position: offer.geometry.coordinates as Position,
        label: offerName(offer, lang),
      })),
    [offers, lang],
  );

  /** The result under the pointer or the keyboard focus in the list: its marker stands out too. */
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const layerModule = useLayerModule(loadFinderLayers);
  const layers: LayersList = useMemo(
    () =>
      layerModule?.finderLayers({
        place: place?.point ?? null,
        results: markers,
        selected: state.selected ?? highlighted,
        bands: isochrones.data?.features.map((f) => ({
          minutes: f.properties.minutes,
          polygons: f.geometry.coordinates,
        })),
        route: state.selected ? (route.data?.geometry.coordinates ?? null) : null,
      }) ?? [],
    [layerModule, place, markers, state.selected, highlighted, isochrones.data, route.data],
  );

  // The map follows the results: the place and all of them in view; with nothing to list (outside the city, or
  // the API failed), at least the place. Keyed by the points, so that the map moves only when they change.
  const controller = useRef<MapController | null>(null);
  const view = !place
    ? null
    : nearest.isSuccess
      ? { points: [place.point, ...markers.map((m) => m.position)] }
      : nearest.isFetching
        ? null
        : { points: [place.point], maxZoom: 14 };
  const viewKey = view ? JSON.stringify(view) : '';
  useEffect(() => {
    if (!viewKey) return;
    const { points, maxZoom } = JSON.parse(viewKey) as { points: Position[]; maxZoom?: number };
    return showOnMap(controller, points, maxZoom === undefined ? {} : { maxZoom });
  }, [viewKey]);

  const choosePlace = useCallback(
    (next: Place) => {
      setOpenedByUser(false);
      update({ place: next, selected: null });
    },
    [update],
  );

  // Details open as a history entry of their own: Back (the browser's or the page's) returns to the list.
  const openOffer = useCallback((id: string) => {
    setOpenedByUser(true);
    pushSearchParams({ sel: id }, document.querySelector('.finder__output'));
  }, []);

  const closeOffer = useCallback(() => {
    returnTo.current = stateRef.current.selected;
    setOpenedByUser(false);
    if (detailsPushed()) window.history.back();
    else update({ selected: null });
  }, [update]);

  const unpin = useRef<() => void>(() => {});
  useEffect(() => () => unpin.current(), []);

  const onMapClick = useCallback<NonNullable<DeckProps['onClick']>>(
    (info: PickingInfo, event) => {
      const marker = info.layer?.id === 'finder-results' ? (info.object as ResultMarker | undefined) : undefined;
      if (marker) openOffer(marker.id);
      else if (info.coordinate) {
        const [lon, lat] = info.coordinate as [number, number];
        // The map stays where the tap was, while the list above it fills.
        const target = (event as { srcEvent?: Event } | undefined)?.srcEvent?.target;
        const map = target instanceof Element ? target.closest<HTMLElement>('.map-view') : null;
        unpin.current();
        if (map) unpin.current = keepInView(map);
        choosePlace({ point: [round5(lon), round5(lat)], label: null, source: 'map' });
      }
    },
    [openOffer, choosePlace],
  );

  const getTooltip = useCallback<NonNullable<DeckProps['getTooltip']>>((info: PickingInfo) => {
    const marker = info.layer?.id === 'finder-results' ? (info.object as ResultMarker | undefined) : undefined;
    return marker ? { text: `${marker.number}. ${marker.label}` } : null;
  }, []);

  return {
    controller,
    state,
    categories,
    kinds,
    reachable,
    nearest,
    isochrones,
    offers,
    details,
    selectedDetail,
    openedByUser,
    returnTo,
    layers,
    update,
    choosePlace,
    openOffer,
    closeOffer,
    setHighlighted,
    onMapClick,
    getTooltip,
  };
}

export type Finder = ReturnType<typeof useFinder>;

export function FinderPanel({ finder }: { finder: Finder }) {
  const { t } = useI18n();
  const { state, categories, nearest, offers, details, reachable } = finder;
  const routeTemplate = useRouteTemplate();
  const categoryList = useQuery(queries.categories());
  const incomplete = useMemo(
    () => new Set((categoryList.data?.categories ?? []).filter((c) => c.incomplete).map((c) => c.code)),
    [categoryList.data],
  );
  const place = state.place;
  const placeName = place ? (place.label ?? t(place.source === 'gps' ? 'finder.place.gps' : 'finder.place.map')) : '';

  // Back from the details (the page's button or the browser's): the list where it was, the focus on the result
  // that was open.
  const listRef = useRef<HTMLDivElement>(null);
  const shown = useRef(state.selected);
  useEffect(() => {
    const id = finder.returnTo.current ?? shown.current;
    shown.current = state.selected;
    if (state.selected !== null || id === null) return;
    finder.returnTo.current = null;
    restoreListScroll(listRef.current);
    listRef.current?.querySelector<HTMLElement>(`[data-offer-id="${CSS.escape(id)}"]`)?.focus({ preventScroll: true });
  });

  // After an address, the device's position, a category or a kind was chosen: the first result (or what the
  // answer says instead) scrolled into view, as little as needed, once the answer is there. Without a place
  // (categories chosen first) nothing moves.
  const reveal = useRef(false);
  const revealResults = () => {
    reveal.current = true;
  };
  const answered = !nearest.isFetching && (nearest.isSuccess || nearest.isError || !reachable);
  useEffect(() => {
    if (!reveal.current || !answered) return;
    reveal.current = false;
    if (!place) return;
    const list = listRef.current;
    (list?.querySelector('.result') ?? list?.querySelector('.finder-results__status'))?.scrollIntoView({
      block: 'nearest',
    });
  });

  const listed = useMemo(() => {
    const i = offers.findIndex((o) => o.properties.id === state.selected);
    const offer = offers[i];
    return offer ? { offer, number: i + 1 } : null;
  }, [offers, state.selected]);

  const onChooseHit = (hit: SearchHit) => {
    revealResults();
    finder.choosePlace({ point: hit.point as Position, label: hit.label, source: 'search' });
  };

  return (
    <div className="finder">
      <PageHeading title={t('finder.title')}>{t('finder.title')}</PageHeading>
      <p className="finder__intro">{t('finder.intro')}</p>

      <PlaceSearch placeLabel={place?.label ?? ''} onChoose={onChooseHit} />
      <LocateButton
        onLocate={(point) => {
          revealResults();
          finder.choosePlace({ point, label: null, source: 'gps' });
        }}
      />

      <CategoryChips
        chosen={categories}
        incomplete={incomplete}
        onToggle={(code) => {
          revealResults();
          finder.update({ categories: toggleCategory(categories, code, categoryOrder), selected: null });
        }}
      />
      {categories.length === 1 && categories[0] && KIND_FILTERS[categories[0]] ? (
        <KindChips
          category={categories[0]}
          chosen={finder.kinds}
          onToggle={(kind) => {
            revealResults();
            finder.update({
              kinds: toggleCategory(finder.kinds, kind, KIND_FILTERS[categories[0] ?? ''] ?? []),
              selected: null,
            });
          }}
        />
      ) : null}
      <OfferFilters
        filters={state}
        onChange={(next) => {
          revealResults();
          finder.update({ ...next, selected: null });
        }}
      />

      <div className="finder__output" ref={listRef}>
        {state.selected && place ? (
          <OfferDetails
            id={state.selected}
            detail={finder.selectedDetail}
            listed={listed}
            origin={place.point}
            routeTemplate={routeTemplate}
            takeFocus={finder.openedByUser}
            onBack={finder.closeOffer}
          />
        ) : (
          <section className="finder-results" aria-labelledby="finder-results-heading">
            <h2 id="finder-results-heading" className="finder-results__heading">
              {place ? t('finder.results.title', { place: isolate(placeName) }) : t('finder.results.heading')}
            </h2>
            <ResultsStatus
              hasPlace={place !== null}
              reachable={reachable}
              nearest={nearest}
              count={offers.length}
              kinds={finder.kinds}
            />
            {nearest.isError ? (
              <button type="button" className="finder-button" onClick={() => nearest.refetch()}>
                {t('finder.retry')}
              </button>
            ) : null}
            {offers.length ? (
              <>
                <ResultList
                  offers={offers}
                  details={details}
                  showCategory={categories.length !== 1}
                  onOpen={finder.openOffer}
                  onHighlight={finder.setHighlighted}
                  spoken={state.spoken}
                />
                <WalkNote nearest={nearest.data ?? null} />
              </>
            ) : null}
            {place && reachable ? <Reach isochrones={finder.isochrones} /> : null}
            <DataCaveats nearest={nearest.isSuccess ? nearest.data : null} />
            {place ? <ShareButton /> : null}
          </section>
        )}
      </div>
    </div>
  );
}

/**
 * What lies within 5, 10 and 15 minutes' walk of the place (issue 16), as the map's bands show it: addresses,
 * estimated residents and offers. A city without a walking network (404) shows nothing.
 */
function Reach({ isochrones }: { isochrones: ReturnType<typeof useFinder>['isochrones'] }) {
  const { t, lang } = useI18n();
  if (isochrones.isPending && isochrones.fetchStatus === 'fetching')
    return <p className="finder-muted finder__reach">{t('finder.reach.loading')}</p>;
  if (isochrones.isError)
    return isochrones.error instanceof ApiError && isochrones.error.status === 404 ? null : (
      <p className="finder-muted finder__reach">{t('finder.reach.error')}</p>
    );
  const bands = isochrones.data?.features ?? [];
  if (!isochrones.data || !bands.length) return null;
  const n = (x: number) => formatNumberUpTo(x, lang, 0);
  return (
    <section className="finder__reach" aria-labelledby="finder-reach-heading">
      <h3 id="finder-reach-heading">{t('finder.reach.heading')}</h3>
      <ul>
        {bands.map((b) => {
          const offers = Object.values(b.properties.offers).reduce((sum, c) => sum + c, 0);
          return (
            <li key={b.properties.minutes} data-minutes={b.properties.minutes}>
              {t('finder.reach.band', {
                minutes: b.properties.minutes,
                addresses: n(b.properties.addresses),
                residents: n(b.properties.residents),
                offers: n(offers),
              })}
            </li>
          );
        })}
      </ul>
      <p className="finder-muted">
        {t('finder.reach.note', { speed: formatNumberUpTo(isochrones.data.meta.speed_kmh, lang, 1) })}
      </p>
    </section>
  );
}

/** How the walking time is estimated, in the numbers the server used. */
function WalkNote({ nearest }: { nearest: NearestCollection | null }) {
  const { t, lang } = useI18n();
  if (!nearest) return null;
  const { speed_kmh, detour_factor, method } = nearest.meta.walking;
  return (
    <p className="finder-muted finder__note">
      {method === 'network' || detour_factor === null
        ? t('finder.walkNoteNetwork', { speed: formatNumberUpTo(speed_kmh, lang, 1) })
        : t('finder.walkNote', {
            factor: formatNumberUpTo(detour_factor, lang, 2),
            speed: formatNumberUpTo(speed_kmh, lang, 1),
          })}
    </p>
  );
}

/**
 * The asked categories the data cover too thinly, and the asked kinds whose data carry a warning (a kind filter
 * narrows the answer to such data alone: "Kinderarzt"), by their labels: "Jugend und Senioren".
 */
function incompleteLabels(nearest: NearestCollection, kinds: readonly string[], lang: Lang): string {
  const labels = [
    ...Object.keys(nearest.meta.incomplete).map((code) => categoryLabel(code, lang)),
    ...warnedKinds(nearest, kinds).map((kind) => {
      const [sub = '', speciality = null] = kind.split(':');
      return kindLabel(sub, speciality, lang) ?? kind;
    }),
  ];
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(labels);
}

/** The asked kinds whose sub-category carries a warning (doctors: a few OSM practices). */
function warnedKinds(nearest: NearestCollection, kinds: readonly string[]): string[] {
  return kinds.filter((kind) => (kind.split(':')[0] ?? '') in nearest.meta.warnings);
}

/**
 * Why the answer may miss offers: the reasons of the categories the data cover too thinly and the warnings of
 * subcategories (doctors), in German or else in English, the languages the data package speaks.
 */
function DataCaveats({ nearest }: { nearest: NearestCollection | null }) {
  const { lang } = useI18n();
  if (!nearest) return null;
  const texts = [...Object.values(nearest.meta.incomplete), ...Object.values(nearest.meta.warnings)];
  if (!texts.length) return null;
  return (
    <ul className="finder-muted finder__note finder__caveats" data-caveats="">
      {texts.map((text) => (
        <li key={text.en} lang={lang === 'de' ? 'de' : 'en'}>
          {lang === 'de' ? text.de : text.en}
        </li>
      ))}
    </ul>
  );
}

/** The one live region of the results: what is being done, how many were found, or what went wrong. */
function ResultsStatus({
  hasPlace,
  reachable,
  nearest,
  count,
  kinds,
}: {
  hasPlace: boolean;
  reachable: boolean;
  nearest: Finder['nearest'];
  count: number;
  kinds: readonly string[];
}) {
  const { t, lang } = useI18n();
  const { city } = useConfig();
  let text = t('finder.results.start');
  let problem = false;
  if (hasPlace && !reachable) {
    text = t('finder.outside', { city: city.name });
    problem = true;
  } else if (nearest.isFetching) text = t('finder.results.loading');
  else if (nearest.isError) {
    const outside =
      nearest.error instanceof ApiError &&
      nearest.error.status === 400 &&
      /^(lon|lat)$/.test(nearest.error.problem.param ?? '');
    text = outside ? t('finder.outside', { city: city.name }) : t('finder.results.error');
    problem = true;
  } else if (nearest.isSuccess) {
    // A category the data cover too thinly, or a kind of warned data alone (paediatricians), never gets "nothing
    // within 5 km": the data cannot say that.
    const thin = Object.keys(nearest.data.meta.incomplete).length > 0 || warnedKinds(nearest.data, kinds).length > 0;
    const categories = thin ? incompleteLabels(nearest.data, kinds, lang) : '';
    text = count
      ? `${t('finder.results.count', { count })}${thin ? ` ${t('finder.results.incompleteSome', { categories })}` : ''}`
      : thin
        ? t('finder.results.incomplete', { categories })
        : t('finder.results.none', { km: formatNumberUpTo(RESULT_MAX_M / 1000, lang) });
  }
  return (
    <p className={problem ? 'finder-results__status finder-error' : 'finder-results__status'} role="status">
      {text}
    </p>
  );
}

export type { NearestOffer };
