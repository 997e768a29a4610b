import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import type { Access } from '../access.ts';
import { registerAppHome } from './app-home.ts';

/** Every Events API listener; returns the function that stops their background work. */
export function registerEvents(app: App, deps: Deps, access: Access): () => Promise<void> {
  return registerAppHome(app, deps, access);
}
