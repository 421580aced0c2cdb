// The dev chain through the client a wallet uses: blocks, metadata, a signed transfer,
// the metadata hash that offline signers check, a clean stop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { merkleizeMetadata } from '@polkadot-api/merkleize-metadata';
import { startDevNode, sendAndWait, devAccounts } from '../lib/dev-node.js';

let node;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
});

after(async () => {
  if (node) await node.stop();
});

test('the dev node produces blocks', async () => {
  const { api } = node;
  const first = (await api.rpc.chain.getHeader()).number.toNumber();
  const target = first + 2;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no new blocks within 30 s')), 30_000);
    api.rpc.chain.subscribeNewHeads((header) => {
      if (header.number.toNumber() >= target) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const finalized = await api.rpc.chain.getFinalizedHead();
  const finalizedNumber = (await api.rpc.chain.getHeader(finalized)).number.toNumber();
  assert.ok(finalizedNumber >= first, 'blocks are finalized in dev mode');
});

test('metadata decodes with no custom type definitions', async () => {
  const { api } = node;
  // ApiPromise.create above was given no `types`: everything comes from metadata.
  assert.equal(api.runtimeVersion.specName.toString(), 'egov-chain');
  for (const pallet of ['balances', 'council', 'councilMembership', 'technicalCommittee', 'technicalMembership', 'whitelist', 'publicNotice', 'scheduler', 'preimage', 'treasury', 'collatorSelection', 'multisig', 'proxy', 'utility', 'sudo']) {
    assert.ok(api.tx[pallet], `pallet ${pallet} is in the metadata`);
  }
  const ext = api.registry.signedExtensions;
  assert.ok(ext.includes('CheckMetadataHash'), `signed extensions: ${ext.join(', ')}`);
  assert.equal(api.registry.chainSS58, 42);
  assert.deepEqual(api.registry.chainTokens, ['EGOV']);
  const props = await api.rpc.system.properties();
  assert.equal(props.tokenDecimals.unwrap()[0].toNumber(), 12);
});

test('a transfer signed by a dev key is included and balances change', async () => {
  const { api } = node;
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const alice = keyring.addFromUri('//Alice');
  const dave = keyring.addFromUri('//Dave');
  const amount = 1_234_567_890_000n;
  const before = (await api.query.system.account(dave.address)).data.free.toBigInt();
  const aliceBefore = (await api.query.system.account(alice.address)).data.free.toBigInt();

  const { blockHash, events } = await sendAndWait(
    api.tx.balances.transferKeepAlive(dave.address, amount),
    alice,
  );
  const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
  assert.ok(transfer, 'a Balances.Transfer event was emitted');
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));

  const at = await api.at(blockHash);
  const after = (await at.query.system.account(dave.address)).data.free.toBigInt();
  const aliceAfter = (await at.query.system.account(alice.address)).data.free.toBigInt();
  assert.equal(after - before, amount);
  assert.ok(aliceBefore - aliceAfter > amount, 'Alice paid the amount plus a fee');
});

/**
 * The RFC-78 metadata hash of the chain's runtime, computed here from the metadata the
 * node serves, by polkadot-api's implementation (not by the runtime's build): what a
 * Ledger or Polkadot Vault companion app computes before it asks the device to sign.
 */
async function metadataHash(api) {
  const opaque = (await api.call.metadata.metadataAtVersion(15)).unwrap();
  // Decimals and symbol as the chain spec declares them (what a wallet shows).
  const token = { decimals: api.registry.chainDecimals[0], tokenSymbol: api.registry.chainTokens[0] };
  return u8aToHex(merkleizeMetadata(opaque.toU8a(true), token).digest());
}

test('a transfer signed with the metadata hash, as Ledger and Polkadot Vault sign, is accepted; a wrong hash is refused', async () => {
  const { api } = node;
  const { alice, dave } = devAccounts();
  const hash = await metadataHash(api);
  const amount = 1_000_000_000_000n;
  const before = (await api.query.system.account(dave.address)).data.free.toBigInt();

  // `CheckMetadataHash` in mode 1: the signature covers the hash, and the runtime adds the
  // hash embedded in its WASM when it checks the signature. The two agree, or it fails.
  const { blockHash, events } = await sendAndWait(
    api.tx.balances.transferKeepAlive(dave.address, amount),
    alice,
    { mode: 1, metadataHash: hash },
  );
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));
  const block = await api.rpc.chain.getBlock(blockHash);
  const signed = block.block.extrinsics.find((x) => x.isSigned && x.signer.toString() === alice.address);
  assert.equal(signed.mode.toNumber(), 1, 'the included transfer was signed with the metadata hash check on');
  const after = (await api.query.system.account(dave.address)).data.free.toBigInt();
  assert.equal(after - before, amount);

  // A signer shown another metadata (one byte of the hash changed) signed a different
  // payload: the pool refuses it, whatever the call.
  const wrong = hash.slice(0, -2) + (hash.endsWith('00') ? '01' : '00');
  await assert.rejects(
    sendAndWait(api.tx.balances.transferKeepAlive(dave.address, amount), alice, { mode: 1, metadataHash: wrong }),
    /bad signature/i,
  );
  const unchanged = (await api.query.system.account(dave.address)).data.free.toBigInt();
  assert.equal(unchanged, after, 'nothing moved');
});

test('the node stops cleanly', async () => {
  const result = await node.stop();
  node = undefined;
  assert.equal(result.signal, null, `node died from signal ${result.signal}`);
  assert.equal(result.code, 0, 'node exits with status 0 after SIGINT');
});
