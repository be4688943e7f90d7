/*
 * The registry's words for the public, one wording for the model card, the model page and the home page. No imports:
 * the site's pages load this too.
 */

/**
 * A registry stage in the public's words, the one wording of the card, the model page and the home page: "in
 * production" for prod (testers read "Stage: prod" as jargon), "in staging", any other stage the museum's own name.
 */
export function stageName(stage: string): string {
  if (stage === 'prod') return 'in production';
  return stage === 'staging' ? 'in staging' : `“${stage}”`;
}

/** What each kind of version number change means, in the museum's words (semver.ts decides which). */
export const BUMP_MEANING: Record<string, string> = {
  major: 'the list of types changed',
  minor: 'the same types, new or changed photographs or labels',
  patch: 'the same photographs and labels, new settings or code',
};
