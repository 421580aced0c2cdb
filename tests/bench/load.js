// Load benchmark (not a test): a release dev node on loopback, a referendum with a 2-of-3
// key, then `egov load` registers many voters and submits their ballots interleaved with
// plain balance transfers, and reports ballots/s, transfers/s and their ratio from the
// blocks' own timestamps.
//
// With --record FILE it then exports the election's record (`egov verify 0 --out FILE`) and
// verifies it offline (`egov verify --record FILE`), and reports its size and both times.
//
//   cd tests && node bench/load.js [--voters 3000] [--transfers 3000] [--block-time 6000] [--record FILE]
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode, cliBinary } from '../lib/dev-node.js';
import { passMotion } from '../lib/council.js';

const { values: opts } = parseArgs({
  options: {
    voters: { type: 'string', default: '3000' },
    transfers: { type: 'string', default: '3000' },
    'block-time': { type: 'string', default: '6000' },
    record: { type: 'string' },
  },
});

await cryptoWaitReady();
const node = await startDevNode({ blockTimeMs: Number(opts['block-time']) });
const { api } = node;
const dir = mkdtempSync(join(tmpdir(), 'egov-load-'));
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const k = Object.fromEntries(['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) => [n, keyring.addFromUri(`//${n}`)]));

const egov = (...args) =>
  new Promise((resolve, reject) => {
    const child = execFile(cliBinary(), ['--url', node.rpcUrl, ...args], { timeout: 3_600_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`egov ${args[0]} failed: ${stderr}`)) : resolve(stdout));
    child.stderr.pipe(process.stderr);
  });

try {
  console.log(`dev node at ${node.rpcUrl}, ${opts['block-time']} ms blocks`);
  await passMotion(api, [k.Alice, k.Bob, k.Charlie], api.tx.utility.batchAll([
    api.tx.identityRegistry.appointAuthority(k.Ferdie.address, 'CivilRegistry', []),
    api.tx.identityRegistry.appointAuthority(k.Eve.address, 'ElectionCommission', []),
    ...['Bob', 'Charlie', 'Dave'].map((n) => api.tx.identityRegistry.appointAuthority(k[n].address, 'ElectionTrustee', [])),
  ]));
  await egov('election', 'create', '--seed', '//Eve', '--title', 'Load test referendum', '--kind', 'referendum',
    '--option', 'yes', '--option', 'no', '--district', '1', '--closes-in', '100000', '--threshold', '2',
    '--trustee', '//Bob', '--trustee', '//Charlie', '--trustee', '//Dave');
  for (const step of ['keygen', 'deal', 'confirm']) {
    for (const t of ['Bob', 'Charlie', 'Dave']) {
      await egov('trustee', step, '0', '--seed', `//${t}`, '--key-file', join(dir, `${t}.json`));
    }
  }
  // The load tool registers its voters, then opens voting (the roll is fixed at opening).
  const out = await egov('load', '--election', '0', '--registry-seed', '//Ferdie', '--commission-seed', '//Eve',
    '--voters', opts.voters, '--transfers', opts.transfers, '--senders', '//Alice,//Bob,//Charlie,//Dave,//Eve');
  console.log(out);
  if (opts.record) {
    // The record is read at the finalized head: wait until it holds every ballot.
    const cast = async () => (await api.call.electionsApi.election(0)).unwrap().voters.toNumber();
    const finalized = async () => (await (await api.at(await api.rpc.chain.getFinalizedHead())).query.elections.elections(0)).unwrap().voters.toNumber();
    while ((await finalized()) < (await cast())) await new Promise((r) => setTimeout(r, 1000));
    let t = Date.now();
    await egov('--json', 'verify', '0', '--out', opts.record);
    const exported = (Date.now() - t) / 1000;
    t = Date.now();
    const verdict = JSON.parse((await egov('--json', 'verify', '--record', opts.record)).trim().split('\n').pop());
    const offline = (Date.now() - t) / 1000;
    const n = verdict.ballots_verified;
    const mb = statSync(opts.record).size / 1e6;
    console.log(`record of ${n} ballots: ${mb.toFixed(1)} MB (${(mb * 1000 / n).toFixed(2)} MB per 1,000 ballots), ` +
      `exported in ${exported.toFixed(1)} s, verified offline in ${offline.toFixed(1)} s ` +
      `(${(offline * 1000 / n).toFixed(2)} s per 1,000 ballots; ok=${verdict.ok})`);
  }
} finally {
  await node.stop();
}
