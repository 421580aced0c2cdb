// The identity registry as the ministries use it: every act through the `egov` CLI (the
// council's motions, the civil registry, the business registry, a university, a court and
// a citizen), @polkadot/api only to check what the chain says.
//
// The council appoints the authorities by named motions; the civil registry registers a
// citizen (personal data and salt stay in its store; only a commitment goes on chain),
// corrects the record, registers minors and records majorities in a batch (no date of birth
// on chain), suspends, restores, moves, records a death; the business registry registers an
// entity from its filing; a university issues diplomas from files, one and a folder of them,
// and revokes one; anyone checks a document with a proof; a citizen accepts a key rotation
// feelessly with a key that holds no tokens, and a court confirms it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { startDevNode, devAccounts } from '../lib/dev-node.js';
import { egov as egovAt, secretFile } from '../lib/egov.js';
import { today } from '../lib/chain.js';

let node;
let api;
let k;
let dir;
let store;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  k = devAccounts();
  dir = mkdtempSync(join(tmpdir(), 'egov-identity-'));
  store = join(dir, 'civil-registry-store.json');
});

after(async () => {
  if (node) await node.stop();
});

const egov = (...args) => egovAt(node.rpcUrl, ...args);
const asRegistry = () => ['--seed', '//Ferdie'];
/** A YYYY-MM-DD day `years` years and `days` days from today (UTC). */
const dayFromNow = (years, days = 0) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate() + days)).toISOString().slice(0, 10);
};
/** The chain's day (its clock, which may differ from this machine's: e.g. near midnight). */
const chainDay = async () => Math.floor((await api.query.timestamp.now()).toNumber() / 86_400_000);
const isoOfDay = (day) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const dayNumber = (iso) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const eligibility = async (account, day = today()) =>
  (await api.call.identityRegistryApi.eligibility(account, day)).toJSON();

test('the council appoints the civil and business registries, a university and a court with egov council', async () => {
  // A single ministry cannot appoint anyone.
  await assert.rejects(
    egov('council', 'propose', 'appoint-authority', k.dave.address, 'court', '--threshold', '1', '--seed', '//Alice'),
    /BadOrigin/,
  );
  // Four named motions from three members; each needs two ayes (two thirds of three).
  const [a, b, c] = await Promise.all([
    egov('council', 'propose', 'appoint-authority', k.ferdie.address, 'civil-registry', '--seed', '//Alice'),
    egov('council', 'propose', 'appoint-authority', k.ferdie.address, 'business-registry', '--seed', '//Bob'),
    egov('council', 'propose', 'appoint-authority', k.eve.address, 'credential-issuer', '--credential-kind', 'diploma', '--seed', '//Charlie'),
  ]);
  const vote = (m, seed) => egov('council', 'vote', String(m.motion), '--aye', '--seed', seed);
  const [d] = await Promise.all([
    egov('council', 'propose', 'appoint-authority', k.charlie.address, 'court', '--seed', '//Alice'),
    vote(a, '//Bob'),
    vote(b, '//Charlie'),
  ]);
  await Promise.all([vote(a, '//Alice'), vote(b, '//Bob'), vote(c, '//Charlie')]);
  await Promise.all([vote(c, '//Alice'), vote(d, '//Bob'), vote(d, '//Charlie')]);
  const close = (m, seed) => egov('council', 'close', String(m.motion), '--seed', seed);
  const closed = await Promise.all([close(a, '//Alice'), close(b, '//Bob'), close(c, '//Charlie'), close(d, '//Dave')]);
  assert.deepEqual(closed.map((x) => x.outcome), ['executed', 'executed', 'executed', 'executed']);
  assert.deepEqual((await api.call.identityRegistryApi.rolesOf(k.ferdie.address)).toJSON(), ['CivilRegistry', 'BusinessRegistry']);
  assert.deepEqual((await api.call.identityRegistryApi.rolesOf(k.eve.address)).toJSON(), ['CredentialIssuer']);
  assert.deepEqual((await api.call.identityRegistryApi.rolesOf(k.charlie.address)).toJSON(), ['Court']);
});

let daveId;

