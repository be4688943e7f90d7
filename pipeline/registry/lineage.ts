/** Everything a model version was made from (filled by collectLineage). */
export interface Lineage {
  data: { hash: string; source: string };
  labels: { md5: string; commit: string | null };
  params: { md5: string; values: unknown };
  code: { commit: string | null };
  backbone: { id: string; source: string; licence: string };
  backend: string;
  runtime: { node: string; packages: Record<string, string> };
  durations: { embedMs: number; trainMs: number; evaluateMs: number | null };
  pullRequest: { number: number; url: string | null } | null;
  run: { url: string } | null;
  promotedAt: string;
}
