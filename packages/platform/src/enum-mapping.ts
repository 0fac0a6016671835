/** Both directions between a domain string union and a proto enum without its UNSPECIFIED value. */
export interface EnumMapping<D extends string, P extends number> {
  toProto(d: D): P;
  /** Throws on UNSPECIFIED or an unknown number: a caller that allows it checks first. */
  fromProto(p: P): D;
}

/**
 * A two-way table for proto-mapping: tables rather than name arithmetic, so a renamed value
 * fails to compile instead of mapping to UNSPECIFIED. `what` names the enum in errors.
 */
export function enumMapping<D extends string, P extends number>(table: Record<D, P>, what: string): EnumMapping<D, P> {
  const back = new Map<number, D>(Object.entries(table).map(([d, p]) => [p as number, d as D]));
  return {
    toProto: (d) => table[d],
    fromProto: (p) => {
      const d = back.get(p);
      if (d === undefined) throw new Error(`no ${what} for proto value ${p}`);
      return d;
    },
  };
}
