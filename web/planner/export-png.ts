/**
 * The map as a PNG with its title, legend and attribution, composed on a canvas: the map image (basemap and
 * deck.gl layers, from MapController.snapshot) on top, the legend in a box at its lower corner, and a strip
 * beneath with reference date, method, sources and the attribution every licence asks for.
 */

export interface PngLegendItem {
  /** #rrggbb, or 'no-data' for the hatched swatch. */
  color: string;
  label: string;
  count?: number;
}

export interface PngContent {
  title: string;
  subtitle?: string;
  items: readonly PngLegendItem[];
  /** Lines under the map: date, method, source. */
  notes: readonly string[];
  /** Attribution of basemap and data; HTML is reduced to its text. */
  attribution: readonly string[];
  noDataFill: string;
  noDataHatch: string;
}

export function stripTags(html: string): string {
  const text = html.replace(/<[^>]*>/g, '');
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim();
}

const FONT = '"Noto Sans", "Noto Sans Arabic", "DejaVu Sans", sans-serif';

/** Breaks a text into lines no wider than `width` (by words). */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export function composeMapPng(map: HTMLCanvasElement, content: PngContent, scale: number): HTMLCanvasElement {
  const s = scale;
  const pad = 12 * s;
  const measure = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
  measure.font = `${12 * s}px ${FONT}`;
  const noteLines = [...content.notes, content.attribution.map(stripTags).join(' · ')].flatMap((n) =>
    wrap(measure, n, map.width - 2 * pad),
  );
  const lineHeight = 16 * s;
  const strip = pad * 2 + noteLines.length * lineHeight;

  const canvas = document.createElement('canvas');
  canvas.width = map.width;
  canvas.height = map.height + strip;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(map, 0, 0);

  // Title box, top left.
  ctx.font = `600 ${16 * s}px ${FONT}`;
  const titleLines = wrap(ctx, content.title, Math.min(map.width * 0.6, 520 * s));
  ctx.font = `${12 * s}px ${FONT}`;
  const subtitleLines = content.subtitle ? wrap(ctx, content.subtitle, Math.min(map.width * 0.6, 520 * s)) : [];
  ctx.font = `600 ${16 * s}px ${FONT}`;
  const titleWidth = Math.max(
    ...titleLines.map((l) => ctx.measureText(l).width),
    ...subtitleLines.map((l) => measure.measureText(l).width),
  );
  const titleHeight = titleLines.length * 20 * s + subtitleLines.length * lineHeight;
  ctx.fillStyle = 'rgba(255,255,255,0.92)';
  ctx.fillRect(pad, pad, titleWidth + 2 * pad, titleHeight + pad * 1.5);
  ctx.fillStyle = '#1f2328';
  ctx.textBaseline = 'top';
  titleLines.forEach((l, i) => {
    ctx.fillText(l, 2 * pad, pad * 1.6 + i * 20 * s);
  });
  ctx.font = `${12 * s}px ${FONT}`;
  ctx.fillStyle = '#57534e';
  subtitleLines.forEach((l, i) => {
    ctx.fillText(l, 2 * pad, pad * 1.6 + titleLines.length * 20 * s + i * lineHeight);
  });

  // Legend box, bottom left of the map.
  const sw = 18 * s;
  const rowH = 20 * s;
  ctx.font = `${12 * s}px ${FONT}`;
  const labelWidth = Math.max(...content.items.map((it) => ctx.measureText(it.label).width), 0);
  const countWidth = Math.max(...content.items.map((it) => ctx.measureText(String(it.count ?? '')).width), 0);
  const boxW = pad * 2 + sw + 8 * s + labelWidth + 16 * s + countWidth;
  const boxH = pad * 2 + content.items.length * rowH;
  const boxX = pad;
  const boxY = map.height - boxH - pad * 3;
  ctx.fillStyle = 'rgba(255,255,255,0.94)';
  ctx.fillRect(boxX, boxY, boxW, boxH);
  ctx.strokeStyle = '#dedad3';
  ctx.lineWidth = s;
  ctx.strokeRect(boxX, boxY, boxW, boxH);
  content.items.forEach((item, i) => {
    const y = boxY + pad + i * rowH;
    const x = boxX + pad;
    if (item.color === 'no-data') {
      ctx.fillStyle = content.noDataFill;
      ctx.fillRect(x, y + 2 * s, sw, sw - 4 * s);
      ctx.save();
      ctx.beginPath();
      ctx.rect(x, y + 2 * s, sw, sw - 4 * s);
      ctx.clip();
      ctx.strokeStyle = content.noDataHatch;
      ctx.lineWidth = s;
      for (let d = -sw; d < sw * 2; d += 5 * s) {
        ctx.beginPath();
        ctx.moveTo(x + d, y + sw);
        ctx.lineTo(x + d + sw, y);
        ctx.stroke();
      }
      ctx.restore();
    } else {
      ctx.fillStyle = item.color;
      ctx.fillRect(x, y + 2 * s, sw, sw - 4 * s);
    }
    ctx.fillStyle = '#1f2328';
    ctx.textBaseline = 'middle';
    ctx.fillText(item.label, x + sw + 8 * s, y + sw / 2);
    if (item.count !== undefined) {
      ctx.fillStyle = '#57534e';
      ctx.textAlign = 'right';
      ctx.fillText(String(item.count), boxX + boxW - pad, y + sw / 2);
      ctx.textAlign = 'left';
    }
  });

  // Notes and attribution beneath the map.
  ctx.fillStyle = '#57534e';
  ctx.textBaseline = 'top';
  ctx.font = `${12 * s}px ${FONT}`;
  noteLines.forEach((l, i) => {
    ctx.fillText(l, pad, map.height + pad + i * lineHeight);
  });
  return canvas;
}

export function canvasToBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be made'))), 'image/png'),
  );
}
