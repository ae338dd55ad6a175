import type { PickingInfo } from '@deck.gl/core';
import { useCallback } from 'react';
import type { CatalogueIndicator, CategoryList, Gaps, MapValues } from '../api/client.ts';
import { formatNumber, formatValue } from '../format.ts';
import { useI18n } from '../i18n/index.ts';
import type { OfferCluster } from '../layers/offer-layers.ts';
import type { Symbology } from './symbology.ts';
import { labelIn, localized, unitAfterValue } from './text.ts';
import { LAYER_IDS } from './use-planner-layers.ts';

const STYLE = {
  background: 'rgba(255, 255, 255, 0.97)',
  color: '#1f2328',
  font: '14px/1.4 "Noto Sans", "Noto Sans Arabic", sans-serif',
  padding: '6px 10px',
  borderRadius: '6px',
  boxShadow: '0 1px 4px rgba(0, 0, 0, 0.25)',
  maxWidth: '18rem',
  whiteSpace: 'pre-line',
};

/**
 * What the map says under the pointer, as plain text (deck.gl puts it in a div of its own): the area with its
 * value and class, or an offer, or how many offers a cluster holds.
 */
export function useTooltip({
  values,
  gaps,
  indicator,
  symbology,
  digits,
  categories,
}: {
  values: MapValues | null;
  gaps: Gaps | null;
  indicator: CatalogueIndicator | null;
  symbology: Symbology | null;
  digits: number;
  categories: CategoryList | null;
}) {
  const { t, lang } = useI18n();
  return useCallback(
    (info: PickingInfo) => {
      const id = info.layer?.id ?? '';
      if (!info.object) return null;
      const text = (() => {
        if (id === `${LAYER_IDS.offers}-points`) {
          const cluster = info.object as OfferCluster;
          if (cluster.members.length > 1) return t('planner.tooltip.cluster', { n: cluster.members.length });
          const offer = cluster.members[0];
          const category = categories?.categories.find((c) => c.code === offer?.category);
          return [offer?.name ?? t('planner.offer.unnamed'), category ? labelIn(category.labels, lang) : ''].join('\n');
        }
        const code = (info.object as { properties?: { code?: string; name?: string } }).properties?.code;
        const name = (info.object as { properties?: { name?: string } }).properties?.name ?? code;
        if (id === `${LAYER_IDS.gap}-fill` && gaps) {
          const area = gaps.areas.find((a) => a.code === code);
          if (!area) return name ?? null;
          const needUnit = unitAfterValue(gaps.need.indicator.unit, t);
          const supplyUnit = unitAfterValue(gaps.supply.indicator.unit, t);
          return [
            name,
            `${t('planner.gap.need')}: ${formatValue(area.need, needUnit, lang)}`,
            `${t('planner.gap.supply')}: ${formatValue(area.supply, supplyUnit, lang)}`,
            area.cell === 6 ? t('planner.gap.highNeedLowSupply') : '',
          ]
            .filter(Boolean)
            .join('\n');
        }
        if (id === `${LAYER_IDS.choropleth}-fill` && values && indicator) {
          const v = values.values.find((x) => x.code === code);
          const unit = unitAfterValue(indicator.unit, t);
          if (!v) return name ?? null;
          if (v.value === null) {
            const missing = values.missing.find((m) => m.code === code);
            return [
              name,
              missing?.suppressed ? t('planner.legend.suppressed') : t('planner.legend.noData'),
              missing ? localized(missing.reason, lang) : '',
            ]
              .filter(Boolean)
              .join('\n');
          }
          const cls = v.class !== null ? symbology?.classes[v.class] : undefined;
          return [
            name,
            `${localized(indicator.title, lang)}: ${formatValue(v.value, unit, lang, digits)}`,
            cls
              ? t('planner.tooltip.class', {
                  n: cls.index + 1,
                  range: `${formatNumber(cls.from, lang, digits)} – ${formatNumber(cls.to, lang, digits)}`,
                })
              : '',
          ]
            .filter(Boolean)
            .join('\n');
        }
        return null;
      })();
      return text ? { text, style: STYLE } : null;
    },
    [t, lang, values, gaps, indicator, symbology, digits, categories],
  );
}