test('the civil registry registers a citizen with egov registry: no personal data on chain, a correction, no one twice', async () => {
  const dave = ['--national-id', 'X1234567', '--name', 'Dave Example', '--date-of-birth', '1990-05-01', '--district', '7'];
  const done = await egov('registry', 'register', ...dave, '--account', k.dave.address, '--store', store, ...asRegistry());
  assert.equal(done.registered, 1);
  const view = (await api.call.identityRegistryApi.citizenByAccount(k.dave.address)).unwrap();
  daveId = view.id.toNumber();
  assert.equal(view.status.toString(), 'Active');
  const stored = JSON.stringify((await api.query.identityRegistry.citizens(daveId)).toJSON());
  assert.ok(!stored.includes('Dave') && !stored.includes('X1234567'), 'no personal data in storage');
  assert.equal(statSync(store).mode & 0o777, 0o600, 'the store is readable by its owner only');
  assert.deepEqual(await eligibility(k.dave.address), { eligible: { district: 7 } });
  // The registry shows that the entry is this person's record: it opens the commitment.
  const shown = await egov('registry', 'show', k.dave.address, '--store', store);
  assert.deepEqual([shown.citizen, shown.opens, shown.record.name], [daveId, true, 'Dave Example']);
  assert.equal(shown.commitment, view.commitment.toHex());

  // The same person again under another account, or another person on Dave's account:
  // refused by name, nothing sent.
  await assert.rejects(
    egov('registry', 'register', ...dave.slice(0, 4), '--date-of-birth', '1990-05-02', '--district', '7', '--account', k.charlie.address, '--store', store, ...asRegistry()),
    /X1234567: the store holds another record/,
  );
  await assert.rejects(
    egov('registry', 'register', '--national-id', 'Y7654321', '--name', 'Not Dave', '--date-of-birth', '1980-01-01', '--district', '7', '--account', k.dave.address, '--store', store, ...asRegistry()),
    new RegExp(`already citizen ${daveId} with another record`),
  );
  // Only the civil registry registers.
  await assert.rejects(
    egov('registry', 'register', '--national-id', 'Z1', '--name', 'Z', '--date-of-birth', '1980-01-01', '--district', '7', '--account', k.charlie.address, '--store', join(dir, 'other-store.json'), '--seed', '//Eve'),
    /BadOrigin/,
  );

  // A change of name: a new salt, a new commitment; the old one no longer binds anyone.
  const old = view.commitment.toHex();
  await egov('registry', 'correct', 'X1234567', '--name', 'Dave Example-Smith', '--store', store, ...asRegistry());
  const corrected = await egov('registry', 'show', String(daveId), '--store', store);
  assert.deepEqual([corrected.opens, corrected.record.name], [true, 'Dave Example-Smith']);
  assert.notEqual(corrected.commitment, old);
  assert.ok((await api.query.identityRegistry.citizenByCommitment(old)).isNone);
  await assert.rejects(
    egov('registry', 'correct', 'X1234567', '--name', 'Dave Example-Smith', '--store', store, ...asRegistry()),
    /nothing to correct/,
  );
});

test('no date of birth on chain: minors are registered as such; egov registry records majorities in one-day batches', async () => {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const [soon, young] = [mnemonicGenerate(), mnemonicGenerate()].map((m) => keyring.addFromMnemonic(m));
  const csv = join(dir, 'minors.csv');
  writeFileSync(csv, [
    'national_id,name,date_of_birth,district,account',
    // Of age in ten days; and a ten-year-old.
    `M-1,Soon Adult,${dayFromNow(-18, 10)},7,${soon.address}`,
    `M-2,Young Child,${dayFromNow(-10)},7,${young.address}`,
  ].join('\n'));
  const imported = await egov('registry', 'import', csv, '--store', store, ...asRegistry());
  assert.deepEqual([imported.registered, imported.minors], [2, 2]);
  // The state holds no day for them: a minor until the civil registry records otherwise.
  assert.deepEqual(await eligibility(soon.address, today() + 36500), { minor: { adultFrom: 4294967295 } });

  // Everyone of age by a day twenty days on, recorded as adult from that day (one day for
  // the batch, never a birthday); the ten-year-old is not in it.
  const by = dayFromNow(0, 20);
  const planned = await egov('registry', 'record-majority', '--store', store, '--by', by, '--dry-run', ...asRegistry());
  assert.equal(planned.citizens.length, 1);
  const recorded = await egov('registry', 'record-majority', '--store', store, '--by', by, ...asRegistry());
  assert.equal(recorded.from, dayNumber(by));
  assert.deepEqual(await eligibility(soon.address, dayNumber(by)), { eligible: { district: 7 } });
  assert.deepEqual(await eligibility(soon.address, dayNumber(by) - 1), { minor: { adultFrom: dayNumber(by) } });
  assert.deepEqual(await eligibility(young.address, dayNumber(by)), { minor: { adultFrom: 4294967295 } });
  // Recorded once: the next batch leaves them out, and changes nothing.
  const again = await egov('registry', 'record-majority', '--store', store, '--by', dayFromNow(0, 21), ...asRegistry());
  assert.deepEqual(again.citizens, []);
  assert.deepEqual(await eligibility(soon.address, dayNumber(by)), { eligible: { district: 7 } });

  // A death closes the record: later acts on it are refused by name.
  await egov('registry', 'record-death', young.address, ...asRegistry());
  assert.equal((await api.query.identityRegistry.citizens((await egov('registry', 'show', young.address)).citizen)).unwrap().status.toString(), 'Deceased');
  await assert.rejects(egov('registry', 'update-district', young.address, '8', ...asRegistry()), /IdentityRegistry\.CitizenDeceased/);
});

