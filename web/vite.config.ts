/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` serves the app with hot reload and passes the API on to a running gateway
// (ISETS_GATEWAY_URL, by default the one deploy/up.sh starts).
const gateway = process.env.ISETS_GATEWAY_URL ?? "http://127.0.0.1:8100";

export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/api": gateway, "/auth": gateway, "/.well-known": gateway } },
  build: { chunkSizeWarningLimit: 2000 },
  test: { environment: "jsdom", globals: true, setupFiles: ["src/test-setup.ts"], include: ["src/**/*.test.tsx"] },
});
