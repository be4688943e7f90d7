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

/**
 * With train.flagged: drop and no label left out, why (the card's details.flagged.why; the catalogue's model page says
 * the same): "none was found" only when the check was made and flagged none.
 */
export function noneLeftOutWords(why: 'no-folds' | 'guessing' | 'test-only' | null): string {
  const set = 'Training was set to leave out labels that look wrong (train.flagged: drop), but ';
  const every = 'the model learnt from every usable label.';
  switch (why) {
    case 'no-folds':
      return `${set}no check was made: it needs cross-validation, and evaluate.folds is below 2. So ${every}`;
    case 'guessing':
      return `${set}the model of its check was no better than guessing, so its flags say nothing. So ${every}`;
    case 'test-only':
      return `${set}the check flagged only test objects, which stay in the test split to be tested on. So ${every}`;
    default:
      return `${set}the check found none, so ${every}`;
  }
}

/** A rollback's date as the card and the list give it: the day ("2026-04-01"). */
function day(date: string): string {
  return date.slice(0, 10);
}

/** "Withdrawn from production on 2026-04-01: misreads masks" (a rollback took the version out of production). */
export function withdrawnWords({ date, reason }: { date: string; reason: string | null }): string {
  return `Withdrawn from production on ${day(date)}${reason ? `: ${reason}` : ''}`;
}

/** "Put back in production on 2026-04-01 in place of v1.2.0" (a rollback made the version production's again). */
export function putBackWords({ date, from }: { date: string; from: string | null }): string {
  return `Put back in production on ${day(date)}${from ? ` in place of ${from}` : ''}`;
}

/**
 * "Replaced in production by v1.3.0 on 2026-05-03": production moved on from a version put back (a promotion, a prod
 * tag made by hand). Said after the put back, not instead of it: a card read a year later tells why that version was
 * in production then, and until when (reviewer V16).
 */
export function replacedWords({ until, replacedBy }: { until: string; replacedBy: string | null }): string {
  return replacedBy
    ? `Replaced in production by ${replacedBy} on ${day(until)}`
    : `Out of production since ${day(until)}`;
}

/**
 * "Put back in production on 2026-04-02 in place of v1.1.0: why. Replaced in production by v1.3.0 on 2026-05-03",
 * without the end stop: what a rollback did to the version it put back, as the list, `models show`, the card and the
 * model page say it.
 */
export function putBackSentences(p: {
  date: string;
  from: string | null;
  reason: string | null;
  until?: string;
  replacedBy?: string | null;
}): string {
  const replaced = p.until ? `. ${replacedWords({ until: p.until, replacedBy: p.replacedBy ?? null })}` : '';
  return `${putBackWords(p)}${p.reason ? `: ${p.reason}` : ''}${replaced}`;
}
