import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import type { Access } from '../access.ts';
import { registerAppHome } from './app-home.ts';
import { registerChannelSharingEvents } from './channel-sharing.ts';

/** Every Events API listener; returns the function that stops their background work. */
export function registerEvents(app: App, deps: Deps, access: Access): () => Promise<void> {
  registerChannelSharingEvents(app, deps);
  return registerAppHome(app, deps, access);
}
