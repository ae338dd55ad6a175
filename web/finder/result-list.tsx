import type { NearestCollection, OfferDetail } from '../api/client.ts';
import { formatDate, formatDistance } from '../format.ts';
import { type TFunction, useI18n } from '../i18n/index.ts';
import type { Lang } from '../i18n/languages.ts';
import { categoryLabel } from './categories.ts';
import { walkText } from './format.ts';
import { languageName } from './offer-filters.tsx';
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
  /** The language asked for (filter spoken): offers that speak it say so. */
  spoken?: string | null;
}

/** The results, nearest first, numbered as on the map. Each opens its details. */
export function ResultList({ offers, details, showCategory, onOpen, onHighlight, spoken = null }: ResultListProps) {
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
                  {distanceText(p.distance_m, lang, t)} · {walkText(p.walk_minutes, t)}
                </span>
                {address ? (
                  <span className="result__address">
                    <bdi>{address}</bdi>
                  </span>
                ) : null}
                <ListFacts offer={offer} spoken={spoken} />
                {p.reference_date && !p.list ? (
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

/**
 * What an offer of the city's lists says (issue 21): open or closed now, ages, the language asked for, and the list
 * it comes from with that list's date. Nothing for the package's offers.
 */
function ListFacts({ offer, spoken }: { offer: NearestOffer; spoken: string | null }) {
  const { t, lang } = useI18n();
  const p = offer.properties;
  if (!p.list) return null;
  const ages = p.ages ? t('finder.result.ages', { min: p.ages.min ?? 0, max: p.ages.max ?? '…' }) : null;
  const speaks = spoken !== null && p.speaks_language === true;
  return (
    <>
      {p.open_now !== null ? (
        <span className={p.open_now ? 'result__open' : 'result__closed'}>
          {t(p.open_now ? 'finder.result.openNow' : 'finder.result.closedNow')}
        </span>
      ) : null}
      {ages ? <span className="result__ages">{ages}</span> : null}
      {speaks && spoken ? (
        <span className="result__speaks">{t('finder.result.speaks', { language: languageName(spoken, lang) })}</span>
      ) : null}
      <span className="result__date">
        {t('finder.result.list', { title: p.list.title, date: formatDate(p.list.date, lang, 'long') })}
      </span>
    </>
  );
}
