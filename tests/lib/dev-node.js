// Starts and stops an `egov-node --dev` for a test: a temp base path, loopback only,
// free ports, and a clean shutdown that the test can assert.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';

/** Where the node binary is: $EGOV_NODE, else the shared cargo target dir. */
export function nodeBinary() {
  if (process.env.EGOV_NODE) return process.env.EGOV_NODE;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'egov-chain', 'target');
  return join(target, 'release', 'egov-node');
}

/** Where the `egov` CLI is: $EGOV_CLI, else next to the node. */
export function cliBinary() {
  if (process.env.EGOV_CLI) return process.env.EGOV_CLI;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'egov-chain', 'target');
  return join(target, 'release', 'egov');
}

/** A runtime WASM that the build script of `crate` wrote (in the shared cargo target dir). */
function builtWasm(crate, name) {
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'egov-chain', 'target');
  return join(target, 'release', 'wbuild', crate, `${name}.compact.compressed.wasm`);
}

/** The runtime WASM the node embeds. */
export const runtimeWasm = () => builtWasm('egov-runtime', 'egov_runtime');

/** The next release's runtime WASM (`spec_version + 1` and its migrations). */
export const nextReleaseWasm = () => builtWasm('egov-runtime', 'egov_runtime_next_release');

/** The same with its try-runtime checks, for `egov try-upgrade --runtime`. */
export const nextReleaseTryWasm = () => builtWasm('egov-try-runtime', 'egov_try_runtime_next_release');

/** A TCP port nobody listens on right now (loopback). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a dev node. Returns { api, rpcUrl, stop, logs }.
 * `stop()` sends SIGINT and resolves with the exit code.
 */
export async function startDevNode({ blockTimeMs = 1000, extraArgs = [] } = {}) {
  const bin = nodeBinary();
  if (!existsSync(bin)) throw new Error(`egov-node not found at ${bin}; build it first (see README)`);
  const basePath = mkdtempSync(join(tmpdir(), 'egov-dev-'));
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const args = [
    '--dev',
    `--dev-block-time=${blockTimeMs}`,
    `--base-path=${basePath}`,
    `--rpc-port=${rpcPort}`,
    `--listen-addr=/ip4/127.0.0.1/tcp/${p2pPort}`,
    '--no-prometheus',
    '--no-telemetry',
    '--no-mdns',
    '--no-hardware-benchmarks',
    ...extraArgs,
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  const collect = (chunk) => {
    logs.push(chunk.toString());
    if (logs.length > 2000) logs.splice(0, 1000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  const rpcUrl = `ws://127.0.0.1:${rpcPort}`;
  let api;
  const deadline = Date.now() + 120_000;
  while (!api) {
    if (child.exitCode !== null) throw new Error(`egov-node exited early:\n${logs.join('')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`egov-node RPC did not come up:\n${logs.join('')}`);
    }
    const provider = new WsProvider(rpcUrl, false);
    try {
      // Listen before connecting: on a loaded machine the socket can open before a
      // listener added afterwards, and the attempt would then wait for an event already gone.
      const connected = new Promise((resolve, reject) => {
        provider.on('connected', resolve);
        provider.on('error', reject);
        setTimeout(() => reject(new Error('timeout')), 5000);
      });
      await provider.connect();
      if (!provider.isConnected) await connected;
      api = await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
    } catch {
      await provider.disconnect().catch(() => {});
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async function stop() {
    await api.disconnect().catch(() => {});
    if (child.exitCode === null) child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const result = await exited;
    clearTimeout(timer);
    rmSync(basePath, { recursive: true, force: true });
    return result;
  }

  return { api, rpcUrl, stop, logs, child };
}

/**
 * Signs and sends `tx`, resolving once it is in a block, with its events. `options` are
 * @polkadot/api's sign options (e.g. `{ mode: 1, metadataHash }`).
 */
export function sendAndWait(tx, signer, options = {}) {
  return new Promise((resolve, reject) => {
    let unsub;
    tx.signAndSend(signer, options, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        unsub?.();
        let msg = dispatchError.toString();
        if (dispatchError.isModule) {
          const m = dispatchError.registry.findMetaError(dispatchError.asModule);
          msg = `${m.section}.${m.name}`;
        }
        reject(new Error(msg));
        return;
      }
      if (status.isInBlock || status.isFinalized) {
        unsub?.();
        resolve({ blockHash: status.isInBlock ? status.asInBlock : status.asFinalized, events });
      }
    })
      .then((u) => {
        unsub = u;
      })
      .catch(reject);
  });
}

/** The dev accounts (alice … ferdie) as sr25519 keyring pairs; call after cryptoWaitReady(). */
export function devAccounts() {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return Object.fromEntries(
    ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) => [n.toLowerCase(), keyring.addFromUri(`//${n}`)]),
  );
}
