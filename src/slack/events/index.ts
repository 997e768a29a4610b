import type { App } from '@slack/bolt';
import type { Deps } from '../../deps.ts';
import { registerAppHome } from './app-home.ts';

/** Every Events API listener. */
export function registerEvents(app: App, deps: Deps): void {
  registerAppHome(app, deps);
}
