import type { PickingInfo } from '@deck.gl/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef } from 'react';
import type { CategoryList } from '../api/client.ts';
import { type BBox, useConfig } from '../config.ts';
import { formatDate, formatShare } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { categoryColors, type OfferPoint, offerPoints } from '../layers/offer-points.ts';
import { useLayerModule } from '../map/use-layer-module.ts';
import { PageHeading } from '../pages/page-heading.tsx';
import { labelIn, localized } from '../planner/text.ts';
import { Link } from '../router.tsx';
import { AllIndicators } from './all-indicators.tsx';
import { type Citation, numberSources } from './citations.ts';
import { ComparisonTable } from './comparison-table.tsx';
import {
  ACTION_AREA,
  type SourceList as ApiSources,
  type AreaCollection,
  type AreaDetail,
  type Catalogue,
  type CouncilApi,
  councilApi,
  type Gaps,
  type Profile,
} from './council-api.ts';
import { AREA_LINE } from './council-colors.ts';
import { CouncilDownloads } from './council-downloads.tsx';
import { CouncilMap, PrintButton } from './council-map.tsx';
import { councilPath } from './council-route.ts';
import { citationsOf, type Figure, figureOf } from './figures.ts';
import { GapsTable } from './gaps-table.tsx';
import { type FigureChange, KeyFigures } from './key-figures.tsx';
import { LoadError, Loading } from './load-state.tsx';
import { OffersTable } from './offers-table.tsx';
import { PresentationBar, Slide, usePresentation } from './presentation.tsx';
import {
  ATLAS_SOURCE_ID,
  available,
  type Comparison,
  type CouncilSelection,
  comparisonsOf,
  gapRows,
  offerRows,
  pairs,
} from './selection.ts';
import { IndicatorMethods, MethodNotes, Ref, SourceList } from './source-list.tsx';

type AreaFeature = AreaCollection['features'][number];

/** The map's layers (deck.gl) load with the map: the figures do not wait for them (web/map/use-layer-module.ts). */
const loadCouncilLayers = () => import('./council-layers.ts');

interface AreaData {
  feature: AreaFeature;
  detail: AreaDetail;
  profile: Profile;
  catalogue: Catalogue;
  sources: ApiSources;
  quarters: AreaCollection;
  categories: CategoryList;
  offers: OfferPoint[];
  comparisonIds: string[];
  comparisons: Map<string, Comparison>;
  comparisonMethod: Gaps['action_areas']['method'] | null;
  /** Issue 15: per key figure with several dates, this area's change since the earliest (both dates named). */
  changes: Map<string, FigureChange>;
}

/** The indicator whose sources say where the address shares of the members come from. */
const MEMBERSHIP_INDICATOR = 'action_area_address_share_pct';

/** A little room around the area, so that offers just outside it show on its map too. */
function padded([w, s, e, n]: BBox, margin = 0.004): [number, number, number, number] {
  return [w - margin, s - margin, e + margin, n + margin];
}

async function loadArea(council: CouncilApi, selection: CouncilSelection, code: string): Promise<AreaData | null> {
  const areas = await council.actionAreas();
  const feature = areas.features.find((f) => f.properties.code === code);
  if (!feature) return null;
  const [detail, profile, catalogue, sources, quarterAreas, categories] = await Promise.all([
    council.actionArea(code),
    council.profile(code),
    council.catalogue(),
    council.sources(),
    council.quarters(),
    council.categories(),
  ]);
  const comparisonIds = available(selection.comparison, catalogue.indicators);
  const asked = pairs(comparisonIds);
  const known = new Set(categories.categories.map((c) => c.code));
  const [gaps, offers] = await Promise.all([
    Promise.all(asked.map(([a, b]) => council.gaps(a, b))),
    council.offers(
      padded(detail.bbox),
      selection.offerCategories.filter((c) => known.has(c)),
    ),
  ]);
  // The key figures with more than one date at the action areas: their change since the earliest date.
  const dated = selection.keyFigures.filter(
    (id) =>
      (catalogue.indicators.find((i) => i.id === id)?.levels.find((l) => l.level === ACTION_AREA)?.dates.length ?? 0) >
      1,
  );
  const changeAnswers = await Promise.all(dated.map((id) => council.change(id)));
  const changes = new Map(
    changeAnswers.flatMap((c) => {
      const own = c.values.find((v) => v.code === code);
      return own?.from && own.to && own.absolute !== null
        ? [[c.indicator.id, { from: own.from.date, to: own.to.date, absolute: own.absolute, unit: c.unit }] as const]
        : [];
    }),
  );
  const quarterCodes = new Set(detail.children.filter((c) => c.level === 'quarter').map((c) => c.code));
  return {
    feature,
    detail,
    profile,
    catalogue,
    sources,
    quarters: { ...quarterAreas, features: quarterAreas.features.filter((f) => quarterCodes.has(f.properties.code)) },
    categories,
    offers: offerPoints(offers),
    comparisonIds,
    comparisons: comparisonsOf(asked, gaps),
    comparisonMethod: gaps[0]?.action_areas.method ?? null,
    changes,
  };
}

