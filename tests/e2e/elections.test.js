// Elections end to end, as the commission, trustees, voters and an observer do it: the
// `egov` CLI drives everything, @polkadot/api checks what the chain says.
//
// Council appoints the civil registry, the election commission and three trustees; six
// citizens (fresh keys with no tokens) and one minor are registered; a referendum and a
// five-candidate election run with a 2-of-3 trustee key; some voters re-vote; the minor,
// a citizen registered after voting opened (not on the roll), a malformed and a copied
// ballot are refused with named errors; voting closes, two trustees post shares, a wrong
// result is refused and the right one is accepted; the verifier confirms it from chain
// data and rejects doctored records. A trustee's client
// makes a decryption share of nothing but the final tally it recounts itself: not while
// voting, not of what a lying node shows it, not one the chain would refuse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady, encodeAddress, mnemonicGenerate, randomAsU8a } from '@polkadot/util-crypto';
import { startDevNode, sendAndWait, devAccounts } from '../lib/dev-node.js';
import { egov as egovAt, secretFile } from '../lib/egov.js';
import { sleep, today, waitUntilBestFinalized } from '../lib/chain.js';
import { startLyingNode } from '../lib/lying-node.js';

let node;
let api;
let k;
let dir;
const voters = [];
let minor;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  dir = mkdtempSync(join(tmpdir(), 'egov-elections-'));
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  k = devAccounts();
  for (let i = 0; i < 6; i++) {
    const mnemonic = mnemonicGenerate();
    voters.push({ mnemonic, pair: keyring.addFromMnemonic(mnemonic) });
  }
  const m = mnemonicGenerate();
  minor = { mnemonic: m, pair: keyring.addFromMnemonic(m) };
});

after(async () => {
  if (node) await node.stop();
});

/** Runs the `egov` CLI against this test's node. */
const egov = (...args) => egovAt(node.rpcUrl, ...args);

const trustees = () => [k.bob, k.charlie, k.dave];
const keyFile = (election, t) => join(dir, `trustee-${election}-${t.address}.json`);

