import { FinderPanel, useFinder } from '../finder/finder.tsx';
import { MapLayout } from './map-layout.tsx';

/** `/finder`: residents look for the services nearest to an address, their location or a point on the map. */
export default function FinderPage() {
  const finder = useFinder();
  return (
    <MapLayout
      panel={<FinderPanel finder={finder} />}
      controllerRef={finder.controller}
      layers={finder.layers}
      onClick={finder.onMapClick}
      getTooltip={finder.getTooltip}
    />
  );
}
