// `pnpm --filter @triphub/payment rebuild` with DATABASE_URL: replays the event log into a
// fresh payments read model (stop the service first).
import { runRebuild } from "@triphub/platform";
import { MIGRATIONS_FOLDER } from "./server.js";
import type { PaymentDb } from "./store/db.js";
import { createPaymentStore } from "./store/payment-store.js";

await runRebuild({
  name: "payment",
  migrationsFolder: MIGRATIONS_FOLDER,
  rebuild: (database) => createPaymentStore(database.db as PaymentDb).rebuildReadModel(),
});
