import type { DetectionSettings } from '../../shared/detections/settings';
import { WINDOW_RULE_VIEWS, windowRuleSql } from '../../shared/detections/window-query';
import type { DetectionWindow, WindowRule } from '../../shared/detections/window-rule';
import { openEventDatabase } from '../event-database';

/** A window rule's DuckDB text over the events of an s3 folder (what `op-events query` opens). */
export async function runWindowRuleOnDuckDb(
  s3Dir: string,
  rule: WindowRule,
  window: DetectionWindow,
  settings: DetectionSettings,
): Promise<Record<string, unknown>[]> {
  const db = await openEventDatabase(s3Dir, WINDOW_RULE_VIEWS);
  try {
    const reader = await db.connection.runAndReadAll(windowRuleSql(rule, window, settings, 'duckdb'));
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
