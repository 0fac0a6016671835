// The drizzle schema: the tables this service owns, none yet. Add them here (the template's
// notes table shows the shape), then run `pnpm db:generate` in this package and commit the
// new drizzle/0000_*.sql; never edit a committed one.
export {};
