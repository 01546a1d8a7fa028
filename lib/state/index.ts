export * from './state-encryption';
export * from './state-passphrase';
