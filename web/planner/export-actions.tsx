import { type RefObject, useState } from 'react';
import { useConfig } from '../config.ts';
import { formatDate } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import { BIVARIATE_COLORS } from '../layers/bivariate.ts';
import { NO_DATA_FILL, NO_DATA_HATCH } from '../layers/palettes.ts';
import type { MapController } from '../map/map-view.tsx';
import type { PlannerState } from '../state/planner-state.ts';
import { downloadBlob, fileName } from './csv.ts';
import { canvasToBlob, composeMapPng, type PngLegendItem } from './export-png.ts';
import { tercileKey } from './gap-panel.tsx';
import { classRange } from './legend.tsx';
import type { Shown } from './shown.ts';
import type { Symbology } from './symbology.ts';
import { localized, unitLabel } from './text.ts';
import type { PlannerData } from './use-planner-data.ts';

/**
 * Export the map as a PNG (with legend and attribution) and copy the link of the view. Name, title and legend of
 * the PNG are those of what the map shows; while it does not show what was asked for, the PNG waits (disabled).
 */
export function ExportActions({
  controller,
  state,
  data,
  symbology,
  shown,
  current,
  digits,
  attributions,
}: {
  controller: RefObject<MapController | null>;
  state: PlannerState;
  data: PlannerData;
  symbology: Symbology | null;
  shown: Shown | null;
  current: boolean;
  digits: number;
  attributions: readonly string[];
}) {
  const { t, lang } = useI18n();
  const config = useConfig();
  const { city } = config;
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const exportPng = async () => {
    const map = controller.current;
    if (!map) return;
    setBusy(true);
    try {
      const content = pngContent();
      if (!content) return;
      await document.fonts?.ready;
      const snapshot = await map.snapshot();
      const canvas = composeMapPng(snapshot, content, window.devicePixelRatio || 1);
      const blob = await canvasToBlob(canvas);
      downloadBlob(blob, `${fileName(city.name, content.name, content.level)}.png`);
      setMessage(t('planner.export.pngDone'));
    } catch {
      setMessage(t('planner.export.pngFailed'));
    } finally {
      setBusy(false);
    }
  };

  const pngContent = () => {
    const basemap = config.basemap.attribution.map((a) => a.text);
    if (state.view === 'gap') {
      const gaps = data.gaps.data;
      if (!gaps) return null;
      const level = t(`planner.level.${gaps.level === 'district' ? 'district' : 'quarter'}`);
      const items: PngLegendItem[] = [8, 7, 6, 5, 4, 3, 2, 1, 0].map((cell) => ({
        color: BIVARIATE_COLORS[cell] as string,
        label: `${t('planner.gap.need')} ${t(tercileKey(Math.floor(cell / 3)))}, ${t('planner.gap.supply')} ${t(tercileKey(cell % 3))}`,
        count: gaps.cells.find((c) => c.index === cell)?.count ?? 0,
      }));
      return {
        name: `gaps-${gaps.need.indicator.id}-${gaps.supply.indicator.id}`,
        level: gaps.level,
        title: t('planner.gap.pngTitle', {
          need: localized(gaps.need.indicator.title, lang),
          supply: localized(gaps.supply.indicator.title, lang),
        }),
        subtitle: `${city.name} · ${level}`,
        items,
        notes: [t('planner.gap.explainShort')],
        attribution: [...attributions, ...basemap],
        noDataFill: NO_DATA_FILL,
        noDataHatch: NO_DATA_HATCH,
      };
    }
    if (!shown || !symbology) return null;
    const values = shown.values;
    const level = t(`planner.level.${values.level === 'district' ? 'district' : 'quarter'}`);
    const items: PngLegendItem[] = symbology.classes.map((c, i) => ({
      color: c.color,
      label: classRange(c, i, lang, digits),
      count: c.count,
    }));
    const missing = values.missing.length;
    if (missing) items.push({ color: 'no-data', label: t('planner.legend.noData'), count: missing });
    const dates = values.dates;
    const ind = shown.indicator;
    return {
      name: ind.id,
      level: values.level,
      title: `${localized(ind.title, lang)} (${unitLabel(ind.unit, t)})`,
      subtitle: `${city.name} · ${level}`,
      items,
      notes: [
        `${t('planner.asOf')}: ${dates.map((d) => formatDate(d, lang)).join(', ') || '–'} · ${t('planner.methodLabel')}: ${t(`planner.method.${ind.method}`)}, ${t(`planner.classes.${values.classification.method}`)}, ${t('planner.classes.n', { n: values.classification.classes })}`,
        `${t('planner.source')}: ${ind.sources.map((s) => s.attribution).join('; ') || '–'}`,
      ],
      attribution: [...attributions, ...basemap],
      noDataFill: NO_DATA_FILL,
      noDataHatch: NO_DATA_HATCH,
    };
  };

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setMessage(t('planner.export.linkCopied'));
    } catch {
      setMessage(t('planner.export.linkManual'));
    }
  };

  // Issue 17: the view as an <iframe> of /embed for another site (which EMBED_ORIGINS must allow).
  const [embedCode, setEmbedCode] = useState<string | null>(null);
  const copyEmbed = async () => {
    const title = t('planner.export.embedTitle', { city: city.name, title: pngContent()?.title ?? t('planner.title') });
    const code = embedSnippet(window.location.origin, window.location.search, title);
    try {
      await navigator.clipboard.writeText(code);
      setEmbedCode(null);
      setMessage(t('planner.export.embedCopied'));
    } catch {
      setEmbedCode(code);
      setMessage(t('planner.export.embedManual'));
    }
  };

  return (
    <section className="panel-section export" aria-labelledby="planner-export">
      <h2 id="planner-export" className="section-title">
        {t('planner.export.title')}
      </h2>
      <div className="export__buttons">
        <button
          type="button"
          className="button button--secondary"
          onClick={exportPng}
          disabled={busy || !current}
          data-action="png"
        >
          {t('planner.export.png')}
        </button>
        <button type="button" className="button button--secondary" onClick={copyLink} data-action="link">
          {t('planner.export.link')}
        </button>
        <button type="button" className="button button--secondary" onClick={copyEmbed} data-action="embed">
          {t('planner.export.embed')}
        </button>
      </div>
      <p className="field__hint" role="status">
        {current ? message : t('planner.export.waiting')}
      </p>
      {embedCode ? (
        <textarea
          className="export__code"
          readOnly
          rows={4}
          value={embedCode}
          aria-label={t('planner.export.embed')}
          onFocus={(e) => e.currentTarget.select()}
        />
      ) : null}
    </section>
  );
}

/** The HTML that shows the view of `search` as the embeddable map (/embed) in another site's page. */
export function embedSnippet(origin: string, search: string, title: string): string {
  const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${attr(`${origin}/embed${search}`)}" title="${attr(title)}" width="100%" height="500" style="border:0" loading="lazy" referrerpolicy="no-referrer"></iframe>`;
}
