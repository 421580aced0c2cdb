// The land registry and a property sale through the client ministries, notaries, banks and
// citizens use: a title with a mortgage is sold by an escrow deal that the notary and the
// bank approve; one dispatch moves the title, pays off the bank, pays the duty and the
// seller. A frozen title cannot be sold. A registry extract is produced with a storage
// proof and checked offline by `egov`; a tampered extract is rejected. After a stolen-key
// recovery the thief neither cancels the citizen's deal nor collects its proceeds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady, encodeAddress, mnemonicGenerate } from '@polkadot/util-crypto';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { startDevNode, sendAndWait, devAccounts } from '../lib/dev-node.js';
import { appointByCouncil, egov as egovAt, secretFile } from '../lib/egov.js';
import { waitUntilBestFinalized } from '../lib/chain.js';

const UNIT = 10n ** 12n;
const WHOLE = 1_000_000;

let node;
let api;
let k;
let dir;
const p = {};
const ids = {};
const mnemonics = {};

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  api = node.api;
  dir = mkdtempSync(join(tmpdir(), 'egov-property-'));
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  k = devAccounts();
  for (const name of ['seller', 'buyer', 'banker', 'bankVault']) {
    mnemonics[name] = mnemonicGenerate();
    p[name] = keyring.addFromMnemonic(mnemonics[name]);
  }
});

after(async () => {
  if (node) await node.stop();
});

/** Runs the `egov` CLI against this test's node. */
const egov = (...args) => egovAt(node.rpcUrl, ...args);

/** The account of a pallet id (`modl` + id, zero-padded), as the runtime derives it. */
const palletAccount = (id) => encodeAddress(u8aConcat(stringToU8a('modl'), stringToU8a(id), new Uint8Array(20)), 42);
const ESCROW = palletAccount('egov/esc');
const TREASURY = palletAccount('egov/try');
const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();
const event = (events, section, method) => events.find(({ event: e }) => e.section === section && e.method === method);

test('the council appoints the registries, a notary and a court; citizens and a bank are registered (egov)', async () => {
  const outcomes = await appointByCouncil(egov, [
    [k.ferdie.address, 'civil-registry'],
    [k.ferdie.address, 'business-registry'],
    [k.eve.address, 'land-registry'],
    [k.dave.address, 'notary'],
    [k.charlie.address, 'court'],
  ]);
  assert.deepEqual(outcomes, Array(5).fill('executed'));
  const csv = join(dir, 'civil-records.csv');
  writeFileSync(csv, ['national_id,name,date_of_birth,district,account',
    ...['seller', 'buyer', 'banker'].map((n, i) => `P-${i},${n},1980-0${i + 1}-15,3,${p[n].address}`)].join('\n'));
  const store = join(dir, 'civil-registry-store.json');
  await egov('registry', 'import', csv, '--store', store, '--seed', '//Ferdie');
  for (const n of ['seller', 'buyer', 'banker']) ids[n] = (await egov('registry', 'show', p[n].address)).citizen;
  const filing = join(dir, 'bank-filing.pdf');
  writeFileSync(filing, 'First National Bank: articles of association');
  ids.bank = (await egov('entity', 'register', filing, '--store', join(dir, 'business-store.json'),
    '--representative', `citizen:${ids.banker}`, '--seed', '//Ferdie')).entity;
  // The buyer needs the price; seller and banker pay their fees; the bank's vault exists.
  await sendAndWait(api.tx.utility.batchAll([
    api.tx.balances.transferKeepAlive(p.buyer.address, 2_000n * UNIT),
    api.tx.balances.transferKeepAlive(p.seller.address, 10n * UNIT),
    api.tx.balances.transferKeepAlive(p.banker.address, 10n * UNIT),
    api.tx.balances.transferKeepAlive(p.bankVault.address, 1n * UNIT),
  ]), k.alice);
});

