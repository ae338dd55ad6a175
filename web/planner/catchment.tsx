import { useQuery } from '@tanstack/react-query';
import { ApiError, type CategoryList } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { formatNumber, formatNumberUpTo } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { labelIn } from './text.ts';

/**
 * The walking catchment of any point in the planner (issue 16): what lies within 5, 10 and 15 minutes' walk of it
 * (/api/isochrones), listed in a card and drawn on the map from one query. The point is picked by a click on the
 * map, or taken from the map's centre (the keyboard's way); it stays in the URL (`walk=lon,lat`).
 */
export function useWalkCatchment(point: readonly [number, number] | null) {
  return useQuery({
    ...queries.isochrones(point ? { lon: point[0], lat: point[1] } : null),
    retry: false,
  });
}

/** The panel's controls: pick a point on the map, take the map's centre, remove the catchment. */
export function CatchmentControls({
  picking,
  active,
  onPick,
  onCentre,
  onClear,
}: {
  picking: boolean;
  active: boolean;
  onPick: (on: boolean) => void;
  /** Null while the map has no centre yet. */
  onCentre: (() => void) | null;
  onClear: () => void;
}) {
  const { t } = useI18n();
  return (
    <section className="panel-section walk-controls" aria-labelledby="planner-walk">
      <h2 id="planner-walk" className="section-title">
        {t('planner.walk.heading')}
      </h2>
      <p className="field__hint">{t('planner.walk.intro')}</p>
      <div className="export__buttons">
        <button
          type="button"
          className="button button--secondary"
          aria-pressed={picking}
          onClick={() => onPick(!picking)}
          data-action="walk-pick"
        >
          {t('planner.walk.pick')}
        </button>
        <button
          type="button"
          className="button button--secondary"
          disabled={!onCentre}
          onClick={() => onCentre?.()}
          data-action="walk-centre"
        >
          {t('planner.walk.centre')}
        </button>
        {active ? (
          <button type="button" className="button button--secondary" onClick={onClear} data-action="walk-clear">
            {t('planner.walk.clear')}
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** The card of a point's catchment: per band its addresses, residents and offers by category, with the method. */
export function CatchmentCard({
  point,
  categories,
  onClose,
}: {
  point: [number, number];
  categories: CategoryList | null;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const catchment = useWalkCatchment(point);
  const n = (x: number) => formatNumberUpTo(x, lang, 0);
  const label = (code: string) => {
    const c = categories?.categories.find((k) => k.code === code);
    return c ? labelIn(c.labels, lang) : code;
  };
  const bands = catchment.data?.features ?? [];
  const start = catchment.data?.meta.start;
  const offNetwork = catchment.error instanceof ApiError && catchment.error.status === 400;
  const noNetwork = catchment.error instanceof ApiError && catchment.error.status === 404;
  return (
    <section className="card walk-card" aria-labelledby="walk-card-title" data-walk={point.join(',')}>
      <header className="card__head">
        <h2 id="walk-card-title" className="card__title">
          {t('planner.walk.cardTitle')}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('planner.walk.clear')}>
          ×
        </button>
      </header>
      <p className="card__kicker">
        {t('planner.walk.point', { lat: formatNumber(point[1], lang, 5), lon: formatNumber(point[0], lang, 5) })}
      </p>
      {catchment.isPending && catchment.fetchStatus === 'fetching' ? (
        <p role="status">{t('finder.reach.loading')}</p>
      ) : null}
      {catchment.isError ? (
        <p role="alert">
          {offNetwork
            ? t('planner.walk.offNetwork')
            : noNetwork
              ? t('planner.walk.noNetwork')
              : t('finder.reach.error')}{' '}
          {offNetwork || noNetwork ? null : (
            <button type="button" className="link-button" onClick={() => void catchment.refetch()}>
              {t('planner.retry')}
            </button>
          )}
        </p>
      ) : null}
      {bands.length ? (
        <>
          <ul className="walk-card__bands">
            {bands.map((b) => {
              const offers = Object.entries(b.properties.offers).sort(([, x], [, y]) => y - x);
              return (
                <li key={b.properties.minutes} data-minutes={b.properties.minutes}>
                  <span className="walk-card__band">
                    {t('finder.reach.band', {
                      minutes: b.properties.minutes,
                      addresses: n(b.properties.addresses),
                      residents: n(b.properties.residents),
                      offers: n(offers.reduce((sum, [, c]) => sum + c, 0)),
                    })}
                  </span>
                  {offers.length ? (
                    <span className="walk-card__offers">
                      {offers.map(([code, count]) => `${label(code)} ${n(count)}`).join(' · ')}
                    </span>
                  ) : null}
                  {b.properties.residents_unknown ? (
                    <span className="walk-card__offers">
                      {t('planner.walk.residentsUnknown', { n: n(b.properties.residents_unknown) })}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {start?.flagged ? <p>{t('planner.walk.farFromWay', { m: n(start.snap_m) })}</p> : null}
          <details className="meta__note">
            <summary>{t('planner.walk.howMade')}</summary>
            <p>{catchment.data?.meta.method[lang === 'de' ? 'de' : 'en']}</p>
          </details>
        </>
      ) : null}
    </section>
  );
}
