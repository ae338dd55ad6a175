import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import type { OfferDetail } from '../api/client.ts';
import { formatDate, formatNumberUpTo } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import type { Position } from './finder-state.ts';
import { routeUrl, walkText } from './format.ts';
import { distanceText, type NearestOffer, offerAddress, offerName } from './result-list.tsx';
import { kindLabel } from './subcategories.ts';

export interface OfferDetailsProps {
  id: string;
  detail: UseQueryResult<OfferDetail>;
  /** The offer as listed (distance, walking time, number on the map), when it is among the results. */
  listed: { offer: NearestOffer; number: number } | null;
  origin: Position | null;
  routeTemplate: string | null;
  /** Move the focus to the heading (after the user opened the details, not when a link restored them). */
  takeFocus: boolean;
  onBack(): void;
}

/** One offer: what it is, where, how far, and where the data come from (source, licence, date). */
export function OfferDetails({ id, detail, listed, origin, routeTemplate, takeFocus, onBack }: OfferDetailsProps) {
  const { t, lang } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!takeFocus) return;
    // The whole card in view from its top (focus alone scrolls only as far as the heading), then the focus.
    section.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, [takeFocus]);

  const value = detail.data ?? null;
  const title = value
    ? offerName({ properties: value }, lang)
    : listed
      ? offerName(listed.offer, lang)
      : t('finder.details.loading');
  const unknown = <span className="details__unknown">{t('finder.details.unknown')}</span>;
  const rows: [string, ReactNode][] = [];
  if (value) {
    const kind = value.category_labels[lang];
    const speciality = typeof value.attrs.speciality === 'string' ? value.attrs.speciality : null;
    const sub = kindLabel(value.subcategory, speciality, lang);
    rows.push([t('finder.details.what'), sub ? `${kind}: ${sub}` : kind]);
    const address = offerAddress(value.address, t);
    const approx = value.address?.approximate ? (value.address.distance_m ?? 0) : null;
    rows.push([
      t('finder.details.address'),
      address ? (
        <span key="address">
          <bdi>{address}</bdi>
          {approx !== null ? (
            <span className="details__note">
              {t('finder.details.addressApprox', { distance: distanceText(approx, lang, t) })}
            </span>
          ) : null}
        </span>
      ) : (
        unknown
      ),
    ]);
  }
  if (listed) {
    const p = listed.offer.properties;
    rows.push([
      t('finder.details.distance'),
      `${distanceText(p.distance_m, lang, t)} · ${walkText(p.walk_minutes, t)}`,
    ]);
  }
  if (value) {
    const area =
      value.quarter.name === value.district.name ? value.quarter.name : `${value.quarter.name}, ${value.district.name}`;
    rows.push([t('finder.details.area'), area]);
    if (value.places_u3 !== null || value.places_o3 !== null) {
      const n = (x: number | null) => (x === null ? t('finder.details.unknown') : formatNumberUpTo(x, lang));
      rows.push([
        t('finder.details.places'),
        t('finder.details.placesValue', { u3: n(value.places_u3), o3: n(value.places_o3) }),
      ]);
    }
    if (value.pupils !== null) rows.push([t('finder.details.pupils'), formatNumberUpTo(value.pupils, lang)]);
    const { source } = value;
    rows.push([
      t('finder.details.source'),
      source.url ? (
        <a key="source" href={source.url} target="_blank" rel="noopener noreferrer">
          {source.title}
        </a>
      ) : (
        source.title
      ),
    ]);
    rows.push([t('finder.details.licence'), source.licence || unknown]);
    const date = value.reference_date ?? source.reference_date;
    rows.push([t('finder.details.date'), date ? formatDate(date, lang, 'long') : unknown]);
  }
  const route = value && origin ? routeUrl(routeTemplate, origin, value.point) : null;

  return (
    <section ref={section} className="details" aria-labelledby={`details-${id}`}>
      <button type="button" className="finder-button finder-button--quiet details__back" onClick={onBack}>
        <svg className="details__back-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M15 5l-7 7 7 7" fill="none" stroke="currentColor" strokeWidth="2" />
        </svg>
        {t('finder.details.back')}
      </button>
      <h2 id={`details-${id}`} ref={heading} tabIndex={-1} className="details__title">
        {listed ? (
          <span className="result__number details__number" aria-hidden="true">
            {listed.number}
          </span>
        ) : null}
        <bdi>{title}</bdi>
      </h2>
      {detail.isError ? (
        <div className="finder-problem" role="alert">
          <p>{t('finder.details.error')}</p>
          <button type="button" className="finder-button" onClick={() => detail.refetch()}>
            {t('finder.retry')}
          </button>
        </div>
      ) : null}
      {detail.isFetching ? (
        <p className="finder-muted" role="status">
          {t('finder.details.loading')}
        </p>
      ) : null}
      {rows.length ? (
        <dl className="details__facts">
          {rows.map(([term, text]) => (
            <div key={term} className="details__fact">
              <dt>{term}</dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {route ? (
        <a className="finder-button details__route" href={route} target="_blank" rel="noopener noreferrer">
          {t('finder.details.route')}
        </a>
      ) : null}
    </section>
  );
}
