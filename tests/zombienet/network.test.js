// egov-chain as a parachain: a local relay chain (two validators) validates and finalizes
// the blocks that three ministry collators produce, a civic act submitted to one collator
// is seen by another, and the chain rides out a collator being killed and restarted.
//
// Spawned by zombienet (native provider, loopback only) from zombienet/network.toml, with
// the relay binaries from zombienet/build-binaries.sh. Run: `cd tests && npm run test:zombienet`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { start } from '@zombienet/orchestrator';
import { readNetworkConfig } from '@zombienet/utils';
import { nodeBinary, sendAndWait } from '../lib/dev-node.js';
import { passMotion } from '../lib/council.js';
import { finalizedNumber, sleep, today } from '../lib/chain.js';

const PARA_ID = 2000;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.env.EGOV_RELAY_BIN ||= join(homedir(), '.cache', 'egov-chain', 'zombienet-bin');
process.env.EGOV_NODE ||= nodeBinary();
process.env.EGOV_PARA_SPEC ||= join(root, 'chain-spec', 'local-raw.json');

let network;
let pendingRestart;
let workDir;
let spawnStarted;
let spawnedAt;
const apis = {};
let k;

const connect = (uri) => ApiPromise.create({ provider: new WsProvider(uri), noInitWarn: true });

/** Polls `probe` until it returns a truthy value; fails after `seconds`. */
async function waitFor(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(2000);
  }
}

/** Number of our parachain's head that the relay chain has finalized. */
async function relayFinalizedParaHead() {
  const relay = apis.dave;
  const at = await relay.at(await relay.rpc.chain.getFinalizedHead());
  const head = await at.query.paras.heads(PARA_ID);
  if (head.isNone) return -1;
  return apis.alice.createType('Header', head.unwrap().toU8a(true)).number.toNumber();
}

/** Registers a citizen (by the civil registry `registrar`) through `api`; returns its id. */
async function registerCitizen(api, registrar, person, label) {
  const commitment = blake2AsHex(stringToU8a(`zombienet civil record: ${label}`));
  const { events } = await sendAndWait(
    api.tx.identityRegistry.registerCitizen(person.address, commitment, 3, today() - 9000),
    registrar,
  );
  const registered = events.find(({ event }) => api.events.identityRegistry.CitizenRegistered.is(event));
  assert.ok(registered, `CitizenRegistered for ${label}`);
  return registered.event.data.citizen.toNumber();
}

/** The citizen id `api` has for `account` in its finalized state, or null. */
async function finalizedCitizen(api, account) {
  const at = await api.at(await api.rpc.chain.getFinalizedHead());
  const view = await at.call.identityRegistryApi.citizenByAccount(account);
  return view.isSome ? view.unwrap().id.toNumber() : null;
}

before(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  k = Object.fromEntries(
    ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie', 'One', 'Two', 'Three']
      .map((n) => [n.toLowerCase(), keyring.addFromUri(`//${n}`)]),
  );
  const config = readNetworkConfig(join(root, 'zombienet', 'network.toml'));
  workDir = mkdtempSync(join(tmpdir(), 'egov-zombienet-'));
  spawnStarted = Date.now();
  network = await start('', config, { spawnConcurrency: 1, dir: workDir, force: true, logType: 'text' });
  spawnedAt = Date.now();
  console.log(`network up in ${((spawnedAt - spawnStarted) / 1000).toFixed(0)} s; node logs in ${workDir}`);
  for (const name of ['dave', 'alice', 'bob', 'charlie']) {
    apis[name] = await connect(network.getNodeByName(name).wsUri);
  }
});

after(async () => {
  await Promise.all(Object.values(apis).map((api) => api.disconnect().catch(() => {})));
  // A restart still under way would start a node after the network stopped.
  await pendingRestart?.catch(() => {});
  if (network) await network.stop();
  // Keep the nodes' logs (they explain a failure); drop their databases.
  for (const entry of readdirSync(workDir, { withFileTypes: true })) {
    if (entry.isDirectory()) rmSync(join(workDir, entry.name), { recursive: true, force: true });
  }
  console.log(`node logs kept in ${workDir}`);
});

