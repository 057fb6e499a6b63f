import { EVENT_TYPES } from '../../shared/contracts/event-types';
import { formatBytes, formatUsd } from '../athena-cost';
import type { CommandResult, ResultView } from '../render';
import type { AthenaSpend } from '../report/athena-report-rows';
import type { ReportData } from '../report/report-data';
import type { CollectorHealth, DetectionsSection } from '../report/report-extras';
import { displayPath } from '../state-dir';

/** What `op-events report` made: the page's numbers and where it wrote them. */
export interface ReportResult extends CommandResult {
  /** The HTML file written. */
  readonly file: string;
  readonly source: string;
  readonly sinceDays: number;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly generatedAt: string;
  readonly data: ReportData;
  readonly detections: DetectionsSection;
  readonly health: CollectorHealth;
  /** With --stack: what the queries were estimated to scan and did scan. */
  readonly athena: AthenaSpend | undefined;
}

/** With --stack, before the result: what Athena scanned and what that cost. */
function scannedLead(result: ReportResult): string[] {
  const spend = result.athena;
  if (!spend) return [];
  return [
    `Scanned: ${formatBytes(spend.scannedBytes)}, ${formatUsd(spend.usd)} (${spend.queries.length} queries).`,
  ];
}

/** `op-events report` for a person (where the page is, what it holds) or as one JSON object (--json). */
export const reportView: ResultView<ReportResult> = {
  text(result) {
    const { data } = result;
    const totals = EVENT_TYPES.map((type) => `${data.totals[type]} ${type}`).join(', ');
    const recorded = result.detections.status === 'recorded' ? result.detections.byRule : undefined;
    const detections = recorded
      ? `${recorded.reduce((sum, r) => sum + r.detections, 0)} detections by ${recorded.length} rules`
      : 'no detections recorded';
    return {
      lead: scannedLead(result),
      lines: [
        `Wrote ${displayPath(result.file)}: ${result.firstDay} to ${result.lastDay} (UTC) ` +
          `from ${result.source}.`,
        data.totalEvents === 0
          ? 'No events in this period.'
          : `${data.totalEvents} events (${totals}); ${data.countries.length} sign-in countries; ` +
            `${detections}.`,
        'Open it in a browser: it loads nothing from the network.',
      ],
    };
  },
  json(result) {
    const { exitCode: _, ...rest } = result;
    return { lead: scannedLead(result), lines: [rest] };
  },
};
