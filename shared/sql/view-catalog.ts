import type { EventType } from '../contracts/event-types';
import { COUNTRY_VIEW } from './countries';
import { ECS_VIEWS } from './ecs-views';
import { OCSF_VIEWS } from './ocsf-views';
import { servedBy } from './served-by';
import { DRIFT_VIEWS, TYPED_VIEWS } from './typed-events';
import { VIEW_DEFINITIONS, type ViewDefinition } from './views';

/**
 * Every view, each listed after those it reads: the country spellings (shared/sql/countries.ts), the
 * typed tables over the raw lines and their drift views (shared/sql/typed-events.ts), the
 * de-duplicated views, then the ECS and OCSF views.
 * The stack deploys their Athena text (infra/constructs/athena-views.ts), `op-events query` creates their
 * DuckDB text over the local files.
 */
export const ALL_VIEWS: readonly ViewDefinition[] = [
  COUNTRY_VIEW,
  ...TYPED_VIEWS,
  ...DRIFT_VIEWS,
  ...VIEW_DEFINITIONS,
  ...ECS_VIEWS,
  ...OCSF_VIEWS,
];

/** The views over event data (each reads the tables of one or more event types; all have `dt`). */
export const EVENT_DATA_VIEWS: readonly ViewDefinition[] = ALL_VIEWS.filter((v) => v.eventTypes.length > 0);

/** The views a deployment of the given event types creates (every table they read exists). */
export function deployedViewsFor(eventTypes: readonly EventType[]): ViewDefinition[] {
  return servedBy(ALL_VIEWS, eventTypes);
}
