import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { recipientLocales, rememberUserLocale } from '../../src/services/user-locales.ts';
import { freshDatabase } from '../helpers/database.ts';

let db: Database;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
});

afterAll(async () => {
  await drop?.();
});

describe("the language of a person's DMs sent by a job", () => {
  it('is their Slack locale as last read, else the team’s', async () => {
    await rememberUserLocale(db.orm, 'U0LUANA', 'pt-BR', new Date('2026-12-01T10:00:00Z'));
    await rememberUserLocale(db.orm, 'U0JOAO', 'pt-PT', new Date('2026-12-01T10:00:00Z'));
    await rememberUserLocale(db.orm, 'U0MARINA', 'en-US', new Date('2026-12-01T10:00:00Z'));
    const localeOf = await recipientLocales(db.orm, ['U0LUANA', 'U0JOAO', 'U0MARINA', 'U0NEVER'], 'pt-BR');
    expect(['U0LUANA', 'U0JOAO', 'U0MARINA', 'U0NEVER'].map(localeOf)).toEqual([
      'pt-BR',
      'pt-BR',
      'en',
      'pt-BR',
    ]);
  });

  it('follows a change of language, and an older reading never undoes a newer one', async () => {
    await rememberUserLocale(db.orm, 'U0LUANA', 'en-GB', new Date('2026-12-02T10:00:00Z'));
    await rememberUserLocale(db.orm, 'U0LUANA', 'pt-BR', new Date('2026-12-01T12:00:00Z'));
    expect((await recipientLocales(db.orm, ['U0LUANA'], 'pt-BR'))('U0LUANA')).toBe('en');
  });
});
