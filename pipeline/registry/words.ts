/*
 * The registry's words for the public, one wording for the model card, the model page and the home page. No imports:
 * the site's pages load this too.
 */

/**
 * A registry stage in the public's words, the one wording of the card, the model page and the home page: "in
 * production" for prod (testers read "Stage: prod" as jargon), "in staging", any other stage by the museum's own name
 * ("in stage “review”"). Lower case: it follows "is now", "registered (…)".
 */
export function stageName(stage: string): string {
  return `in ${stageNoun(stage)}`;
}

/** The stage itself: "production", "staging", "stage “review”" (as in "took v1.1.0 out of production"). */
export function stageNoun(stage: string): string {
  if (stage === 'prod') return 'production';
  return stage === 'staging' ? 'staging' : `stage “${stage}”`;
}

/** "In production, in staging.": stageName for the start of a sentence, several stages in one. */
export function stagesSentence(stages: string[]): string {
  const words = stages.map(stageName).join(', ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** What each kind of version number change means, in the museum's words (semver.ts decides which). */
export const BUMP_MEANING: Record<string, string> = {
  major: 'the list of types changed',
  minor: 'the same types, new or changed photographs or labels',
  patch: 'the same photographs and labels, new settings or code',
};