test('the land registry registers titles and a mortgage, a court freezes another title (egov property)', async () => {
  const parcel = (cad) => {
    const f = join(dir, `parcel-${cad.replaceAll('/', '_')}.json`);
    writeFileSync(f, JSON.stringify({ cad, geometry: 'polygon', area: 812, deed: 'deed 1998/4411' }));
    return f;
  };
  const create = async (cad, ...owners) =>
    (await egov('property', 'create-title', cad, '--parcel', parcel(cad), ...owners.flatMap((o) => ['--owner', o]), '--seed', '//Eve')).title;
  // Only the land registry registers titles.
  await assert.rejects(
    egov('property', 'create-title', 'X-1', '--parcel', parcel('X-1'), '--owner', `citizen:${ids.seller}`, '--seed', '//Ferdie'),
    /BadOrigin/,
  );
  ids.house = await create('CZ-600001-1234/5', `citizen:${ids.seller}`);
  ids.field = await create('CZ-600001-777/1', p.seller.address);
  // Shares must make a whole.
  await assert.rejects(
    create('CZ-9', `citizen:${ids.seller}=50%`, `citizen:${ids.buyer}=49.9999%`),
    /PropertyRegistry\.SharesDoNotSumToWhole/,
  );
  const m = await egov('property', 'mortgage', String(ids.house), '--creditor', `entity:${ids.bank}`, '--amount', '300', '--seed', '//Eve');
  ids.mortgage = m.encumbrance;
  // Only a court freezes; the case reference's hash goes on chain.
  await assert.rejects(egov('property', 'freeze', String(ids.field), '--case', 'case 12 C 345/2026', '--seed', '//Eve'), /BadOrigin/);
  await egov('property', 'freeze', String(ids.field), '--case', 'case 12 C 345/2026', '--seed', '//Charlie');
  const shown = await egov('property', 'show', String(ids.house));
  assert.deepEqual(shown.owners, [[`Citizen(${ids.seller})`, WHOLE]]);
  assert.equal(shown.encumbrances.length, 1);
  assert.equal(shown.parcelHash, blake2AsHex(readFileSync(parcel('CZ-600001-1234/5'))));
  assert.equal((await egov('property', 'show', String(ids.field))).frozen, blake2AsHex('case 12 C 345/2026'));
  assert.equal((await api.call.propertyRegistryApi.titleByCadastralId('CZ-600001-1234/5')).unwrap().toNumber(), ids.house);
});

test('a sale settles atomically through egov property deal: title to the buyer, bank paid off, duty to the treasury, rest to the seller', async () => {
  const price = 1_000n * UNIT;
  const as = (name) => ['--seed-file', secretFile(mnemonics[name])];
  const open = (...args) => egov('property', 'deal', 'open', '--title', String(ids.house), '--seller', `citizen:${ids.seller}`,
    '--deadline-blocks', '200', ...args, ...as('seller'));
  // Self-dealing and zero price are refused by name.
  await assert.rejects(open('--buyer', `citizen:${ids.seller}`, '--price', '1000'), /PropertyTransfers\.SelfDealing/);
  await assert.rejects(open('--buyer', `citizen:${ids.buyer}`, '--price', '0'), /PropertyTransfers\.ZeroPrice/);
  // The deal releases every mortgage on the title (egov lists them from the title).
  const { deal } = await open('--buyer', `citizen:${ids.buyer}`, '--price', '1000');
  const terms = (await api.query.propertyTransfers.deals(deal)).unwrap();
  assert.deepEqual(terms.releases.map((r) => r.encumbrance.toNumber()), [ids.mortgage]);
  assert.equal(terms.sellerPayout.toString(), p.seller.address, 'the proceeds go to the signer by default');

  const step = (cmd, who, ...args) => egov('property', 'deal', cmd, String(deal), ...args, ...who);
  // Settling before approvals and deposit is refused.
  await assert.rejects(step('settle', as('seller')), /PropertyTransfers\.NotReady/);
  await assert.rejects(step('deposit', as('buyer'), '--amount', '999.999999999999'), /PropertyTransfers\./);
  await step('deposit', as('buyer'), '--amount', '1000');
  // Only a notary approves as notary.
  await assert.rejects(step('approve-notary', ['--seed', '//Eve']), /PropertyTransfers\.WrongApprover/);
  await step('approve-notary', ['--seed', '//Dave']);
  await step('approve-creditor', as('banker'), '--payout', p.bankVault.address);

  const before = {
    seller: await free(p.seller.address),
    buyer: await free(p.buyer.address),
    vault: await free(p.bankVault.address),
    escrow: await free(ESCROW),
    treasury: await free(TREASURY),
  };
  assert.equal(before.escrow >= price, true, 'the deposit is held in escrow');
  // Any party or approver may trigger settlement: here the notary.
  const settled = await step('settle', ['--seed', '//Dave']);
  const duty = BigInt(settled.duty);
  assert.equal(duty, price * 2n / 100n, '2% transfer duty');
  assert.ok(settled.events.some((e) => e.startsWith('CreditorPaid')));
  assert.ok(settled.events.some((e) => e.startsWith('ShareTransferred')));
  assert.ok(settled.events.some((e) => e.startsWith('EncumbranceReleased')));

  const view = (await api.call.propertyRegistryApi.title(ids.house)).unwrap();
  assert.deepEqual(view.owners.toJSON(), [[{ citizen: ids.buyer }, WHOLE]], 'the buyer owns the whole title');
  assert.equal(view.encumbrances.length, 0, 'the mortgage is released');
  assert.equal(await free(p.bankVault.address) - before.vault, 300n * UNIT, 'the bank is paid off');
  assert.equal(await free(p.seller.address) - before.seller, price - 300n * UNIT - duty, 'the seller gets the rest');
  assert.equal(BigInt(settled.toSeller), price - 300n * UNIT - duty);
  assert.equal(await free(p.buyer.address), before.buyer, 'the buyer paid at deposit, nothing more');
  assert.equal(await free(TREASURY) - before.treasury, duty, 'the duty reached the treasury');
  assert.equal(before.escrow - await free(ESCROW), price, 'escrow paid out exactly the price');
  // Conservation: what escrow paid out is what seller, bank and treasury received.
  const received = (await free(p.seller.address) - before.seller) + (await free(p.bankVault.address) - before.vault)
    + (await free(TREASURY) - before.treasury);
  assert.equal(received, price, 'no money created or destroyed');

  // Full history, with the contract as the actor of the transfer.
  const history = (await api.call.propertyRegistryApi.history(ids.house, 0, 50)).toJSON();
  assert.ok(history.length >= 3);
  assert.ok(history.some((h) => h.actor.contract === deal), JSON.stringify(history));
  assert.ok(history[0].actor.landRegistry, 'created by the land registry');

  // Settling twice is refused.
  await assert.rejects(step('settle', as('seller')), /PropertyTransfers\.AlreadySettled/);
});

