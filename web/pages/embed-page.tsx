import { EmbedMap } from '../embed/embed-map.tsx';

/** `/embed`: the planner's view as a bare map with legend and attribution, for other sites' frames (web/embed/). */
export default function EmbedPage() {
  return <EmbedMap />;
}
