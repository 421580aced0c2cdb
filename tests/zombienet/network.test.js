// egov-chain as a parachain: a local relay chain (two validators) validates and finalizes
// the blocks that three ministry collators produce, a civic act submitted to one collator
// is seen by another, the chain rides out a collator being killed and restarted, and the
// ministries upgrade its runtime through governance (no sudo on this network) while an
// election is open, the relay chain enacting it.
//
// Spawned by zombienet (native provider, loopback only) from zombienet/network.toml, with
// the relay binaries from zombienet/build-binaries.sh. Run: `cd tests && npm run test:zombienet`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady, mnemonicGenerate, xxhashAsHex } from '@polkadot/util-crypto';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { start } from '@zombienet/orchestrator';
import { readNetworkConfig } from '@zombienet/utils';
import { nextReleaseTryWasm, nextReleaseWasm, nodeBinary, runtimeWasm, sendAndWait } from '../lib/dev-node.js';
import { egov as egovAt, secretFile } from '../lib/egov.js';
import { passMotion } from '../lib/council.js';
import { finalizedNumber, sleep, today, waitUntilBestFinalized } from '../lib/chain.js';

const PARA_ID = 2000;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.env.EGOV_RELAY_BIN ||= join(homedir(), '.cache', 'egov-chain', 'zombienet-bin');
process.env.EGOV_NODE ||= nodeBinary();

/**
 * The committed local spec (the genesis the repository ships, checked against the
 * runtime's presets by chain-spec/generate.sh --check) with the runtime just built as its
 * code: the drift check leaves the blob out, so the committed one can be older.
 */
function specWithBuiltRuntime() {
  const spec = JSON.parse(readFileSync(join(root, 'chain-spec', 'local-raw.json'), 'utf8'));
  spec.genesis.raw.top['0x3a636f6465'] = u8aToHex(readFileSync(runtimeWasm()));
  const file = join(mkdtempSync(join(tmpdir(), 'egov-spec-')), 'local-raw.json');
  writeFileSync(file, JSON.stringify(spec));
  return file;
}
process.env.EGOV_PARA_SPEC ||= specWithBuiltRuntime();

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
    api.tx.identityRegistry.registerCitizen(person.address, commitment, 3, 'Adult'),
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
  // The last acts may be in best blocks only: the target charlie must reach is a block in
  // which the others have finalized every one of them.
  for (const person of people) {
    await waitFor(`person ${person.address} finalized at alice`, 180, async () =>
      (await finalizedCitizen(apis.alice, person.address)) === ids[person.address]);
  }
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

/** The on-chain storage version of pallet `name` (the key every FRAME pallet keeps). */
async function storageVersion(api, name) {
  const key = xxhashAsHex(name, 128) + xxhashAsHex(':__STORAGE_VERSION__:', 128).slice(2);
  const raw = await api.rpc.state.getStorage(key);
  return api.createType('u16', raw.unwrap()).toNumber();
}

/** What must survive an upgrade: the election, its tally, every ballot and tracking code. */
async function electionRecord(api, id) {
  const ballots = (await api.query.elections.ballots.entries(id))
    .map(([key, value]) => [key.toHex(), value.toHex()])
    .sort();
  return {
    election: (await api.query.elections.elections(id)).toHex(),
    tally: (await api.query.elections.tallies(id)).toHex(),
    ballots,
  };
}

