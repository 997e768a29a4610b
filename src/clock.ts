/** The one clock: injected everywhere so tests can move time. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
