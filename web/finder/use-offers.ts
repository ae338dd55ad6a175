import { useEffect, useState } from 'react';
import type { WebConfig } from '../../server/routes/config.ts';
import { api, type OfferDetail } from '../api/client.ts';

/**
 * Offer details, asked once per offer and page: the list shows their addresses (the nearest answer has
 * none), the details view the rest. A failed request is forgotten, so it is asked again on retry.
 */
const details = new Map<string, Promise<OfferDetail>>();

export function loadOffer(id: string): Promise<OfferDetail> {
  let pending = details.get(id);
  if (!pending) {
    pending = api.offer(id);
    details.set(id, pending);
    pending.catch(() => details.delete(id));
  }
  return pending;
}

/** The details of these offers as they arrive; an offer whose request fails is simply missing. */
export function useOfferDetails(ids: readonly string[]): ReadonlyMap<string, OfferDetail> {
  const [loaded, setLoaded] = useState<ReadonlyMap<string, OfferDetail>>(new Map());
  const key = ids.join('\n');
  useEffect(() => {
    let live = true;
    for (const id of key ? key.split('\n') : []) {
      loadOffer(id).then(
        (detail) => {
          if (live) setLoaded((map) => (map.get(id) === detail ? map : new Map(map).set(id, detail)));
        },
        () => {},
      );
    }
    return () => {
      live = false;
    };
  }, [key]);
  return loaded;
}

let config: Promise<WebConfig> | null = null;

function loadConfig(): Promise<WebConfig> {
  config ??= fetch('/api/config', { headers: { accept: 'application/json' } })
    .then((res): Promise<Partial<WebConfig>> | Partial<WebConfig> => (res.ok ? res.json() : {}))
    .then((body) => ({ routeUrlTemplate: typeof body.routeUrlTemplate === 'string' ? body.routeUrlTemplate : null }))
    .catch(() => {
      config = null; // asked again next time
      return { routeUrlTemplate: null };
    });
  return config;
}

/** The route link's template, or null (none configured, or not known yet): then no route link is shown. */
export function useRouteTemplate(): string | null {
  const [template, setTemplate] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadConfig().then((c) => {
      if (live) setTemplate(c.routeUrlTemplate);
    });
    return () => {
      live = false;
    };
  }, []);
  return template;
}