test('the civil registry suspends, restores and moves a citizen with egov registry', async () => {
  await egov('registry', 'suspend', String(daveId), ...asRegistry());
  assert.deepEqual(await eligibility(k.dave.address), { suspended: null });
  await assert.rejects(egov('registry', 'suspend', String(daveId), ...asRegistry()), /IdentityRegistry\.CitizenNotActive/);
  await assert.rejects(egov('registry', 'restore', String(daveId), '--seed', '//Eve'), /BadOrigin/);
  await egov('registry', 'restore', String(daveId), ...asRegistry());
  await egov('registry', 'update-district', k.dave.address, '8', ...asRegistry());
  assert.deepEqual(await eligibility(k.dave.address), { eligible: { district: 8 } });
});

let entityId;

test('the business registry registers an entity from its filing with egov entity; only a salted hash goes on chain', async () => {
  const filing = join(dir, 'articles-of-association.pdf');
  writeFileSync(filing, '%PDF-1.7 Articles of association of Example Holdings Ltd.');
  const entityStore = join(dir, 'business-registry-store.json');
  const reg = await egov('entity', 'register', filing, '--store', entityStore, '--representative', k.dave.address, ...asRegistry());
  entityId = reg.entity;
  assert.equal(reg.registeredBefore, false);
  assert.notEqual(reg.commitment, blake2AsHex(readFileSync(filing)), 'salted: the filing cannot be confirmed by guessing');
  // The same filing is never registered twice.
  await assert.rejects(egov('entity', 'register', filing, '--store', entityStore, ...asRegistry()), /already registered as entity/);
  const shown = await egov('entity', 'show', String(entityId), '--store', entityStore);
  assert.deepEqual([shown.status, shown.representatives, shown.opens], ['Active', [daveId], true]);
  await egov('entity', 'set-status', String(entityId), 'suspended', ...asRegistry());
  assert.equal((await api.call.identityRegistryApi.entity(entityId)).unwrap().active.toJSON(), false);
  await egov('entity', 'set-status', String(entityId), 'active', ...asRegistry());
  await assert.rejects(egov('entity', 'remove-representative', String(entityId), k.eve.address, ...asRegistry()), /not bound to any citizen/);
  await egov('entity', 'remove-representative', String(entityId), String(daveId), ...asRegistry());
  await egov('entity', 'add-representative', String(entityId), String(daveId), ...asRegistry());
  await assert.rejects(egov('entity', 'add-representative', String(entityId), String(daveId), ...asRegistry()), /IdentityRegistry\.AlreadyARepresentative/);
});

