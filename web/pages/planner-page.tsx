import { Planner } from '../planner/planner.tsx';

/** `/`: the planners' map of needs and services (web/planner/). */
export default function PlannerPage() {
  return <Planner />;
}
