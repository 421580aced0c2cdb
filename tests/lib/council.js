// Runs a motion through a real collective (the council of ministries by default, or the
// technical committee): propose, vote, close.
import { sendAndWait } from './dev-node.js';

/**
 * Has the `members` (keyring pairs) of `collective` (`council` or `technicalCommittee`)
 * pass `call` by motion. The first proposes, all vote aye, the last closes. Resolves with
 * the close's events; rejects if the motion's call failed.
 */
export async function passMotion(api, members, call, collective = 'council') {
  const tx = api.tx[collective];
  const collectiveEvents = api.events[collective];
  const threshold = members.length;
  const lengthBound = call.method.encodedLength;
  const { events } = await sendAndWait(tx.propose(threshold, call, lengthBound), members[0]);
  const proposed = events.find(({ event }) => collectiveEvents.Proposed.is(event));
  if (!proposed) throw new Error(`${collective}.Proposed was not emitted`);
  const { proposalIndex, proposalHash } = proposed.event.data;
  // Members vote at once (each signs with their own nonce): one block, not one each.
  await Promise.all(members.map((m) => sendAndWait(tx.vote(proposalHash, proposalIndex, true), m)));
  const info = await api.call.transactionPaymentCallApi.queryCallInfo(call.method, lengthBound);
  const closed = await sendAndWait(
    tx.close(proposalHash, proposalIndex, info.weight, lengthBound),
    members[members.length - 1],
  );
  const executed = closed.events.find(({ event }) => collectiveEvents.Executed.is(event));
  if (!executed) throw new Error(`${collective}.Executed was not emitted`);
  const result = executed.event.data.result;
  if (result.isErr) throw new Error(`motion failed: ${result.asErr.toString()}`);
  return closed.events;
}
