import { ApiError, type OfferDetail } from '../api/client.ts';
import { formatDate, formatNumber, formatNumberUpTo } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { Link, routes } from '../router.tsx';
import { useWalkCatchment } from './catchment.tsx';
import { labelIn } from './text.ts';

/**
 * The walking catchment of an offer (issue 16): what lies within 5, 10 and 15 minutes' walk of it
 * (/api/isochrones). The card lists it and the map draws it, from one query.
 */
export function useCatchment(offer: OfferDetail | null) {
  return useWalkCatchment(offer ? offer.point : null);
}

function Catchment({ offer }: { offer: OfferDetail }) {
  const { t, lang } = useI18n();
  const catchment = useCatchment(offer);
  if (catchment.isPending && catchment.fetchStatus === 'fetching') return <p>{t('finder.reach.loading')}</p>;
  // A city without a walking network (404) shows nothing.
  if (catchment.isError)
    return catchment.error instanceof ApiError && catchment.error.status === 404 ? null : (
      <p>{t('finder.reach.error')}</p>
    );
  const bands = catchment.data?.features ?? [];
  if (!catchment.data || !bands.length) return null;
  const n = (x: number) => formatNumberUpTo(x, lang, 0);
  return (
    <section className="offer-card__catchment" aria-labelledby="offer-card-catchment">
      <h3 id="offer-card-catchment">{t('planner.catchment.heading')}</h3>
      <ul>
        {bands.map((b) => (
          <li key={b.properties.minutes} data-minutes={b.properties.minutes}>
            {t('finder.reach.band', {
              minutes: b.properties.minutes,
              addresses: n(b.properties.addresses),
              residents: n(b.properties.residents),
              offers: n(Object.values(b.properties.offers).reduce((sum, c) => sum + c, 0)),
            })}
          </li>
        ))}
      </ul>
      <p className="card__note">
        {t('finder.reach.note', { speed: formatNumberUpTo(catchment.data.meta.speed_kmh, lang, 1) })}
      </p>
    </section>
  );
}

/** The details of one offer: what and where it is, its figures, and where the record comes from. */
export function OfferCard({
  offer,
  error,
  onRetry,
  onClose,
}: {
  offer: OfferDetail | null;
  error: Error | null;
  onRetry: () => void;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  return (
    <section className="card offer-card" aria-labelledby="offer-card-title" data-offer={offer?.id}>
      <header className="card__head">
        <h2 id="offer-card-title" className="card__title">
          {offer ? (offer.name ?? t('planner.offer.unnamed')) : error ? t('planner.error.title') : t('planner.loading')}
        </h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('planner.close')}>
          ×
        </button>
      </header>
      {error && !offer ? (
        <p role="alert">
          {t('planner.error.offer')}{' '}
          <button type="button" className="button button--secondary" onClick={onRetry}>
            {t('planner.retry')}
          </button>
        </p>
      ) : null}
      {offer ? (
        <>
          <p className="card__kicker">
            {labelIn(offer.category_labels, lang)}
            {offer.subcategory && offer.subcategory !== offer.category ? ` · ${offer.subcategory}` : ''}
          </p>
          <dl className="facts">
            {offer.street || offer.city ? (
              <>
                <dt>{t('planner.offer.address')}</dt>
                <dd>
                  {[offer.street, [offer.postcode, offer.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')}
                </dd>
              </>
            ) : null}
            <dt>{t('planner.offer.area')}</dt>
            <dd>
              {offer.quarter.name} ({offer.district.name})
              {offer.action_area ? ` · ${t('planner.offer.actionArea', { name: offer.action_area.name })}` : ''}
            </dd>
            {offer.programme ? (
              <>
                <dt>{t('planner.offer.programme')}</dt>
                <dd>
                  <Link to={`${routes.programmes}/${offer.programme.id}`}>
                    {t('programme.link', { name: offer.programme.name })}
                  </Link>
                </dd>
              </>
            ) : null}
            {offer.places_u3 !== null || offer.places_o3 !== null ? (
              <>
                <dt>{t('planner.offer.places')}</dt>
                <dd>
                  {t('planner.offer.placesValue', {
                    u3: offer.places_u3 === null ? '–' : formatNumber(offer.places_u3, lang, 0),
                    o3: offer.places_o3 === null ? '–' : formatNumber(offer.places_o3, lang, 0),
                  })}
                </dd>
              </>
            ) : null}
            {offer.pupils !== null ? (
              <>
                <dt>{t('planner.offer.pupils')}</dt>
                <dd>{formatNumber(offer.pupils, lang, 0)}</dd>
              </>
            ) : null}
          </dl>
          <Catchment offer={offer} />
          <footer className="card__source">
            <p>
              <strong>{t('planner.source')}:</strong> {offer.source.title} ({offer.source.publisher})
            </p>
            <p>
              <strong>{t('planner.licence')}:</strong> {offer.source.licence} · {offer.source.attribution}
            </p>
            <p>
              <strong>{t('planner.asOf')}:</strong>{' '}
              {formatDate(offer.reference_date ?? offer.source.reference_date, lang)}
              {offer.external_id ? ` · ${t('planner.offer.externalId')}: ${offer.external_id}` : ''}
            </p>
          </footer>
        </>
      ) : null}
    </section>
  );
}
