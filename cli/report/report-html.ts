import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { formatDuration } from '../format-table';
import { formatCount, html } from './html-text';
import { type Named, type ReportData, SECRET_ACTIONS } from './report-data';
import type { CollectorHealth, DetectionsSection } from './report-extras';
import { type Bar, horizontalBars, PALETTE, stackedColumns } from './svg-charts';

/**
 * The report as one HTML page that needs nothing else: styles inline, charts as inline SVG, no
 * script, and a Content-Security-Policy that lets the page load nothing at all (no script, no
 * font, no image from anywhere), so opening it offline shows all of it and opening it online
 * fetches nothing. Every chart has a table of its numbers beside it. Every value from the events
 * goes through html() (html-text.ts).
 */

export interface ReportPage {
  /** Where the events were read, in words (a local folder, or a stack's Athena workgroup). */
  readonly source: string;
  /** Notes for the reader (demo data, views that failed, what Athena scanned). */
  readonly notes: readonly string[];
  /** ISO 8601. */
  readonly generatedAt: string;
  readonly sinceDays: number;
  readonly data: ReportData;
  readonly detections: DetectionsSection;
  readonly health: CollectorHealth;
}

/** The `id` of each section, in page order (the browser test finds them by these). */
export const SECTION_IDS = [
  'events-per-day',
  'sign-ins',
  'top-usage',
  'secret-use',
  'admin-actions',
  'countries',
  'detections',
  'collector-health',
] as const;

export type SectionId = (typeof SECTION_IDS)[number];

/** The id of the section shown instead of the event sections when the period holds no event. */
export const NO_EVENTS_ID = 'no-events';

const TYPE_COLORS: Readonly<Record<EventType, string>> = {
  signinattempts: PALETTE.blue,
  itemusages: PALETTE.orange,
  auditevents: PALETTE.green,
};

