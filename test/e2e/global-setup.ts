// Starts the app (as `npm start` would) for the browser tests, and stops it afterwards.
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../support/dev-server';

export const E2E_TEACHER_KEY = 'e2e-teacher-key';

export default async function setup(project: TestProject) {
  const server = await startDevServer(E2E_TEACHER_KEY);
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
