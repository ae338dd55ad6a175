/**
 * The colours of a LISA cluster map as GeoDa draws them, so that its users read ours at once: high-high red,
 * low-low blue, low-high light blue, high-low pink, not significant light grey, an area without neighbours
 * (an island) darker grey. An area without a value gets no colour: the choropleth hatches it as missing.
 */
export const CLUSTER_COLORS = {
  'high-high': '#ff0000',
  'low-low': '#0000ff',
  'low-high': '#a7adf9',
  'high-low': '#f4ada8',
  'not-significant': '#eeeeee',
  island: '#999999',
} as const;

export type Cluster = keyof typeof CLUSTER_COLORS | 'missing';

/** The order of the legend: the clusters, the outliers, then the rest. */
export const CLUSTER_ORDER = ['high-high', 'low-low', 'low-high', 'high-low', 'not-significant', 'island'] as const;

export function clusterColor(cluster: Cluster | null | undefined): string | null {
  return cluster && cluster !== 'missing' ? CLUSTER_COLORS[cluster] : null;
}
