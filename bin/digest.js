#!/usr/bin/env node
// `npx digest <command>`: runs the TypeScript CLI through tsx's loader, with
// the project's tsconfig wherever it is started from (JSX settings live there).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli.ts');
