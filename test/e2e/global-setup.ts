// Starts the app (as `npm start` would) for the browser tests, and stops it afterwards.
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../support/dev-server';

export const E2E_TEACHER_KEY = 'e2e-teacher-key';

export default async function setup(project: TestProject) {
  // Every browser in these tests is the same client (127.0.0.1): a few tests' deliberate wrong codes
  // could trip the failure limit for the next test. A short block keeps the limit on (the abuse test
  // checks it) without one test's guesses locking out another.
  const server = await startDevServer(E2E_TEACHER_KEY, { RATE_LIMIT_BLOCK_SECONDS: '2' });
  project.provide('baseUrl', server.base);
  project.provide('teacherKey', E2E_TEACHER_KEY);
  return () => server.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    teacherKey: string;
  }
}
