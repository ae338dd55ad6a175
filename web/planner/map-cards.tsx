import { Children, type ReactNode } from 'react';

/**
 * The cards over the map (an offer, an area's profile): beside the map on wide screens, a sheet on phones; `docked`
 * puts them on the other side (the left, or the top on phones), clear of the area they describe.
 */
export function MapCards({
  children,
  docked = false,
  maxHeight = null,
}: {
  children: ReactNode;
  docked?: boolean;
  /** Pixels the cards may take (on phones, to end before the selected area); null: as the stylesheet says. */
  maxHeight?: number | null;
}) {
  const cards = Children.toArray(children).filter(Boolean);
  if (cards.length === 0) return null;
  return (
    <div
      className={docked ? 'planner__cards planner__cards--docked' : 'planner__cards'}
      style={maxHeight === null ? undefined : { maxHeight }}
    >
      {cards}
    </div>
  );
}
