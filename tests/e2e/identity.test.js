// The identity registry through the client a ministry or citizen uses: the council
// appoints authorities, the civil registry registers a citizen (and minors, whose majority
// it records in a batch: no date of birth on chain), a university issues a
// diploma, anyone verifies it, the university revokes it, and a citizen accepts a key
// rotation feelessly with a key that holds no tokens: it waits out its notice period unless
// a court confirms it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { startDevNode, sendAndWait, devAccounts } from '../lib/dev-node.js';
import { passMotion } from '../lib/council.js';
import { today } from '../lib/chain.js';

let node;
let api;
let k;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  k = devAccounts();
});

after(async () => {
  if (node) await node.stop();
});

test('council appoints the civil registry, a university and a court', async () => {
  const appoint = api.tx.utility.batchAll([
    api.tx.identityRegistry.appointAuthority(k.ferdie.address, 'CivilRegistry', []),
    api.tx.identityRegistry.appointAuthority(k.eve.address, 'CredentialIssuer', ['Diploma']),
    api.tx.identityRegistry.appointAuthority(k.charlie.address, 'Court', []),
  ]);
  // A single ministry cannot appoint anyone.
  await assert.rejects(
    sendAndWait(api.tx.identityRegistry.appointAuthority(k.dave.address, 'Court', []), k.alice),
    /BadOrigin/,
  );
  const events = await passMotion(api, [k.alice, k.bob, k.charlie], appoint);
  const appointed = events.filter(({ event }) => api.events.identityRegistry.AuthorityAppointed.is(event));
  assert.equal(appointed.length, 3);
  const roles = await api.call.identityRegistryApi.rolesOf(k.ferdie.address);
  assert.deepEqual(roles.toJSON(), ['CivilRegistry']);
});

let citizenId;

test('the civil registry registers a citizen, with no personal data on chain', async () => {
  // The civil record stays off chain; only its salted hash is bound.
  const record = stringToU8a(JSON.stringify({ name: 'Dave Example', born: '1990-05-01', idNo: 'X1234567' }));
  const salt = stringToU8a('per-person random salt kept by the registry and the citizen');
  const commitment = blake2AsHex(u8aConcat(salt, record));
  const { events } = await sendAndWait(
    api.tx.identityRegistry.registerCitizen(k.dave.address, commitment, 7, 'Adult'),
    k.ferdie,
  );
  const registered = events.find(({ event }) => api.events.identityRegistry.CitizenRegistered.is(event));
  assert.ok(registered);
  citizenId = registered.event.data.citizen.toNumber();

  const view = (await api.call.identityRegistryApi.citizenByAccount(k.dave.address)).unwrap();
  assert.equal(view.id.toNumber(), citizenId);
  assert.equal(view.commitment.toHex(), commitment);
  assert.equal(view.status.toString(), 'Active');
  const stored = JSON.stringify((await api.query.identityRegistry.citizens(citizenId)).toJSON());
  assert.ok(!stored.includes('Dave') && !stored.includes('X1234567'), 'no personal data in storage');

  const eligibility = await api.call.identityRegistryApi.eligibility(k.dave.address, today());
  assert.deepEqual(eligibility.toJSON(), { eligible: { district: 7 } });
  // The same person cannot be registered twice.
  await assert.rejects(
    sendAndWait(api.tx.identityRegistry.registerCitizen(k.charlie.address, commitment, 7, 'Adult'), k.ferdie),
    /identityRegistry.CommitmentInUse/,
  );
});

test('no date of birth on chain: a minor is registered as one; a batch records the majority', async () => {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const [a, b] = [mnemonicGenerate(), mnemonicGenerate()].map((m) => keyring.addFromMnemonic(m));
  const { events } = await sendAndWait(api.tx.utility.batchAll([a, b].map((p) =>
    api.tx.identityRegistry.registerCitizen(p.address, blake2AsHex(`minor-${p.address}`), 7, 'Minor'))), k.ferdie);
  const ids = events.filter(({ event }) => api.events.identityRegistry.CitizenRegistered.is(event))
    .map(({ event }) => event.data.citizen.toNumber());
  // The state holds no day for them: a minor until the civil registry records otherwise.
  const minor = await api.call.identityRegistryApi.eligibility(a.address, today() + 36500);
  assert.deepEqual(minor.toJSON(), { minor: { adultFrom: 4294967295 } });
  // One day for the whole batch (e.g. the first of next month), never a birthday.
  const from = today() + 20;
  const recorded = await sendAndWait(api.tx.identityRegistry.recordMajority(ids, from), k.ferdie);
  assert.equal(recorded.events.filter(({ event }) => api.events.identityRegistry.MajorityRecorded.is(event)).length, 2);
  assert.deepEqual((await api.call.identityRegistryApi.eligibility(b.address, from)).toJSON(), { eligible: { district: 7 } });
  assert.deepEqual((await api.call.identityRegistryApi.eligibility(b.address, from - 1)).toJSON(), { minor: { adultFrom: from } });
  // Recorded once: a second batch naming them is refused by name and changes nothing.
  await assert.rejects(sendAndWait(api.tx.identityRegistry.recordMajority([ids[0]], from + 1), k.ferdie), /identityRegistry.AlreadyAnAdult/);
  assert.deepEqual((await api.call.identityRegistryApi.eligibility(a.address, from)).toJSON(), { eligible: { district: 7 } });
});

