import { useEffect, useState } from 'react';
import { onMapCodeRequested } from './map-view.tsx';

/**
 * A page's layer builders (which import deck.gl) as a module loaded on demand: null until the map's code has been
 * asked for (web/map/map-view.tsx) and the module is there. Page code that reads no deck.gl module statically
 * draws without waiting for the map's half megabyte. `load` must be stable: an arrow function around a dynamic
 * import, declared at module level. A failed load leaves null: the map then shows its basemap without the layers.
 */
export function useLayerModule<M>(load: () => Promise<M>): M | null {
  const [module, setModule] = useState<M | null>(null);
  useEffect(() => {
    let current = true;
    const stop = onMapCodeRequested(() => {
      load().then(
        (loaded) => {
          if (current) setModule(() => loaded);
        },
        (err: unknown) => console.warn('The map layers could not be loaded:', err),
      );
    });
    return () => {
      current = false;
      stop();
    };
  }, [load]);
  return module;
}
