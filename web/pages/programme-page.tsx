import type { PickingInfo } from '@deck.gl/core';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { ApiError, type AreaCollection, type Gaps, type ProgrammeDetail } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { type BBox, useConfig } from '../config.ts';
import { formatDate, formatNumber } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import type { AreaFeatureCollection } from '../layers/choropleth-layer.ts';
import { categoryColors, type OfferPoint } from '../layers/offer-points.ts';
import { MapView } from '../map/map-view.tsx';
import { useLayerModule } from '../map/use-layer-module.ts';
import { defaultGapPair } from '../planner/symbology.ts';
import { labelIn, localized } from '../planner/text.ts';
import { REACHED_LINE, UNREACHED_LINE } from '../programmes/programme-colors.ts';
import { Link, routes, useLocation } from '../router.tsx';
import { PageHeading } from './page-heading.tsx';
import '../programmes/programme.css';

/**
 * `/programmes`: the programmes the city's offer lists name (issue 21); `/programmes/{id}`: where one runs, by
 * quarter and action area, on a map, and which quarters of high need and poor supply it does not reach (the gap
 * analysis the planner shows, with its default need and supply).
 */

const loadLayers = () => import('../programmes/programme-layers.ts');

export default function ProgrammePage() {
  const { pathname } = useLocation();
  const id = pathname.replace(/\/+$/, '').slice(routes.programmes.length + 1);
  return id ? <Programme key={id} id={decodeURIComponent(id)} /> : <ProgrammeIndex />;
}