test('a university issues a diploma; anyone verifies it; it is revoked', async () => {
  const pdf = stringToU8a('%PDF-1.7 Diploma: Master of Public Administration, 2025');
  const documentHash = blake2AsHex(pdf);
  // A verifier asks about the issuer the document names (here the university's account).
  const status = async () => (await api.call.identityRegistryApi.credentialStatus(documentHash, k.eve.address)).toJSON();

  assert.deepEqual(await status(), { unknown: null });
  await sendAndWait(
    api.tx.identityRegistry.issueCredential(documentHash, { Citizen: citizenId }, 'Diploma', today(), null),
    k.eve,
  );
  const valid = await status();
  assert.ok(valid.valid, `expected valid, got ${JSON.stringify(valid)}`);
  assert.equal(valid.valid.issuer, k.eve.address);
  assert.deepEqual(valid.valid.subject, { citizen: citizenId });

  // Only the issuer may revoke.
  await assert.rejects(
    sendAndWait(api.tx.identityRegistry.revokeCredential(documentHash, k.eve.address, 'Fraud'), k.ferdie),
    /BadOrigin/,
  );
  const { events } = await sendAndWait(api.tx.identityRegistry.revokeCredential(documentHash, k.eve.address, 'Fraud'), k.eve);
  assert.ok(events.some(({ event }) => api.events.identityRegistry.CredentialRevoked.is(event)));
  const revoked = await status();
  assert.ok(revoked.revoked, `expected revoked, got ${JSON.stringify(revoked)}`);
  assert.deepEqual(revoked.revoked.reason, { fraud: null });
});

test('a citizen accepts a key rotation feelessly with a key holding no tokens; it waits out its notice or a court order', async () => {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const fresh = keyring.addFromMnemonic(mnemonicGenerate());
  await sendAndWait(api.tx.identityRegistry.initiateAccountRotation(citizenId, fresh.address), k.ferdie);
  const before = (await api.query.system.account(fresh.address)).data.free.toBigInt();
  assert.equal(before, 0n);

  const { events, blockHash } = await sendAndWait(api.tx.identityRegistry.acceptAccountRotation(), fresh);
  const blockNumber = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  const accepted = events.find(({ event }) => api.events.identityRegistry.AccountRotationAccepted.is(event));
  assert.ok(accepted);
  assert.ok(
    events.some(({ event }) => api.events.skipFeelessPayment.FeeSkipped.is(event)),
    'the payment extension was skipped',
  );
  assert.equal((await api.query.system.account(fresh.address)).data.free.toBigInt(), 0n, 'no fee was taken');
  // Not in force yet: the old key still signs for the citizen during the week's notice.
  const notice = api.consts.identityRegistry.rotationNotice.toNumber();
  assert.equal(accepted.event.data.noticeEnds.toNumber(), blockNumber + notice);
  assert.ok((await api.call.identityRegistryApi.citizenByAccount(k.dave.address)).isSome);
  assert.ok((await api.call.identityRegistryApi.citizenByAccount(fresh.address)).isNone);
  // Only a court shortens it.
  await assert.rejects(sendAndWait(api.tx.identityRegistry.confirmAccountRotation(citizenId), k.ferdie), /BadOrigin/);
  const confirmed = await sendAndWait(api.tx.identityRegistry.confirmAccountRotation(citizenId), k.charlie);
  assert.ok(confirmed.events.some(({ event }) => api.events.identityRegistry.AccountRotated.is(event)));
  const view = (await api.call.identityRegistryApi.citizenByAccount(fresh.address)).unwrap();
  assert.equal(view.id.toNumber(), citizenId, 'same citizen, new key');
  assert.ok((await api.call.identityRegistryApi.citizenByAccount(k.dave.address)).isNone);
});
