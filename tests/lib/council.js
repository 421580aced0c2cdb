// Runs a council-of-ministries motion through the real collective: propose, vote, close.
import { sendAndWait } from './dev-node.js';

/**
 * Has the ministries `members` (keyring pairs) pass `call` by motion. The first proposes,
 * all vote aye, the last closes. Resolves with the close's events.
 */
export async function passMotion(api, members, call) {
  const threshold = members.length;
  const lengthBound = call.method.encodedLength;
  const { events } = await sendAndWait(api.tx.council.propose(threshold, call, lengthBound), members[0]);
  const proposed = events.find(({ event }) => api.events.council.Proposed.is(event));
  if (!proposed) throw new Error('council.Proposed was not emitted');
  const { proposalIndex, proposalHash } = proposed.event.data;
  for (const m of members) {
    await sendAndWait(api.tx.council.vote(proposalHash, proposalIndex, true), m);
  }
  const info = await api.call.transactionPaymentCallApi.queryCallInfo(call.method, lengthBound);
  const closed = await sendAndWait(
    api.tx.council.close(proposalHash, proposalIndex, info.weight, lengthBound),
    members[members.length - 1],
  );
  const executed = closed.events.find(({ event }) => api.events.council.Executed.is(event));
  if (!executed) throw new Error('council.Executed was not emitted');
  const result = executed.event.data.result;
  if (result.isErr) throw new Error(`motion failed: ${result.asErr.toString()}`);
  return closed.events;
}
