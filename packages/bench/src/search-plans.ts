// EXPLAIN (ANALYZE, BUFFERS) of the statements behind a search page, as the accommodation
// service's own code builds them: request proto -> searchInputFromProto -> parseSearch ->
// the search store's search(), run on a recording executor (each statement is rendered by the
// service's drizzle dialect and run on our connection, then explained).
import { create } from "@bufbuild/protobuf";
import { createSearchStore, parseSearch, searchInputFromProto } from "@triphub/accommodation";
import { Amenity, PropertyType } from "@triphub/contracts/triphub/accommodation/v1/property_pb";
import {
  type SearchAccommodationsRequest,
  SearchAccommodationsRequestSchema,
  SearchSort,
} from "@triphub/contracts/triphub/accommodation/v1/search_pb";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type { SearchSpec } from "./search-queries.js";

interface Statement {
  sql: string;
  params: unknown[];
}

interface SearchSql {
  /** The statements one search for `req` runs, in order, as the service would run them. */
  statements(db: postgres.Sql, req: SearchAccommodationsRequest, now: Date): Promise<Statement[]>;
}

function loadSearchSql(): SearchSql {
  const dialect = new PgDialect();
  return {
    async statements(db, req, now) {
      const ran: Statement[] = [];
      // The store only calls execute() for a search; rows come back as postgres.js gives them.
      const recorder = {
        execute: async (query: SQL) => {
          const statement = dialect.sqlToQuery(query);
          ran.push(statement);
          return db.unsafe(statement.sql, statement.params as never[]);
        },
      };
      await createSearchStore(recorder as unknown as Parameters<typeof createSearchStore>[0]).search(parseSearch(searchInputFromProto(req), now), now);
      return ran;
    },
  };
}

const enumValue = (e: object, name: string): number => {
  const v = (e as Record<string, unknown>)[name];
  if (typeof v !== "number") throw new Error(`unknown enum value ${name}`);
  return v;
};

/** The request message of a search spec (what the gateway makes of its REST query). */
export function toRequest(s: SearchSpec): SearchAccommodationsRequest {
  const money = (amount: number | undefined) => (amount === undefined ? undefined : { amountMinor: BigInt(amount), currencyCode: s.price!.currency });
  return create(SearchAccommodationsRequestSchema, {
    location: s.near
      ? { case: "near", value: { center: { latitude: s.near.latitude, longitude: s.near.longitude }, radiusKm: s.near.radiusKm } }
      : s.destination
        ? { case: "destination", value: s.destination }
        : { case: undefined },
    checkIn: s.checkIn ?? "",
    checkOut: s.checkOut ?? "",
    adults: s.adults,
    children: s.children,
    minNightlyPrice: money(s.price?.min),
    maxNightlyPrice: money(s.price?.max),
    propertyTypes: s.types.map((t) => enumValue(PropertyType, t)),
    amenities: s.amenities.map((a) => enumValue(Amenity, a)),
    minRating: s.minRating,
    freeCancellationOnly: s.freeCancellationOnly,
    sort: s.sort ? enumValue(SearchSort, s.sort) : SearchSort.UNSPECIFIED,
    pageToken: s.pageToken ?? "",
  });
}

/** One explained statement of a search. */
export interface ExplainedStatement {
  label: string;
  plan: string;
  executionMs: number;
  /** The root node's "Buffers:" line: shared blocks hit in PostgreSQL's cache, read from the OS. */
  buffers: string;
}

/**
 * Runs each statement of each search under EXPLAIN (ANALYZE, BUFFERS), twice (the second, warm
 * run is kept). A custom plan for the actual parameters, as the first executions of a prepared
 * statement get; PostgreSQL may switch the service's prepared statements to a generic plan later.
 */
export async function explainSearches(db: postgres.Sql, searches: { label: string; spec: SearchSpec }[], now: Date): Promise<ExplainedStatement[]> {
  const searchSql = await loadSearchSql();
  const out: ExplainedStatement[] = [];
  for (const { label, spec } of searches) {
    const statements = await searchSql.statements(db, toRequest(spec), now);
    for (const [i, { sql, params }] of statements.entries()) {
      const run = async () => (await db.unsafe(`explain (analyze, buffers) ${sql}`, params as never[])).map((r) => String(r["QUERY PLAN"]));
      await run();
      const lines = await run();
      const execution = lines.find((l) => l.startsWith("Execution Time:")) ?? "";
      out.push({
        label: statements.length > 1 ? `${label} [statement ${i + 1} of ${statements.length}]` : label,
        plan: lines.join("\n"),
        executionMs: Number(/([\d.]+) ms/.exec(execution)?.[1] ?? Number.NaN),
        buffers: lines.find((l) => l.trim().startsWith("Buffers:"))?.trim().replace(/^Buffers: /, "") ?? "",
      });
    }
  }
  return out;
}
