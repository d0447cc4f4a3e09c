import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import * as prettier from 'prettier';
import { allRoutes } from '../api/app';
import { buildOpenApi } from '../api/openapi';
import type { Container } from '../modules/platform/container';

/**
 * `npm run api:types`: writes web/src/api/schema.d.ts from the same document /openapi.json
 * serves. `--check` (part of `npm run typecheck`) writes it to a temporary file instead and
 * fails when the committed one differs, so the web cannot compile against a stale contract.
 */
const TARGET = path.resolve(__dirname, '../web/src/api/schema.d.ts');
const HEADER = '// Generated from /openapi.json by `npm run api:types` (scripts/openapi-types.ts); do not edit.\n';

async function generate(): Promise<string> {
  // route factories only keep the container for their handlers, and no handler runs here: nothing is connected
  const routes = allRoutes({} as Container);
  const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as {
    version: string;
  };
  const ast = await openapiTS(buildOpenApi(routes, version) as unknown as OpenAPI3, { silent: true });
  const options = { ...(await prettier.resolveConfig(TARGET)), filepath: TARGET };
  return prettier.format(HEADER + astToString(ast), options);
}

async function main(): Promise<number> {
  const text = await generate();
  if (!process.argv.includes('--check')) {
    fs.writeFileSync(TARGET, text);
    return 0;
  }
  const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flagpole-api-types-')), 'schema.d.ts');
  fs.writeFileSync(fresh, text);
  const committed = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : '';
  if (committed === text) return 0;
  console.error(
    `${path.relative(process.cwd(), TARGET)} is not what /openapi.json gives (fresh copy: ${fresh}); run npm run api:types and commit it.`,
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
