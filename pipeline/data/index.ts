/*
 * The DVC 3.x-compatible data layer: hashing, data.dvc, the local cache, remotes and git history.
 * A data scientist with DVC can `dvc pull` / `dvc status` the same repository and remote.
 */

export { type ManifestEntry, objectKey, objectPath } from './cache.ts';
export {
  type DvcConfig,
  initData,
  type RemoteConfig,
  readDvcConfig,
  removeDvcRemote,
  setDvcConfig,
} from './config.ts';
export {
  type DvcFile,
  type DvcOut,
  formatDvcFile,
  parseDvcFile,
  readDvcFile,
  resolveOutPath,
  writeDvcFile,
} from './dvcfile.ts';
export { type GcResult, gcData } from './gc.ts';
export {
  compareCodePoints,
  hashFile,
  hashTree,
  manifestBytes,
  manifestHash,
  type TreeEntry,
  type TreeHash,
} from './hash.ts';
export {
  addData,
  type CheckoutResult,
  checkoutData,
  type DataStatus,
  dataStatus,
  diffEntries,
  loadManifest,
  pullData,
  pushData,
  stateFileOf,
  type TransferResult,
} from './ops.ts';
export { localRemote, openRemote, type Remote, type S3Settings, s3Remote } from './remote.ts';
export { type VerifyResult, verifyData } from './verify.ts';