test('governance upgrades the runtime mid-election; the relay chain enacts it; the election completes', async () => {
  const api = apis.alice;
  const egov = (...args) => egovAt(network.getNodeByName('alice').wsUri, ...args);
  const council = [k.alice, k.bob, k.charlie];
  const committee = [k.dave, k.eve, k.ferdie];
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const dir = mkdtempSync(join(tmpdir(), 'egov-upgrade-'));
  assert.ok((await api.query.sudo.key()).isNone, 'this network has no sudo key: only governance reaches Root');
  const specBefore = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
  assert.equal(await storageVersion(api, 'Elections'), 1);

  // The next release, as the ministries publish it: the WASM and its hash.
  const code = readFileSync(nextReleaseWasm());
  const codeHash = blake2AsHex(code, 256);
  const upgrade = api.tx.system.authorizeUpgrade(codeHash);
  const act = api.tx.whitelist.dispatchWhitelistedCallWithPreimage(upgrade);
  // A second release the council announces and then cancels in the notice period: were it
  // enacted after the real one, it would replace the authorized hash.
  const decoy = api.tx.system.authorizeUpgrade(blake2AsHex('a release withdrawn during its notice', 256));
  const decoyAct = api.tx.whitelist.dispatchWhitelistedCallWithPreimage(decoy);

  // Refused: each collective alone, the wrong committee, two thirds where three quarters
  // are needed. Run during the notice below (they take blocks, not its outcome).
  const refusals = async () => {
    await assert.rejects(passMotion(api, council, upgrade), /BadOrigin/i, 'the council alone does not reach Root');
    await assert.rejects(
      passMotion(api, council, api.tx.whitelist.whitelistCall(upgrade.method.hash)),
      /BadOrigin/i,
      'the council cannot whitelist: that is the technical committee',
    );
    await assert.rejects(
      passMotion(api, council.slice(0, 2), api.tx.publicNotice.announce(act)),
      /BadOrigin/i,
      'two of three ministries are below three quarters',
    );
    await assert.rejects(
      passMotion(api, committee.slice(0, 2), api.tx.publicNotice.announce(act), 'technicalCommittee'),
      /BadOrigin/i,
      'the committee cannot announce: that is the council',
    );
  };

  // The procedure: the committee (2 of 3) whitelists (before the election here, to keep
  // the test short), the council (3 of 3) announces mid-voting, the notice runs, anyone
  // hands in the code. Meanwhile (other signers, so the same blocks): the council appoints
  // an election's commission and trustees, and the civil registry registers its voters.
  const commission = keyring.addFromUri('//Upgrade commission');
  const trustees = [1, 2, 3].map((i) => keyring.addFromUri(`//Upgrade trustee ${i}`));
  const voters = [0, 1, 2, 3, 4].map(() => {
    const mnemonic = mnemonicGenerate();
    return { mnemonic, pair: keyring.addFromMnemonic(mnemonic) };
  });
  await Promise.all([
    passMotion(
      api,
      committee.slice(0, 2),
      api.tx.utility.batchAll([
        api.tx.whitelist.whitelistCall(upgrade.method.hash),
        api.tx.whitelist.whitelistCall(decoy.method.hash),
      ]),
      'technicalCommittee',
    ),
    (async () => {
      await sendAndWait(
        api.tx.utility.batchAll(
          [commission, ...trustees].map((p) => api.tx.balances.transferKeepAlive(p.address, 10n ** 15n)),
        ),
        k.alice,
      );
      await passMotion(
        api,
        council,
        api.tx.utility.batchAll([
          api.tx.identityRegistry.appointAuthority(commission.address, 'ElectionCommission', []),
          ...trustees.map((t) => api.tx.identityRegistry.appointAuthority(t.address, 'ElectionTrustee', [])),
        ]),
      );
    })(),
    sendAndWait(
      api.tx.utility.batchAll(
        voters.map((v, i) =>
          api.tx.identityRegistry.registerCitizen(v.pair.address, blake2AsHex(`upgrade voter ${i} ${v.pair.address}`), 5, 'Adult'),
        ),
      ),
      k.ferdie,
    ),
  ]);

  // An election, open, with ballots (one voter re-votes). It closes 90 blocks after its
  // creation: the upgrade takes ~40 of them (the notice 13, the relay's enactment 10).
  const closesIn = 90;
  const created = await egov('election', 'create', '--seed', '//Upgrade commission', '--title', 'Referendum across an upgrade',
    '--kind', 'referendum', '--option', 'yes', '--option', 'no', '--district', '5', '--opens-in', '1',
    '--closes-in', String(closesIn), '--threshold', '2', '--election-day', String(today()),
    ...trustees.flatMap((t) => ['--trustee', t.address]));
  const id = String(created.election);
  const keyFile = (i) => join(dir, `trustee-${i}.json`);
  const asTrustee = (i) => ['--seed', `//Upgrade trustee ${i + 1}`, '--key-file', keyFile(i)];
  await Promise.all(trustees.map((_, i) => egov('trustee', 'keygen', id, ...asTrustee(i))));
  await Promise.all(trustees.map((_, i) => egov('trustee', 'deal', id, ...asTrustee(i))));
  await Promise.all(trustees.map((_, i) => egov('trustee', 'confirm', id, ...asTrustee(i))));
  await egov('election', 'open', id, '--seed', '//Upgrade commission');
  const vote = (v, choice) => egov('vote', id, '--seed-file', secretFile(v.mnemonic), '--choice', choice);
  const codes = await Promise.all([vote(voters[0], 'yes'), vote(voters[1], 'yes'), vote(voters[2], 'no')]);
  const revote = await vote(voters[0], 'no');
  assert.equal(revote.superseded, codes[0].trackingCode);
  await waitUntilBestFinalized(api);
  const before = await electionRecord(api, id);

  // The release team checks the release against the live chain: its migration and every
  // pallet's try_state on the finalized state, mid-voting.
  const checked = await egov('try-upgrade', '--runtime', nextReleaseTryWasm());
  assert.equal(checked.ok, true);
  assert.equal(checked.specVersion, specBefore + 1);
  console.log(`egov try-upgrade of the next release: ${checked.keys} keys at #${checked.block}, migrations ${checked.migrationRefTime} of ${checked.maxBlockRefTime} ref time`);

  const motionAt = (await api.rpc.chain.getHeader()).number.toNumber();
  const started = Date.now();
  const announced = (await passMotion(api, council, api.tx.utility.batchAll([
    api.tx.publicNotice.announce(act),
    api.tx.publicNotice.announce(decoyAct),
  ]))).filter(({ event }) => api.events.publicNotice.Announced.is(event));
  assert.equal(announced.length, 2);
  const enactAt = Math.max(...announced.map(({ event }) => event.data.enactAt.toNumber()));
  // Two thirds of the council withdraw the second release during its notice.
  await passMotion(api, council.slice(0, 2), api.tx.publicNotice.cancel(decoyAct.method.hash));
  assert.ok((await api.query.system.authorizedUpgrade()).isNone, 'nothing is authorized during the notice');
  const refused = refusals();
  refused.catch(() => {}); // awaited below; not an unhandled rejection meanwhile

  const authorized = await waitFor('the announced upgrade to be authorized', 300, async () => {
    const a = await api.query.system.authorizedUpgrade();
    return a.isSome ? a.unwrap() : null;
  });
  assert.equal(authorized.codeHash.toHex(), codeHash, 'the published release, not the withdrawn one');
  const nowAt = (await api.rpc.chain.getHeader()).number.toNumber();
  assert.ok(nowAt >= enactAt, `authorized at #${nowAt}, after the notice ended at #${enactAt}`);
  // A wrong blob is refused; the published one is accepted from anyone.
  await assert.rejects(
    sendAndWait(api.tx.system.applyAuthorizedUpgrade(u8aToHex(code.subarray(0, 1024))), k.ferdie),
    /Unauthorized|InvalidTransaction|1010/,
  );
  const applied = await sendAndWait(api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), k.ferdie);
  const appliedAt = (await api.rpc.chain.getHeader(applied.blockHash)).number.toNumber();

  // The relay chain checks the new code and signals the go-ahead; the collators switch.
  const liveAt = await waitFor('spec_version + 1 live on the parachain', 900, async () => {
    const v = await api.rpc.state.getRuntimeVersion();
    return v.specVersion.toNumber() === specBefore + 1 ? (await api.rpc.chain.getHeader()).number.toNumber() : 0;
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `council motion (#${motionAt}) to spec_version ${specBefore + 1} live (#${liveAt}): ${liveAt - motionAt} blocks, ` +
      `${seconds.toFixed(0)} s (notice ${enactAt - motionAt} blocks, code handed in at #${appliedAt}, ` +
      `relay enactment ${liveAt - appliedAt} blocks)`,
  );
  assert.ok((await api.query.system.authorizedUpgrade()).isNone, 'the authorization is used up');
  await refused;

  // Blocks keep being finalized by the relay chain, on the new runtime.
  await waitFor(`the relay chain to finalize #${liveAt + 2}`, 300, async () => (await relayFinalizedParaHead()) >= liveAt + 2);
  const upgradedApi = await connect(network.getNodeByName('bob').wsUri);
  try {
    assert.equal(upgradedApi.runtimeVersion.specVersion.toNumber(), specBefore + 1, 'bob runs the new runtime too');
    // The migration ran: elections at storage version 2, the re-vote counted in district 5.
    assert.equal(await storageVersion(upgradedApi, 'Elections'), 2);
    assert.deepEqual((await upgradedApi.query.elections.revotes.entries(id)).map(([key, n]) => [key.args[1].toNumber(), n.toNumber()]), [[5, 1]]);
    // The election is intact: the same tally, ballots and tracking codes.
    assert.deepEqual(await electionRecord(upgradedApi, id), before);
    for (const code of [revote.trackingCode, codes[1].trackingCode, codes[2].trackingCode]) {
      assert.equal((await egov('track', code)).status, 'counted');
    }
    assert.equal((await egov('track', codes[0].trackingCode)).status, 'superseded');

    // A voter's own light client (smoldot inside egov): it syncs the relay chain, follows
    // its finality, and checks every answer against our chain's head the relay chain
    // finalized; it believes no node. Its finalized head is the collators'.
    const light = (...args) => egovAt('ws://127.0.0.1:9', '--relay-spec', specOf('relay'), '--para-spec', specOf('para'), ...args);
    const syncStarted = Date.now();
    const head = await light('head');
    console.log(`egov light client: first verified answer (finalized #${head.finalized}) after ${((Date.now() - syncStarted) / 1000).toFixed(1)} s`);
    assert.equal(head.light, true);
    assert.match(head.trust, /relay chain's finality/);
    assert.equal(head.genesis, upgradedApi.genesisHash.toHex());
    assert.equal(head.hash, (await upgradedApi.rpc.chain.getBlockHash(head.finalized)).toHex(), "the light client's finalized head is the collators'");

    // Voting goes on under the new runtime, and counts re-votes as it goes. One voter votes
    // through the light client: the election key read with proofs, the ballot sent through
    // smoldot's peers, its tracking code proven at the relay chain's finality.
    const lightVote = light('vote', id, '--seed-file', secretFile(voters[4].mnemonic), '--choice', 'yes');
    await Promise.all([vote(voters[3], 'yes'), lightVote, vote(voters[1], 'no')]);
    assert.equal((await lightVote).proven, true);
    assert.deepEqual((await upgradedApi.query.elections.revotes.entries(id)).map(([key, n]) => [key.args[1].toNumber(), n.toNumber()]), [[5, 2]]);

    // The election completes: close, two of three trustees decrypt, the result is published
    // and an observer's recount from chain data agrees (yes 2: voters 3, 4; no 3: 0, 1, 2).
    const e = (await upgradedApi.call.electionsApi.election(id)).unwrap();
    const closes = e.params.votingCloses.asBlock.toNumber();
    const lastVoteAt = (await upgradedApi.rpc.chain.getHeader()).number.toNumber();
    console.log(`last ballots by #${lastVoteAt}; voting closes at #${closes} (${closes - lastVoteAt} blocks to spare)`);
    await waitFor(`voting to close at #${closes}`, 900, async () => (await upgradedApi.rpc.chain.getHeader()).number.toNumber() >= closes);
    await egov('election', 'close', id, '--seed', '//Alice');
    // One trustee decrypts through the light client: the tally it decrypts is proven.
    await egov('trustee', 'decrypt', id, ...asTrustee(0));
    await light('trustee', 'decrypt', id, ...asTrustee(2));
    const published = await egov('election', 'publish', id, '--seed', '//Alice');
    assert.deepEqual(published.counts, [2, 3]);
    await waitUntilBestFinalized(upgradedApi);
    const verdict = await egov('verify', id);
    assert.equal(verdict.ok, true, JSON.stringify(verdict.failures));
    assert.deepEqual(verdict.recomputed_counts, [2, 3]);
    assert.equal(verdict.ballots_verified, 5);

    // Through the light client again: a tracking code, eligibility, the whole recount.
    const tracked = await light('track', revote.trackingCode);
    assert.equal(tracked.status, 'counted');
    assert.match(tracked.trust, /relay chain's finality/);
    const citizen = voters[0].pair.address;
    assert.deepEqual(await light('eligibility', id, citizen), await egov('eligibility', id, citizen));
    // The whole record read through the light client (each value proven, each ballot's
    // transaction fetched, some cast before the upgrade and some after): anchored by the
    // relay chain's finality, not by a checkpoint someone handed over.
    const recount = await light('verify', id);
    assert.equal(recount.ok, true, JSON.stringify(recount.failures));
    assert.equal(recount.anchored, true);
    assert.deepEqual(recount.recomputed_counts, [2, 3]);
  } finally {
    await upgradedApi.disconnect();
  }
});

/**
 * The raw chain specs zombienet wrote for this network, with its nodes as boot nodes:
 * the relay chain's (`relay`) or our parachain's (`para`).
 */
function specOf(which) {
  const fromNetwork = which === 'relay' ? network.chainSpecFullPath : network.paras?.[PARA_ID]?.chainSpecPath;
  if (fromNetwork) return fromNetwork;
  const files = readdirSync(workDir).filter((f) => f.endsWith('.json') && !f.includes('plain'));
  const name = files.find((f) => (which === 'para' ? f.startsWith(`${PARA_ID}-`) : !/^\d+-/.test(f)));
  assert.ok(name, `no ${which} chain spec in ${workDir}: ${files.join(', ')}`);
  return join(workDir, name);
}