/** `/council/{code}`: the page of one action area, on screen, on paper and in a council session. */
export function ActionAreaPage({ code }: { code: string }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const { council } = useConfig();
  // The answers inside are queries of their own (retried there): the page's query is not retried again.
  const data = useQuery({
    queryKey: ['council', 'area', code],
    queryFn: () => loadArea(councilApi(client), council, code),
    retry: false,
  });
  return (
    <article className="council council--area">
      <p className="council-back council-noprint">
        <Link to={councilPath()} markCurrent={false}>
          <span aria-hidden="true">← </span>
          {t('council.back')}
        </Link>
      </p>
      {data.isPending || (data.isError && data.isFetching) ? <Loading /> : null}
      {data.isError && !data.isFetching ? <LoadError error={data.error} retry={() => data.refetch()} /> : null}
      {data.isSuccess && data.data === null ? (
        <>
          <PageHeading title={t('council.notFound.title')}>{t('council.notFound.title')}</PageHeading>
          <p>{t('council.notFound.body', { code })}</p>
        </>
      ) : null}
      {data.isSuccess && data.data ? <AreaBody data={data.data} /> : null}
    </article>
  );
}

function AreaBody({ data }: { data: AreaData }) {
  const { feature, detail, profile, catalogue, sources, quarters, categories, offers, comparisons } = data;
  const { t, lang } = useI18n();
  const { code, name, numbered } = feature.properties;
  const { council } = useConfig();
  const byId = useMemo(() => new Map(catalogue.indicators.map((i) => [i.id, i])), [catalogue]);
  const figures = useMemo(() => profile.indicators.map((i) => figureOf(i, byId.get(i.id))), [profile, byId]);
  const figureById = useMemo(() => new Map(figures.map((f) => [f.id, f])), [figures]);
  const pick = (ids: readonly string[]) => ids.flatMap((id) => figureById.get(id) ?? []);
  const keyFigures = pick(council.keyFigures);
  const comparisonFigures = pick(data.comparisonIds);
  const offers_ = offerRows(profile, catalogue.indicators);
  const gaps = gapRows(profile, council.gapRadiusM);
  const printedFigures = [
    ...offers_.flatMap((r) => [r.countId, r.per1000Id]),
    ...gaps.map((r) => r.indicatorId),
  ].flatMap((id) => (id ? (figureById.get(id) ?? []) : []));
  const quarterMembers = detail.children.filter((c) => c.level === 'quarter');
  const subquarters = detail.children.filter((c) => c.level === 'subquarter');

  const atlas = sources.sources.find((s) => s.id === ATLAS_SOURCE_ID);
  const membershipCitations = citationsOf(
    atlas ? { id: atlas.id, title: atlas.title, url: atlas.url } : null,
    'computed',
    byId.get(MEMBERSHIP_INDICATOR)?.sources ?? [],
  );
  const citationsOfIds = (ids: readonly (string | null)[]): Citation[] =>
    ids.flatMap((id) => (id ? (figureById.get(id)?.citations ?? []) : []));
  // Sources are numbered in the order the page cites them, the printed sections first.
  const list = numberSources([
    ...membershipCitations,
    ...keyFigures.flatMap((f) => f.citations),
    ...comparisonFigures.flatMap((f) => f.citations),
    ...offers_.flatMap((r) => citationsOfIds([r.countId, r.per1000Id])),
    ...gaps.flatMap((r) => citationsOfIds([r.indicatorId])),
    ...figures.flatMap((f) => f.citations),
  ]);
  const refsOfFigure = (f: Figure) => list.numbersOf(f.citations);
  const idPrefix = `area-${code}`;

  const titles = [
    t('council.section.location'),
    t('council.section.keyFigures'),
    t('council.section.comparison'),
    t('council.section.offers'),
    t('council.section.gaps'),
    t('council.section.sources'),
  ];
  const presentation = usePresentation(titles.length);
  const areaLabel = numbered ? `${code} ${name}` : name;
  const refreshPicture = useRef<(() => Promise<void>) | null>(null);

  const colors = useMemo(() => categoryColors(categories.categories.map((c) => c.code)), [categories]);
  const layerModule = useLayerModule(loadCouncilLayers);
  const layers = useMemo(
    () => layerModule?.areaLayers({ area: feature, quarters: quarters.features, offers, colors }) ?? [],
    [layerModule, feature, quarters, offers, colors],
  );
  const shownCategories = categories.categories.filter((c) => offers.some((o) => o.category === c.code));
  const getTooltip = useCallback(
    (info: PickingInfo) => {
      const cluster = info.object as { members?: OfferPoint[] } | null;
      const offer = cluster?.members?.[0];
      if (!offer) return null;
      const category = categories.categories.find((c) => c.code === offer.category);
      return `${offer.name ?? ''}${category ? ` (${labelIn(category.labels, lang)})` : ''}`;
    },
    [categories, lang],
  );
  const today = formatDate(new Date().toISOString().slice(0, 10), lang);

  return (
    <div className={presentation.active ? 'council-body council--present' : 'council-body'}>
      <header className="council-head">
        <p className="council-head__kicker">
          {numbered ? t('council.area.kicker', { code }) : t('council.area.kickerUnnumbered')}
        </p>
        <PageHeading title={numbered ? `${code} ${name}` : name}>{name}</PageHeading>
        <p className="council-head__meta">
          {detail.parent ? t('council.area.district', { name: detail.parent.name }) : null}
          {numbered ? null : (
            <>
              {detail.parent ? ' · ' : null}
              {t('council.area.unnumberedNote')}
            </>
          )}
        </p>
        <p className="council-print-only council-head__printed">
          {t('council.printed', { date: today, url: `${window.location.origin}${councilPath(code)}` })}
        </p>
      </header>
      <div className="council-toolbar">
        <button type="button" className="council-button" onClick={presentation.start}>
          {t('council.present.start')}
        </button>
        <PrintButton refreshRef={refreshPicture} />
      </div>

      <Slide
        id="area-location"
        index={0}
        title={titles[0]}
        presentation={presentation}
        area={areaLabel}
        className="council-section--location"
      >
        <CouncilMap
          className="council-map--area"
          label={t('council.map.areaLabel', { name })}
          layers={layers}
          layersKey={`${code}:${offers.length}:${quarters.features.length}`}
          bounds={detail.bbox}
          getTooltip={getTooltip}
          refreshRef={refreshPicture}
          fitKey={presentation.active ? 'present' : 'page'}
          caption={
            <ul className="map-legend">
              <li>
                <span className="map-legend__line" style={{ borderColor: AREA_LINE }} aria-hidden="true" />
                {t('council.legend.area')}
              </li>
              <li>
                <span className="map-legend__line map-legend__line--quarter" aria-hidden="true" />
                {t('council.legend.quarters')}
              </li>
              {shownCategories.map((c) => (
                <li key={c.code}>
                  <span
                    className="map-legend__dot"
                    style={{ background: colors.get(c.code) ?? '#37414b' }}
                    aria-hidden="true"
                  />
                  {labelIn(c.labels, lang)}
                </li>
              ))}
            </ul>
          }
        />
        <dl className="members">
          <div>
            <dt>{t('council.members.quarters')}</dt>
            <dd>
              {quarterMembers.length === 0
                ? t('council.members.none')
                : quarterMembers.map((q, i) => (
                    <span key={q.code} className="members__item" data-quarter={q.code}>
                      {i > 0 ? '; ' : ''}
                      {q.code} {q.name}
                      {q.address_share !== null
                        ? ` (${t('council.members.share', { share: formatShare(q.address_share, lang) })})`
                        : ''}
                    </span>
                  ))}{' '}
              <Ref numbers={list.numbersOf(membershipCitations)} idPrefix={idPrefix} />
            </dd>
          </div>
          <div>
            <dt>{t('council.members.subquarters')}</dt>
            <dd>
              {subquarters.length === 0 ? t('council.members.none') : subquarters.map((s) => s.code).join(', ')}
              <span className="members__note"> ({t('council.members.subquartersNote')})</span>
            </dd>
          </div>
        </dl>
      </Slide>

      <Slide id="area-key-figures" index={1} title={titles[1]} presentation={presentation} area={areaLabel}>
        <KeyFigures figures={keyFigures} refsOf={refsOfFigure} idPrefix={idPrefix} changes={data.changes} />
      </Slide>

      <Slide id="area-comparison" index={2} title={titles[2]} presentation={presentation} area={areaLabel}>
        <ComparisonTable
          idPrefix={idPrefix}
          caption={t('council.comparison.caption', { name })}
          columns={[name, t('council.col.rest'), t('council.col.city')]}
          withRank
          rows={comparisonFigures.map((f) => ({
            id: f.id,
            title: f.title,
            unit: f.unit,
            method: f.method,
            date: f.date,
            cells: [f.value, comparisons.get(f.id)?.rest ?? null, f.city.value],
            rank: f.rank,
            refs: refsOfFigure(f),
          }))}
          note={`${t('council.comparison.restNote')} ${t('council.comparison.rankNote')} ${
            data.comparisonMethod ? localized(data.comparisonMethod, lang) : ''
          }`}
        />
      </Slide>

      <Slide id="area-offers" index={3} title={titles[3]} presentation={presentation} area={areaLabel}>
        <OffersTable
          idPrefix={idPrefix}
          caption={t('council.offers.caption', { name })}
          rows={offers_}
          figures={figureById}
          categories={categories}
          refsOf={(ids) => list.numbersOf(citationsOfIds(ids))}
        />
        <p className="council-note">{t('council.offers.note')}</p>
      </Slide>

      <Slide id="area-gaps" index={4} title={titles[4]} presentation={presentation} area={areaLabel}>
        <GapsTable
          idPrefix={idPrefix}
          caption={t('council.gaps.caption', { distance: `${council.gapRadiusM} m` })}
          rows={gaps}
          figures={figureById}
          refsOf={(id) => list.numbersOf(citationsOfIds([id]))}
        />
        <p className="council-note">{t('council.gaps.note', { distance: `${council.gapRadiusM} m` })}</p>
      </Slide>

      <Slide
        id="area-sources"
        index={5}
        title={titles[5]}
        presentation={presentation}
        area={areaLabel}
        className="council-section--sources"
      >
        <SourceList entries={list.entries} sources={sources} idPrefix={idPrefix} />
        <MethodNotes
          methods={catalogue.methods}
          used={new Set(figures.map((f) => f.method))}
          printed={new Set([...keyFigures, ...comparisonFigures, ...printedFigures].map((f) => f.method))}
        />
        <IndicatorMethods
          idPrefix={idPrefix}
          indicators={[...keyFigures, ...comparisonFigures, ...printedFigures].flatMap((f) => byId.get(f.id) ?? [])}
        />
      </Slide>

      {presentation.active ? null : (
        <section className="council-section council-noprint" aria-labelledby="area-all-title">
          <details className="all-details">
            <summary>
              <h2 id="area-all-title">{t('council.section.all', { count: figures.length })}</h2>
            </summary>
            <CouncilDownloads code={code} figures={figures} catalogue={catalogue} />
            <AllIndicators figures={figures} themes={catalogue.themes} refsOf={refsOfFigure} idPrefix={idPrefix} />
          </details>
        </section>
      )}
      {presentation.active ? <PresentationBar presentation={presentation} titles={titles} /> : null}
    </div>
  );
}
