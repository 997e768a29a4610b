import { existsSync, mkdtempSync, openAsBlob, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { LOCK_FILE, lockDataDir, openFailure } from './data-dir-lock.ts';

/** A backup or a restore that cannot be done; the message is the one line printed. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/**
 * Writes the embedded database in `dir` to `out` as PGlite's own gzipped tarball (`dumpDataDir`). It
 * holds the data folder's lock meanwhile: a copy taken while Pulse writes would not be consistent, so a
 * running Pulse makes it fail (DataDirError naming that process), and Pulse cannot start during it.
 * Returns the size written.
 */
export async function backupDataDir(dir: string, out: string, what: string): Promise<number> {
  const folder = resolve(dir);
  if (!existsSync(join(folder, 'PG_VERSION'))) {
    throw new BackupError(`PULSE_DATA_DIR ${folder} holds no embedded database: nothing to back up`);
  }
  if (existsSync(out)) throw new BackupError(`${resolve(out)} already exists: choose another file name`);
  const lock = lockDataDir(folder, { what });
  try {
    const client = await PGlite.create(folder).catch((error: Error) => {
      throw openFailure(folder, error);
    });
    let dump: Blob;
    try {
      dump = await client.dumpDataDir('gzip');
    } finally {
      await client.close();
    }
    const bytes = Buffer.from(await dump.arrayBuffer());
    // Written aside, then renamed: a backup file that exists is a whole one.
    const partial = `${out}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, out);
    return bytes.length;
  } finally {
    lock.release();
  }
}

/**
 * Puts the database of a backup made by backupDataDir into `dir`, which must be empty (or missing) unless
 * `force` replaces what it holds; refused while another process holds the folder. The tarball is
 * unpacked and opened in a folder beside `dir` first, so a file that is not a backup changes nothing; it
 * carries the lock file of the process that made it, which is left out.
 */
export async function restoreDataDir(
  file: string,
  dir: string,
  options: { force: boolean; what: string },
): Promise<void> {
  const folder = resolve(dir);
  const held = existsSync(folder) ? readdirSync(folder).filter((name) => name !== LOCK_FILE) : [];
  if (held.length && !options.force) {
    throw new BackupError(
      `PULSE_DATA_DIR ${folder} is not empty: restore into an empty folder, or add --force to replace its database`,
    );
  }
  let tarball: Blob;
  try {
    tarball = await openAsBlob(file);
  } catch (error) {
    throw new BackupError(`cannot read ${resolve(file)} (${(error as Error).message})`);
  }
  const lock = lockDataDir(folder, { what: options.what });
  const staging = mkdtempSync(join(dirname(folder), `.${basename(folder)}.restoring-`));
  try {
    try {
      const client = await PGlite.create({ dataDir: staging, loadDataDir: tarball });
      await client.query('select 1');
      await client.close();
    } catch (error) {
      throw new BackupError(
        `${resolve(file)} is not a backup of the embedded database (${(error as Error).message || 'unreadable'})`,
      );
    }
    rmSync(join(staging, LOCK_FILE), { force: true });
    for (const name of readdirSync(folder)) {
      if (name !== LOCK_FILE) rmSync(join(folder, name), { recursive: true, force: true });
    }
    for (const name of readdirSync(staging)) renameSync(join(staging, name), join(folder, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock.release();
  }
}
