export {
  ACTIONS_BOT_LOGIN,
  type CommitState,
  type Forge,
  type ForgeComment,
  fitComment,
  MAX_COMMENT_LENGTH,
  type RepoRef,
  upsertComment,
} from './forge.ts';
export {
  APPROVAL_CONTEXT,
  DATA_FILES,
  GUARD_MARKER,
  type GuardResult,
  guardComment,
  guardPullRequest,
  paramsProblems,
  refusedPaths,
} from './guard.ts';
export { type PublishResult, publishReport } from './publish.ts';
export { FORGE_REQUEST_FAILED, type GitHubForgeOptions, githubForge, nextLink } from './rest.ts';
export { chooseRunner, type RunnerChoice } from './runner.ts';
