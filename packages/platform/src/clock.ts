/**
 * The time as a service sees it. Every service, the chassis and the testkit take one injected
 * clock, so a test moves the time of a whole platform at once (testkit's `testClock`).
 */
export type Clock = () => Date;

/** The real clock: what main.ts (through `runService`) hands every service. */
export const systemClock: Clock = () => new Date();