const TYPE_NAMES: Readonly<Record<EventType, string>> = {
  signinattempts: 'sign-in attempts',
  itemusages: 'item usages',
  auditevents: 'audit events',
};

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1180px; padding: 16px 24px; \
color: #1b1b1b; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 2em; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
.meta, .note { color: #444; }
.empty { padding: 12px 16px; background: #f4f4f4; border-left: 4px solid #999; }
.big-empty { font-size: 1.3em; padding: 24px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { max-height: 320px; overflow: auto; display: inline-block; }
.figure { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; }
.totals td { font-size: 1.1em; }
.flag { font-size: 1.2em; }
.bad { color: #b00020; }
svg { max-width: 100%; height: auto; display: block; }
@media print { .scroll { max-height: none; overflow: visible; } }
`;

/** Loads nothing: no script, no style sheet, font, image or frame from anywhere; inline styles only. */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** One table cell: numbers right-aligned, text escaped, missing values as an em dash. */
function cell(value: string | number | null, tag: 'td' | 'th' = 'td'): string {
  if (typeof value === 'number') return `<${tag} class="n">${formatCount(value)}</${tag}>`;
  return `<${tag}>${value === null || value === '' ? '—' : html(value)}</${tag}>`;
}

function table(
  caption: string,
  headers: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
) {
  const head = headers.map((h) => `<th scope="col">${html(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((v) => cell(v)).join('')}</tr>`).join('\n');
  return scrollingTable(html(caption), head, body);
}

/** A table that scrolls within its box: caption, header row and body rows, each already HTML. */
function scrollingTable(captionHtml: string, headHtml: string, bodyHtml: string): string {
  return (
    `<div class="scroll"><table><caption class="note">${captionHtml}</caption>` +
    `<thead><tr>${headHtml}</tr></thead><tbody>\n${bodyHtml}\n</tbody></table></div>`
  );
}

/** A chart and the table of its numbers, side by side where the page is wide enough. */
function figure(chart: string, numbers: string): string {
  return `<div class="figure">${chart}\n${numbers}</div>`;
}

function empty(text: string): string {
  return `<p class="empty">${html(text)}</p>`;
}

function section(id: SectionId | typeof NO_EVENTS_ID, title: string, body: string): string {
  return (
    `<section id="${id}" aria-labelledby="${id}-title">\n` +
    `<h2 id="${id}-title">${html(title)}</h2>\n${body}\n</section>`
  );
}

/** A uuid or code with its name where one is known: "Finance (VAULTUUID)". */
function describe(named: Named): string {
  if (named.name && named.id) return `${named.name} (${named.id})`;
  return named.name ?? named.id ?? '(none)';
}

const barsOf = (rows: readonly Bar[], label: string, color?: string) =>
  rows.length === 0 ? '' : horizontalBars({ label, bars: rows, color });

function eventsPerDay(data: ReportData): string {
  const chart = stackedColumns({
    label: 'Events per day by type',
    columns: data.days,
    series: EVENT_TYPES.map((type) => ({
      name: TYPE_NAMES[type],
      color: TYPE_COLORS[type],
      values: data.eventsPerDay.map((d) => d.counts[type]),
    })),
  });
  const rows = data.eventsPerDay.map((d) => [
    d.day,
    ...EVENT_TYPES.map((type) => d.counts[type]),
    EVENT_TYPES.reduce((sum, type) => sum + d.counts[type], 0),
  ]);
  return section(
    'events-per-day',
    'Events per day',
    figure(
      chart,
      table(
        'Events per UTC day (one per event uuid)',
        ['day', ...EVENT_TYPES.map((t) => TYPE_NAMES[t]), 'all'],
        rows,
      ),
    ),
  );
}

function signIns(data: ReportData): string {
  if (data.totals.signinattempts === 0) {
    return section('sign-ins', 'Sign-in attempts', empty('No sign-in attempts in this period.'));
  }
  const overTime = stackedColumns({
    label: 'Sign-in outcomes per day',
    columns: data.days,
    series: [
      { name: 'success', color: PALETTE.sky, values: data.signInsPerDay.map((d) => d.successes) },
      { name: 'failure', color: PALETTE.vermillion, values: data.signInsPerDay.map((d) => d.failures) },
    ],
  });
  const failures =
    data.signInFailures.length === 0
      ? empty('No failed sign-in attempts in this period.')
      : `${figure(
          barsOf(
            data.signInFailures.map((f) => ({ label: f.reason ?? '(no category)', value: f.attempts })),
            'Failed sign-ins by reason',
            PALETTE.vermillion,
          ),
          table(
            'Failed sign-in attempts by category',
            ['reason (category)', 'attempts'],
            data.signInFailures.map((f) => [f.reason, f.attempts]),
          ),
        )}`;
  return section(
    'sign-ins',
    'Sign-in attempts',
    `<h3>Outcomes over time</h3>\n${figure(
      overTime,
      table(
        'Sign-in attempts per UTC day by outcome',
        ['day', 'success', 'failure'],
        data.signInsPerDay.map((d) => [d.day, d.successes, d.failures]),
      ),
    )}\n<h3>Failures by reason</h3>\n${failures}`,
  );
}

function topUsage(data: ReportData): string {
  if (data.totals.itemusages === 0) {
    return section('top-usage', 'Top users, vaults and items', empty('No item usages in this period.'));
  }
  const users = `<h3>Users</h3>\n${figure(
    barsOf(
      data.topUsers.map((u) => ({ label: u.email ?? u.name ?? u.id ?? '(none)', value: u.usages })),
      'Item usages per user, top users',
    ),
    table(
      'Users by item usages',
      ['user', 'email', 'uuid', 'usages', 'items', 'vaults'],
      data.topUsers.map((u) => [u.name, u.email, u.id, u.usages, u.items, u.vaults]),
    ),
  )}`;
  const vaults = `<h3>Vaults</h3>\n${figure(
    barsOf(
      data.topVaults.map((v) => ({ label: v.name ?? v.id ?? '(none)', value: v.usages })),
      'Item usages per vault, top vaults',
      PALETTE.orange,
    ),
    table(
      'Vaults by item usages',
      ['vault', 'uuid', 'usages'],
      data.topVaults.map((v) => [v.name, v.id, v.usages]),
    ),
  )}`;
  const items = `<h3>Items</h3>\n${figure(
    barsOf(
      data.topItems.map((i) => ({ label: i.name ?? i.id ?? '(none)', value: i.usages })),
      'Usages per item, top items',
      PALETTE.green,
    ),
    table(
      'Items by usages',
      ['item', 'uuid', 'vault', 'usages', 'users'],
      data.topItems.map((i) => [i.name, i.id, describe(i.vault), i.usages, i.users]),
    ),
  )}`;
  return section(
    'top-usage',
    'Top users, vaults and items',
    '<p class="note">By item usages (every action). Names come from the events and from the lookups ' +
      'where they are loaded (op-events lookups load); uuids otherwise.</p>\n' +
      `${users}\n${vaults}\n${items}`,
  );
}

function secretUse(data: ReportData): string {
  const title = 'Item reveals, secure copies and exports by vault';
  if (data.secretUseByVault.length === 0) {
    return section('secret-use', title, empty('No item was revealed, copied or exported in this period.'));
  }
  return section(
    'secret-use',
    title,
    `${figure(
      barsOf(
        data.secretUseByVault.map((v) => ({ label: v.name ?? v.id ?? '(none)', value: v.total })),
        'Reveals, secure copies and exports per vault',
        PALETTE.purple,
      ),
      table(
        'Item usages that show or take a secret, per vault',
        ['vault', 'uuid', ...SECRET_ACTIONS, 'all'],
        data.secretUseByVault.map((v) => [v.name, v.id, ...SECRET_ACTIONS.map((a) => v.counts[a]), v.total]),
      ),
    )}`,
  );
}

function adminActions(data: ReportData): string {
  if (data.adminActions.length === 0) {
    return section('admin-actions', 'Admin actions', empty('No audit events in this period.'));
  }
  const byAction = new Map<string, number>();
  for (const a of data.adminActions) {
    const key = a.action ?? '(none)';
    byAction.set(key, (byAction.get(key) ?? 0) + a.events);
  }
  const bars = [...byAction.entries()]
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  return section(
    'admin-actions',
    'Admin actions',
    `${figure(
      barsOf(bars, 'Audit events by action', PALETTE.green),
      table(
        'Audit events by action and object type',
        ['action', 'object type', 'events'],
        data.adminActions.map((a) => [a.action, a.objectType, a.events]),
      ),
    )}`,
  );
}

/** The flag of an ISO 3166-1 alpha-2 code: its two regional indicator symbols. */
export function flagOf(code: string | null): string {
  if (!code || !/^[A-Z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}

const COUNTRIES_CAPTION =
  "Where sign-ins came from (1Password's location, else the attempt's country), ranked";

function countries(data: ReportData): string {
  if (data.countries.length === 0) {
    return section('countries', 'Sign-in countries', empty('No sign-in attempts in this period.'));
  }
  const rows = data.countries
    .map(
      (c, i) =>
        `<tr>${cell(i + 1)}<td class="flag">${flagOf(c.country)}</td>` +
        [c.country ?? '(none)', c.name, c.attempts, c.successes, c.failures, c.users]
          .map((v) => cell(v))
          .join('') +
        '</tr>',
    )
    .join('\n');
  const head = ['rank', 'flag', 'country', 'name', 'attempts', 'successes', 'failures', 'users']
    .map((h) => `<th scope="col">${h}</th>`)
    .join('');
  return section(
    'countries',
    'Sign-in countries',
    `${barsOf(
      data.countries.slice(0, 15).map((c) => ({ label: c.name ?? c.country ?? '(none)', value: c.attempts })),
      'Sign-in attempts per country',
      PALETTE.sky,
    )}\n${scrollingTable(COUNTRIES_CAPTION, head, rows)}`,
  );
}

function detections(found: DetectionsSection): string {
  if (found.status === 'none') return section('detections', 'Detections', empty(found.why));
  return section(
    'detections',
    'Detections',
    `${figure(
      barsOf(
        found.byRule.map((r) => ({ label: `${r.ruleId} (${r.severity})`, value: r.detections })),
        'Detections by rule',
        PALETTE.vermillion,
      ),
      table(
        'Detections by rule and severity, highest severity first',
        ['rule', 'title', 'severity', 'detections'],
        found.byRule.map((r) => [r.ruleId, r.title, r.severity, r.detections]),
      ),
    )}`,
  );
}

function health(state: CollectorHealth, now: number): string {
  if (state.status === 'unavailable')
    return section('collector-health', "The collector's health", empty(state.why));
  const rows = state.types.map((t) => [
    t.type,
    t.lastRunAt,
    t.result,
    t.events,
    t.stopReason,
    t.newestEvent,
    t.lagSeconds === null ? null : formatDuration(t.lagSeconds),
    t.totalEvents,
  ]);
  const failed = state.types
    .filter((t) => t.error)
    .map((t) => `<p class="bad">${html(`${t.type}: the last run failed: ${t.error}`)}</p>`)
    .join('\n');
  return section(
    'collector-health',
    "The collector's health",
    `${table(
      `Per type, from ${state.where} at ${new Date(now).toISOString()} (as op-events status shows it)`,
      ['type', 'last run', 'result', 'events', 'stop reason', 'newest event', 'lag', 'total collected'],
      rows,
    )}\n${failed}`,
  );
}

export function renderReportPage(page: ReportPage): string {
  const { data } = page;
  const now = Date.parse(page.generatedAt);
  const period =
    `${data.days[0]} to ${data.days[data.days.length - 1]} (UTC), ` +
    `the last ${page.sinceDays} day${page.sinceDays === 1 ? '' : 's'}`;
  const totals = `<table class="totals"><tbody><tr>${EVENT_TYPES.map(
    (type) => `<th scope="row">${TYPE_NAMES[type]}</th>${cell(data.totals[type])}`,
  ).join('')}<th scope="row">all</th>${cell(data.totalEvents)}</tr></tbody></table>`;
  const eventSections =
    data.totalEvents === 0
      ? section(
          NO_EVENTS_ID,
          'No events in this period',
          `<p class="empty big-empty">No events in this period: nothing was collected from ${html(period)}.` +
            '</p>\n<p>Collect first (op-events start), or choose a longer period (--since).</p>',
        )
      : [
          eventsPerDay(data),
          signIns(data),
          topUsage(data),
          secretUse(data),
          adminActions(data),
          countries(data),
        ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>1Password activity report, ${html(period)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>1Password activity report</h1>
<p class="meta">${html(period)}. Events from ${html(page.source)}. \
Made ${html(page.generatedAt)} by op-events report.</p>
${page.notes.map((n) => `<p class="note">${html(n)}</p>`).join('\n')}
${totals}
</header>
<main>
${eventSections}
${detections(page.detections)}
${health(page.health, now)}
</main>
</body>
</html>
`;
}
