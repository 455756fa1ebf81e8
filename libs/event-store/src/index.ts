export * from './envelope';
export * from './canonical-json';
export * from './hash-chain';
export * from './ids';
export * from './errors';
export * from './event-store.port';
