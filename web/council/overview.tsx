import type { PickingInfo } from '@deck.gl/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useConfig } from '../config.ts';
import { useI18n } from '../i18n/index.ts';
import { useLayerModule } from '../map/use-layer-module.ts';
import { PageHeading } from '../pages/page-heading.tsx';
import { localized } from '../planner/text.ts';
import { hrefFor, Link, navigate, useLocation, useSearchParam } from '../router.tsx';
import { AreaCards, buildCards } from './area-cards.tsx';
import { type Citation, numberSources } from './citations.ts';
import { ComparisonTable } from './comparison-table.tsx';
import {
  type SourceList as ApiSources,
  type AreaCollection,
  type Catalogue,
  type CouncilApi,
  councilApi,
  type Gaps,
  type IndicatorValues,
} from './council-api.ts';
import { NUMBERED_FILL, UNNUMBERED_FILL } from './council-colors.ts';
import { CouncilMap, PrintButton } from './council-map.tsx';
import { councilPath, councilQualifyPath } from './council-route.ts';
import { citationsOf } from './figures.ts';
import { LoadError, Loading } from './load-state.tsx';
import { PresentationBar, Slide, usePresentation } from './presentation.tsx';
import { RankingSection } from './ranking-section.tsx';
import {
  ATLAS_SOURCE_ID,
  available,
  type Comparison,
  type CouncilSelection,
  comparisonsOf,
  inCardOrder,
  pairs,
} from './selection.ts';
import { IndicatorMethods, MethodNotes, SourceList } from './source-list.tsx';

/** The map's layers (deck.gl) load with the map: the cards do not wait for them (web/map/use-layer-module.ts). */
const loadCouncilLayers = () => import('./council-layers.ts');

interface OverviewData {
  areas: AreaCollection;
  catalogue: Catalogue;
  sources: ApiSources;
  cardValues: IndicatorValues[];
  comparisonIds: string[];
  comparisons: Map<string, Comparison>;
  comparisonMethod: Gaps['action_areas']['method'] | null;
}

async function loadOverview(council: CouncilApi, selection: CouncilSelection): Promise<OverviewData> {
  const [areas, catalogue, sources] = await Promise.all([
    council.actionAreas(),
    council.catalogue(),
    council.sources(),
  ]);
  const cardIds = available(selection.cardFigures, catalogue.indicators);
  const comparisonIds = available(selection.comparison, catalogue.indicators);
  const asked = pairs(comparisonIds);
  const [cardValues, gaps] = await Promise.all([
    Promise.all(cardIds.map((id) => council.values(id))),
    Promise.all(asked.map(([a, b]) => council.gaps(a, b))),
  ]);
  return {
    areas,
    catalogue,
    sources,
    cardValues,
    comparisonIds,
    comparisons: comparisonsOf(asked, gaps),
    comparisonMethod: gaps[0]?.action_areas.method ?? null,
  };
}

/** `/council`: the action areas on a map and as cards, their comparison with the rest of the city, a ranking. */
export function CouncilOverview() {
  const { t } = useI18n();
  const client = useQueryClient();
  const { council } = useConfig();
  // The answers inside are queries of their own (retried there): the page's query is not retried again.
  const data = useQuery({
    queryKey: ['council', 'overview'],
    queryFn: () => loadOverview(councilApi(client), council),
    retry: false,
  });
  return (
    <div className="council council--overview">
      <header className="council-head">
        <PageHeading title={t('council.title')}>{t('council.title')}</PageHeading>
        <p className="council-head__intro">{t('council.intro')}</p>
      </header>
      {data.isPending || (data.isError && data.isFetching) ? <Loading /> : null}
      {data.isError && !data.isFetching ? <LoadError error={data.error} retry={() => data.refetch()} /> : null}
      {data.isSuccess ? <OverviewBody data={data.data} /> : null}
    </div>
  );
}

