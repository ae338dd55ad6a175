import { FinderPanel, useFinder } from '../finder/finder.tsx';
import { MapLayout } from './map-layout.tsx';

/**
 * `/finder`: residents look for the services nearest to an address, their location or a point on the map.
 * The list comes first: the map's code loads once the panel is drawn (`defer`), or when the map is touched.
 */
export default function FinderPage() {
  const finder = useFinder();
  return (
    <MapLayout
      panel={<FinderPanel finder={finder} />}
      defer
      controllerRef={finder.controller}
      layers={finder.layers}
      onClick={finder.onMapClick}
      getTooltip={finder.getTooltip}
    />
  );
}