test('a university issues diplomas from files with egov credential; anyone checks one with a proof; it is revoked', async () => {
  const diploma = join(dir, 'diploma.pdf');
  writeFileSync(diploma, '%PDF-1.7 Diploma: Master of Public Administration, 2025');
  const check = (issuer) => egov('credential', 'check', diploma, '--issuer', issuer).then((r) => r, (e) => ({ exit: e.code, ...JSON.parse(e.stdout.trim().split('\n').pop()) }));
  const unknown = await check(k.eve.address);
  assert.deepEqual([unknown.exit, unknown.status], [2, 'unknown']);
  await egov('credential', 'issue', diploma, '--subject', String(daveId), '--kind', 'diploma', ...['--seed', '//Eve']);
  const valid = await check(k.eve.address);
  assert.deepEqual([valid.exit, valid.status, valid.documentHash], [undefined, 'valid', blake2AsHex(readFileSync(diploma))]);
  // Only the issuer the document names vouches for it.
  assert.equal((await check(k.ferdie.address)).status, 'unknown');
  // A kind the university was not appointed for is refused by name.
  const licence = join(dir, 'licence.pdf');
  writeFileSync(licence, 'a driving licence');
  await assert.rejects(
    egov('credential', 'issue', licence, '--subject', String(daveId), '--kind', 'driving-licence', '--seed', '//Eve'),
    /IdentityRegistry\.KindNotInScope/,
  );

  // A folder of diplomas with its manifest: checked whole, issued in batches, resumable.
  const folder = join(dir, 'graduates-2026');
  mkdirSync(folder);
  // Issued on the chain's days: a date after the chain's today is refused (IssuedInFuture).
  const issuedUpTo = await chainDay();
  const lines = ['file,subject,kind,issued_on,expires_on'];
  for (let i = 0; i < 20; i++) {
    writeFileSync(join(folder, `diploma-${i}.pdf`), `%PDF-1.7 Diploma ${i}`);
    lines.push(`diploma-${i}.pdf,${i % 2 ? `entity:${entityId}` : daveId},diploma,${isoOfDay(issuedUpTo - i)},`);
  }
  writeFileSync(join(folder, 'manifest.csv'), [...lines, 'missing.pdf,1,diploma,,'].join('\n'));
  await assert.rejects(egov('credential', 'issue-folder', folder, '--seed', '//Eve'), /line 22: .*missing\.pdf: no such file/);
  writeFileSync(join(folder, 'manifest.csv'), lines.slice(0, 11).join('\n'));
  const first = await egov('credential', 'issue-folder', folder, '--batch', '4', '--seed', '//Eve');
  assert.equal(first.issued, 10);
  writeFileSync(join(folder, 'manifest.csv'), lines.join('\n'));
  const planned = await egov('credential', 'issue-folder', folder, '--dry-run', '--seed', '//Eve');
  assert.deepEqual([planned.alreadyIssued, planned.toIssue], [10, 10]);
  const rest = await egov('credential', 'issue-folder', folder, '--seed', '//Eve');
  assert.deepEqual([rest.alreadyIssued, rest.issued], [10, 10]);
  const last = (await api.call.identityRegistryApi.credentialStatus(blake2AsHex(readFileSync(join(folder, 'diploma-19.pdf'))), k.eve.address)).toJSON();
  assert.deepEqual(last.valid.subject, { entity: entityId });

  // Only the issuer may revoke.
  await assert.rejects(egov('credential', 'revoke', diploma, '--reason', 'fraud', ...asRegistry()), /BadOrigin/);
  await egov('credential', 'revoke', diploma, '--reason', 'fraud', '--seed', '//Eve');
  const revoked = await check(k.eve.address);
  assert.deepEqual([revoked.exit, revoked.status], [2, 'revoked']);
  assert.match(revoked.detail, /Fraud/);
});

test('a citizen accepts a key rotation feelessly with a key holding no tokens (egov key-rotation); a court confirms it', async () => {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const mnemonic = mnemonicGenerate();
  const fresh = keyring.addFromMnemonic(mnemonic);
  await egov('key-rotation', 'start', k.dave.address, fresh.address, ...asRegistry());
  assert.equal((await api.query.system.account(fresh.address)).data.free.toBigInt(), 0n);

  const accepted = await egov('key-rotation', 'accept', '--seed-file', secretFile(mnemonic));
  assert.ok(accepted.events.some((e) => e.startsWith('AccountRotationAccepted')));
  assert.equal((await api.query.system.account(fresh.address)).data.free.toBigInt(), 0n, 'no fee was taken');
  // Not in force yet: the old key still signs for the citizen during the notice.
  assert.ok((await api.call.identityRegistryApi.citizenByAccount(k.dave.address)).isSome);
  assert.ok((await api.call.identityRegistryApi.citizenByAccount(fresh.address)).isNone);
  // Only a court shortens it.
  await assert.rejects(egov('key-rotation', 'confirm', String(daveId), ...asRegistry()), /BadOrigin/);
  await egov('key-rotation', 'confirm', String(daveId), '--seed', '//Charlie');
  const view = (await api.call.identityRegistryApi.citizenByAccount(fresh.address)).unwrap();
  assert.equal(view.id.toNumber(), daveId, 'same citizen, new key');
  assert.ok((await api.call.identityRegistryApi.citizenByAccount(k.dave.address)).isNone);
});
