import { type DescMessage, getOption, hasOption } from "@bufbuild/protobuf";
import { file_triphub_config_v1_settings, settings_of } from "@triphub/contracts/triphub/config/v1/settings_pb";

// Every message of settings.proto marked `(settings_of) = "<service>"`, by service.
const schemas = new Map<string, DescMessage>(
  file_triphub_config_v1_settings.messages.filter((m) => hasOption(m, settings_of)).map((m) => [getOption(m, settings_of), m]),
);

/**
 * The settings message a service declares (triphub.config.v1.<Service>Settings, marked with
 * the `settings_of` option), or undefined for a service that has none: it can be configured
 * with nothing.
 */
export const settingsSchemaOf = (service: string): DescMessage | undefined => schemas.get(service);

/** The services that declare settings. */
export const configurableServices = (): string[] => [...schemas.keys()];
