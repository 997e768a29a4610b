import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { eventMetricName } from '../../src/domain/segment-messages.ts';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('the Segment source settings', () => {
  it('is off without a write key, and has the documented defaults with one', () => {
    expect(loadConfig({}).segment).toBeUndefined();
    expect(loadConfig({ SEGMENT_WRITE_KEY: 'k'.repeat(16) }).segment).toEqual({
      writeKey: 'k'.repeat(16),
      accountTrait: undefined,
      loginEvents: ['Signed In', 'Logged In'],
      metricEvents: [],
    });
  });

  it('reads event lists, and refuses an event that would take a computed metric’s name', () => {
    const segment = loadConfig({
      SEGMENT_WRITE_KEY: 'k'.repeat(16),
      SEGMENT_LOGIN_EVENTS: 'Session Started',
      SEGMENT_METRIC_EVENTS: ' Order Completed , Report Exported',
    }).segment;
    expect(segment?.loginEvents).toEqual(['Session Started']);
    expect(segment?.metricEvents).toEqual(['Order Completed', 'Report Exported']);
    expect(problems({ SEGMENT_WRITE_KEY: 'k'.repeat(16), SEGMENT_METRIC_EVENTS: 'Logins,42' })).toEqual([
      expect.stringMatching(/^SEGMENT_METRIC_EVENTS "Logins" would be counted as logins/),
      expect.stringMatching(/^SEGMENT_METRIC_EVENTS "42" has no letter/),
    ]);
    expect(problems({ SEGMENT_WRITE_KEY: 'short' })[0]).toMatch(/^SEGMENT_WRITE_KEY must be at least 16/);
  });

  it('names a counted event by the metric-name rule', () => {
    expect(eventMetricName('Order Completed')).toBe('order_completed');
    expect(eventMetricName('  3D Model — Exported! ')).toBe('d_model_exported');
    expect(eventMetricName('checkout.step_2')).toBe('checkout.step_2');
  });
});

describe('the Zendesk settings', () => {
  it('are all needed once one is given, and build the API URL from the subdomain', () => {
    expect(loadConfig({}).zendesk).toBeUndefined();
    expect(problems({ ZENDESK_SUBDOMAIN: 'acme' })).toEqual([
      'ZENDESK_EMAIL is required with the other ZENDESK_ settings (example: ZENDESK_EMAIL=cs-ops@acme.com)',
      'ZENDESK_TOKEN is required with the other ZENDESK_ settings (example: ZENDESK_TOKEN=the API token from Zendesk Admin Center)',
    ]);
    const env = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: 'ops@acme.com', ZENDESK_TOKEN: 'abcdefgh12' };
    expect(loadConfig(env).zendesk).toEqual({
      subdomain: 'acme',
      apiUrl: 'https://acme.zendesk.com',
      email: 'ops@acme.com',
      token: 'abcdefgh12',
    });
    // A local double serves the API; the links to tickets still name the real subdomain.
    expect(loadConfig({ ...env, ZENDESK_API_URL: 'http://127.0.0.1:9092/' }).zendesk).toMatchObject({
      subdomain: 'acme',
      apiUrl: 'http://127.0.0.1:9092',
    });
    expect(problems({ ...env, ZENDESK_SUBDOMAIN: 'acme.zendesk.com' })[0]).toMatch(
      /^ZENDESK_SUBDOMAIN must be the subdomain only/,
    );
  });
});

describe('the HubSpot settings', () => {
  it('are off without a token, and read the property map', () => {
    expect(loadConfig({}).hubspot).toBeUndefined();
    expect(
      loadConfig({ HUBSPOT_TOKEN: 'pat-na1-0123', HUBSPOT_PROPERTIES: 'key=pulse_key, mrr=mrr_usd' }).hubspot,
    ).toEqual({
      token: 'pat-na1-0123',
      apiUrl: 'https://api.hubapi.com',
      cron: '*/15 * * * *',
      properties: { key: 'pulse_key', mrr: 'mrr_usd' },
    });
    expect(problems({ HUBSPOT_TOKEN: 'pat-na1-0123', HUBSPOT_PROPERTIES: 'arr=annual' })[0]).toMatch(
      /^HUBSPOT_PROPERTIES "arr=annual" is not field=property \(fields: key, mrr, renewal_date, tier, stage, seats, role\)/,
    );
    expect(problems({ HUBSPOT_TOKEN: 'pat-na1-0123', HUBSPOT_SYNC_CRON: 'often' })[0]).toMatch(
      /^HUBSPOT_SYNC_CRON is not a valid cron expression/,
    );
  });
});
