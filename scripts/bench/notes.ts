/**
 * What the numbers alone cannot say: why a goal is missed and what was tried, keyed by row id (report.ts).
 * Shown in BENCHMARKS.md under "Misses" for the rows that miss in that run, and the fast paths always.
 * Keep them true to the code; figures quoted here come from profiles and side-by-side runs named in the text.
 */
export const NOTES: Record<string, string> = {
  areas:
    'The quarters are built once per import and kept precompressed (server/http/representation.ts `cachedJson`), so the ' +
    'body is the same bytes as the reference’s. What remains is the fixed cost of an answer in the app: the middleware ' +
    'chain (security headers, which add about 0.7 KB to each answer, CORS, limits), the router of some thirty routes, ' +
    'query validation and the data-version check — about 80–110 µs of CPU more than the bare route. Tried: the body ' +
    'limit no longer asks GET and HEAD requests for their body, which made @hono/node-server build a full Request for ' +
    'every answer (CPU per answer of this route 240–500 µs before, 160–200 µs after, side by side).',
  values:
    'Tried and kept: the answer is built, hashed and compressed once per query and import and then served from memory ' +
    '(`cachedJson` in server/http/representation.ts, kept in the LRU of the data version). Before, every request built it and compressed ' +
    'it anew: 0.05× the reference at 2.2–3 ms CPU per answer; now about 120 µs. What remains is the app’s fixed cost ' +
    'per answer, the same as for the areas (about 80 µs more than the bare route: middleware chain, router, validation, ' +
    'data-version and catalogue checks, 0.7 KB of security headers), which weighs more against a 3.3 KB body served at ' +
    'about 10,000 req/s than against the 20 KB quarters at 2,000. Measured and ruled out as the cause: zod validation ' +
    '(under 1 µs per request) and the security-header middleware on its own (a few µs on a bare route; setting the ' +
    'headers before the handler instead was no faster).',
  nearest:
    'The query uses offer_geom_idx twice (KNN, then the box; see Plans). The HTTP path adds about 0.5 ms of server CPU ' +
    'per answer (validation, the pool, JSON, the response), but at 10 concurrent requests on 2 cores the server process, ' +
    'the PostgreSQL backends and autocannon share the CPUs, so that time shows up several times over in the p50. A CPU ' +
    'profile of the server under this load spends its time in socket writes and pg’s protocol parser; nothing specific ' +
    'to the route is left to cut. The miss is within the drift between runs on this machine.',
  search:
    'Addresses are matched through the text_pattern_ops index (one query); offer and area names in memory. On PGlite ' +
    'every query runs on the server’s own thread, one at a time, so ten clients queue behind each other.',
  tiles:
    'Not the route: the app answers with the tiles’ gzip form (about half the bytes, as a browser asks for it), and on ' +
    'this loopback setup autocannon gets gzip tiles markedly slower than the larger raw files whoever serves them. ' +
    'Side by side on one tile at 50 connections: the app 820–1,240 req/s against a bare Hono route holding the very ' +
    'same gzip bytes 1,000–1,400 (0.82–0.89×); with `Accept-Encoding: identity` the app 2,480–2,750 against the bare ' +
    'route 2,340–2,740 (1.0–1.06×); and over all tiles with identity the app beats serveStatic (1.0–1.2×). The app ' +
    'also uses less CPU per answer than serveStatic (tiles in memory, no file reads). Not changed: dropping gzip would ' +
    'win this benchmark and cost real clients twice the bytes.',
  import:
    'The import does much more than load rows, which is all the reference does: it parses the package in JavaScript ' +
    '(about 1 s), checks and repairs the polygons, assigns 109,700 addresses and 4,009 offers to quarters, districts and ' +
    'action areas by point in polygon (about 4 s), and derives the computed indicators (nearest-offer distances for 18 ' +
    'targets through Voronoi cells, coverage, density, modelled population: about 4 s) — see “Import, step by step”. ' +
    'Tried and kept: the address b-tree indexes are built once after the load and the assignment instead of row by row ' +
    'on insert and again on update (insert + update of the addresses side by side in psql: 5.1–8.0 s with the indexes, ' +
    '3.9–4.2 s without, rebuild included). Earlier in the same work (not by the bench): the assignment runs polygon by ' +
    'polygon over prepared geometries, and the coverage counts only the part of each Voronoi cell within reach. ' +
    'Loading with COPY instead of INSERT … unnest would save part of the 2–3 s of the address load, but PGlite takes ' +
    'the same SQL through its query interface; the derivations are the bulk and are the point of the import.',
  'payload-values':
    'Built once per query, compressed with brotli at quality 5 (about 1 ms for these 28 KB; quality 11 takes 60 ms for ' +
    '2.9 KB, still over). Per area the answer carries name, reference date, method, source, a bilingual note and the ' +
    'basis count for the table and the tooltips, beside code, value and class. Code, value and class per area plus the ' +
    'classification weigh 0.5 KB brotli: a lean form for the map (e.g. `fields=map`) would meet the budget; that is ' +
    'a change of the API of the indicators work, not made here.',
  'payload-areas':
    'The quarters are simplified on shared edges (5 m) with 5 decimals and precompressed with brotli 11.',
  'payload-js':
    'The map code (MapLibre, deck.gl) is its own chunk, loaded by the pages that show a map (vite.config.ts).',
  frontend:
    'The planner loads the catalogue and the indicator values before it draws, and React and deck.gl before the map; ' +
    'the bare page draws the polygons as soon as MapLibre and the GeoJSON are there.',
  'fast-paths': [
    '- Answers that change only on import are built once per data version and kept with their gzip and brotli forms, ' +
      'ETag and 304: areas, catalogue, categories, sources (`cachedJson`), and now the indicator values per query ' +
      '(`recentJson`, the 256 most recent; commit “perf(server): indicator values built and compressed once …”). ' +
      'The Payload table shows the 304 on If-None-Match.',
    '- The body limit passes GET and HEAD unchecked (commit “perf(server): the body limit passes GET and HEAD unchecked …”): ' +
      'asking a GET for its body made @hono/node-server build a full Request per answer.',
    '- The import builds the address b-tree indexes after the load (commit “perf(geodata): build the address b-tree ' +
      'indexes after the load …”).',
    '- The spatial indexes are used (Plans above; tests/api/offers.test.ts and search.test.ts assert the plans), and no ' +
      'answer runs a query per feature: the areas of a level come from one query, the values of an indicator from two ' +
      '(values and city value), nearest and search from one each.',
    '- Basemap tiles and the web app’s files are served from memory with their gzip form (server/routes/tiles.ts).',
  ].join('\n'),
};
