/**
 * The HTML form of the OGC API – Features answers (conformance class html): plain pages without script, made
 * from the very documents the JSON form sends (domain/ogc.ts). Every text from the data is escaped.
 */
import type {
  collectionDocument,
  collectionsDocument,
  conformance,
  itemDocument,
  itemsDocument,
  Link,
  landingPage,
} from './ogc.ts';
import type { Scalar } from './ogc-collections.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:1rem auto;max-width:72rem;padding:0 1rem;line-height:1.4}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}
.wide{overflow-x:auto}nav a{margin-right:1rem}code{word-break:break-all}`;

function page(title: string, links: Link[], body: string): string {
  const alt = links.find((l) => l.rel === 'alternate');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><nav aria-label="Service"><a href="/ogc?f=html">Landing page</a><a href="/ogc/collections?f=html">Collections</a>${
    alt ? `<a href="${escapeHtml(alt.href)}">${escapeHtml(alt.title ?? 'JSON')}</a>` : ''
  }</nav>
<main><h1>${escapeHtml(title)}</h1>
${body}</main></body></html>
`;
}

const linkList = (links: Link[]) =>
  `<ul>${links
    .map(
      (l) =>
        `<li><a href="${escapeHtml(l.href)}" rel="${escapeHtml(l.rel)}">${escapeHtml(l.title ?? l.href)}</a> <small>(${escapeHtml(
          l.rel,
        )}${l.type ? `, ${escapeHtml(l.type)}` : ''})</small></li>`,
    )
    .join('')}</ul>`;

const cell = (v: Scalar | undefined) =>
  v === null || v === undefined ? '<td>–</td>' : `<td>${escapeHtml(String(v))}</td>`;

export function landingHtml(doc: ReturnType<typeof landingPage>): string {
  return page(doc.title, doc.links, `<p>${escapeHtml(doc.description)}</p>${linkList(doc.links)}`);
}

export function conformanceHtml(doc: ReturnType<typeof conformance>): string {
  return page(
    'Conformance classes',
    [{ href: '/ogc/conformance?f=json', rel: 'alternate', title: 'This page as JSON' }],
    `<ul>${doc.conformsTo.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ul>`,
  );
}

export function collectionsHtml(doc: ReturnType<typeof collectionsDocument>): string {
  const rows = doc.collections
    .map((c) => {
      const html = c.links.find((l) => l.rel === 'self' && l.type === 'application/json');
      const href = html ? html.href.replace(/\?f=json$/, '?f=html') : '#';
      return `<tr><td><a href="${escapeHtml(href)}">${escapeHtml(c.id)}</a></td><td>${escapeHtml(c.title)}</td></tr>`;
    })
    .join('');
  return page(
    'Collections',
    doc.links,
    `<p>${doc.collections.length} collections.</p><div class="wide"><table><thead><tr><th scope="col">Id</th><th scope="col">Title</th></tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}

export function collectionHtml(doc: ReturnType<typeof collectionDocument>): string {
  const props = doc.properties
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.title)}</td>${cell(p.unit)}${cell(
          p.method,
        )}${cell(p.sources?.join(', '))}${cell(p.dates?.join(', '))}</tr>`,
    )
    .join('');
  const extent = doc.extent.spatial?.bbox[0];
  return page(
    doc.title,
    doc.links,
    `<p>${escapeHtml(doc.description)}</p>
<p>Items per page: ${doc.limits.default} unless <code>limit</code> says otherwise, at most ${doc.limits.maximum}.</p>
${extent ? `<p>Extent (CRS84): ${extent.map((x) => escapeHtml(String(x))).join(', ')}</p>` : ''}
<p>Coordinate reference systems: ${doc.crs.map((c) => `<code>${escapeHtml(c)}</code>`).join(', ')}</p>
<h2>Sources and licences</h2><p>${escapeHtml(doc.attribution || '–')}</p>
<h2>Links</h2>${linkList(doc.links)}
<h2>Properties</h2><div class="wide"><table><thead><tr><th scope="col">Name</th><th scope="col">Title</th><th scope="col">Unit</th><th scope="col">Method</th><th scope="col">Sources</th><th scope="col">Dates</th></tr></thead><tbody>${props}</tbody></table></div>`,
  );
}

export function itemsHtml(title: string, doc: ReturnType<typeof itemsDocument>): string {
  const names = [...new Set(doc.features.flatMap((f) => Object.keys(f.properties)))];
  const rows = doc.features
    .map((f) => {
      const self = doc.links.find((l) => l.rel === 'collection')?.href ?? '';
      return `<tr><td><a href="${escapeHtml(`${self}/items/${encodeURIComponent(f.id)}?f=html`)}">${escapeHtml(
        f.id,
      )}</a></td>${names.map((n) => cell(f.properties[n])).join('')}</tr>`;
    })
    .join('');
  return page(
    title,
    doc.links,
    `<p>${doc.numberReturned} of ${doc.numberMatched} features.</p>${linkList(doc.links)}
${doc.attribution.map((l) => `<p><small>${escapeHtml(l)}</small></p>`).join('')}
<div class="wide"><table><thead><tr><th scope="col">Id</th>${names
      .map((n) => `<th scope="col">${escapeHtml(n)}</th>`)
      .join('')}</tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}

export function itemHtml(title: string, doc: ReturnType<typeof itemDocument>): string {
  const rows = Object.entries(doc.properties)
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th>${cell(v)}</tr>`)
    .join('');
  return page(
    `${title}: ${doc.id}`,
    doc.links,
    `<table><tbody>${rows}</tbody></table><p>Geometry: ${escapeHtml(doc.geometry?.type ?? 'none')}</p>${linkList(doc.links)}`,
  );
}
