// Runs the `egov` CLI against a node the way a user does, and reads its JSON answer.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBinary } from './dev-node.js';

/**
 * `egov --json --url <rpcUrl> ...args`: resolves with the last line of stdout parsed as
 * JSON; rejects with an error carrying the exit `code`, `stdout` and `stderr`.
 */
export function egov(rpcUrl, ...args) {
  return new Promise((resolve, reject) => {
    execFile(cliBinary(), ['--json', '--url', rpcUrl, ...args], { timeout: 300_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const e = new Error(`egov ${args.join(' ')} failed (${err.code}): ${stderr}${stdout}`);
        e.code = err.code;
        e.stdout = stdout;
        e.stderr = stderr;
        reject(e);
      } else {
        const last = stdout.trim().split('\n').pop();
        resolve(JSON.parse(last));
      }
    });
  });
}

const secretFiles = new Map();

/**
 * A file holding `secret` (readable by its owner only), for `egov --seed-file`: the CLI
 * refuses real secrets on its command line.
 */
export function secretFile(secret) {
  if (!secretFiles.has(secret)) {
    const dir = mkdtempSync(join(tmpdir(), 'egov-secret-'));
    const path = join(dir, 'seed');
    writeFileSync(path, secret, { mode: 0o600 });
    secretFiles.set(secret, path);
  }
  return secretFiles.get(secret);
}

/**
 * The council (Alice, Bob, Charlie on the dev chain) appoints authorities by named motions
 * with `egov council`: `appointments` are `appoint-authority` arguments (account, role,
 * options). Each motion is proposed by one member and gets two ayes (two thirds of three):
 * its proposer's and the next member's; each member signs its acts one at a time, the
 * members at once. Resolves with the close outcomes.
 */
export async function appointByCouncil(egov, appointments) {
  const members = ['//Alice', '//Bob', '//Charlie'];
  const proposer = appointments.map((_, i) => i % members.length);
  const motions = [];
  const each = (task) => Promise.all(members.map(async (seed, j) => {
    for (let i = 0; i < appointments.length; i++) await task(seed, j, i);
  }));
  await each(async (seed, j, i) => {
    if (proposer[i] === j) motions[i] = await egov('council', 'propose', 'appoint-authority', ...appointments[i], '--seed', seed);
  });
  await each(async (seed, j, i) => {
    if (proposer[i] === j || (proposer[i] + 1) % members.length === j) {
      await egov('council', 'vote', String(motions[i].motion), '--aye', '--seed', seed);
    }
  });
  const outcomes = [];
  await each(async (seed, j, i) => {
    if (proposer[i] === j) outcomes[i] = (await egov('council', 'close', String(motions[i].motion), '--seed', seed)).outcome;
  });
  return outcomes;
}
