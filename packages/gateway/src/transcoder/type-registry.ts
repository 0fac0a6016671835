import { createRegistry, type DescFile, type DescService, type Registry } from "@bufbuild/protobuf";
import { file_google_rpc_error_details } from "@triphub/contracts/google/rpc/error_details_pb";
import { file_google_rpc_status } from "@triphub/contracts/google/rpc/status_pb";

/**
 * The types the transcoder can print inside `google.protobuf.Any` (in bodies and in error
 * details): every file the services' protos import, transitively, plus google.rpc's error
 * details. A service whose protos use protovalidate imports buf/validate/validate.proto, so
 * `buf.validate.Violations` details resolve through it; `extra` adds anything else (types
 * that only travel inside Any).
 */
export function createTypeRegistry(services: readonly DescService[], extra?: Registry): Registry {
  const files = new Map<string, DescFile>();
  const visit = (file: DescFile) => {
    // The same .proto may be generated twice (e.g. protovalidate's copy and a local one): the
    // first copy wins, since a registry refuses two types with one name.
    if (files.has(file.name)) return;
    files.set(file.name, file);
    for (const dep of file.dependencies) visit(dep);
  };
  visit(file_google_rpc_status);
  visit(file_google_rpc_error_details);
  for (const s of services) visit(s.file);
  const own = createRegistry(...files.values());
  return extra ? createRegistry(extra, own) : own;
}
