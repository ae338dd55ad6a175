import type { ReactNode } from 'react';
import { useConfig } from '../config.ts';
import { useT } from '../i18n/index.ts';
import { type LazyMapViewProps, MapView } from '../map/map-view.tsx';

export type MapLayoutProps = Omit<LazyMapViewProps, 'label' | 'unavailableText'> & {
  /** The page's side panel: heading, controls, legend. */
  panel: ReactNode;
};

/** A page of a panel beside the map (beneath it on narrow screens). */
export function MapLayout({ panel, ...mapProps }: MapLayoutProps) {
  const t = useT();
  const { city } = useConfig();
  return (
    <div className="map-layout">
      <div className="map-layout__panel panel">{panel}</div>
      <MapView
        className="map-layout__map"
        label={t('map.label', { city: city.name })}
        unavailableText={t('map.unavailable')}
        {...mapProps}
      />
    </div>
  );
}
