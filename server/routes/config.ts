import { Hono } from 'hono';
import { z } from 'zod';
import type { Env } from '../env.ts';
import { documentRoute, validateQuery } from '../http/validate.ts';

/**
 * /api/config: the few settings the web app reads at run time. Public by nature (the page shows them), so
 * nothing secret may ever go in here.
 */

export const WebConfig = z.strictObject({
  routeUrlTemplate: z
    .string()
    .nullable()
    .describe(
      'ROUTE_URL_TEMPLATE: an external routing service for the finder\'s "route" link, with {from} and {to} ' +
        '("lat,lon") or {from_lon}, {from_lat}, {to_lon}, {to_lat}; null when none is configured',
    ),
});
export type WebConfig = z.infer<typeof WebConfig>;

documentRoute({
  method: 'get',
  path: '/api/config',
  tag: 'config',
  summary: 'Settings of the web app: the route link template of the finder, if any',
  response: { description: 'The settings', schema: WebConfig },
  example: '/api/config',
});

export function webConfig(env: Pick<Env, 'ROUTE_URL_TEMPLATE'>): WebConfig {
  const template = env.ROUTE_URL_TEMPLATE.trim();
  return { routeUrlTemplate: /^https?:\/\/\S+$/i.test(template) ? template : null };
}

export function configRoutes({ env }: { env: Pick<Env, 'ROUTE_URL_TEMPLATE'> }) {
  const body = webConfig(env);
  return new Hono().get('/', validateQuery(z.strictObject({})), (c) =>
    c.json(body, 200, { 'cache-control': 'no-cache' }),
  );
}
