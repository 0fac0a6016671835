#!/usr/bin/env node
// Prints a .env for compose.yaml with fresh random secrets: `node infra/compose/make-env.mjs > .env`.
// Each service's client secret, and auth's SERVICE_CLIENTS, which holds only their SHA-256
// hashes (the chassis's formatServiceClients format). Plain Node: it runs before any install.
import { createHash, randomBytes } from "node:crypto";

const secret = () => randomBytes(32).toString("base64url");
const callers = ["accommodation", "payment", "reservation", "review", "gateway"];
const clients = Object.fromEntries(callers.map((name) => [name, secret()]));
const lines = [
  `POSTGRES_PASSWORD=${secret()}`,
  `GRAFANA_ADMIN_PASSWORD=${secret()}`,
  `AUTH_KEY_ENCRYPTION_KEY=${secret()}`,
  // DATA_KEKS: id:base64 of 32 bytes, current first; BLIND_INDEX_KEY: base64 of 32 bytes.
  `AUTH_DATA_KEKS=k1:${randomBytes(32).toString("base64")}`,
  `AUTH_BLIND_INDEX_KEY=${randomBytes(32).toString("base64")}`,
  `RESERVATION_DATA_KEKS=k1:${randomBytes(32).toString("base64")}`,
  ...callers.map((name) => `${name.toUpperCase()}_CLIENT_SECRET=${clients[name]}`),
  `SERVICE_CLIENTS=${callers.map((name) => `${name}:${createHash("sha256").update(clients[name]).digest("hex")}`).join(",")}`,
];
process.stdout.write(`${lines.join("\n")}\n`);
