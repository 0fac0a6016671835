// Values the global setup hands to every test file through vitest's provide()/inject().
declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the run's PostgreSQL server; tests create their own databases on it. */
    databaseUrl: string;
    /** URL of the run's Redis server. */
    redisUrl: string;
    /** Prefix of every database this run creates, so teardown can drop them. */
    databasePrefix: string;
  }
}

export {};
