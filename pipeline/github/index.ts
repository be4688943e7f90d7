export { upsertComment, fitComment, ACTIONS_BOT_LOGIN, MAX_COMMENT_LENGTH, type Forge, type ForgeComment, type RepoRef, type CommitState } from './forge.ts';
export { githubForge, nextLink, FORGE_REQUEST_FAILED, type GitHubForgeOptions } from './rest.ts';
export { publishReport, type PublishResult } from './publish.ts';
export { chooseRunner, type RunnerChoice } from './runner.ts';
export { guardPullRequest, guardComment, paramsProblems, refusedPaths, DATA_FILES, APPROVAL_CONTEXT, GUARD_MARKER, type GuardResult } from './guard.ts';
