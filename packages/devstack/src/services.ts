/** A service the devstack runs as its own process. */
export interface ServiceSpec {
  /** Short name: database `triphub_<name>`, log file `.data/logs/<name>.log`. */
  name: string;
  /** Package folder under packages/. */
  dir: string;
  port: number;
  /** Whether it owns a database. */
  database: boolean;
}

/** Every service that exists today, in start order. Later issues add theirs here. */
export const SERVICES: ServiceSpec[] = [{ name: "auth", dir: "auth", port: 7101, database: true }];

/** The per-service database URL variable an operator sets to use an external server. */
export const databaseUrlVariable = (name: string) => `DATABASE_URL_${name.toUpperCase()}`;
