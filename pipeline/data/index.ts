/*
 * The DVC 3.x-compatible data layer: hashing, data.dvc, the local cache, remotes and git history.
 * A data scientist with DVC can `dvc pull` / `dvc status` the same repository and remote.
 */
export { hashFile, hashTree, manifestBytes, manifestHash, compareCodePoints, type TreeEntry, type TreeHash } from './hash.ts';
export { readDvcFile, writeDvcFile, parseDvcFile, formatDvcFile, resolveOutPath, type DvcFile, type DvcOut } from './dvcfile.ts';
export { initData, readDvcConfig, setDvcConfig, type DvcConfig, type RemoteConfig } from './config.ts';
export { openRemote, localRemote, s3Remote, type Remote, type S3Settings } from './remote.ts';
export { objectPath, objectKey, type ManifestEntry } from './cache.ts';
export { addData, pushData, pullData, checkoutData, dataStatus, loadManifest, diffEntries, stateFileOf, type DataStatus, type TransferResult, type CheckoutResult } from './ops.ts';
export { verifyData, type VerifyResult } from './verify.ts';
