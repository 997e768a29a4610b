import type { Deps } from '../../deps.ts';
import type { Access } from '../access.ts';
import type { Listeners } from '../listeners.ts';
import { registerAppHome } from './app-home.ts';
import { registerChannelSharingEvents } from './channel-sharing.ts';

/** Every Events API listener; returns the function that stops their background work. */
export function registerEvents(app: Listeners, deps: Deps, access: Access): () => Promise<void> {
  registerChannelSharingEvents(app, deps);
  return registerAppHome(app, deps, access);
}