test('a deal on a frozen title is refused', async () => {
  await assert.rejects(
    egov('property', 'deal', 'open', '--title', String(ids.field), '--seller', `citizen:${ids.seller}`, '--buyer', `citizen:${ids.buyer}`,
      '--price', '50', '--deadline-blocks', '100', '--seed-file', secretFile(mnemonics.seller)),
    /TitleFrozen/,
  );
});

test('a registry extract is proven against a block header and checked offline; tampering is caught', async () => {
  const file = join(dir, 'extract.json');
  await waitUntilBestFinalized(api, 300);
  const made = await egov('property', 'extract', String(ids.house), '--out', file);
  assert.equal(made.title, ids.house);
  const ok = await egov('property', 'verify-extract', file);
  assert.equal(ok.ok, true, JSON.stringify(ok.failures));
  assert.deepEqual(ok.owners, [[`citizen:${ids.buyer}`, WHOLE]]);
  // The extract's block is a real block of this chain.
  assert.equal((await api.rpc.chain.getBlockHash(made.block)).toHex(), made.blockHash);

  const extract = JSON.parse(readFileSync(file, 'utf8'));
  const rejected = async (mutate, pattern) => {
    const copy = structuredClone(extract);
    mutate(copy);
    const f = join(dir, `tampered-${Math.random()}.json`);
    writeFileSync(f, JSON.stringify(copy));
    const err = await egov('property', 'verify-extract', f).then(() => null, (e) => e);
    assert.ok(err, 'a tampered extract must be rejected');
    assert.equal(err.code, 2);
    const out = JSON.parse(err.stdout.trim().split('\n').pop());
    assert.ok(out.failures.some((x) => pattern.test(x)), `${pattern} not in ${JSON.stringify(out.failures)}`);
  };
  // Someone claims the seller still owns it.
  await rejected((e) => { e.title.owners = [[`citizen:${ids.seller}`, WHOLE]]; }, /summary differs/);
  // A forged record value (the bytes the summary is checked against).
  await rejected((e) => { e.values[0] = e.values[0].slice(0, -2) + (e.values[0].endsWith('00') ? '01' : '00'); }, /not what the proof proves|summary|decode/);
  // A different state root (a forged header).
  await rejected((e) => { e.header = e.header.slice(0, 80) + (e.header[80] === 'a' ? 'b' : 'a') + e.header.slice(81); }, /hash|proof/);
});

