// A runtime upgrade authorized the way the ministries do it, through @polkadot/api on the
// dev node: the technical committee whitelists `System.authorizeUpgrade(codeHash)`, three
// quarters of the council announce its dispatch, and it takes effect when the notice
// (10 blocks on dev) has run. Less than that reaches nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cryptoWaitReady, blake2AsHex } from '@polkadot/util-crypto';
import { startDevNode, devAccounts } from '../lib/dev-node.js';
import { passMotion } from '../lib/council.js';

let node;
let who;

before(async () => {
  await cryptoWaitReady();
  node = await startDevNode();
  who = devAccounts();
});

after(async () => {
  if (node) await node.stop();
});

async function waitForBlock(api, target, timeoutMs) {
  await new Promise((resolve, reject) => {
    let unsub;
    const timer = setTimeout(() => {
      unsub?.();
      reject(new Error(`block ${target} not reached within ${timeoutMs} ms`));
    }, timeoutMs);
    api.rpc.chain
      .subscribeNewHeads((header) => {
        if (header.number.toNumber() >= target) {
          clearTimeout(timer);
          unsub?.();
          resolve();
        }
      })
      .then((u) => {
        unsub = u;
      });
  });
}

test('an upgrade needs the committee, three quarters of the council and the notice', async () => {
  const { api } = node;
  const council = [who.alice, who.bob, who.charlie];
  const committee = [who.dave, who.eve];
  // The hash of a release the ministries published (here: of a stand-in blob).
  const codeHash = blake2AsHex('egov-chain runtime release under test', 256);
  const upgrade = api.tx.system.authorizeUpgrade(codeHash);
  const act = api.tx.whitelist.dispatchWhitelistedCallWithPreimage(upgrade);

  // Neither collective reaches Root on its own.
  await assert.rejects(passMotion(api, council, upgrade), /BadOrigin/i);
  await assert.rejects(passMotion(api, committee, upgrade, 'technicalCommittee'), /BadOrigin/i);
  // Two of three ministries are below three quarters: they cannot announce.
  await assert.rejects(passMotion(api, council.slice(0, 2), api.tx.publicNotice.announce(act)), /BadOrigin/i);
  assert.ok((await api.query.system.authorizedUpgrade()).isNone);

  await passMotion(api, committee, api.tx.whitelist.whitelistCall(upgrade.method.hash), 'technicalCommittee');
  assert.ok((await api.query.whitelist.whitelistedCall(upgrade.method.hash)).isSome);

  const motionAt = (await api.rpc.chain.getHeader()).number.toNumber();
  const started = Date.now();
  const events = await passMotion(api, council, api.tx.publicNotice.announce(act));
  const announced = events.find(({ event }) => api.events.publicNotice.Announced.is(event));
  assert.ok(announced, 'publicNotice.Announced is emitted');
  assert.equal(announced.event.data.callHash.toHex(), act.method.hash.toHex());
  const enactAt = announced.event.data.enactAt.toNumber();
  assert.ok(enactAt - motionAt >= 10, `a notice of 10 blocks: motion at ${motionAt}, enacted at ${enactAt}`);

  await waitForBlock(api, enactAt - 1, 60_000);
  assert.ok((await api.query.system.authorizedUpgrade()).isNone, 'nothing before the notice ran');
  await waitForBlock(api, enactAt, 30_000);
  const authorized = await api.query.system.authorizedUpgrade();
  assert.ok(authorized.isSome, 'the upgrade is authorized once the notice ran');
  assert.equal(authorized.unwrap().codeHash.toHex(), codeHash);
  // The whitelist entry is used up.
  assert.ok((await api.query.whitelist.whitelistedCall(upgrade.method.hash)).isNone);
  console.log(
    `council motion (block ${motionAt}) to authorized upgrade (block ${enactAt}): ` +
      `${enactAt - motionAt} blocks, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});
