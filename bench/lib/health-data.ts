import { sql } from 'drizzle-orm';
import type { Executor } from '../../src/db/client.ts';

export interface HealthDataSize {
  accounts: number;
  /** Days of daily active_users per account. */
  days: number;
}

/**
 * A portfolio generated set-based in SQL, as daily ingestion would lay it out on disk (day after day):
 * every account has `days` daily active_users points ending on the UTC date of `now`, with utilisation
 * spread over the bands and one account in seven falling by 40% in the last week; two contacts each (one
 * account in five without a champion); 5% report tickets_open for the last 30 days; a payment 20 days
 * ago for everyone, and a few failed payments, expiring cards and disputes after it. One account in fifty is churned.
 */
export async function generateHealthData(db: Executor, size: HealthDataSize, now: Date): Promise<void> {
  const today = `${now.toISOString().slice(0, 10)}T00:00:00Z`;
  await db.execute(sql`
    insert into accounts (key, name, tier, stage, seats, owner_slack_id, renewal_date, status, mrr)
    select 'acct-' || lpad(i::text, 6, '0'), 'Account ' || i,
      (array['tech_touch', 'low_touch', 'mid_touch', 'high_touch', 'exclusive'])[1 + i % 5],
      (array['onboarding', 'adoption', 'expansion', 'renewal'])[1 + i % 4],
      10 + (i % 20) * 5,
      'U' || lpad((1 + i % 40)::text, 8, '0'),
      ${today}::date + (i % 365),
      case when i % 50 = 0 then 'churned' else 'active' end,
      100 + i % 900
    from generate_series(1, ${size.accounts}::int) i`);
  // The lateral reference to d makes the days the outer loop, so rows land in time order.
  await db.execute(sql`
    insert into metric_points (account_id, metric, at, value)
    select a.id, 'active_users', ${today}::timestamptz - d * interval '1 day',
      greatest(0, round(a.seats * (
        (0.15 + 0.08 * (a.id % 10)) * (case when a.id % 7 = 0 and d < 7 then 0.6 else 1 end)
        + ((a.id * 31 + d * 17) % 11 - 5) / 100.0)))
    from generate_series(${size.days - 1}::int, 0, -1) d
    cross join lateral (select id, seats from accounts where d >= 0) a`);
  await db.execute(sql`
    insert into metric_points (account_id, metric, at, value)
    select a.id, 'tickets_open', ${today}::timestamptz - d * interval '1 day', (a.id + d / 10) % 4
    from generate_series(29, 0, -1) d
    cross join lateral (select id from accounts where id % 20 = 3 and d >= 0) a`);
  await db.execute(sql`
    insert into contacts (account_id, email, role)
    select a.id, r.role || '@' || a.key || '.example', r.role
    from accounts a
    cross join (values ('champion'), ('user')) r(role)
    where r.role = 'user' or a.id % 5 <> 0`);
  await db.execute(sql`
    insert into contacts (account_id, email, role)
    select id, 'buyer@' || key || '.example', 'decision_maker' from accounts where id % 5 = 0`);
  await db.execute(sql`
    insert into billing_events (account_id, external_id, type, occurred_at, amount, currency, card_expires_at)
    select a.id, 'evt-' || a.id || '-' || e.type, e.type, ${now.toISOString()}::timestamptz - e.ago,
      case when e.type like 'payment%' then a.mrr end, 'USD',
      case when e.type = 'card_expiring' then ${today}::date + 20 end
    from accounts a
    join (values ('payment_succeeded', interval '20 days', 1), ('payment_failed', interval '5 days', 50),
                 ('card_expiring', interval '3 days', 97), ('dispute_opened', interval '9 days', 200)) e(type, ago, every)
      on a.id % e.every = 0`);
}

/**
 * The metrics of the benchmark's custom model (bench/health-model-8x5.yaml), laid out day after day as
 * ingestion would: daily `logins` and `sales` for the last 30 days, `invoice_errors` and
 * `products_announced` on some days, `reports_generated` weekly. Values vary by account so every goal is
 * met by some accounts and missed by others.
 */
export async function generateModelMetrics(db: Executor, size: HealthDataSize, now: Date): Promise<void> {
  const today = `${now.toISOString().slice(0, 10)}T00:00:00Z`;
  await db.execute(sql`
    insert into metric_points (account_id, metric, at, value)
    select a.id, m.metric, ${today}::timestamptz - d * interval '1 day',
      case m.metric
        when 'logins' then case when (a.id + d) % (2 + a.id % 9) = 0 then 0 else 1 + (a.id + d) % 7 end
        when 'sales' then ((a.id * 7 + d * 3) % 5) * (a.id % 3) / 2.0
        when 'invoice_errors' then case when (a.id + d) % 23 = 0 then 1 else 0 end
        when 'products_announced' then (a.id + d) % 3
        else 1
      end
    from generate_series(${Math.min(size.days, 30) - 1}::int, 0, -1) d
    cross join (values ('logins', 1), ('sales', 1), ('invoice_errors', 3), ('products_announced', 5),
                       ('reports_generated', 7)) m(metric, every)
    cross join lateral (select id from accounts where d >= 0) a
    where (d + a.id) % m.every = 0`);
}