test('after a stolen-key recovery the thief neither cancels nor collects: the proceeds go to the new key', async () => {
  // The buyer of the house now sells it back, the proceeds to their own key; a thief then
  // steals that key.
  const price = 100n * UNIT;
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const terms = {
    title: ids.house, seller: { Citizen: ids.buyer }, buyer: { Citizen: ids.seller }, share: WHOLE,
    price, deadline: best + 200, releases: [], landRegistryApproval: false, sellerPayout: p.buyer.address,
  };
  const open = async (signer) => event(
    (await sendAndWait(api.tx.propertyTransfers.openDeal(terms), signer)).events, 'propertyTransfers', 'DealOpened',
  ).event.data.deal.toNumber();
  const deal = await open(p.buyer);
  await sendAndWait(api.tx.propertyTransfers.deposit(deal, price), p.seller);
  await sendAndWait(api.tx.propertyTransfers.approveAsNotary(deal), k.dave);

  // Recovery at the registry office: a new key, holding no tokens, accepts feelessly.
  const thief = p.buyer;
  const recovered = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromMnemonic(mnemonicGenerate());
  await sendAndWait(api.tx.identityRegistry.initiateAccountRotation(ids.buyer, recovered.address), k.ferdie);
  await sendAndWait(api.tx.identityRegistry.acceptAccountRotation(), recovered);
  // During the notice the citizen's deals are frozen: the thief cannot cancel, nobody settles.
  await assert.rejects(sendAndWait(api.tx.propertyTransfers.cancel(deal), thief), /propertyTransfers\.PartyRotating/);
  await assert.rejects(sendAndWait(api.tx.propertyTransfers.settle(deal), k.dave), /propertyTransfers\.PartyRotating/);
  // The thief objects; a court confirms the recovery over the objection.
  const objected = await sendAndWait(api.tx.identityRegistry.objectToAccountRotation(), thief);
  assert.ok(event(objected.events, 'identityRegistry', 'AccountRotationObjected'));
  const confirmed = await sendAndWait(api.tx.identityRegistry.confirmAccountRotation(ids.buyer), k.charlie);
  assert.ok(event(confirmed.events, 'identityRegistry', 'AccountRotated'));

  // The stolen key cancels nothing, and the deal it could have set up no longer settles.
  await assert.rejects(sendAndWait(api.tx.propertyTransfers.cancel(deal), thief), /propertyTransfers\.NotAParty/);
  await assert.rejects(sendAndWait(api.tx.propertyTransfers.settle(deal), k.dave), /propertyTransfers\.OpenerNoLongerActs/);
  // The citizen, with the new key (given a little for fees), cancels: the buyer is refunded.
  await sendAndWait(api.tx.balances.transferKeepAlive(recovered.address, 1n * UNIT), k.alice);
  const buyerBefore = await free(p.seller.address);
  await sendAndWait(api.tx.propertyTransfers.cancel(deal), recovered);
  assert.equal(await free(p.seller.address), buyerBefore + price, 'the deposit is refunded');
  // Listed again with the new key, on the same terms: the payout still names the old key,
  // and is paid to the new one.
  const again = await open(recovered);
  await sendAndWait(api.tx.propertyTransfers.deposit(again, price), p.seller);
  await sendAndWait(api.tx.propertyTransfers.approveAsNotary(again), k.dave);
  const thiefBefore = await free(thief.address);
  const recoveredBefore = await free(recovered.address);
  const settled = await sendAndWait(api.tx.propertyTransfers.settle(again), k.dave);
  const s = event(settled.events, 'propertyTransfers', 'DealSettled').event.data;
  assert.equal(await free(thief.address), thiefBefore, 'the stolen key is paid nothing');
  assert.equal(await free(recovered.address) - recoveredBefore, price - s.duty.toBigInt(), 'the proceeds reach the new key');
  const view = (await api.call.propertyRegistryApi.title(ids.house)).unwrap();
  assert.deepEqual(view.owners.toJSON(), [[{ citizen: ids.seller }, WHOLE]]);
});
