// Instants both ways: Date <-> google.protobuf.Timestamp, unset staying unset.
import { type Timestamp, timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";

/** A Date as a Timestamp, or unset. */
export const toProtoTime = (d: Date | undefined): Timestamp | undefined => (d === undefined ? undefined : timestampFromDate(d));

/** A Timestamp as a Date, or undefined when unset. */
export const timeFromProto = (t: Timestamp | undefined): Date | undefined => (t === undefined ? undefined : timestampDate(t));
