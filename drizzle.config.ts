import { defineConfig } from "drizzle-kit";

// Only used to generate SQL migrations for D1 (`npm run db:generate`);
// wrangler applies them (`wrangler d1 migrations apply DB`).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
