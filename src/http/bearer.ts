import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether an `Authorization` header carries exactly this bearer token. Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of the guess.
 */
export function hasBearerToken(header: string | undefined, token: string): boolean {
  const given = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
  const equal = timingSafeEqual(digest(given ?? ''), digest(token));
  return given !== undefined && equal;
}
