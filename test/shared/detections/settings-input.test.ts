import { describe, expect, it } from 'vitest';
import { loadAlertConfig } from '../../../shared/detections/alert-config';
import { DEFAULT_DETECTION_SETTINGS, KNOWN_1PASSWORD_APPS } from '../../../shared/detections/settings';
import { DetectionSettingsError, parseDetectionSettings } from '../../../shared/detections/settings-input';

const VAULT = 'GJV5OUZ6QHCSNQQ3PRTJBEI2CE';

describe('parseDetectionSettings', () => {
  it('gives the defaults for nothing, and fills what the input leaves out', () => {
    expect(parseDetectionSettings(undefined)).toEqual(DEFAULT_DETECTION_SETTINGS);
    expect(parseDetectionSettings({})).toEqual(DEFAULT_DETECTION_SETTINGS);
    const settings = parseDetectionSettings({
      watchlists: { vaults: [VAULT.toLowerCase()], itemTitles: ['Bank portal'] },
      thresholds: { signInFailures: 5 },
      disabledRules: ['unusual-client'],
      suppressionMinutes: 0,
    });
    expect(settings).toEqual({
      ...DEFAULT_DETECTION_SETTINGS,
      watchlists: { vaults: [VAULT.toLowerCase()], groups: [], items: [], itemTitles: ['Bank portal'] },
      thresholds: { ...DEFAULT_DETECTION_SETTINGS.thresholds, signInFailures: 5 },
      disabledRules: ['unusual-client'],
      suppressionMinutes: 0,
    });
    expect(settings.clientAllowList).toEqual(KNOWN_1PASSWORD_APPS);
  });

  it('reads JSON text (a -c context value) as the object it holds', () => {
    expect(parseDetectionSettings('{"clientAllowList":["Acme Agent"]}').clientAllowList).toEqual([
      'Acme Agent',
    ]);
  });

  it.each([
    ['[]', /"\(the whole value\)": must be a JSON object/],
    ['{not json', /"\(the whole value\)": is not JSON/],
    [
      { thresholds: { signInFailures: 1 } },
      /"thresholds.signInFailures": must be a whole number of failed sign-ins from 2 to 10000 \(got 1\)/,
    ],
    [
      { thresholds: { newIpBaselineDays: 2.5 } },
      /"thresholds.newIpBaselineDays": must be a whole number of days from 1 to 90/,
    ],
    [
      { thresholds: { signinFailures: 3 } },
      /"thresholds.signinFailures": unknown key; did you mean "signInFailures"\?/,
    ],
    [{ watchlist: {} }, /"watchlist": unknown key; use one of watchlists, /],
    [{ watchlists: { vaults: 'x' } }, /"watchlists.vaults": must be a list of uuids/],
    [{ watchlists: { vaults: ['Finance'] } }, /"watchlists.vaults\[0\]": "Finance" is not a 1Password uuid/],
    [{ watchlists: { groups: [VAULT, VAULT.toLowerCase()] } }, /"watchlists.groups\[1\]": lists .* twice/],
    [{ watchlists: { itemTitles: [''] } }, /"watchlists.itemTitles\[0\]": must be a non-empty text/],
    [{ disabledRules: ['vault-exports'] }, /"disabledRules\[0\]": "vault-exports" is no rule id/],
    [
      { suppressionMinutes: 10_081 },
      /"suppressionMinutes": must be a whole number of minutes from 0 to 10080/,
    ],
    [{ clientAllowList: [42] }, /"clientAllowList\[0\]": must be a non-empty text/],
  ])('refuses %j naming the field', (input, message) => {
    expect(() => parseDetectionSettings(input)).toThrow(DetectionSettingsError);
    expect(() => parseDetectionSettings(input)).toThrow(message);
  });

  it('takes whole numbers written as text (-c values arrive as text)', () => {
    expect(
      parseDetectionSettings({ thresholds: { exfiltrationItems: '50' } }).thresholds.exfiltrationItems,
    ).toBe(50);
  });
});

describe("the collector's DETECTION_SETTINGS", () => {
  it('are checked as the stack checks them: a value set by hand fails the run naming the field', () => {
    const env = (settings: string) => ({ ALERT_EVENT_BUS: 'default', DETECTION_SETTINGS: settings });
    expect(loadAlertConfig(env('{"suppressionMinutes": 5}'))?.settings.suppressionMinutes).toBe(5);
    expect(() => loadAlertConfig(env('{"thresholds": {"signInFailures": 0}}'))).toThrow(
      /DETECTION_SETTINGS: Invalid detection setting "thresholds.signInFailures"/,
    );
  });
});
