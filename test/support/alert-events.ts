/** An audit event of a vault export by `actor` (what the vault-export one-event rule fires on). */
export function vaultExport(n: number, actor: string) {
  return {
    uuid: `EXPORT${String(n).padStart(20, '0')}`,
    timestamp: new Date(Date.parse('2026-01-01T00:10:00Z') + n * 1000).toISOString(),
    actor_uuid: actor,
    actor_details: { uuid: actor, name: 'Exporter', email: `${actor.toLowerCase()}@example.com` },
    action: 'export',
    object_type: 'vault',
    object_uuid: 'VAULT000000000000000000001',
    session: { uuid: 'SESSION', login_time: '2026-01-01T00:00:00Z', device_uuid: 'DEV', ip: '192.0.2.10' },
    location: { country: 'CA' },
  };
}
