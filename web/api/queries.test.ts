import { onlineManager, QueryObserver } from '@tanstack/react-query';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../server/env.ts';
import { configRoutes } from '../../server/routes/config.ts';
import { ApiError, createApiClient } from './client.ts';
import { createQueryClient, queriesFor, retryDelay, shouldRetry } from './queries.ts';

/**
 * The query layer against the server's real /api/config route (it needs no database), with the requests
 * counted on their way to it: equal queries are one request, a cancelled one is aborted, a 4xx is not retried.
 */
function setup() {
  const app = new Hono().route('/api/config', configRoutes({ env: readEnv({}) }));
  const requests: { url: string; signal: AbortSignal | null | undefined }[] = [];
  const client = createApiClient({
    baseUrl: 'http://atlas.test',
    fetch: async (input, init) => {
      requests.push({ url: String(input), signal: init?.signal });
      // The route answers synchronously; a turn of the event loop lets a cancel arrive first, as over a network.
      await new Promise((done) => setTimeout(done, 0));
      init?.signal?.throwIfAborted();
      return app.request(String(input), init);
    },
  });
  return { requests, queries: queriesFor(client), queryClient: createQueryClient() };
}

describe('the query layer', () => {
  it('asks once for equal queries, and answers later ones from its cache', async () => {
    const { requests, queries, queryClient } = setup();
    const [a, b] = await Promise.all([
      queryClient.fetchQuery(queries.config()),
      queryClient.fetchQuery(queries.config()),
    ]);
    expect(a).toBe(b);
    expect(a.city.name.length).toBeGreaterThan(0);
    await queryClient.fetchQuery(queries.config());
    expect(requests).toHaveLength(1);
  });

  it('aborts the request of a query nobody needs any more', async () => {
    const { requests, queries, queryClient } = setup();
    const pending = queryClient.fetchQuery(queries.config());
    await Promise.resolve();
    await queryClient.cancelQueries({ queryKey: queries.config().queryKey });
    await expect(pending).rejects.toThrow();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.signal?.aborted).toBe(true);
  });

  it('does not ask again after a 4xx answer, and hands on the problem', async () => {
    const { requests, queryClient } = setup();
    const client = createApiClient({
      baseUrl: 'http://atlas.test',
      fetch: async (input, init) => {
        requests.push({ url: String(input), signal: init?.signal });
        // The route refuses a parameter it does not know.
        return new Hono().route('/api/config', configRoutes({ env: readEnv({}) })).request(`${input}?x=1`, init);
      },
    });
    const error = await queryClient
      .fetchQuery({ queryKey: ['refused'], queryFn: () => client.config(), retry: shouldRetry, retryDelay: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect(requests).toHaveLength(1);
  });

  it('asks again for what failed when the connection returns (the online event), and only for that', async () => {
    const { queryClient } = setup();
    // As the page's QueryClientProvider does: the client listens to the connection.
    queryClient.mount();
    let fail = true;
    let calls = 0;
    const observer = new QueryObserver(queryClient, {
      queryKey: ['flaky'],
      queryFn: async () => {
        calls++;
        if (fail) throw new TypeError('Failed to fetch');
        return 'answer';
      },
      retry: false,
    });
    const answered = new QueryObserver(queryClient, { queryKey: ['fine'], queryFn: async () => 'fine' });
    const results: string[] = [];
    const stop = observer.subscribe((r) => results.push(r.status));
    const stopFine = answered.subscribe(() => {});
    try {
      await expect.poll(() => observer.getCurrentResult().status).toBe('error');
      await expect.poll(() => answered.getCurrentResult().status).toBe('success');
      fail = false;
      onlineManager.setOnline(false);
      onlineManager.setOnline(true);
      await expect.poll(() => observer.getCurrentResult().data).toBe('answer');
      expect(observer.getCurrentResult().error).toBeNull();
      expect(calls).toBe(2);
      // An answer already there is not asked for again.
      expect(answered.getCurrentResult().dataUpdatedAt).toBe(queryClient.getQueryState(['fine'])?.dataUpdatedAt);
      expect(queryClient.getQueryCache().find({ queryKey: ['fine'] })?.state.fetchFailureCount).toBe(0);
    } finally {
      stop();
      stopFine();
      onlineManager.setOnline(true);
      queryClient.unmount();
    }
  });

  it('retries what may pass: network errors and 5xx, twice, with growing pauses', () => {
    expect(shouldRetry(0, new TypeError('fetch failed'))).toBe(true);
    expect(shouldRetry(1, new ApiError(503, { title: 'Service unavailable', status: 503 }))).toBe(true);
    expect(shouldRetry(2, new ApiError(503, { title: 'Service unavailable', status: 503 }))).toBe(false);
    expect(shouldRetry(0, new ApiError(404, { title: 'Not found', status: 404 }))).toBe(false);
    expect([0, 1, 2, 3, 4].map(retryDelay)).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});
