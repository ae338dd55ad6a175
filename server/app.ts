import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { dataVersion } from './db/data-version.ts';
import { logUnavailable, unavailableProblem } from './db/health.ts';
import type { AppDeps } from './deps.ts';
import { authenticate } from './http/auth.ts';
import { ProblemError, problemResponse } from './http/problem.ts';
import { answerFromMemory, answerMemo } from './http/representation.ts';
import { corsOrigins, security, securityHeaderRecord } from './http/security.ts';
import { analysisRoutes } from './routes/analysis.ts';
import { areaRoutes } from './routes/areas.ts';
import { configRoutes } from './routes/config.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { offerListRoutes } from './routes/offer-lists.ts';
import { offerRoutes } from './routes/offers.ts';
import { ogcRoutes } from './routes/ogc.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { profileRoutes } from './routes/profile.ts';
import { programmeRoutes } from './routes/programmes.ts';
import { searchRoutes } from './routes/search.ts';
import { sourceRoutes } from './routes/sources.ts';
import { staticRoutes } from './routes/static.ts';
import { auditRoutes, tableRoutes } from './routes/tables.ts';
import { tileRoutes } from './routes/tiles.ts';
import { walkRoutes } from './routes/walk.ts';

export { dataVersion } from './db/data-version.ts';
export type { AppDeps } from './deps.ts';

export function createApp({ db, env }: AppDeps) {
  const memo = answerMemo();
  const app = new Hono()
    .use('*', ...security(env))
    .use('/api/*', (c, next) => {
      c.set('answerMemo', memo); // cachedJson keeps what it answers by URL (http/representation.ts)
      return next();
    })
    .use('/api/*', authenticate(db)) // issue 15: who asks (a token) sets `principal`
    .get('/health', (c) => c.json({ status: 'ok' }))
    .get('/ready', async (c) => {
      try {
        const version = await dataVersion(db);
        if (!version) return c.json({ status: 'no-data', engine: db.engine }, 503);
        return c.json({ status: 'ready', engine: db.engine, dataVersion: version });
      } catch (err) {
        logUnavailable(err);
        return c.json({ status: 'database-unavailable', engine: db.engine }, 503);
      }
    })
    .route('/api/config', configRoutes({ env }))
    .route('/api/areas', areaRoutes({ db }))
    .route('/api/areas', profileRoutes({ db, minCount: env.MIN_COUNT }))
    .route('/api/indicators', indicatorRoutes({ db, minCount: env.MIN_COUNT }))
    .route('/api/analysis', analysisRoutes({ db, minCount: env.MIN_COUNT }))
    .route('/api/offers', offerRoutes({ db }))
    .route('/api/offer-lists', offerListRoutes({ db, env })) // issue 21
    .route('/api/programmes', programmeRoutes({ db })) // issue 21
    .route('/api/search', searchRoutes({ db }))
    .route('/api', walkRoutes({ db })) // issue 16: /api/isochrones, /api/walk/route
    .route('/api/sources', sourceRoutes({ db }))
    .route('/api/tables', tableRoutes({ db, env }))
    .route('/api/audit', auditRoutes({ db }))
    .route('/api/openapi.json', openApiRoutes())
    .route('/ogc', ogcRoutes({ db, minCount: env.MIN_COUNT }))
    .route('/tiles', tileRoutes({ env }))
    .route('/', staticRoutes()); // keep last: the web app and its page fallback

  // A GET of a URL answered from memory before is answered in front of the app (http/representation.ts).
  const front = answerFromMemory(db, memo, securityHeaderRecord(env), corsOrigins(env).length > 0);
  const dispatch = app.fetch;
  app.fetch = (request, ...rest) => front(request) ?? dispatch(request, ...rest);

  app.notFound((c) => problemResponse(c, { title: 'Not found', status: 404, detail: `No route for ${c.req.path}` }));
  app.onError((err, c) => {
    if (err instanceof ProblemError) return problemResponse(c, err.problem, err.headers);
    if (err instanceof HTTPException) return problemResponse(c, { title: err.message || 'Error', status: err.status });
    const unavailable = unavailableProblem(err);
    if (unavailable) {
      logUnavailable(err);
      return problemResponse(c, unavailable.problem, unavailable.headers);
    }
    console.error(err);
    return problemResponse(c, {
      title: 'Internal error',
      status: 500,
      detail: 'The server could not answer this request.',
    });
  });
  return app;
}

export type AppType = ReturnType<typeof createApp>;
