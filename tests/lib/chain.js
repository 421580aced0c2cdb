// Reading a chain through @polkadot/api: helpers the tests share.

/** Today as days since the Unix epoch: how the registry records birth dates. */
export const today = () => Math.floor(Date.now() / 86_400_000);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Number of the block the node behind `api` has finalized. */
export async function finalizedNumber(api) {
  return (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
}

/** Resolves once the node has finalized the block that is its best one now. */
export async function waitUntilBestFinalized(api, pollMs = 500) {
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  while ((await finalizedNumber(api)) < best) await sleep(pollMs);
}
