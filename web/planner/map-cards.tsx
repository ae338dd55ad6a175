import { Children, type ReactNode } from 'react';

/** The cards over the map (an offer, an area's profile): beside the map on wide screens, a sheet on phones. */
export function MapCards({ children }: { children: ReactNode }) {
  const cards = Children.toArray(children).filter(Boolean);
  if (cards.length === 0) return null;
  return <div className="planner__cards">{cards}</div>;
}
