import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('runs the sandbox on PGlite with nothing set, with the contract defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      sandbox: true,
      port: 3000,
      databaseUrl: undefined,
      dataDir: './.data',
      timezone: 'UTC',
      digestCron: '0 9 * * 1',
      logLevel: 'info',
      csTeam: undefined,
      ingestToken: undefined,
    });
    expect(config.health.bands).toEqual({ redMax: 50, yellowMax: 75 });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: '', DATABASE_URL: ' ' })).toMatchObject({
      sandbox: true,
      databaseUrl: undefined,
    });
  });

  it('needs a signing secret and an alert channel in HTTP mode', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toEqual([
      'SLACK_SIGNING_SECRET is required in HTTP mode (no SLACK_APP_TOKEN) (example: SLACK_SIGNING_SECRET=8f14e45fceea167a5a36dedd4bea2543)',
      'CS_ALERT_CHANNEL is required when connected to Slack (example: CS_ALERT_CHANNEL=C0123ABCD)',
    ]);
  });

  it('reports missing Slack settings together with malformed ones', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', PORT: 'abc' }).map((l) => l.split(' ')[0])).toEqual([
      'PORT',
      'SLACK_SIGNING_SECRET',
      'CS_ALERT_CHANNEL',
    ]);
  });

  it('accepts Socket Mode without a signing secret', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      CS_ALERT_CHANNEL: 'C0ALERTS',
    });
    expect(config.sandbox).toBe(false);
    expect(config.slack.appToken).toBe('xapp-1');
  });

  it('lists every problem at once, one line each, naming the variable and giving an example', () => {
    const lines = problems({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      CS_TEAM: 'U01,S01,S02',
      PULSE_TIMEZONE: 'Mars/Olympus',
      DIGEST_CRON: 'every monday',
      INGEST_TOKEN: 'short',
      LOG_LEVEL: 'loud',
    });
    expect(lines.map((l) => l.split(' ')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'PORT',
      'DATABASE_URL',
      'CS_TEAM',
      'INGEST_TOKEN',
      'PULSE_TIMEZONE',
      'DIGEST_CRON',
      'LOG_LEVEL',
      'SLACK_SIGNING_SECRET',
      'CS_ALERT_CHANNEL',
    ]);
    for (const line of lines) expect(line).toMatch(/\(example: [A-Z_]+=/);
  });

  it('never echoes a secret value in a problem', () => {
    const secret = 'not-a-valid-token-but-secret';
    const lines = problems({ SLACK_BOT_TOKEN: secret, INGEST_TOKEN: 'tiny' });
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).not.toContain('tiny');
  });

  it('splits CS_TEAM into users and one user group', () => {
    expect(loadConfig({ CS_TEAM: 'U01AAA, U02BBB,S0TEAM' }).csTeam).toEqual({
      users: ['U01AAA', 'U02BBB'],
      userGroup: 'S0TEAM',
    });
  });

  it('reads health weights and bands, and refuses nonsense', () => {
    const config = loadConfig({ HEALTH_WEIGHTS: 'usage=50,billing=0', HEALTH_BANDS: '40,70' });
    expect(config.health.weights).toMatchObject({ usage: 50, billing: 0, outcomes: 15 });
    expect(config.health.bands).toEqual({ redMax: 40, yellowMax: 70 });
    expect(problems({ HEALTH_WEIGHTS: 'happiness=10' })[0]).toMatch(
      /^HEALTH_WEIGHTS "happiness=10" is not component=weight/,
    );
    expect(problems({ HEALTH_BANDS: '75,50' })[0]).toMatch(/^HEALTH_BANDS must be two integers/);
  });

  it('reads the escalation delays, 4 h and 24 h by default', () => {
    expect(loadConfig({}).escalationHours).toEqual({ urgentHours: 4, otherHours: 24 });
    expect(loadConfig({ ESCALATE_AFTER_HOURS: '2, 12' }).escalationHours).toEqual({
      urgentHours: 2,
      otherHours: 12,
    });
    expect(problems({ ESCALATE_AFTER_HOURS: '4' })[0]).toMatch(
      /^ESCALATE_AFTER_HOURS must be two positive numbers/,
    );
  });

  it('reads GROSS_MARGIN as exact decimal text, 1 by default, between 0 and 1', () => {
    expect(loadConfig({}).grossMargin).toBe('1');
    expect(loadConfig({ GROSS_MARGIN: ' 0.75 ' }).grossMargin).toBe('0.75');
    for (const bad of ['1.5', '80%', '-0.1', '0.12345']) {
      expect(problems({ GROSS_MARGIN: bad })[0]).toMatch(/^GROSS_MARGIN must be a decimal between 0 and 1/);
    }
  });

  it('reads the delay before the CS leads are told, 8 h by default', () => {
    expect(loadConfig({}).leadEscalationHours).toBe(8);
    expect(loadConfig({ ALERT_LEAD_ESCALATION_HOURS: '2.5' }).leadEscalationHours).toBe(2.5);
    expect(problems({ ALERT_LEAD_ESCALATION_HOURS: '0' })[0]).toMatch(
      /^ALERT_LEAD_ESCALATION_HOURS must be a positive number of hours/,
    );
  });

  it('normalises SLACK_API_URL to end with a slash', () => {
    expect(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:9999/api' }).slack.apiUrl).toBe(
      'http://127.0.0.1:9999/api/',
    );
  });
});
