import './hot-spots.css';
import type { UseQueryResult } from '@tanstack/react-query';
import type { Lisa } from '../api/client.ts';
import { formatNumber } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { CLUSTER_COLORS, CLUSTER_ORDER } from '../layers/hot-spots.ts';
import { localized } from './text.ts';

/**
 * The legend of the planner's hot-spot view (issue 18): the LISA clusters in GeoDa's colours with their counts,
 * the global Moran's I with its pseudo p-value, how neighbours are defined, the areas left out, and in plain
 * words what a cluster is and why 62 areas give modest power. Loading and failure are said where it stands.
 */
export function HotSpotLegend({ lisa }: { lisa: UseQueryResult<Lisa> }) {
  const { t, lang } = useI18n();
  if (lisa.error)
    return (
      <p className="field__error" role="alert">
        {t('planner.error.lisa')}{' '}
        <button type="button" className="link-button" onClick={() => lisa.refetch()}>
          {t('planner.retry')}
        </button>
      </p>
    );
  const body = lisa.data;
  if (!body)
    return (
      <p className="planner__note" role="status">
        {t('planner.hotspots.loading')}
      </p>
    );
  const p = body.global.p_sim ?? body.global.p_normal;
  const missing = body.areas.filter((a) => a.cluster === 'missing').map((a) => a.name);
  return (
    <section
      className="hot-spots"
      aria-labelledby="hot-spots-title"
      aria-busy={lisa.isFetching || undefined}
      data-indicator={body.indicator.id}
      data-level={body.level}
    >
      <h2 id="hot-spots-title" className="section-title">
        {t('planner.hotspots.legend')}
      </h2>
      <p className="hot-spots__indicator">{localized(body.indicator.title, lang)}</p>
      <ul className="hot-spots__list">
        {CLUSTER_ORDER.filter((c) => c !== 'island' || body.counts.island > 0).map((c) => (
          <li key={c} data-cluster={c}>
            <span className="hot-spots__swatch" style={{ background: CLUSTER_COLORS[c] }} aria-hidden="true" />
            <span className="hot-spots__label">{t(`planner.hotspots.cluster.${c}`)}</span>
            <span className="hot-spots__count">{formatNumber(body.counts[c], lang, 0)}</span>
          </li>
        ))}
      </ul>
      <p className="hot-spots__global" data-global-i={body.global.i} data-p={p}>
        {t('planner.hotspots.global', {
          i: formatNumber(body.global.i, lang, 3),
          expected: formatNumber(body.global.expected, lang, 3),
          p: formatNumber(p, lang, 3),
          permutations: formatNumber(body.permutations, lang, 0),
        })}
      </p>
      <p className="hot-spots__note">
        {t('planner.hotspots.significance', { alpha: formatNumber(body.alpha, lang, 2) })}{' '}
        {t('planner.hotspots.weights', {
          min: formatNumber(body.weights.neighbours.min, lang, 0),
          max: formatNumber(body.weights.neighbours.max, lang, 0),
        })}
      </p>
      {missing.length ? (
        <p className="hot-spots__note">{t('planner.hotspots.missing', { names: missing.join(', ') })}</p>
      ) : null}
      <details className="hot-spots__explain">
        <summary>{t('planner.hotspots.explain')}</summary>
        <p>{localized(body.explanation, lang)}</p>
        <p>{localized(body.missing.method, lang)}</p>
      </details>
    </section>
  );
}
