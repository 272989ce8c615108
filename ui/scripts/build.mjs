// Builds the web UI into the folder given (Maven's target/dist) with the machine's own node and npm:
// `npm ci` only when node_modules is missing or was installed from another package-lock.json, then `vite build`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'target', 'dist'));

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`the web UI needs Node.js 20.19 or newer (this is ${process.versions.node}): install a newer nodejs`);
  process.exit(1);
}

const lock = readFileSync(join(root, 'package-lock.json'));
const lockSha = createHash('sha256').update(lock).digest('hex');
const stamp = join(root, 'node_modules', '.baton-lock-sha256');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockSha) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, lockSha);
}

const vite = await import(join(root, 'node_modules', 'vite', 'dist', 'node', 'index.js'));
await vite.build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
