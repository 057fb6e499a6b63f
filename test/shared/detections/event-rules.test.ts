import { describe, expect, it } from 'vitest';
import { EVENT_RULES, evaluateEventRules } from '../../../shared/detections/event-rules';
import { eventRuleCases } from '../../../shared/detections/rules/case-list';
import { ADMIN, auditEvent, signInEvent, VAULT_UUID } from '../../../shared/detections/rules/sample-events';
import { DEFAULT_DETECTION_SETTINGS } from '../../../shared/detections/settings';

describe.each(EVENT_RULES.map((rule) => [rule.id, rule] as const))('one-event rule %s', (_id, rule) => {
  const cases = eventRuleCases(rule);

  it('has cases that fire and cases that stay quiet', () => {
    expect(cases.fires.length).toBeGreaterThan(0);
    expect(cases.quiet.length).toBeGreaterThan(0);
  });

  it.each(cases.fires.map((c) => [c.name, c] as const))('fires: %s', (_name, c) => {
    const detections = evaluateEventRules(
      rule.eventType,
      [c.event],
      c.settings ?? DEFAULT_DETECTION_SETTINGS,
    );
    const mine = detections.filter((d) => d.rule_id === rule.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      severity: rule.severity,
      title: rule.title,
      event_types: [rule.eventType],
      event_uuids: [c.event.uuid],
      group_key: rule.groupKey(c.event),
    });
  });

  it.each(cases.quiet.map((c) => [c.name, c] as const))('stays quiet: %s', (_name, c) => {
    const detections = evaluateEventRules(
      rule.eventType,
      [c.event],
      c.settings ?? DEFAULT_DETECTION_SETTINGS,
    );
    expect(detections.map((d) => d.rule_id)).not.toContain(rule.id);
  });

  it('is silent when switched off', () => {
    const c = cases.fires[0];
    if (!c) throw new Error('no case');
    const off = { ...(c.settings ?? DEFAULT_DETECTION_SETTINGS), disabledRules: [rule.id] };
    expect(evaluateEventRules(rule.eventType, [c.event], off).map((d) => d.rule_id)).not.toContain(rule.id);
  });
});

describe('evaluateEventRules', () => {
  it('makes one detection per rule and group key of a page: every event, first and last in UTC', () => {
    const events = [
      auditEvent({
        action: 'export',
        object_type: 'vault',
        uuid: 'AAAAAAAAAAAAAAAAAAAAAAAAAA',
        timestamp: '2026-12-05T23:59:59.123456789+00:00',
      }),
      auditEvent({
        action: 'export',
        object_type: 'vault',
        uuid: 'BBBBBBBBBBBBBBBBBBBBBBBBBB',
        timestamp: '2026-12-05T20:30:00-05:00',
      }),
      auditEvent({ action: 'create', object_type: 'vault', uuid: 'CCCCCCCCCCCCCCCCCCCCCCCCCC' }),
    ];
    const detections = evaluateEventRules('auditevents', events, DEFAULT_DETECTION_SETTINGS);
    expect(detections).toHaveLength(1);
    expect(detections[0]).toMatchObject({
      rule_id: 'vault-export',
      severity: 'HIGH',
      group_key: ADMIN.uuid,
      event_uuids: ['AAAAAAAAAAAAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBBBBBBBBBBBB'],
      first_seen: '2026-12-05T23:59:59.123456789Z',
      last_seen: '2026-12-06T01:30:00Z',
      user: { uuid: ADMIN.uuid, email: ADMIN.email, name: ADMIN.name },
      ip: '13.227.95.22',
      key_fields: { action: 'export', object_type: 'vault' },
    });
    expect(detections[0]?.query).toBe(
      "SELECT * FROM auditevents_unique WHERE dt BETWEEN '2026-12-05' AND '2026-12-06'" +
        " AND uuid IN ('AAAAAAAAAAAAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBBBBBBBBBBBB') ORDER BY timestamp_utc",
    );
  });

  it('keeps different actors apart', () => {
    const other = { uuid: 'QQQQQQQQQQQQQQQQQQQQQQQQQQ', name: 'Other', email: 'other@example.com' };
    const events = [
      auditEvent({ action: 'export', object_type: 'vault', object: { uuid: VAULT_UUID } }),
      auditEvent({
        action: 'export',
        object_type: 'vault',
        actor: other,
        uuid: 'DDDDDDDDDDDDDDDDDDDDDDDDDD',
      }),
    ];
    expect(
      evaluateEventRules('auditevents', events, DEFAULT_DETECTION_SETTINGS).map((d) => d.group_key),
    ).toEqual([ADMIN.uuid, other.uuid]);
  });

  it('reads nothing it does not understand as a match: odd field types, empty pages', () => {
    expect(evaluateEventRules('auditevents', [], DEFAULT_DETECTION_SETTINGS)).toEqual([]);
    const odd = [
      { action: ['export'], object_type: 'vault' },
      { action: 'export', object_type: null },
      { client: 'x' },
    ];
    expect(evaluateEventRules('auditevents', odd, DEFAULT_DETECTION_SETTINGS)).toEqual([]);
    expect(evaluateEventRules('signinattempts', odd, DEFAULT_DETECTION_SETTINGS)).toEqual([]);
  });

  it('honours the client allow-list it is given', () => {
    const event = signInEvent({ category: 'success', type: 'credentials_ok', app_name: 'Acme SSO Agent' });
    expect(
      evaluateEventRules('signinattempts', [event], DEFAULT_DETECTION_SETTINGS).map((d) => d.rule_id),
    ).toEqual(['unusual-client']);
    const allowed = { ...DEFAULT_DETECTION_SETTINGS, clientAllowList: ['Acme SSO Agent'] };
    expect(evaluateEventRules('signinattempts', [event], allowed)).toEqual([]);
  });
});