function Status({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  if (!error)
    return (
      <p className="programme-status" role="status">
        {t('programme.loading')}
      </p>
    );
  const missing = error instanceof ApiError && error.status === 404;
  return (
    <div className="programme-status" role="alert">
      <p>{missing ? t('programme.notFound') : t('programme.error')}</p>
      {retry && !missing ? (
        <button type="button" className="button button--secondary" onClick={retry}>
          {t('programme.retry')}
        </button>
      ) : null}
    </div>
  );
}

function ProgrammeIndex() {
  const { t } = useI18n();
  const list = useQuery(queries.programmes());
  return (
    <div className="programme-page">
      <PageHeading title={t('programme.list')}>{t('programme.list')}</PageHeading>
      {list.data ? (
        list.data.programmes.length === 0 ? (
          <p>{t('programme.none')}</p>
        ) : (
          <ul className="programme-index">
            {list.data.programmes.map((p) => (
              <li key={p.id}>
                <Link to={`${routes.programmes}/${p.id}`}>{p.name}</Link> (
                {t('programme.summary', {
                  offers: p.offers,
                  quarters: p.quarters,
                  lists: p.lists.map((l) => l.title).join('; '),
                })}
                )
              </li>
            ))}
          </ul>
        )
      ) : (
        <Status error={list.error} retry={() => list.refetch()} />
      )}
    </div>
  );
}

/** The quarters of high need and poor supply (the gap ranking) that the programme has no offer in. */
function unreachedOf(programme: ProgrammeDetail, gaps: Gaps | undefined) {
  const reached = new Set(programme.quarters.map((q) => q.code));
  return (gaps?.gaps ?? []).filter((g) => !reached.has(g.code));
}

function Programme({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const config = useConfig();
  const programme = useQuery(queries.programme(id));
  const categories = useQuery(queries.categories());
  const catalogue = useQuery(queries.catalogue());
  const quarters = useQuery(queries.areas('quarter'));
  const pair = useMemo(() => {
    if (!catalogue.data) return null;
    const { need, supply } = defaultGapPair(catalogue.data.indicators, 'quarter', config.planner);
    return need && supply ? { need, supply, level: 'quarter' as const } : null;
  }, [catalogue.data, config.planner]);
  const gaps = useQuery(queries.gaps(pair));

  const p = programme.data;
  if (!p) return <Status error={programme.error} retry={() => programme.refetch()} />;
  const unreached = unreachedOf(p, gaps.data);
  const labelOf = (code: string) => {
    const c = categories.data?.categories.find((x) => x.code === code);
    return c ? labelIn(c.labels, lang) : code;
  };
  const lists = p.lists.map((l) => `${l.title} (${formatDate(l.date, lang)})`).join('; ');

  return (
    <div className="programme-page">
      <PageHeading title={t('programme.title', { name: p.name })}>{t('programme.title', { name: p.name })}</PageHeading>
      <p className="programme-summary">
        {t('programme.summary', { offers: p.offers.length, quarters: p.quarters.length, lists })}
      </p>
      <p>
        <Link to={routes.programmes}>{t('programme.list')}</Link>
      </p>
      <ProgrammeMap programme={p} unreached={unreached.map((g) => g.code)} quarters={quarters.data} />

      <section aria-labelledby="programme-where">
        <h2 id="programme-where">{t('programme.where')}</h2>
        <div className="programme-table-wrap">
          <table className="programme-table" data-testid="programme-quarters">
            <thead>
              <tr>
                <th scope="col">{t('programme.quarter')}</th>
                <th scope="col">{t('programme.offers')}</th>
              </tr>
            </thead>
            <tbody>
              {p.quarters.map((q) => (
                <tr key={q.code}>
                  <th scope="row">
                    {q.code} {q.name} ({q.district.name})
                  </th>
                  <td>{formatNumber(q.offers, lang, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="programme-table" data-testid="programme-action-areas">
            <thead>
              <tr>
                <th scope="col">{t('programme.actionArea')}</th>
                <th scope="col">{t('programme.offers')}</th>
              </tr>
            </thead>
            <tbody>
              {p.action_areas.map((a) => (
                <tr key={a.code}>
                  <th scope="row">
                    <Link to={`${routes.council}/${a.code}`}>{a.name}</Link>
                  </th>
                  <td>{formatNumber(a.offers, lang, 0)}</td>
                </tr>
              ))}
              {p.outside_action_areas > 0 ? (
                <tr>
                  <th scope="row">{t('programme.noActionArea')}</th>
                  <td>{formatNumber(p.outside_action_areas, lang, 0)}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <ul className="programme-offers">
          {p.offers.map((o) => (
            <li key={o.id}>
              <Link to={`${routes.planner}?offer=${encodeURIComponent(o.id)}`}>{o.name ?? o.id}</Link> ·{' '}
              {labelOf(o.category)} · {o.quarter.name}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="programme-unreached" data-testid="programme-unreached">
        <h2 id="programme-unreached">{t('programme.unreached')}</h2>
        {!pair && catalogue.data ? (
          <p>{t('programme.noGaps')}</p>
        ) : gaps.data ? (
          <>
            <p className="programme-note">
              {t('programme.unreachedNote', {
                need: localized(gaps.data.need.indicator.title, lang),
                supply: localized(gaps.data.supply.indicator.title, lang),
              })}
            </p>
            {unreached.length === 0 ? (
              <p>{t('programme.allReached')}</p>
            ) : (
              <ol className="programme-unreached">
                {unreached.map((g) => (
                  <li key={g.code}>
                    {g.code} {g.name}
                  </li>
                ))}
              </ol>
            )}
          </>
        ) : (
          <Status
            error={gaps.error ?? catalogue.error}
            retry={() => (gaps.error ? gaps.refetch() : catalogue.refetch())}
          />
        )}
      </section>
    </div>
  );
}

function ProgrammeMap({
  programme,
  unreached,
  quarters,
}: {
  programme: ProgrammeDetail;
  unreached: readonly string[];
  quarters: AreaCollection | undefined;
}) {
  const { t } = useI18n();
  const module = useLayerModule(loadLayers);
  const offers: OfferPoint[] = useMemo(
    () =>
      programme.offers.map((o) => ({
        id: o.id,
        category: o.category,
        name: o.name,
        lon: o.point[0],
        lat: o.point[1],
      })),
    [programme],
  );
  const colors = useMemo(() => categoryColors([...new Set(offers.map((o) => o.category))].sort()), [offers]);
  const layers = useMemo(() => {
    if (!module || !quarters) return [];
    const reached = new Set(programme.quarters.map((q) => q.code));
    const missing = new Set(unreached);
    const pick = (keep: (code: string) => boolean) =>
      ({
        type: 'FeatureCollection',
        features: quarters.features.filter((f) => keep(f.properties.code)),
      }) as unknown as AreaFeatureCollection;
    return module.programmeLayers({
      reached: pick((c) => reached.has(c)),
      unreached: pick((c) => missing.has(c)),
      offers,
      colors,
    });
  }, [module, quarters, programme, unreached, offers, colors]);
  const bounds = useMemo((): BBox | undefined => {
    if (offers.length === 0) return undefined;
    const lons = offers.map((o) => o.lon);
    const lats = offers.map((o) => o.lat);
    const pad = 0.01;
    return [Math.min(...lons) - pad, Math.min(...lats) - pad, Math.max(...lons) + pad, Math.max(...lats) + pad];
  }, [offers]);
  const getTooltip = useCallback((info: PickingInfo) => {
    const cluster = info.object as { members?: OfferPoint[] } | null;
    return cluster?.members?.[0]?.name ?? null;
  }, []);
  return (
    <figure className="programme-map">
      <MapView
        label={t('programme.map')}
        layers={layers}
        bounds={bounds}
        getTooltip={getTooltip}
        className="programme-map__view"
      />
      <figcaption>
        <ul className="programme-legend">
          <li>
            <span className="programme-legend__line" style={{ borderColor: REACHED_LINE }} aria-hidden="true" />
            {t('programme.where')}
          </li>
          <li>
            <span className="programme-legend__line" style={{ borderColor: UNREACHED_LINE }} aria-hidden="true" />
            {t('programme.unreached')}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
