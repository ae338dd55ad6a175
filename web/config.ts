import { createContext, useContext } from 'react';
import type { WebConfig } from '../server/routes/config.ts';

/**
 * The city the atlas shows, its basemap and the editorial choice of indicators: all from the server
 * (/api/config, built from the data package's manifest), never constants of the web app. The shell loads it
 * once and provides it to every page (`useConfig()`).
 */

export type { WebConfig };

/** [west, south, east, north] in degrees (WGS 84). */
export type BBox = readonly [west: number, south: number, east: number, north: number];

export const ConfigContext = createContext<WebConfig | null>(null);

/** The settings of the app; only below the shell, which shows nothing else until they are loaded. */
export function useConfig(): WebConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('useConfig needs the ConfigContext of the app shell above it');
  return config;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The basemap's attribution as HTML links, the form MapLibre's attribution control takes. */
export function basemapAttributionHtml(config: WebConfig): string[] {
  return config.basemap.attribution.map(({ text, url }) =>
    url && /^https?:\/\//i.test(url)
      ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${escapeHtml(text)}</a>`
      : escapeHtml(text),
  );
}
