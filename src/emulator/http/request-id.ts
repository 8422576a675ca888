import { randomUUID } from 'node:crypto';

const MAX_CHAIN = 7 * 1024;
const SAFE = /^[A-Za-z0-9._:\-]+$/;

/**
 * The `Request-Id` to answer with: the caller's chain (comma-separated ids,
 * as the Heroku CLI sends them) followed by ours. Ids that are not plain
 * tokens are dropped rather than echoed, and the echo is capped like the
 * CLI caps its own header.
 */
export function requestIdChain(incoming: string | undefined): { id: string; header: string } {
  const id = randomUUID();
  if (!incoming) return { id, header: id };
  const theirs = incoming
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s.length <= 200 && SAFE.test(s));
  let chain = theirs.join(',');
  if (chain.length > MAX_CHAIN) chain = chain.slice(0, chain.lastIndexOf(',', MAX_CHAIN));
  return { id, header: chain === '' ? id : `${chain},${id}` };
}
