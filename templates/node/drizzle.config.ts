// drizzle-kit: `npm run db:generate` writes the next migration into
// ./migrations from the difference between src/schema.ts and the snapshot
// in migrations/meta. No engine download, works offline.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: "./migrations",
});
