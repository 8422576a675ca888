export type * from './address.js';
export type * from './diagnostic.js';
export type * from './desired.js';
export type * from './live.js';
export type * from './inventory.js';
export type * from './plan.js';
export type * from './apply.js';
export { INVENTORY_VERSION } from './inventory.js';
export { PLAN_FORMAT_VERSION } from './plan.js';
