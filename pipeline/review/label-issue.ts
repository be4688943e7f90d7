/**
 * A score at or over this counts as a likely label mistake, flagged or not (the evaluate stage's count, the
 * catalogue's review queue and its summary). A module of its own: the site's pages read it without the review's I/O.
 */
export const LABEL_ISSUE_MIN = 0.5;