async function bestNumber() {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

async function waitForBlock(n) {
  while ((await bestNumber()) < n) await sleep(500);
}

test('the council appoints the registry, the commission and three trustees with egov council', async () => {
  // Two motions proposed by two ministries at once: one act by name (its threshold, two
  // thirds of three, worked out by egov), the rest as call data in one batch.
  const rest = api.tx.utility.batchAll([
    api.tx.identityRegistry.appointAuthority(k.ferdie.address, 'CivilRegistry', []),
    ...trustees().map((t) => api.tx.identityRegistry.appointAuthority(t.address, 'ElectionTrustee', [])),
  ]);
  const [named, batch] = await Promise.all([
    egov('council', 'propose', 'appoint-authority', k.eve.address, 'election-commission', '--seed', '//Alice'),
    egov('council', 'propose', 'call', rest.method.toHex(), '--threshold', '2', '--seed', '//Bob'),
  ]);
  assert.equal(named.threshold, 2);
  // Members see what each motion will do, decoded from the chain, before they vote.
  const { motions } = await egov('council', 'motions');
  const shown = motions.find((m) => m.index === named.motion);
  assert.match(shown.call, /appoint_authority/);
  assert.match(shown.call, /ElectionCommission/);
  assert.deepEqual([shown.threshold, shown.ayes], [2, []]);
  assert.equal(motions.find((m) => m.hash === batch.hash).callData, rest.method.toHex());
  // Members vote (each with their own key, at once).
  await Promise.all([
    egov('council', 'vote', String(named.motion), '--aye', '--seed', '//Alice'),
    egov('council', 'vote', batch.hash, '--aye', '--seed', '//Bob'),
    egov('council', 'vote', batch.hash, '--aye', '--seed', '//Charlie'),
  ]);
  // One aye of two: the chain refuses to close it; a non-member's vote is refused.
  await assert.rejects(egov('council', 'close', String(named.motion), '--seed', '//Charlie'), /Council\.TooEarly/);
  await assert.rejects(egov('council', 'vote', String(named.motion), '--aye', '--seed', '//Ferdie'), /not a member of the council/);
  await egov('council', 'vote', String(named.motion), '--aye', '--seed', '//Bob');
  // Anyone may close a motion that has its ayes.
  const closed = await Promise.all([
    egov('council', 'close', String(named.motion), '--seed', '//Charlie'),
    egov('council', 'close', batch.hash, '--seed', '//Dave'),
  ]);
  assert.deepEqual(closed.map((c) => c.outcome), ['executed', 'executed']);
  assert.deepEqual((await egov('council', 'motions')).motions, []);
  assert.deepEqual((await api.call.identityRegistryApi.rolesOf(k.eve.address)).toJSON(), ['ElectionCommission']);
  assert.deepEqual((await api.call.identityRegistryApi.rolesOf(k.ferdie.address)).toJSON(), ['CivilRegistry']);
  // Below the origin's two thirds, an act fails even when "passed": one member alone.
  await assert.rejects(
    egov('council', 'propose', 'remove-authority', k.eve.address, 'election-commission', '--threshold', '1', '--seed', '//Alice'),
    /BadOrigin/,
  );
});

test('the civil registry imports 1,000 citizens from its civil records with egov registry', async () => {
  // The records: the six voters and the minor of this test (district 7), and 993 other
  // people elsewhere (district 9). Names with commas are quoted, as CSV does.
  const born = (yearsAgo) => {
    const d = new Date();
    return `${d.getUTCFullYear() - yearsAgo}-01-01`;
  };
  const rows = [
    ...voters.map((v, i) => [`NID-V${i}`, `"Voter ${i}, Jr."`, born(30 + i), 7, v.pair.address]),
    [`NID-M`, 'Minor Person', born(10), 7, minor.pair.address],
    ...Array.from({ length: 993 }, (_, i) => [`NID-${i}`, `Person ${i}`, born(20 + (i % 60)), 9, encodeAddress(randomAsU8a(32), 42)]),
  ];
  const header = 'national_id,name,date_of_birth,district,account';
  const csvOf = (list) => [header, ...list.map((r) => r.join(','))].join('\n') + '\n';
  const csv = join(dir, 'civil-records.csv');
  const first = join(dir, 'civil-records-first-400.csv');
  writeFileSync(csv, csvOf(rows));
  writeFileSync(first, csvOf(rows.slice(0, 400)));
  const store = join(dir, 'registry-store.json');
  const idsBefore = (await api.query.identityRegistry.nextCitizenId()).toNumber();
  const asRegistry = ['--store', store, '--seed', '//Ferdie'];

  // Bad records stop the import before anything is sent, each line named.
  const bad = join(dir, 'bad-records.csv');
  writeFileSync(bad, csvOf([rows[10], ['NID-X', 'No Birthday', '2001-02-30', 9, rows[11][4]], rows[10]]));
  const refused = await egov('registry', 'import', bad, ...asRegistry).then(() => null, (e) => e);
  assert.ok(refused);
  assert.match(refused.message, /line 3: date of birth "2001-02-30"/);
  assert.match(refused.message, /line 4: national id NID-3 is on line 2 too/);

  const planned = await egov('registry', 'import', csv, '--dry-run', ...asRegistry);
  assert.deepEqual([planned.toRegister, planned.alreadyRegistered, planned.minors], [1000, 0, 1]);
  // An import that stops after 400 records, then the whole file again: the first 400 are
  // found on chain and nobody is registered twice.
  const part = await egov('registry', 'import', first, '--batch', '250', ...asRegistry);
  assert.equal(part.registered, 400);
  const rest = await egov('registry', 'import', csv, '--batch', '250', ...asRegistry);
  assert.deepEqual([rest.alreadyRegistered, rest.registered], [400, 600]);
  console.log(`egov registry import: 600 citizens in ${rest.seconds.toFixed(1)} s (${rest.perSecond.toFixed(0)}/s, batches of 250, dev node)`);
  assert.equal((await api.query.identityRegistry.nextCitizenId()).toNumber(), idsBefore + 1000, 'each person once');

  // Personal data stays in the store (owner-only); the chain holds only the commitment.
  assert.equal(statSync(store).mode & 0o777, 0o600);
  const kept = JSON.parse(readFileSync(store, 'utf8')).entries['NID-V0'];
  assert.equal(kept.record.name, 'Voter 0, Jr.');
  const entry = (await api.query.identityRegistry.citizens(kept.citizen)).unwrap();
  assert.equal(entry.account.toString(), voters[0].pair.address);
  assert.equal(entry.commitment.toHex(), kept.commitment);
  // A store that lost its citizen ids (a crash after a batch landed): the commitments on
  // chain still show who is registered.
  const lost = JSON.parse(readFileSync(store, 'utf8'));
  for (const p of Object.values(lost.entries)) p.citizen = null;
  writeFileSync(store, JSON.stringify(lost), { mode: 0o600 });
  const again = await egov('registry', 'import', csv, '--dry-run', ...asRegistry);
  assert.deepEqual([again.alreadyRegistered, again.toRegister], [1000, 0]);
  // A person's record changed in the source: not silently registered as someone new.
  const changed = join(dir, 'changed-records.csv');
  writeFileSync(changed, csvOf([[...rows[20].slice(0, 2), born(45), ...rows[20].slice(3)]]));
  await assert.rejects(egov('registry', 'import', changed, ...asRegistry), /NID-13: the store holds another record/);

  for (const v of voters) {
    assert.equal((await api.query.system.account(v.pair.address)).data.free.toBigInt(), 0n, 'voters hold no tokens');
  }
});

const elections = {};

async function runKeyGeneration(id) {
  for (const t of trustees()) {
    const r = await egov('trustee', 'keygen', String(id), '--seed', uriOf(t), '--key-file', keyFile(id, t));
    assert.ok(r.trustee >= 1);
  }
  for (const t of trustees()) {
    await egov('trustee', 'deal', String(id), '--seed', uriOf(t), '--key-file', keyFile(id, t));
  }
  // Every dealing is in, but the key waits for each trustee to check its shares.
  assert.equal((await api.call.electionsApi.election(id)).unwrap().status.toString(), 'KeyGeneration');
  let ready = false;
  for (const t of trustees()) {
    const r = await egov('trustee', 'confirm', String(id), '--seed', uriOf(t), '--key-file', keyFile(id, t));
    assert.deepEqual(r.complaints, [], 'honest dealers: nothing to complain about');
    ready = r.keyReady;
  }
  assert.ok(ready, 'the last confirmation completes the joint key');
}

function uriOf(pair) {
  return { [k.bob.address]: '//Bob', [k.charlie.address]: '//Charlie', [k.dave.address]: '//Dave' }[pair.address];
}

test('the commission creates a referendum and a single-choice election; trustees build a 2-of-3 key', async () => {
  const common = ['--seed', '//Eve', '--district', '7', '--opens-in', '1', '--closes-in', '120',
    '--threshold', '2', '--election-day', String(today()),
    ...trustees().flatMap((t) => ['--trustee', t.address])];
  // Only the commission may create elections.
  await assert.rejects(
    egov('election', 'create', '--title', 'x', '--kind', 'referendum', '--option', 'yes', '--option', 'no',
      ...common.map((a) => (a === '//Eve' ? '//Ferdie' : a))),
    /BadOrigin/,
  );
  const ref = await egov('election', 'create', '--title', 'Constitutional amendment 2026', '--kind', 'referendum',
    '--option', 'yes', '--option', 'no', ...common);
  const single = await egov('election', 'create', '--title', 'Mayor of district 7', '--kind', 'single-choice',
    ...['Ana', 'Boris', 'Chen', 'Dina', 'Emil'].flatMap((c) => ['--option', c]), ...common);
  elections.referendum = ref.election;
  elections.single = single.election;

  for (const id of [ref.election, single.election]) {
    await runKeyGeneration(id);
    const e = (await api.call.electionsApi.election(id)).unwrap();
    assert.equal(e.status.toString(), 'Ready');
    assert.ok(e.publicKey.isSome, 'the joint key is on chain');
    const vks = await api.call.electionsApi.verificationKeys(id);
    assert.equal(vks.length, 3, 'one verification key per trustee');
    // Every trustee's transport key and dealing (with proofs) are public.
    assert.equal((await api.query.elections.dealings.entries(id)).length, 3);
    await egov('election', 'open', String(id), '--seed', '//Eve');
    assert.equal((await api.call.electionsApi.election(id)).unwrap().status.toString(), 'Voting');
  }
});

const codes = {};

/**
 * A node that swaps the election key for its own (one it could decrypt with) in every
 * answer, proofs included: `egov vote` encrypts nothing to it and sends nothing.
 */
async function voteThroughLyingNode(ref, v) {
  const real = (await api.call.electionsApi.election(ref)).unwrap().publicKey.unwrap().toHex().slice(2);
  const fake = RISTRETTO_BASEPOINT; // its secret is 1: anyone could decrypt
  const liar = await startNodeLyingAbout(real, fake);
  try {
    await assert.rejects(
      egovAt(liar.url, 'vote', ref, '--seed-file', secretFile(v.mnemonic), '--choice', 'no'),
      /storage proof does not check against the state root/,
    );
    assert.ok(liar.requests.includes('state_getReadProof'));
    assert.ok(!liar.requests.some((m) => m.startsWith('author_')), 'no ballot was sent');
  } finally {
    await liar.close();
  }
  assert.ok((await api.query.elections.ballots(ref, await citizenOf(v))).isNone, 'the voter has not voted yet');
}

const RISTRETTO_BASEPOINT = 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76';
const citizenOf = async (v) => (await api.query.identityRegistry.citizenOf(v.pair.address)).unwrap();

/**
 * Benaloh challenge, then a re-vote: the voter seals a ballot, sees its tracking code and
 * audits it (the client learns the decision only after sealing); any device checks the
 * opening; the audited ballot is never cast by `egov`, and if a dishonest client casts it
 * anyway, `verify-audit --against-chain` shows it. Then a fresh sealed ballot is cast.
 */
async function reVoteWithAudit(ref, v, previous) {
  const seedFile = secretFile(v.mnemonic);
  const sealedFile = join(dir, 'sealed.json');
  const sealed = await egov('vote', ref, '--seed-file', seedFile, '--choice', 'no', '--seal', sealedFile);
  assert.match(sealed.trackingCode, /^0x[0-9a-f]{64}$/);
  const sealedBallot = JSON.parse(readFileSync(sealedFile, 'utf8'));
  const audited = await egov('vote', '--audit', sealedFile);
  assert.deepEqual(audited.choices, ['no']);
  assert.equal(audited.audited, sealed.trackingCode);
  await assert.rejects(egov('vote', '--cast', sealedFile, '--seed-file', seedFile), /ENOENT|reading/, 'the sealed file is gone');
  await assert.rejects(
    egov('vote', '--cast', audited.file, '--seed-file', seedFile),
    /audited \(opened\): it is spoiled and is never cast/,
  );
  const checked = await egov('verify-audit', audited.file, '--against-chain');
  assert.equal(checked.ok, true, JSON.stringify(checked.failures));
  assert.deepEqual(checked.choices, ['no']);

  // A dishonest client shows "no" but encrypted "yes": its opening cannot match.
  const yesFile = join(dir, 'sealed-yes.json');
  await egov('vote', ref, '--seed-file', seedFile, '--choice', 'yes', '--seal', yesFile);
  const yes = JSON.parse(readFileSync(yesFile, 'utf8'));
  const lie = { ...JSON.parse(readFileSync(audited.file, 'utf8')), ballot: yes.ballot, trackingCode: yes.trackingCode };
  const lieFile = join(dir, 'lying-audit.json');
  writeFileSync(lieFile, JSON.stringify(lie));
  const caught = await egov('verify-audit', lieFile).then(() => null, (e) => e);
  assert.ok(caught, 'a ballot that does not encrypt the choices shown fails its audit');
  assert.match(caught.stdout, /does not encrypt the choices shown/);
  // Choices relabelled after the fact: refused too.
  writeFileSync(lieFile, JSON.stringify({ ...JSON.parse(readFileSync(audited.file, 'utf8')), choices: ['yes'] }));
  await assert.rejects(egov('verify-audit', lieFile), /are not the ones the opening holds/);

  // A dishonest client casts the audited ballot anyway: the chain accepts a valid ballot,
  // and the published audit shows the cheat.
  const castArg = api.tx.elections.castBallot.meta.args[1].type.toString();
  await sendAndWait(api.tx.elections.castBallot(ref, api.createType(castArg, sealedBallot.ballot)), v.pair);
  const cheated = await egov('verify-audit', audited.file, '--against-chain').then(() => null, (e) => e);
  assert.ok(cheated, 'a cast audited ballot fails verify-audit against the chain');
  assert.match(cheated.stdout, /was cast and is counted/);

  // The voter seals a fresh ballot and casts it: counted, proven at finality.
  await egov('vote', ref, '--seed-file', seedFile, '--choice', 'no', '--seal', sealedFile);
  const fresh = JSON.parse(readFileSync(sealedFile, 'utf8'));
  const revote = await egov('vote', '--cast', sealedFile, '--seed-file', seedFile);
  assert.equal(revote.trackingCode, fresh.trackingCode, 'the code computed before casting is the chain\'s');
  assert.equal(revote.proven, true);
  // Mortal: refused after 64 blocks, so a ballot held back cannot be replayed much later.
  const { block } = await api.rpc.chain.getBlock(revote.block);
  const xt = block.extrinsics.find((x) => api.tx.elections.castBallot.is(x.method));
  assert.ok(xt.era.isMortalEra, 'the ballot transaction is mortal');
  assert.equal(xt.era.asMortalEra.period.toNumber(), 64);
  assert.equal(revote.superseded, sealed.trackingCode, 'it replaces the audited ballot the cheat cast');
  assert.notEqual(previous, revote.trackingCode);
  return revote;
}

test('citizens vote without fees; re-votes replace; bad voters and ballots are refused by name', async () => {
  const ref = String(elections.referendum);
  const single = String(elections.single);
  const vote = (v, id, ...choices) => egov('vote', id, '--seed-file', secretFile(v.mnemonic), ...choices.flatMap((c) => ['--choice', c]));

  // Referendum: yes, yes, no, (yes then no), no, yes  => yes 3, no 3.
  codes.v0 = (await vote(voters[0], ref, 'yes')).trackingCode;
  await vote(voters[1], ref, 'yes');
  await vote(voters[2], ref, 'no');
  codes.first = (await vote(voters[3], ref, 'yes')).trackingCode;
  codes.second = (await reVoteWithAudit(ref, voters[3], codes.first)).trackingCode;
  // A real secret on the command line is refused (other users see argv), without echoing it.
  const inArgv = await egov('vote', ref, '--seed', voters[4].mnemonic, '--choice', 'no').then(() => null, (e) => e);
  assert.ok(inArgv, 'a mnemonic in argv is refused');
  assert.match(inArgv.stderr, /--seed takes only dev keys/);
  assert.ok(!inArgv.stderr.includes(voters[4].mnemonic), 'the refusal does not echo the secret');
  await voteThroughLyingNode(ref, voters[4]);
  await vote(voters[4], ref, 'no');
  await vote(voters[5], ref, 'yes');

  // Single choice among five: Chen 3, Ana 2, Emil 1.
  for (const [i, c] of [[0, 'Chen'], [1, 'Chen'], [2, 'Ana'], [3, 'Emil'], [4, 'Ana'], [5, 'Boris']]) {
    await vote(voters[i], single, c);
  }
  await vote(voters[5], single, 'Chen'); // changes their mind: Boris 0, Chen 3

  // The minor is refused: the client checks eligibility first, and the node's pool refuses
  // the ballot itself when the check is skipped, funded or not: it never reaches a block.
  await assert.rejects(vote(minor, ref, 'yes'), /not eligible.*Elections\.NotAnAdult/);
  assert.ok((await api.call.electionsApi.voterEligibility(elections.referendum, minor.pair.address)).isMinor);
  await assert.rejects(
    egov('vote', ref, '--seed-file', secretFile(minor.mnemonic), '--choice', 'yes', '--skip-checks'),
    /refused by the pool: Elections\.NotAnAdult/,
    'an ineligible voter does not vote, for free or otherwise',
  );
  await sendAndWait(api.tx.balances.transferKeepAlive(minor.pair.address, 10n ** 15n), k.alice);
  await assert.rejects(
    egov('vote', ref, '--seed-file', secretFile(minor.mnemonic), '--choice', 'yes', '--skip-checks'),
    /refused by the pool: Elections\.NotAnAdult/,
  );
  // The civil registry adds a voter after voting opened: the roll was fixed at the opening,
  // so the client and the pool refuse their ballot by name, and nothing is counted.
  const late = mnemonicGenerate();
  const latecomer = { mnemonic: late, pair: new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromMnemonic(late) };
  await egov('registry', 'register', '--national-id', 'NID-LATE', '--name', 'Late Comer', '--date-of-birth', '1990-01-01',
    '--district', '7', '--account', latecomer.pair.address, '--store', join(dir, 'registry-store.json'), '--seed', '//Ferdie');
  await assert.rejects(vote(latecomer, ref, 'yes'), /not eligible.*Elections\.NotOnTheRoll/);
  assert.ok((await api.call.electionsApi.voterEligibility(elections.referendum, latecomer.pair.address)).isNotOnTheRoll);
  await assert.rejects(
    egov('vote', ref, '--seed-file', secretFile(latecomer.mnemonic), '--choice', 'yes', '--skip-checks'),
    /refused by the pool: Elections\.NotOnTheRoll/,
  );
  // A malformed ballot and a ballot built for someone else are refused by the pool, by name.
  await assert.rejects(
    egov('vote', ref, '--seed-file', secretFile(voters[0].mnemonic), '--choice', 'yes', '--tamper', 'drop-option'),
    /refused by the pool: Elections\.MalformedBallot/,
  );
  await assert.rejects(
    egov('vote', ref, '--seed-file', secretFile(voters[0].mnemonic), '--choice', 'yes', '--tamper', 'other-voter'),
    /refused by the pool: Elections\.InvalidBallotProof/,
  );

  for (const v of voters) {
    assert.equal((await api.query.system.account(v.pair.address)).data.free.toBigInt(), 0n, 'voting cost nothing');
  }
  const track = async (code) => (await api.call.electionsApi.trackingStatus(code)).toJSON();
  assert.ok((await track(codes.v0)).counted);
  assert.ok((await track(codes.second)).counted, 'the latest ballot is counted');
  assert.deepEqual((await track(codes.first)), { superseded: { election: elections.referendum } });
  assert.equal((await egov('track', codes.first)).status, 'superseded');
  assert.equal((await egov('track', codes.second)).status, 'counted');
  const e = (await api.call.electionsApi.election(elections.referendum)).unwrap();
  assert.equal(e.voters.toNumber(), 6);
  assert.equal(e.ballotsCast.toNumber(), 8, 'with the audited ballot a dishonest client cast');
  assert.deepEqual((await api.call.electionsApi.turnout(elections.referendum)).toJSON(), [[7, 6]]);
});

test('mid-voting, a candidate upgrade passes its checks against the live state (egov try-upgrade)', async () => {
  // What a ministry runs before proposing an upgrade: the runtime built with its checks,
  // every migration and every pallet's try_state (elections recount their tallies),
  // against the state of the chain's finalized head. It only reads.
  await waitUntilBestFinalized(api);
  const started = Date.now();
  const check = await egov('try-upgrade');
  const seconds = (Date.now() - started) / 1000;
  console.log(`egov try-upgrade: ${check.keys} keys at block #${check.block} checked in ${seconds.toFixed(1)} s`);
  assert.equal(check.ok, true);
  assert.equal(check.specVersion, api.runtimeVersion.specVersion.toNumber());
  assert.ok(check.keys > 100, `the whole state was downloaded (${check.keys} keys)`);
  assert.ok(check.migrationRefTime <= check.maxBlockRefTime);
});

const nextNonce = async (who) => (await api.rpc.system.accountNextIndex(who.address)).toNumber();

test('while voting is open, a trustee makes no decryption share and sends nothing', async () => {
  // A share is a public decryption of whatever it was made of, kept in the block body even
  // when the call fails: made of the tally so far, it would publish an interim result.
  const id = elections.referendum;
  const nonce = await nextNonce(k.bob);
  await assert.rejects(
    egov('trustee', 'decrypt', String(id), '--seed', '//Bob', '--key-file', keyFile(id, k.bob)),
    /is Voting at the finalized block .*only of a closed election's final tally/,
  );
  assert.equal(await nextNonce(k.bob), nonce, 'nothing was sent');
});

/**
 * A node that lies about a storage value: every way a client could read it (plain reads,
 * runtime API calls, and the read proofs, doctored to carry the false value) says `fake`
 * where the chain holds `real` (hex, without 0x, found inside the encoded values).
 */
const startNodeLyingAbout = (real, fake, extra = () => undefined) =>
  startLyingNode(node.rpcUrl, (request) => {
    const doctor = (v) => (typeof v === 'string' ? v.replaceAll(real, fake) : v);
    if (request.method === 'state_getReadProof') return (r) => ({ ...r, proof: r.proof.map(doctor) });
    if (request.method === 'state_getStorage' || request.method === 'state_call') {
      return extra(request) ?? doctor;
    }
    return undefined;
  });

/** A trustee's decrypt through a node that shows one voter's ballot as the tally. */
async function decryptThroughLyingNode(id) {
  const [, stored] = (await api.query.elections.ballots.entries(id))[0];
  const oneBallot = stored.unwrap().ballot.ciphertexts.toHex();
  const tally = (await api.query.elections.tallies(id)).toHex();
  assert.equal(tally.length, oneBallot.length);
  const liar = await startNodeLyingAbout(tally.slice(2), oneBallot.slice(2), ({ method, params }) =>
    method === 'state_call' && params[0] === 'ElectionsApi_tally' ? oneBallot : undefined,
  );
  try {
    const nonce = await nextNonce(k.bob);
    await assert.rejects(
      egovAt(liar.url, 'trustee', 'decrypt', String(id), '--seed', '//Bob', '--key-file', keyFile(id, k.bob)),
      /storage proof does not check against the state root/,
    );
    assert.ok(liar.requests.includes('state_getReadProof'), 'the client read with proofs through the liar');
    assert.ok(!liar.requests.some((m) => m.startsWith('author_')), 'nothing was submitted to the liar');
    assert.equal(await nextNonce(k.bob), nonce, 'nothing reached the chain');
  } finally {
    await liar.close();
  }
}

test('voting closes, two trustees decrypt, a wrong result is refused and the right one published', async () => {
  for (const [name, id] of Object.entries(elections)) {
    const e = (await api.call.electionsApi.election(id)).unwrap();
    const closes = e.params.votingCloses.asBlock.toNumber();
    if ((await bestNumber()) < closes - 5) {
      await assert.rejects(egov('election', 'close', String(id), '--seed', '//Alice'), /Elections\.VotingStillOpen/);
    }
    await waitForBlock(closes);
    await egov('election', 'close', String(id), '--seed', '//Alice');
    if (name === 'referendum') await decryptThroughLyingNode(id);
    // A trustee cannot decrypt alone; nothing can be published yet.
    await egov('trustee', 'decrypt', String(id), '--seed', '//Bob', '--key-file', keyFile(id, k.bob));
    // Twice: the client tries the share on the chain's state first and keeps it.
    const nonce = await nextNonce(k.bob);
    await assert.rejects(
      egov('trustee', 'decrypt', String(id), '--seed', '//Bob', '--key-file', keyFile(id, k.bob)),
      /would refuse this share \(Elections\.AlreadySubmitted\); not sent/,
    );
    assert.equal(await nextNonce(k.bob), nonce, 'the refused share was not sent');
    await assert.rejects(egov('election', 'publish', String(id), '--seed', '//Alice'), /1 of 2 decryption shares/);
    await egov('trustee', 'decrypt', String(id), '--seed', '//Dave', '--key-file', keyFile(id, k.dave));
    const wrong = name === 'referendum' ? '4,2' : '2,0,4,0,0';
    await assert.rejects(
      egov('election', 'publish', String(id), '--seed', '//Alice', '--counts', wrong),
      /Elections\.WrongCounts/,
    );
    const published = await egov('election', 'publish', String(id), '--seed', '//Alice');
    const expected = name === 'referendum' ? [3, 3] : [2, 0, 3, 0, 1];
    assert.deepEqual(published.counts, expected);
    assert.deepEqual((await api.call.electionsApi.result(id)).toJSON(), expected);
    const events = await (await api.at(published.block)).query.system.events();
    const ev = events.find(({ event }) => api.events.elections.ResultPublished.is(event));
    assert.ok(ev, 'ResultPublished is in the block that included the result');
    assert.deepEqual(ev.event.data.counts.toJSON(), expected);
    assert.equal((await api.call.electionsApi.election(id)).unwrap().status.toString(), 'Final');
  }
});

test('the public verifier recounts from chain data and rejects doctored records', async () => {
  const id = elections.referendum;
  const file = join(dir, 'record.json');
  // Wait until the final block is finalized: the verifier reads finalized state.
  await waitUntilBestFinalized(api);
  const verdict = await egov('verify', String(id), '--out', file);
  assert.equal(verdict.ok, true, JSON.stringify(verdict.failures));
  assert.deepEqual(verdict.recomputed_counts, [3, 3]);
  assert.equal(verdict.ballots_verified, 6);
  const single = await egov('verify', String(elections.single));
  assert.equal(single.ok, true, JSON.stringify(single.failures));
  assert.deepEqual(single.recomputed_counts, [2, 0, 3, 0, 1]);

  const record = JSON.parse(readFileSync(file, 'utf8'));
  // The genuine record the verifier's property test mutates (cli/tests/records/).
  if (process.env.EGOV_RECORD_FIXTURE) writeFileSync(process.env.EGOV_RECORD_FIXTURE, readFileSync(file));
  assert.equal((await egov('verify', '--record', file)).ok, true, 'the exported record verifies offline');
  // Each counted ballot comes with its voter's signed transaction and, proven, the
  // registry entries that put the voter on the roll.
  for (const b of record.ballots) {
    const xt = api.createType('Extrinsic', b.signed.extrinsic);
    assert.equal(xt.signer.toString(), b.voter);
    assert.equal(xt.method.section, 'elections');
    assert.equal(xt.method.method, 'castBallot');
    const onChain = (await api.query.identityRegistry.citizens(b.citizen)).unwrap();
    assert.equal(onChain.toHex(), b.citizen_record);
  }

  const doctored = async (mutate, pattern) => {
    const copy = structuredClone(record);
    mutate(copy);
    const f = join(dir, `doctored-${Math.random()}.json`);
    writeFileSync(f, JSON.stringify(copy));
    const err = await egov('verify', '--record', f).then(() => null, (e) => e);
    assert.ok(err, 'a doctored record must be rejected');
    assert.equal(err.code, 2);
    const out = JSON.parse(err.stdout.trim().split('\n').pop());
    assert.equal(out.ok, false);
    assert.ok(out.failures.some((f) => pattern.test(f)), `expected ${pattern} in ${JSON.stringify(out.failures)}`);
  };
  // The published result swapped, digest recomputed: only the recount can catch it.
  await doctored((r) => {
    r.result = [4, 2];
    r.digest = blake2AsHex(JSON.stringify({ ...r, digest: '' }));
  }, /published result \[4, 2\] differs from the recount \[3, 3\]/);
  // A counted ballot replaced by another voter's ballot.
  await doctored((r) => {
    r.ballots[0].ballot = r.ballots[1].ballot;
  }, /tracking code|fails its proofs/);
  // A counted ballot shown with another voter's transaction: not its voter's signature.
  await doctored((r) => {
    r.ballots[0].signed = r.ballots[1].signed;
    r.digest = blake2AsHex(JSON.stringify({ ...r, digest: '' }));
  }, /signed by another account/);
  // The signature does not cover another chain's genesis.
  await doctored((r) => {
    r.ballots[0].signed.birth = r.genesis_hash.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    r.digest = blake2AsHex(JSON.stringify({ ...r, digest: '' }));
  }, /signature does not verify/);
  // A voter moved to a district of the election after the roll was fixed (the registry
  // entry rewritten): the entry is not the chain's.
  await doctored((r) => {
    r.ballots[0].citizen_record = r.ballots[1].citizen_record;
    r.digest = blake2AsHex(JSON.stringify({ ...r, digest: '' }));
  }, /a value differs from the chain's state/);
  // A ballot dropped from the record.
  await doctored((r) => {
    r.ballots.pop();
  }, /the stored tally is not the sum of the counted ballots/);
  // What no recount can contradict (the district a turnout figure is for), digest
  // recomputed: the record's storage proof against the block's state root catches it.
  await doctored((r) => {
    r.turnout[0][0] += 1;
    r.digest = blake2AsHex(JSON.stringify({ ...r, digest: '' }));
  }, /a value differs from the chain's state/);

  // Anchored: checked against a block hash the verifier trusts (here, from our own node).
  const trusted = (await api.rpc.chain.getBlockHash(record.block_number)).toHex();
  const anchored = await egov('verify', '--record', file, '--checkpoint', trusted);
  assert.equal(anchored.ok, true, JSON.stringify(anchored.failures));
  assert.equal(anchored.anchored, true);
  const genesis = (await api.rpc.chain.getBlockHash(0)).toHex();
  const other = await egov('verify', '--record', file, '--checkpoint', genesis).then(() => null, (e) => e);
  assert.ok(other, 'a record of another block than the checkpoint is refused');
  const genesisPinned = await egov('verify', '--record', file, '--checkpoint', trusted, '--genesis', genesis);
  assert.equal(genesisPinned.ok, true, JSON.stringify(genesisPinned.failures));
  const otherChain = await egov('verify', '--record', file, '--genesis', trusted).then(() => null, (e) => e);
  assert.ok(otherChain, 'a record of another chain is refused');
  assert.match(otherChain.stdout, /the record is of chain/);
  assert.equal(other.code, 2);
  assert.match(other.stdout, /not the checkpoint/);
});

test('a trustee who deals a bad share is convicted by its victim\'s complaint; the key is built without it', async () => {
  const created = await egov('election', 'create', '--seed', '//Eve', '--title', 'Sabotaged key generation',
    '--kind', 'referendum', '--option', 'yes', '--option', 'no', '--district', '7', '--opens-in', '1',
    '--closes-in', '90', '--threshold', '2', '--election-day', String(today()),
    ...trustees().flatMap((t) => ['--trustee', t.address]));
  const id = String(created.election);
  for (const t of trustees()) {
    await egov('trustee', 'keygen', id, '--seed', uriOf(t), '--key-file', keyFile(id, t));
  }
  // Dave (trustee 3) deals Bob (trustee 1) a share that does not match his commitments:
  // before, the key was ready now and Bob could never decrypt, after everyone voted.
  for (const t of trustees()) {
    const cheat = t.address === k.dave.address ? ['--corrupt-share-for', '1'] : [];
    await egov('trustee', 'deal', id, '--seed', uriOf(t), '--key-file', keyFile(id, t), ...cheat);
  }
  const confirm = (t) => egov('trustee', 'confirm', id, '--seed', uriOf(t), '--key-file', keyFile(id, t));
  const bob = await confirm(k.bob);
  assert.deepEqual(bob.complaints, [3], 'Bob\'s client convicts Dave');
  assert.equal(bob.keyReady, false);
  const charlie = await confirm(k.charlie);
  assert.deepEqual(charlie.complaints, []);
  assert.ok(charlie.keyReady, 'Dave is out: the last qualified trustee\'s confirmation builds the key');
  await assert.rejects(confirm(k.dave), /key generation is over/);
  const disqualified = (await api.query.elections.disqualified(id, 3)).unwrap();
  assert.equal(disqualified.complainer.toNumber(), 1);
  const e = (await api.call.electionsApi.election(id)).unwrap();
  assert.equal(e.status.toString(), 'Ready', 'the election can open, with a key built without Dave');
});

test('try-upgrade refuses a chain whose election record was rewritten behind the runtime', async () => {
  // Sudo (dev only) rewrites the referendum's turnout, as a faulty migration could:
  // the tally and the voter count are untouched, but district 8 now claims a voter.
  const key = api.query.elections.turnout.key(elections.referendum, 8);
  await sendAndWait(api.tx.sudo.sudo(api.tx.system.setStorage([[key, api.createType('u32', 1).toHex()]])), k.alice);
  await waitUntilBestFinalized(api);
  const err = await egov('try-upgrade').then(() => null, (e) => e);
  assert.ok(err, 'the checks must fail');
  assert.equal(err.code, 1);
  assert.match(err.stderr, /turnout per district does not match the ballots/);
});
