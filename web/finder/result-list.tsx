import type { NearestCollection, OfferDetail } from '../api/client.ts';
import { formatDate, formatDistance } from '../format.ts';
import { type TFunction, useI18n } from '../i18n/index.ts';
import type { Lang } from '../i18n/languages.ts';
import { categoryLabel } from './categories.ts';
import { kindLabel } from './subcategories.ts';

export type NearestOffer = NearestCollection['features'][number];

/** An offer's name, or its category where the source has none (many playgrounds and stops). */
export function offerName(offer: { properties: { name: string | null; category: string } }, lang: Lang): string {
  return offer.properties.name?.trim() || categoryLabel(offer.properties.category, lang);
}

export function distanceText(metres: number, lang: Lang, t: TFunction): string {
  const { value, unit } = formatDistance(metres, lang);
  return t(unit === 'm' ? 'finder.unit.m' : 'finder.unit.km', { value });
}

/** "Mallinckrodtstraße 12, 44145 Dortmund", from what the source has. */
export function addressText(detail: Pick<OfferDetail, 'street' | 'postcode' | 'city'>): string {
  const place = [detail.postcode, detail.city].filter(Boolean).join(' ');
  return [detail.street, place].filter(Boolean).join(', ');
}

/**
 * The offer's address as the API gives it: the source's, or where the source has none the register's nearest
 * address, marked as approximate ("ca. Westenhellweg 24"). '' when there is neither.
 */
export function offerAddress(address: OfferDetail['address'], t: TFunction): string {
  if (!address) return '';
  const text = addressText(address);
  return address.approximate ? t('finder.result.approx', { address: text }) : text;
}

export interface ResultListProps {
  offers: NearestOffer[];
  /** Details loaded so far, for the addresses. */
  details: ReadonlyMap<string, OfferDetail>;
  /** Show each offer's category (when more than one or none was chosen); its sub-category shows always. */
  showCategory: boolean;
  onOpen(id: string): void;
  /** The result pointed at or focused (null: none), for the map to show. */
  onHighlight?(id: string | null): void;
}

/** The results, nearest first, numbered as on the map. Each opens its details. */
export function ResultList({ offers, details, showCategory, onOpen, onHighlight }: ResultListProps) {
  const { t, lang } = useI18n();
  return (
    <ol className="results">
      {offers.map((offer, i) => {
        const p = offer.properties;
        const detail = details.get(p.id);
        // Where there is no address at all, the quarter still says where the offer is.
        const address = offerAddress(p.address, t) || detail?.quarter.name || '';
        const name = offerName(offer, lang);
        const kind = [
          showCategory ? categoryLabel(p.category, lang) : null,
          kindLabel(p.subcategory, p.speciality, lang),
        ]
          .filter((part): part is string => part !== null && part !== name)
          .join(' · ');
        return (
          <li key={p.id} className="results__item">
            <button
              type="button"
              className="result"
              data-offer-id={p.id}
              onClick={() => onOpen(p.id)}
              onMouseEnter={() => onHighlight?.(p.id)}
              onMouseLeave={() => onHighlight?.(null)}
              onFocus={() => onHighlight?.(p.id)}
              onBlur={() => onHighlight?.(null)}
            >
              <span className="result__number" aria-hidden="true">
                {i + 1}
              </span>
              <span className="result__body">
                <span className="result__name">
                  <bdi>{name}</bdi>
                </span>
                {kind ? <span className="result__kind">{kind}</span> : null}
                <span className="result__distance">
                  {distanceText(p.distance_m, lang, t)} · {t('finder.walk', { minutes: p.walk_minutes })}
                </span>
                {address ? (
                  <span className="result__address">
                    <bdi>{address}</bdi>
                  </span>
                ) : null}
                {p.reference_date ? (
                  <span className="result__date">
                    {t('finder.result.date', { date: formatDate(p.reference_date, lang, 'long') })}
                  </span>
                ) : null}
              </span>
              <svg className="result__chevron" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path d="M9 5l7 7-7 7" fill="none" stroke="currentColor" strokeWidth="2" />
              </svg>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