test('the parachain is registered, produces blocks, and the relay chain finalizes them', async () => {
  await waitFor('parachain 2000 registered on the relay chain', 300, async () =>
    (await apis.dave.query.paras.parachains()).map((id) => id.toNumber()).includes(PARA_ID));
  await waitFor('a finalized parachain block', 600, async () => (await finalizedNumber(apis.alice)) >= 1);
  const firstFinalized = Date.now();
  console.log(
    `first finalized parachain block ${((firstFinalized - spawnStarted) / 1000).toFixed(0)} s after spawn began, ` +
      `${((firstFinalized - spawnedAt) / 1000).toFixed(0)} s after the network was up`,
  );
  // Finality keeps coming, and it is the relay chain's: the head it finalized for us is
  // one our collators have as finalized.
  await waitFor('3 finalized parachain blocks', 300, async () => (await relayFinalizedParaHead()) >= 3);
  const relayView = await relayFinalizedParaHead();
  for (const name of ['alice', 'bob', 'charlie']) {
    const n = await waitFor(`${name} to finalize #${relayView}`, 120, async () => {
      const f = await finalizedNumber(apis[name]);
      return f >= relayView ? f : 0;
    });
    assert.ok(n >= relayView);
  }
  // The collators find each other through authority discovery: its authority set is the
  // aura authority set, in authoring order.
  const aura = (await apis.alice.call.auraApi.authorities()).map((a) => a.toHex());
  const discovery = (await apis.alice.call.authorityDiscoveryApi.authorities()).map((a) => a.toHex());
  assert.deepEqual(discovery, aura);
  const ministries = [k.alice, k.bob, k.charlie].map((p) => u8aToHex(p.publicKey));
  assert.deepEqual([...aura].sort(), ministries.sort());
  const first = await apis.alice.rpc.chain.getBlockHash(1);
  const headerViaBob = await apis.bob.rpc.chain.getHeader(first);
  assert.equal(headerViaBob.number.toNumber(), 1, 'collators agree on block #1');
});

test('a civic act submitted to one collator is included and visible from another', async () => {
  const api = apis.alice;
  // The council of ministries appoints the civil registry (through collator alice).
  const appoint = api.tx.identityRegistry.appointAuthority(k.ferdie.address, 'CivilRegistry', []);
  await passMotion(api, [k.alice, k.bob, k.charlie], appoint);
  const id = await registerCitizen(api, k.ferdie, k.dave, 'Dave');
  // Bob's collator has it, first in its best block, then finalized.
  const seen = await waitFor('the citizen at bob', 120, async () => {
    const view = await apis.bob.call.identityRegistryApi.citizenByAccount(k.dave.address);
    return view.isSome ? view.unwrap() : null;
  });
  assert.equal(seen.id.toNumber(), id);
  assert.equal(seen.status.toString(), 'Active');
  await waitFor('the citizen finalized at bob', 180, async () => (await finalizedCitizen(apis.bob, k.dave.address)) === id);
});

test('a collator is killed: blocks keep finalizing, it restarts, catches up, nothing is lost', async () => {
  const before = await finalizedNumber(apis.alice);
  await apis.charlie.disconnect();
  delete apis.charlie;
  // Kill -9 now; zombienet starts it again, on the same base path, after 60 s.
  pendingRestart = network.getNodeByName('charlie').restart(60);
  await sleep(1000);

  // While charlie is down, civic acts go to the other two collators.
  const people = [k.eve, k.one, k.two, k.three];
  const ids = {};
  for (const [i, person] of people.entries()) {
    const [via, next] = i % 2 ? [apis.bob, apis.alice] : [apis.alice, apis.bob];
    ids[person.address] = await registerCitizen(via, k.ferdie, person, `person ${i} during the outage`);
    // The registry's next act goes through the other collator: let it import this one
    // first, so that it hands out the registry account's next nonce.
    await waitFor(`person ${i} at the other collator`, 120, async () =>
      (await next.call.identityRegistryApi.citizenByAccount(person.address)).isSome);
  }
  const duringOutage = await waitFor('finality to advance without charlie', 180, async () => {
    const f = await finalizedNumber(apis.alice);
    return f >= before + 3 ? f : 0;
  });
  console.log(`finalized #${before} -> #${duringOutage} with charlie down`);

  assert.equal(await pendingRestart, true, 'zombienet restarted charlie');
  apis.charlie = await connect(network.getNodeByName('charlie').wsUri);
  const target = await finalizedNumber(apis.alice);
  const caughtUpIn = Date.now();
  await waitFor(`charlie to catch up to #${target}`, 300, async () => (await finalizedNumber(apis.charlie)) >= target);
  console.log(`charlie caught up to #${target} in ${((Date.now() - caughtUpIn) / 1000).toFixed(0)} s after restart`);

  // Every act submitted during the outage is in charlie's finalized state.
  for (const person of [k.dave, ...people]) {
    const want = person === k.dave ? await finalizedCitizen(apis.alice, person.address) : ids[person.address];
    assert.equal(await finalizedCitizen(apis.charlie, person.address), want, `citizen ${person.address} at charlie`);
  }
  // Charlie is a collator again: it authors a block in one of its aura slots.
  let unsub;
  const authored = new Promise((resolvePromise) => {
    apis.charlie.derive.chain
      .subscribeNewHeads((header) => {
        if (header.number.toNumber() > target && header.author?.eq(k.charlie.publicKey)) {
          resolvePromise(header.number.toNumber());
        }
      })
      .then((u) => {
        unsub = u;
      });
  });
  let timer;
  const timeout = new Promise((r) => {
    timer = setTimeout(() => r(null), 300_000);
  });
  const block = await Promise.race([authored, timeout]);
  clearTimeout(timer);
  unsub?.();
  assert.ok(block, 'charlie authored a block within 300 s of catching up');
  console.log(`charlie authored #${block} after the restart`);
});