function OverviewBody({ data }: { data: OverviewData }) {
  const { areas, catalogue, sources, cardValues, comparisonIds, comparisons, comparisonMethod } = data;
  const { t, lang } = useI18n();
  const { city, council } = useConfig();
  const { search } = useLocation();
  const [hovered, setHovered] = useState<string | null>(null);
  const [rankingCitations, setRankingCitations] = useState<Citation[]>([]);
  const rankingMethod = byRankingMethod(catalogue, useSearchParam('indicator'), council.ranking);
  const byId = useMemo(() => new Map(catalogue.indicators.map((i) => [i.id, i])), [catalogue]);
  const cards = useMemo(() => buildCards(inCardOrder(areas.features), cardValues), [areas, cardValues]);

  // The comparison is computed by the atlas (weighted means of the quarters) from the indicators' sources.
  const atlas = sources.sources.find((s) => s.id === ATLAS_SOURCE_ID);
  const atlasCitation = atlas ? { id: atlas.id, title: atlas.title, url: atlas.url } : null;
  const comparisonCitations = comparisonIds.map((id) =>
    citationsOf(atlasCitation, 'computed', byId.get(id)?.sources ?? []),
  );
  // Sources are numbered in the order the page cites them: cards, comparison, ranking.
  const list = numberSources([
    ...cards.flatMap((c) => c.figures.flatMap((f) => f.citations)),
    ...comparisonCitations.flat(),
    ...rankingCitations,
  ]);

  const titles = [
    t('council.overview.map'),
    t('council.overview.cards'),
    t('council.overview.comparison'),
    t('council.overview.ranking'),
    t('council.section.sources'),
  ];
  const presentation = usePresentation(titles.length);
  const areaLabel = t('council.present.overviewArea', { city: city.name });
  const refreshPicture = useRef<(() => Promise<void>) | null>(null);
  const layerModule = useLayerModule(loadCouncilLayers);
  const layers = useMemo(() => layerModule?.overviewLayers(areas, hovered) ?? [], [layerModule, areas, hovered]);
  const onClick = useCallback(
    (info: PickingInfo) => {
      const code = (info.object as { properties?: { code?: string } } | null)?.properties?.code;
      if (code) navigate(hrefFor(councilPath(code), search));
    },
    [search],
  );
  const getTooltip = useCallback(
    (info: PickingInfo) => {
      const p = (info.object as { properties?: { code: string; name: string; numbered: boolean } } | null)?.properties;
      if (!p) return null;
      return p.numbered ? `${p.code} ${p.name}` : `${p.name} (${t('council.card.unnumbered')})`;
    },
    [t],
  );

  return (
    <div className={presentation.active ? 'council-body council--present' : 'council-body'}>
      <div className="council-toolbar">
        <button type="button" className="council-button" onClick={presentation.start}>
          {t('council.present.start')}
        </button>
        <PrintButton refreshRef={refreshPicture} />
        <Link className="council-button council-button--quiet" to={councilQualifyPath}>
          {t('council.qualify.link')}
        </Link>
      </div>
      <Slide id="overview-map" index={0} title={titles[0]} presentation={presentation} area={areaLabel}>
        <CouncilMap
          className="council-map--overview"
          label={t('council.map.overviewLabel', { city: city.name })}
          layers={layers}
          layersKey={`${areas.features.length}`}
          bounds={city.bounds}
          onClick={onClick}
          getTooltip={getTooltip}
          refreshRef={refreshPicture}
          fitKey={presentation.active ? 'present' : 'page'}
          caption={
            <ul className="map-legend">
              <li>
                <span className="map-legend__swatch" style={{ background: NUMBERED_FILL }} aria-hidden="true" />
                {t('council.legend.numbered')}
              </li>
              <li>
                <span className="map-legend__swatch" style={{ background: UNNUMBERED_FILL }} aria-hidden="true" />
                {t('council.legend.unnumbered')}
              </li>
            </ul>
          }
        />
      </Slide>
      <Slide id="overview-cards" index={1} title={titles[1]} presentation={presentation} area={areaLabel}>
        <AreaCards cards={cards} refsOf={list.numbersOf} onHover={setHovered} />
      </Slide>
      <Slide id="overview-comparison" index={2} title={titles[2]} presentation={presentation} area={areaLabel}>
        <ComparisonTable
          idPrefix="overview"
          caption={t('council.overview.comparisonCaption')}
          columns={[t('council.col.allAreas'), t('council.col.rest'), t('council.col.city')]}
          rows={comparisonIds.flatMap((id, i) => {
            const entry = byId.get(id);
            const c = comparisons.get(id);
            if (!entry || !c) return [];
            return [
              {
                id,
                title: entry.title,
                unit: entry.unit,
                method: entry.method,
                date: entry.levels.find((l) => l.level === 'quarter')?.latest_dates.join('/') ?? null,
                cells: [c.inside, c.rest, c.city_value],
                refs: list.numbersOf(comparisonCitations[i] ?? []),
              },
            ];
          })}
          note={`${t('council.comparison.restNote')} ${comparisonMethod ? localized(comparisonMethod, lang) : ''}`}
        />
      </Slide>
      <Slide id="overview-ranking" index={3} title={titles[3]} presentation={presentation} area={areaLabel}>
        <RankingSection catalogue={catalogue} areas={areas} list={list} onCitations={setRankingCitations} />
      </Slide>
      <Slide id="overview-sources" index={4} title={titles[4]} presentation={presentation} area={areaLabel}>
        <SourceList entries={list.entries} sources={sources} idPrefix="overview" />
        <MethodNotes
          methods={catalogue.methods}
          used={
            new Set([
              ...cardValues.map((v) => v.indicator.method),
              ...comparisonIds.flatMap((id) => byId.get(id)?.method ?? []),
              ...(rankingMethod ? [rankingMethod] : []),
            ])
          }
        />
        <IndicatorMethods
          idPrefix="overview"
          indicators={[...cardValues.map((v) => v.indicator.id), ...comparisonIds].flatMap((id) => byId.get(id) ?? [])}
        />
      </Slide>
      {presentation.active ? <PresentationBar presentation={presentation} titles={titles} /> : null}
    </div>
  );
}

/** The method of the indicator the ranking shows (the default one when the URL names none it knows). */
function byRankingMethod(catalogue: Catalogue, asked: string | null, ranking: string | null) {
  const find = (id: string | null) => catalogue.indicators.find((i) => i.id === id);
  return (find(asked) ?? find(ranking))?.method ?? null;
}
